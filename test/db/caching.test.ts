import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';
import { DATASET_SWAP_CHANNEL, getCurrentDatasetVersion } from '../../src/db/queries.ts';
import type { Deps } from '../../src/deps.ts';
import { MemoryRateLimiter } from '../../src/http/rate-limit.ts';
import { nodeAssets } from '../../src/node/assets.ts';
import {
  DatasetVersionCell,
  listenForSwapsOnPglite,
  listenForSwapsOnPostgres,
  type SwapListener,
} from '../../src/node/dataset-version.ts';
import { nodeClientKey, nodeFront } from '../../src/node/fast-path.ts';
import { MemoryResponseCache } from '../../src/node/response-cache.ts';
import { loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import { raw, stable } from '../support/raw-http.ts';
import { createTestDatabase, loadedTestDatabase, silentLog, type TestDatabase } from './harness.ts';

// Version-keyed caching (src/http/cache.ts, src/node/response-cache.ts): 304s and cache hits are
// answered before any handler, proven with a database that fails the test when it is touched.

let tdb: TestDatabase;
let version: string;
/** The rate limiter's clock stands still: its fixed windows never roll over mid-test, so counts are exact. */
const LIMITER_CLOCK = Date.now();

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  const v = await getCurrentDatasetVersion(tdb.db);
  if (!v) throw new Error('no dataset loaded');
  version = v;
});
afterAll(async () => {
  await tdb?.close();
});

/** A database handle that records any use: the handler ran if `touched` is not empty. */
function tripwireDb(): { db: Db; touched: string[] } {
  const touched: string[] = [];
  const db = new Proxy({} as Db, {
    get(_t, prop) {
      touched.push(String(prop));
      throw new Error(`the database was used (${String(prop)})`);
    },
  });
  return { db, touched };
}

function app(over: Partial<Deps> & { db: Db }) {
  return createApp({
    runtime: 'node',
    log: silentLog,
    now: () => performance.now(),
    assets: nodeAssets(),
    buildId: 'test-build',
    ...over,
  });
}

const PROFILE = '/v1/leps/E37000015/profile';

