import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { getCurrentDatasetVersion, getPostcodeBodies } from '../../src/db/queries.ts';
import { MemoryRateLimiter, RATE_POLICIES } from '../../src/http/rate-limit.ts';
import { nodeAssets } from '../../src/node/assets.ts';
import { DatasetVersionCell } from '../../src/node/dataset-version.ts';
import { nodeClientKey, nodeFront } from '../../src/node/fast-path.ts';
import { MemoryResponseCache } from '../../src/node/response-cache.ts';
import { batchedReader, postcodeAnswers, type StoredAnswerRoute } from '../../src/node/stored-answers.ts';
import { raw, stable } from '../support/raw-http.ts';
import { DATA_DIR, loadedTestDatabase, silentLog, type TestDatabase } from './harness.ts';

// The Node front reads a postcode's stored JSON itself (src/node/stored-answers.ts): every answer
// it gives must be the app's answer to the same request, byte for byte and header for header.

let tdb: TestDatabase;
let version: string;
/** The rate limiter's clock stands still: its fixed windows never roll over mid-test, so counts are exact. */
const LIMITER_CLOCK = Date.now();
/** Postcodes straight from the source file the dataset was loaded from (sample or full data). */
let sourcePostcodes: string[];

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  const v = await getCurrentDatasetVersion(tdb.db);
  if (!v) throw new Error('no dataset loaded');
  version = v;
  const text = gunzipSync(
    readFileSync(join(DATA_DIR, 'postcodes/codepoint_open_postcode_lad_ward_latlong.csv.gz')),
  ).toString();
  const lines = text.split('\n').slice(1).filter(Boolean);
  // Spread over the file, in the source's own spelling ("B1 1AY").
  const step = Math.max(1, Math.floor(lines.length / 40));
  sourcePostcodes = lines.filter((_, i) => i % step === 0).map((l) => l.split(',')[0] as string);
});
afterAll(async () => {
  await tdb?.close();
});

/** The stored JSON of a postcode, read here with SQL of the test's own. */
async function storedBody(postcode: string): Promise<string> {
  const key = postcode.replace(/\s+/g, '').toUpperCase();
  const res = await tdb.db.execute(sql`select body from postcodes where key = ${key}`);
  const rows = (res as unknown as { rows: { body: string }[] }).rows;
  if (!rows[0]) throw new Error(`no row for ${postcode}`);
  return rows[0].body;
}

/** A request through the front, its body as text. */
const get = async (port: number, path: string, headers: Record<string, string> = {}) => {
  const r = await raw(port, path, headers);
  return { ...r, body: r.body.toString() };
};

