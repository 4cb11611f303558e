import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { getCurrentDatasetVersion } from '../../src/db/queries.ts';
import type { Deps } from '../../src/deps.ts';
import { MemoryRateLimiter, type RatePolicies } from '../../src/http/rate-limit.ts';
import { nodeAssets } from '../../src/node/assets.ts';
import { DatasetVersionCell } from '../../src/node/dataset-version.ts';
import { MemoryResponseCache } from '../../src/node/response-cache.ts';
import { loadedTestDatabase, silentLog, type TestDatabase } from './harness.ts';

// Rate limits through the whole app on Node (the Worker's binding is tested in test/worker).

let tdb: TestDatabase;
let version: string;
/** The rate limiter's clock stands still: its fixed windows never roll over mid-test, so counts are exact. */
const LIMITER_CLOCK = Date.now();
beforeAll(async () => {
  tdb = await loadedTestDatabase();
  version = (await getCurrentDatasetVersion(tdb.db)) as string;
});
afterAll(async () => {
  await tdb?.close();
});

const SMALL: RatePolicies = {
  default: { name: 'default', quota: 4, window: 60 },
  exports: { name: 'exports', quota: 2, window: 60 },
};

function app(over: Partial<Deps> = {}) {
  return createApp({
    db: tdb.db,
    runtime: 'node',
    log: silentLog,
    now: () => performance.now(),
    assets: nodeAssets(),
    rateLimiter: new MemoryRateLimiter({ policies: SMALL, now: () => LIMITER_CLOCK }),
    clientKey: (req) => req.headers.get('x-test-client') ?? 'anonymous',
    ...over,
  });
}

const as = (client: string, extra: Record<string, string> = {}) => ({
  headers: { 'x-test-client': client, ...extra },
});

describe('rate limits', () => {
  it('every answer states the policy and what is left; over the quota is a 429 problem with Retry-After', async () => {
    const a = app();
    const remaining: string[] = [];
    for (let i = 0; i < SMALL.default.quota; i++) {
      const res = await a.request('/v1/leps', as('reader'));
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"default";q=4;w=60');
      remaining.push(res.headers.get('ratelimit') ?? '');
    }
    expect(remaining.map((h) => h.match(/r=(\d+)/)?.[1])).toEqual(['3', '2', '1', '0']);
    const over = await a.request('/v1/leps', as('reader'));
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    const retry = Number(over.headers.get('retry-after'));
    expect(Number.isInteger(retry) && retry >= 1 && retry <= 60).toBe(true);
    expect(over.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
    const body = (await over.json()) as { type: string; status: number; requestId: string };
    expect(body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect(body.requestId).toBe(over.headers.get('x-request-id'));
    // Another client is not affected.
    expect((await a.request('/v1/leps', as('someone-else'))).status).toBe(200);
  });

  it('exports have their own, stricter quota', async () => {
    const a = app();
    const csv = '/v1/indicators/enterprises/ranking?format=csv';
    for (let i = 0; i < SMALL.exports.quota; i++) {
      const res = await a.request(csv, as('exporter'));
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"exports";q=2;w=60');
      await res.arrayBuffer();
    }
    const over = await a.request(csv, as('exporter'));
    expect(over.status).toBe(429);
    expect(over.headers.get('ratelimit-policy')).toBe('"exports";q=2;w=60');
    // JSON reads still go through: the two quotas are counted apart.
    expect((await a.request('/v1/indicators/enterprises/ranking', as('exporter'))).status).toBe(200);
  });

  it('answers served from the cache and 304s are not counted', async () => {
    const cache = new MemoryResponseCache({ maxBytes: 8 * 1024 * 1024 });
    const a = app({ datasetVersion: new DatasetVersionCell(version), responseCache: cache });
    const first = await a.request('/v1/indicators', as('cached'));
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag') as string;
    for (let i = 0; i < 10; i++) {
      const res = await a.request('/v1/indicators', as('cached', i % 2 ? { 'If-None-Match': tag } : {}));
      expect([200, 304]).toContain(res.status);
      // Reported, not taken: still 3 left of 4.
      expect(res.headers.get('ratelimit')).toMatch(/^"default";r=3;t=\d+$/);
    }
    expect(cache.stats.hits).toBe(5);
    expect((await a.request('/v1/leps', as('cached'))).headers.get('ratelimit')).toMatch(/r=2;/);
  });
});