/** The Node front (src/node/fast-path.ts) in front of `app` on a real socket, as `npm start` runs it. */
async function listenFront(
  opts: Omit<Parameters<typeof nodeFront>[0], 'buildId' | 'log' | 'now'>,
): Promise<{ server: Server; port: number }> {
  const server = createServer(
    nodeFront({ ...opts, buildId: 'test-build', log: silentLog, now: () => performance.now() }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('ETags from the dataset version and the request, checked before the handler', () => {
  it('a matching If-None-Match is a 304 without touching the database', async () => {
    const cell = new DatasetVersionCell(version);
    const first = await app({ db: tdb.db, datasetVersion: cell }).request(PROFILE);
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^W\/"[0-9a-f]{24}"$/);
    expect(first.headers.get('cache-control')).toContain('max-age=');

    const trip = tripwireDb();
    const offline = app({ db: trip.db, datasetVersion: cell });
    const again = await offline.request(PROFILE, { headers: { 'If-None-Match': tag as string } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(tag);
    expect(await again.text()).toBe('');
    // A list of tags, and the strong form of the same tag, match too (weak comparison).
    const listed = await offline.request(PROFILE, {
      headers: { 'If-None-Match': `"x", ${(tag as string).slice(2)}` },
    });
    expect(listed.status).toBe(304);
    expect(trip.touched).toEqual([]);
  });

  it('the same parameters in another order are the same entity; other parameters are not', async () => {
    const cell = new DatasetVersionCell(version);
    const a = app({ db: tdb.db, datasetVersion: cell });
    const one = await a.request('/v1/indicators/enterprises/ranking?year=2020&format=json');
    const two = await a.request('/v1/indicators/enterprises/ranking?format=json&year=2020');
    const other = await a.request('/v1/indicators/enterprises/ranking?format=json&year=2019');
    expect([one.status, two.status, other.status]).toEqual([200, 200, 200]);
    expect(two.headers.get('etag')).toBe(one.headers.get('etag'));
    expect(other.headers.get('etag')).not.toBe(one.headers.get('etag'));
  });

  it('a new dataset version or a new build changes every ETag', async () => {
    const cell = new DatasetVersionCell(version);
    const a = app({ db: tdb.db, datasetVersion: cell });
    const before = (await a.request(PROFILE)).headers.get('etag') as string;
    const rebuilt = await app({ db: tdb.db, datasetVersion: cell, buildId: 'next-build' }).request(PROFILE, {
      headers: { 'If-None-Match': before },
    });
    expect(rebuilt.status).toBe(200);
    cell.set(`${version}-next`);
    const after = await a.request(PROFILE, { headers: { 'If-None-Match': before } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('errors, /health and /ready carry no ETag and are never 304', async () => {
    const cell = new DatasetVersionCell(version);
    const a = app({ db: tdb.db, datasetVersion: cell });
    const missing = await a.request('/v1/leps/E37999999/profile');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
    for (const path of ['/health', '/ready']) {
      const res = await a.request(path, { headers: { 'If-None-Match': '*' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBeNull();
    }
  });
});

describe('Node response cache', () => {
  it('a repeated read is answered from memory, byte for byte, without the handler', async () => {
    const cell = new DatasetVersionCell(version);
    const cache = new MemoryResponseCache({ maxBytes: 8 * 1024 * 1024 });
    const first = await app({ db: tdb.db, datasetVersion: cell, responseCache: cache }).request(PROFILE);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('miss');
    const body = await first.text();
    // Let the background compression finish.
    await cache.settled();

    const trip = tripwireDb();
    const offline = app({ db: trip.db, datasetVersion: cell, responseCache: cache });
    const plain = await offline.request(PROFILE);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-cache')).toBe('hit');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(plain.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await plain.text()).toBe(body);

    const br = await offline.request(PROFILE, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8')).toBe(body);
    const gz = await offline.request(PROFILE, { headers: { 'Accept-Encoding': 'gzip, br;q=0' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).toBe(body);
    expect(trip.touched).toEqual([]);
    expect(cache.stats.hits).toBe(3);
  });

  it('stays within its byte bound, evicting the least recently used', async () => {
    const cell = new DatasetVersionCell(version);
    const paths = ['/v1/leps', '/v1/indicators', PROFILE, '/v1/areas?type=lep', '/v1/areas?type=region'];
    // A bound every answer fits in (with its compressed forms) but all of them together do not.
    const plain = app({ db: tdb.db, datasetVersion: cell });
    const sizes = await Promise.all(
      paths.map(async (p) => (await (await plain.request(p)).arrayBuffer()).byteLength),
    );
    const bound = Math.floor(1.5 * Math.max(...sizes));
    expect(sizes.reduce((s, n) => s + n, 0)).toBeGreaterThan(bound);
    const cache = new MemoryResponseCache({ maxBytes: bound, maxEntryBytes: bound });
    const a = app({ db: tdb.db, datasetVersion: cell, responseCache: cache });
    for (const p of paths) {
      const res = await a.request(p);
      expect(res.status, p).toBe(200);
      await res.arrayBuffer();
      expect(cache.bytes).toBeLessThanOrEqual(bound);
    }
    await cache.settled();
    expect(cache.bytes).toBeLessThanOrEqual(bound);
    expect(cache.stats.evicted).toBeGreaterThan(0);
  });

  it('an answer larger than an entry may be still goes out whole, uncached', async () => {
    const cell = new DatasetVersionCell(version);
    const cache = new MemoryResponseCache({ maxBytes: 4096 });
    const a = app({ db: tdb.db, datasetVersion: cell, responseCache: cache });
    const direct = await (await app({ db: tdb.db, datasetVersion: cell }).request(PROFILE)).text();
    const res = await a.request(PROFILE);
    expect(await res.text()).toBe(direct);
    expect(direct.length).toBeGreaterThan(4096);
    expect(cache.size).toBe(0);
    expect(cache.stats.skipped).toBe(1);
  });

  it('streamed exports are never buffered into the cache', async () => {
    const cell = new DatasetVersionCell(version);
    const cache = new MemoryResponseCache({ maxBytes: 8 * 1024 * 1024 });
    const a = app({ db: tdb.db, datasetVersion: cell, responseCache: cache });
    const res = await a.request('/v1/indicators/enterprises/ranking?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^W\//);
    await res.text();
    expect(cache.size).toBe(0);
  });
});

describe('a pipeline swap NOTIFYs, and a listening server drops its cache', () => {
  let fresh: TestDatabase;
  let listener: SwapListener | undefined;
  beforeAll(async () => {
    fresh = await createTestDatabase();
  });
  afterAll(async () => {
    await listener?.close();
    await fresh?.close();
  });

  it('the version in memory follows the swap the moment it commits', async () => {
    const cell = new DatasetVersionCell(null);
    const cache = new MemoryResponseCache({ maxBytes: 1024 * 1024 });
    const changes: (string | null)[] = [];
    cell.onChange((v) => {
      changes.push(v);
      cache.clear();
    });
    if (fresh.kind === 'postgres') {
      listener = listenForSwapsOnPostgres({
        url: fresh.url as string,
        cell,
        readVersion: () => getCurrentDatasetVersion(fresh.db),
        log: () => {},
      });
      // The listener connects in the background: swap only once the server shows its LISTEN has
      // completed (a backend of this database idle after it), or the NOTIFY could go unheard.
      const listening = async () =>
        (
          await fresh.run.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
              where datname = current_database() and state = 'idle' and query = $1`,
            [`LISTEN ${DATASET_SWAP_CHANNEL}`],
          )
        )[0]?.n ?? 0;
      await expect.poll(listening, { timeout: 10_000, interval: 20 }).toBe(1);
    } else {
      // PGlite's listen() resolves once the LISTEN has run.
      listener = await listenForSwapsOnPglite(fresh.pglite as NonNullable<TestDatabase['pglite']>, cell);
    }
    const result = await loadDataset(fresh.run, { dataDir: SAMPLE_DATA_DIR });
    await expect.poll(() => cell.version, { timeout: 5000, interval: 20 }).toBe(result.version);
    expect(changes).toContain(result.version);
  });
});

describe('postcode lookups read precomputed answers', () => {
  it('each answer equals a join of the postcode row with the areas, done here in SQL, hrefs included', async () => {
    const rows = await tdb.run.query<{
      key: string;
      expected: {
        country: { code: string; name: string } | null;
        lad: { code: string; name: string } | null;
        pcon2024: { code: string; name: string } | null;
        leps: { code: string; name: string }[];
      };
    }>(
      `select p.key, json_build_object(
          'country', (select json_build_object('code', a.code, 'name', a.name) from areas a where a.type = 'country' and a.code = p.country_code),
          'lad', (select json_build_object('code', a.code, 'name', a.name) from areas a where a.type = 'lad' and a.code = p.lad_code),
          'pcon2024', (select json_build_object('code', a.code, 'name', a.name) from areas a where a.type = 'pcon2024' and a.code = p.pcon2024_code),
          'leps', coalesce((select json_agg(json_build_object('code', a.code, 'name', a.name) order by a.code) from areas a where a.type = 'lep' and a.code = any(p.lep_codes)), '[]'::json)
        ) as expected
       from postcodes p order by md5(p.key) limit 200`,
    );
    expect(rows.length).toBeGreaterThan(50);
    const a = app({ db: tdb.db, datasetVersion: new DatasetVersionCell(version) });
    for (const { key, expected } of rows) {
      const res = await a.request(`/v1/postcodes/${key}`);
      expect(res.status, key).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = (await res.json()) as Record<
        string,
        { code: string; name: string; href: string } | null
      > & {
        leps: { code: string; name: string; href: string }[];
      };
      const strip = (x: { code: string; name: string } | null | undefined) =>
        x ? { code: x.code, name: x.name } : null;
      expect(strip(body.country), key).toEqual(expected.country ?? null);
      expect(strip(body.lad), key).toEqual(expected.lad ?? null);
      expect(strip(body.pcon2024), key).toEqual(expected.pcon2024 ?? null);
      expect(body.leps.map(strip)).toEqual(expected.leps);
      expect(body.lad?.href ?? null, key).toBe(expected.lad ? `/v1/areas/${expected.lad.code}` : null);
      for (const l of body.leps) expect(l.href).toBe(`/v1/areas/${l.code}`);
    }
  });
});

describe('the Node front answers repeated reads before the app (src/node/fast-path.ts)', () => {
  let server: Server;
  let port: number;
  let cell: DatasetVersionCell;
  let cache: MemoryResponseCache;
  let honoApp: ReturnType<typeof createApp>;

  beforeAll(async () => {
    cell = new DatasetVersionCell(version);
    cache = new MemoryResponseCache({ maxBytes: 32 * 1024 * 1024 });
    cell.onChange(() => cache.clear());
    const limiter = new MemoryRateLimiter({ now: () => LIMITER_CLOCK });
    const clientKey = nodeClientKey(undefined);
    honoApp = app({
      db: tdb.db,
      datasetVersion: cell,
      responseCache: cache,
      rateLimiter: limiter,
      clientKey: clientKey.forApp,
    });
    ({ server, port } = await listenFront({
      app: honoApp,
      cache,
      datasetVersion: cell,
      rateLimiter: limiter,
      clientOf: clientKey.of,
    }));
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  it('a hit goes out with the same headers and bytes as the app sent, without counting against the limit', async () => {
    const front0 = cache.stats.front;
    const miss = await raw(port, PROFILE);
    expect(miss.status).toBe(200);
    expect(miss.headers['x-cache']).toBe('miss');
    const hit = await raw(port, PROFILE, { 'X-Request-Id': 'front-test-1' });
    expect(hit.status).toBe(200);
    expect(hit.headers['x-cache']).toBe('hit');
    expect(cache.stats.front).toBe(front0 + 1);
    expect(hit.headers['x-request-id']).toBe('front-test-1');
    expect(hit.body.equals(miss.body)).toBe(true);
    // Every header the app sent — CORS, security, frame policy, ETag, Cache-Control — and the same
    // rate-limit state: the miss took one from the quota, the hit took none.
    expect(stable(hit.headers, 'x-cache', 'ratelimit')).toEqual(stable(miss.headers, 'x-cache', 'ratelimit'));
    // The same remaining quota (the seconds to the window's reset may have ticked meanwhile).
    const remaining = (h: Record<string, string>) => h.ratelimit?.split(';')[1];
    expect(remaining(hit.headers)).toBe(remaining(miss.headers));
    expect(hit.headers['access-control-allow-origin']).toBe('*');
    expect(hit.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(hit.headers.ratelimit).toMatch(/^"default";r=\d+;t=\d+$/);
    const again = await raw(port, PROFILE);
    expect(remaining(again.headers)).toBe(remaining(hit.headers));
    // And the app's own hit path (no front) answers with exactly these headers too.
    const viaApp = await honoApp.request(`http://127.0.0.1:${port}${PROFILE}`);
    expect(viaApp.headers.get('x-cache')).toBe('hit');
    const appHeaders = Object.fromEntries(viaApp.headers);
    expect(stable(appHeaders, 'ratelimit')).toEqual(stable(hit.headers, 'ratelimit'));
  });

  it("a framed page's own Content-Security-Policy survives on a hit", async () => {
    const path = '/embed/leps/E37000015';
    const miss = await raw(port, path);
    expect(miss.status).toBe(200);
    expect(miss.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(miss.headers['content-security-policy']).toContain('default-src');
    const hit = await raw(port, path);
    expect(hit.headers['x-cache']).toBe('hit');
    expect(hit.headers['content-security-policy']).toBe(miss.headers['content-security-policy']);
    expect(hit.headers['x-frame-options']).toBeUndefined();
    const viaApp = await honoApp.request(`http://127.0.0.1:${port}${path}`);
    expect(viaApp.headers.get('x-cache')).toBe('hit');
    expect(viaApp.headers.get('content-security-policy')).toBe(miss.headers['content-security-policy']);
  });

  it('a matching If-None-Match is a 304 from the front, with the headers of the app’s 304', async () => {
    const path = '/v1/indicators/enterprises/ranking?year=2020';
    const first = await raw(port, path);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\//);
    const front0 = cache.stats.front;
    const byApp = await raw(port, path, { 'If-None-Match': etag });
    expect(byApp.status).toBe(304);
    const byFront = await raw(port, path, { 'If-None-Match': etag });
    expect(byFront.status).toBe(304);
    expect(byFront.body.byteLength).toBe(0);
    // The first 304 taught the entry its headers; the second came from the front.
    expect(cache.stats.front).toBe(front0 + 1);
    expect(stable(byFront.headers)).toEqual(stable(byApp.headers));
    expect(byFront.headers.etag).toBe(etag);
    // A tag that does not match is the full answer.
    const other = await raw(port, path, { 'If-None-Match': 'W/"000000000000000000000000"' });
    expect(other.status).toBe(200);
    expect(other.headers['x-cache']).toBe('hit');
    expect(other.body.equals(first.body)).toBe(true);
  });

  it('negotiates the stored encodings: br, gzip or the bytes as they are', async () => {
    const path = '/v1/leps';
    const plain = await raw(port, path);
    expect(plain.body.byteLength).toBeGreaterThan(1024);
    // The stored forms are made in the background after the first answer.
    await cache.settled();
    const front0 = cache.stats.front;
    const br = await raw(port, path, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.byteLength);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await raw(port, path, { 'Accept-Encoding': 'br;q=0, gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    const none = await raw(port, path, { 'Accept-Encoding': 'identity' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.equals(plain.body)).toBe(true);
    expect(cache.stats.front).toBe(front0 + 3);
    expect(br.body.byteLength).toBeLessThan(plain.body.byteLength / 3);
  });

  it('a dataset swap drops the answers: the next read is the new dataset’s, with a new ETag', async () => {
    const path = '/v1/indicators';
    const before = await raw(port, path);
    expect((await raw(port, path)).headers['x-cache']).toBe('hit');
    const front0 = cache.stats.front;
    cell.set(`${version}-swapped`);
    try {
      expect(cache.size).toBe(0);
      const after = await raw(port, path, { 'If-None-Match': before.headers.etag as string });
      expect(after.status).toBe(200);
      expect(after.headers['x-cache']).toBe('miss');
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(cache.stats.front).toBe(front0);
    } finally {
      cell.set(version);
    }
  });

  it('the origin is part of the key: one host’s answer is never another’s', async () => {
    const embed = encodeURIComponent('http://a.example/embed/leps/E37000015');
    const path = `/oembed?url=${embed}`;
    const a1 = await raw(port, path, { Host: 'a.example' });
    expect(a1.status).toBe(200);
    expect(JSON.parse(a1.body.toString()).provider_url).toBe('http://a.example');
    expect((await raw(port, path, { Host: 'a.example' })).headers['x-cache']).toBe('hit');
    // The same path on another host: its own answer (the URL is not one of its pages), not a's.
    const b = await raw(port, path, { Host: 'b.example' });
    expect(b.status).toBe(404);
    expect(b.headers['x-cache']).toBeUndefined();
    expect(b.headers['content-type']).toContain('application/problem+json');
  });
});

describe('the Node front compresses what the app sends', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const cell = new DatasetVersionCell(version);
    // No response cache: every answer comes from the app, streamed exports included.
    const a = app({ db: tdb.db, datasetVersion: cell });
    ({ server, port } = await listenFront({ app: a, datasetVersion: cell, clientOf: () => 'test' }));
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  const cases = [
    ['JSON', '/v1/leps', 'application/json'],
    // The all-data CSV: streamed part by part, and large on every dataset (the full data has no
    // Innovate UK release, so /v1/investments?format=csv is a header there).
    ['CSV (streamed)', '/v1/download?format=csv', 'text/csv'],
    ['GeoJSON', '/v1/areas?type=lep&format=geojson', 'application/geo+json'],
    ['SVG', '/v1/indicators/enterprise-birth-rate/map.svg', 'image/svg+xml'],
    ['HTML', '/embed/leps/E37000015', 'text/html'],
  ] as const;
  it.each(cases)('%s: br, gzip, or as it is; decoded once it is the same bytes', async (_n, path, type) => {
    const plain = await raw(port, path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toContain(type);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toContain('Accept-Encoding');
    expect(plain.body.byteLength).toBeGreaterThan(1024);
    const br = await raw(port, path, { 'Accept-Encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.byteLength).toBeLessThan(plain.body.byteLength);
    const gz = await raw(port, path, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it('a long streamed export is compressed as it streams (no Content-Length)', async () => {
    const plain = await raw(port, '/v1/download?format=csv');
    expect(plain.body.byteLength).toBeGreaterThan(256 * 1024);
    const gz = await raw(port, '/v1/download?format=csv', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-length']).toBeUndefined();
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it('leaves small answers, PDFs and XLSX as they are', async () => {
    const small = await raw(port, '/v1/leps/E37999999/profile', { 'Accept-Encoding': 'br, gzip' });
    expect(small.status).toBe(404);
    expect(small.body.byteLength).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString()).status).toBe(404);
    const pdf = await raw(port, '/v1/areas/E37000015/investments.pdf', { 'Accept-Encoding': 'br, gzip' });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-encoding']).toBeUndefined();
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await raw(port, '/v1/indicators/enterprises/ranking?format=xlsx', {
      'Accept-Encoding': 'br, gzip',
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-encoding']).toBeUndefined();
    expect(xlsx.body.subarray(0, 2).toString()).toBe('PK');
  });
});
