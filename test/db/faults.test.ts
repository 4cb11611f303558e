import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDbTimeouts, isDatabaseUnavailable } from '../../src/db/availability.ts';
import { openPostgres } from '../../src/node/databases.ts';
import { FaultProxy } from '../support/fault-proxy.ts';
import { appFor, loadedTestDatabase, type TestDatabase } from './harness.ts';

// The database fails while the API runs: it refuses connections, or accepts them and never
// answers (also on connections that were working), then comes back. The app under test is the one
// `npm start` builds on DATABASE_URL (node-postgres with the API's timeouts), talking through a TCP
// proxy that the test breaks and heals. Every failure must be a 503 problem+json with Retry-After
// within 3 s, and the same app must answer 200 again once the database is back — no restart.
// On Postgres the server's statement timeout is checked too (PGlite cannot enforce one).

const LIMIT_MS = 3_000;
const ROUTES = ['/ready', '/v1/meta', '/v1/areas?type=lep', '/v1/leps', '/v1/investments/summary'];

let tdb: TestDatabase;
let socketServer: PGLiteSocketServer | undefined;
let proxy: FaultProxy;
let pool: pg.Pool;
let app: ReturnType<typeof appFor>;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  let target: URL;
  if (tdb.url) {
    target = new URL(tdb.url);
  } else {
    // PGlite has no network: serve the loaded in-memory database over TCP, as `npm run dev` does.
    socketServer = new PGLiteSocketServer({ db: tdb.pglite as never, host: '127.0.0.1', port: 0 });
    await socketServer.start();
    target = new URL(`postgres://postgres@${socketServer.getServerConn()}/postgres`);
  }
  proxy = new FaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const port = await proxy.start();
  const viaProxy = new URL(target.href);
  viaProxy.host = `127.0.0.1:${port}`;
  // pglite-socket serves one connection at a time.
  const opened = await openPostgres(viaProxy.href, {
    migrate: false,
    max: tdb.url ? 4 : 1,
    timeouts: apiDbTimeouts(),
  });
  pool = opened.pool;
  app = appFor(opened.db, (line) => logs.push(line));
});

afterAll(async () => {
  await pool?.end().catch(() => {});
  await proxy?.close();
  await socketServer?.stop();
  await tdb?.close();
});

async function timed(path: string) {
  const start = performance.now();
  const res = await app.request(path);
  const body = await res.text();
  return { res, body, ms: performance.now() - start };
}

async function expectAllOk() {
  for (const path of ROUTES) {
    const r = await timed(path);
    expect(r.res.status, `${path}: ${r.body.slice(0, 200)}`).toBe(200);
  }
}

async function expectAll503() {
  expect(ROUTES.length).toBeGreaterThan(0);
  for (const path of ROUTES) {
    const r = await timed(path);
    expect(r.res.status, `${path}: ${r.body.slice(0, 200)}`).toBe(503);
    expect(r.ms, path).toBeLessThan(LIMIT_MS);
    expect(r.res.headers.get('content-type')).toBe('application/problem+json');
    expect(r.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(r.res.headers.get('cache-control')).toBe('no-store');
    const problem = JSON.parse(r.body);
    expect(problem).toMatchObject({ status: 503, type: '/problems/unavailable' });
    expect(problem.requestId).toBe(r.res.headers.get('x-request-id'));
    // Nothing about the connection leaks.
    expect(r.body).not.toMatch(/127\.0\.0\.1|postgres:|ECONN|timeout exceeded/);
  }
}

describe('database faults on Node', () => {
  it('serves normally through the proxy', async () => {
    await expectAllOk();
  });

  it('refused: /ready and data routes answer 503 problem+json quickly, then recover', async () => {
    await proxy.refuse();
    await expectAll503();
    await proxy.heal();
    await expectAllOk();
  });

  it('black hole (accepts, never answers) on open and new connections: 503 within 3 s, then recovers', async () => {
    await expectAllOk(); // the pool holds working connections now
    expect(pool.totalCount).toBeGreaterThan(0);
    proxy.blackhole();
    await expectAll503();
    // Wedged connections were thrown away, not kept in the pool.
    await proxy.heal();
    await expectAllOk();
    // Each 503 was logged as one (the refusal and the black hole, every route).
    const unavailable = logs.filter((l) => l.msg === 'request' && l.status === 503);
    expect(unavailable.length).toBe(ROUTES.length * 2);
    expect(logs.some((l) => l.msg === 'unhandled error')).toBe(false);
  }, 60_000);
});

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('statement timeout (Postgres)', () => {
  it('Postgres cancels an API statement after DB_TIMEOUT_MS', async () => {
    const start = performance.now();
    const err = await pool.query('select pg_sleep(10)').catch((e: unknown) => e);
    const ms = performance.now() - start;
    expect((err as { code?: string }).code).toBe('57014'); // query_canceled: the server's timeout
    expect(ms).toBeLessThan(LIMIT_MS);
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('a data route blocked behind a lock (e.g. an exclusive lock held elsewhere) answers 503, not a hang', async () => {
    const locker = new pg.Client({ connectionString: tdb.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table areas in access exclusive mode');
      const r = await timed('/v1/areas?type=lep');
      expect(r.res.status, r.body.slice(0, 200)).toBe(503);
      expect(r.ms).toBeLessThan(LIMIT_MS);
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
    }
    await expectAllOk();
  });
});