/** The front with a stored postcode route whose reads are recorded, and the app behind it. */
async function frontWithStore(opts: { quota?: number; read?: StoredAnswerRoute['read'] } = {}) {
  const cell = new DatasetVersionCell(version);
  const cache = new MemoryResponseCache({ maxBytes: 8 * 1024 * 1024 });
  cell.onChange(() => cache.clear());
  const policies = { ...RATE_POLICIES, default: { ...RATE_POLICIES.default, quota: opts.quota ?? 100_000 } };
  const limiter = new MemoryRateLimiter({ now: () => LIMITER_CLOCK, policies });
  const clientKey = nodeClientKey(undefined);
  const deps = {
    db: tdb.db,
    runtime: 'node' as const,
    log: silentLog,
    now: () => performance.now(),
    assets: nodeAssets(),
    buildId: 'test-build',
    datasetVersion: cell,
    responseCache: cache,
    rateLimiter: limiter,
    clientKey: clientKey.forApp,
  };
  const app = createApp(deps);
  const batches: string[][] = [];
  const real = postcodeAnswers(tdb.db);
  const stored: StoredAnswerRoute = {
    keyOf: real.keyOf,
    read:
      opts.read ??
      batchedReader(
        async (keys) => {
          batches.push(keys);
          // Slower than the database, so the lookups of the concurrent test queue behind it.
          await new Promise((r) => setTimeout(r, 20));
          return getPostcodeBodies(tdb.db, keys);
        },
        { maxBatch: 8, maxInFlight: 1 },
      ),
  };
  const server: Server = createServer(
    nodeFront({
      app,
      cache,
      datasetVersion: cell,
      buildId: 'test-build',
      rateLimiter: limiter,
      clientOf: clientKey.of,
      log: silentLog,
      now: () => performance.now(),
      stored,
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  // The app alone, for the answer the front must match (its own cache and limiter, so neither
  // side's state leaks into the other's headers).
  const reference = createApp({
    ...deps,
    responseCache: new MemoryResponseCache({ maxBytes: 8 * 1024 * 1024 }),
    rateLimiter: new MemoryRateLimiter({ now: () => LIMITER_CLOCK, policies }),
  });
  return { server, port, cell, batches, reference, close: () => new Promise((r) => server.close(r)) };
}

describe('stored postcode answers read by the Node front (src/node/stored-answers.ts)', () => {
  let f: Awaited<ReturnType<typeof frontWithStore>>;
  beforeAll(async () => {
    f = await frontWithStore();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('answers as the app does, after learning the headers from the app’s first answer', async () => {
    expect(sourcePostcodes.length).toBeGreaterThan(10);
    const [first, ...rest] = sourcePostcodes as [string, ...string[]];
    // The first lookup goes to the app (the front has no headers yet) and reads nothing itself.
    const a = await get(f.port, `/v1/postcodes/${encodeURIComponent(first)}`);
    expect(a.status).toBe(200);
    expect(f.batches).toEqual([]);
    expect(a.body).toBe(await storedBody(first));

    let checked = 0;
    for (const pc of rest.slice(0, 10)) {
      // Any spacing and case, as the route takes it.
      const path = `/v1/postcodes/${encodeURIComponent(pc.toLowerCase().replace(' ', ''))}`;
      const before = f.batches.length;
      const viaFront = await get(f.port, path, { 'X-Request-Id': `stored-${checked}` });
      expect(f.batches.length).toBe(before + 1);
      const viaApp = await f.reference.request(`http://127.0.0.1:${f.port}${path}`);
      expect(viaFront.status).toBe(200);
      expect(viaFront.body).toBe(await storedBody(pc));
      expect(viaFront.body).toBe(await viaApp.text());
      expect(viaFront.headers['x-request-id']).toBe(`stored-${checked}`);
      // Every header the app sends — content type, CORS, security, ETag, cache verdict, Vary.
      // The rate-limit state is each side's own limiter; its form is the same.
      expect(stable(viaFront.headers, 'ratelimit')).toEqual(
        stable(Object.fromEntries(viaApp.headers), 'ratelimit'),
      );
      expect(viaFront.headers.ratelimit).toMatch(/^"default";r=\d+;t=\d+$/);
      checked++;
    }
    expect(checked).toBe(10);
  });

  it('lookups waiting together share one read', async () => {
    const some = sourcePostcodes.slice(1, 21);
    expect(some.length).toBe(20);
    const before = f.batches.length;
    const answers = await Promise.all(
      some.map((pc) => get(f.port, `/v1/postcodes/${encodeURIComponent(pc)}`)),
    );
    for (const [i, r] of answers.entries()) {
      expect(r.status).toBe(200);
      expect(r.body).toBe(await storedBody(some[i] as string));
    }
    const used = f.batches.slice(before);
    expect(used.flat().sort()).toEqual(some.map((p) => p.replace(' ', '')).sort());
    // One read at a time, at most 8 keys each (the reader's limits here): the lookups that came
    // while a read ran went together in the next.
    expect(Math.max(...used.map((b) => b.length))).toBe(8);
    expect(used.length).toBeLessThanOrEqual(5);
  });

  it('leaves to the app what it cannot answer as the app would', async () => {
    const pc = encodeURIComponent(sourcePostcodes[2] as string);
    const ok = await get(f.port, `/v1/postcodes/${pc}`);
    expect(ok.status).toBe(200);
    // A conditional request: the app's 304.
    const cond = await get(f.port, `/v1/postcodes/${pc}`, { 'If-None-Match': ok.headers.etag as string });
    expect(cond.status).toBe(304);
    // An unknown but well-formed postcode: read, not found, the app's 404.
    const before = f.batches.length;
    const unknown = await get(f.port, '/v1/postcodes/ZZ99%209ZZ');
    expect(f.batches.length).toBe(before + 1);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    // Malformed, too long, with a query string: never read, the app's 400.
    for (const path of [
      '/v1/postcodes/hello',
      `/v1/postcodes/${'A'.repeat(17)}`,
      `/v1/postcodes/${pc}?x=1`,
    ]) {
      const n = f.batches.length;
      const r = await get(f.port, path);
      expect(r.status, path).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(f.batches.length).toBe(n);
    }
  });

  it('relearns the headers when the dataset version changes', async () => {
    const pc = encodeURIComponent(sourcePostcodes[3] as string);
    f.cell.set(`${version}-next`);
    const before = f.batches.length;
    const r = await get(f.port, `/v1/postcodes/${pc}`);
    expect(r.status).toBe(200);
    expect(f.batches.length).toBe(before); // the app answered: no headers known for this version
    const again = await get(f.port, `/v1/postcodes/${encodeURIComponent(sourcePostcodes[4] as string)}`);
    expect(again.status).toBe(200);
    expect(f.batches.length).toBe(before + 1);
    f.cell.set(version);
  });
});

describe('the stored route under the rate limit and database failures', () => {
  it('counts each answer once and answers 429 once the quota is spent', async () => {
    const quota = 4;
    const f = await frontWithStore({ quota });
    try {
      const paths = sourcePostcodes
        .slice(5, 5 + quota + 2)
        .map((pc) => `/v1/postcodes/${encodeURIComponent(pc)}`);
      expect(paths.length).toBe(quota + 2);
      const answers = [];
      for (const path of paths) answers.push(await get(f.port, path));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 429]);
      // r= counts down one per answer, wherever it was answered (the first by the app, then the front).
      expect(answers.slice(0, quota).map((r) => r.headers.ratelimit?.match(/r=(\d+)/)?.[1])).toEqual([
        '3',
        '2',
        '1',
        '0',
      ]);
      expect(f.batches.length).toBeGreaterThanOrEqual(3);
      const refused = answers[quota] as { headers: Record<string, string>; body: string };
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await f.close();
    }
  });

  it('a read that fails is answered by the app', async () => {
    let failed = 0;
    const f = await frontWithStore({
      read: async () => {
        failed++;
        throw new Error('connection terminated');
      },
    });
    try {
      const [a, b] = sourcePostcodes.slice(6, 8) as [string, string];
      expect((await get(f.port, `/v1/postcodes/${encodeURIComponent(a)}`)).status).toBe(200); // learns
      const r = await get(f.port, `/v1/postcodes/${encodeURIComponent(b)}`);
      expect(failed).toBe(1);
      expect(r.status).toBe(200);
      expect(r.body).toBe(await storedBody(b));
    } finally {
      await f.close();
    }
  });
});

describe('batchedReader', () => {
  it('one read for the keys of one turn, shared by repeated keys; a failure reaches every waiter', async () => {
    const calls: string[][] = [];
    const read = batchedReader(
      async (keys) => {
        calls.push(keys);
        return new Map(keys.filter((k) => k !== 'none').map((k) => [k, `body of ${k}`]));
      },
      { maxBatch: 3, maxInFlight: 2 },
    );
    const got = await Promise.all(['a', 'b', 'a', 'none', 'c'].map((k) => read(k)));
    expect(got).toEqual(['body of a', 'body of b', 'body of a', undefined, 'body of c']);
    expect(calls).toEqual([['a', 'b', 'none'], ['c']]);
    expect(await read('d')).toBe('body of d');
    expect(calls.length).toBe(3);

    // One read at a time: what is asked meanwhile waits, and goes in the next read together.
    const serial: string[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const one = batchedReader(
      async (keys) => {
        serial.push(keys);
        if (serial.length === 1) await gate;
        return new Map(keys.map((k) => [k, k]));
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const first = one('p');
    await new Promise((r) => setImmediate(r));
    const later = ['q', 'r', 's'].map((k) => one(k));
    await new Promise((r) => setImmediate(r));
    expect(serial).toEqual([['p']]);
    release();
    expect(await Promise.all([first, ...later])).toEqual(['p', 'q', 'r', 's']);
    expect(serial).toEqual([['p'], ['q', 'r', 's']]);

    const failing = batchedReader(
      async () => {
        throw new Error('down');
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const settled = await Promise.allSettled([failing('x'), failing('y')]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });
});
