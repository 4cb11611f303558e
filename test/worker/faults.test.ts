import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { afterAll, describe, expect, inject, it } from 'vitest';
import worker from '../../src/index.ts';

// Database faults inside workerd. The Worker entry is given bindings whose Neon endpoint is the
// local stand-in behind a TCP fault proxy (test/worker/global-setup.ts), which the test makes
// refuse connections, swallow them without answering, and heal. Every failure must be a 503
// problem+json with Retry-After within 3 s, and the same Worker must answer 200 once it heals.

const control = inject('faultControlUrl');
const dbUrl = new URL(inject('databaseUrl'));
// Its own host name, so only this env's queries go through the proxy (src/db/neon.ts).
dbUrl.hostname = 'faulty.localhost';
const env = {
  DATABASE_URL: dbUrl.href,
  NEON_FETCH_ENDPOINT: inject('faultFetchEndpoint'),
  LOG_FORMAT: 'silent',
};

const LIMIT_MS = 3_000;
// Answers already rendered are served from the cache while the database is away (the dataset has
// not changed), so every phase asks for pages nobody asked for before: limit=<phase>.
let phase = 10;
const routes = () => {
  phase += 1;
  return [
    '/ready',
    `/v1/areas?type=lep&limit=${phase}`,
    `/v1/investments?limit=${phase}`,
    `/v1/organisations?limit=${phase}`,
  ];
};

async function fault(action: 'refuse' | 'blackhole' | 'heal') {
  const res = await fetch(`${control}/${action}`, { method: 'POST' });
  expect(res.status, action).toBe(204);
}

async function timed(path: string) {
  const ctx = createExecutionContext();
  const start = Date.now();
  const request = new Request(`http://api.test${path}`) as Parameters<typeof worker.fetch>[0];
  const res = await worker.fetch(request, env, ctx);
  const body = await res.text();
  const ms = Date.now() - start;
  await waitOnExecutionContext(ctx);
  return { res, body, ms };
}

async function expectAllOk() {
  for (const path of routes()) {
    const r = await timed(path);
    expect(r.res.status, `${path}: ${r.body.slice(0, 200)}`).toBe(200);
  }
}

async function expectAll503() {
  for (const path of routes()) {
    const r = await timed(path);
    expect(r.res.status, `${path}: ${r.body.slice(0, 200)}`).toBe(503);
    expect(r.ms, path).toBeLessThan(LIMIT_MS);
    expect(r.res.headers.get('content-type')).toBe('application/problem+json');
    expect(r.res.headers.get('retry-after')).toMatch(/^\d+$/);
    const problem = JSON.parse(r.body);
    expect(problem).toMatchObject({ status: 503, type: '/problems/unavailable' });
    expect(problem.requestId).toBe(r.res.headers.get('x-request-id'));
    expect(r.body).not.toMatch(/127\.0\.0\.1|faulty|postgres:|fetch failed|neon-local/);
  }
}

afterAll(async () => fault('heal'));

describe('database faults in workerd (Neon HTTP)', () => {
  it('serves normally through the proxy', async () => {
    await expectAllOk();
  });

  it('refused: /ready and data routes answer 503 problem+json quickly, then recover', async () => {
    expect((await timed('/v1/meta')).res.status).toBe(200);
    await fault('refuse');
    await expectAll503();
    // What was rendered before is still the current dataset's answer: served from the cache.
    expect((await timed('/v1/meta')).res.status).toBe(200);
    await fault('heal');
    await expectAllOk();
  });

  it('black hole (accepts, never answers): 503 within 3 s on every route, then recovers', async () => {
    await fault('blackhole');
    await expectAll503();
    await fault('heal');
    await expectAllOk();
  });
});
