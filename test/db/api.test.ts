import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, DATA_DIR, FULL_DATA, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db, (line) => logs.push(line));
});
afterAll(async () => tdb?.close());

const expectProblem = (
  r: { res: Response; status: number; body: Record<string, unknown> },
  status: number,
) => {
  expect(r.status).toBe(status);
  expect(r.res.headers.get('content-type')).toBe('application/problem+json');
  expect(r.body).toMatchObject({
    status,
    type: expect.stringMatching(/^\/problems\//),
    title: expect.any(String),
  });
  expect(r.body.requestId).toBe(r.res.headers.get('x-request-id'));
};

describe('service', () => {
  it('health answers without the database', async () => {
    const r = await getJson(appFor({} as never), '/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', runtime: 'node' });
    expect(r.res.headers.get('cache-control')).toBe('no-store');
  });

  it('ready checks the database, and says 503 problem+json when it cannot reach it', async () => {
    expect((await getJson(app, '/ready')).body).toEqual({ status: 'ready' });
    const broken = {
      execute: () => Promise.reject(new Error('connect ECONNREFUSED postgres://u:secret@db')),
    };
    const r = await getJson(appFor(broken as never), '/ready');
    expectProblem(r, 503);
    expect(JSON.stringify(r.body)).not.toContain('secret');
  });

  it('a 500 never leaks the error message, SQL or a connection string', async () => {
    const boom = {
      select: () => {
        throw new Error(
          'relation "areas" does not exist: select * from areas -- postgres://admin:hunter2@host',
        );
      },
    };
    const r = await getJson(appFor(boom as never), '/v1/areas?type=lep');
    expectProblem(r, 500);
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/hunter2|select|relation|stack/i);
  });

  it('every response has a request id and one JSON log line', async () => {
    logs.length = 0;
    const r = await app.request('/v1/areas?type=region', { headers: { 'X-Request-Id': 'test-req-1' } });
    expect(r.headers.get('x-request-id')).toBe('test-req-1');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      method: 'GET',
      path: '/v1/areas',
      status: 200,
      request_id: 'test-req-1',
    });
    expect(typeof logs[0]?.duration_ms).toBe('number');
  });

  it('is open to any origin for GET, and refuses writes with 405', async () => {
    const r = await app.request('/v1/areas?type=region', { headers: { Origin: 'https://lep.example' } });
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const post = await getJson(app, '/v1/areas?type=region', { method: 'POST' });
    expectProblem(post, 405);
    expect(post.res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('ETag on 200s and 304 on a matching If-None-Match, with cache headers', async () => {
    const first = await app.request('/v1/areas/E37000015');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    expect(first.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const again = await app.request('/v1/areas/E37000015', { headers: { 'If-None-Match': tag as string } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(tag);
    const other = await app.request('/v1/areas/E37000015', { headers: { 'If-None-Match': '"nope"' } });
    expect(other.status).toBe(200);
  });

  it('unknown paths are 404 problem+json', async () => {
    expectProblem(await getJson(app, '/v1/nothing-here'), 404);
  });

  it('publishes OpenAPI 3.1 generated from the routes, and docs', async () => {
    const spec = await getJson(app, '/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    for (const p of [
      '/v1/areas',
      '/v1/areas/{code}',
      '/v1/areas/{code}/children',
      '/v1/postcodes/{postcode}',
      '/v1/meta',
      '/health',
      '/ready',
    ]) {
      expect(spec.body.paths).toHaveProperty([p]);
    }
    expect(spec.body.paths['/v1/areas'].get.responses['400'].content).toHaveProperty([
      'application/problem+json',
    ]);
    const docs = await app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('problem types resolve to a description', async () => {
    const r = await getJson(app, '/problems/not-found');
    expect(r.body).toMatchObject({ status: 404, title: 'Not found' });
    expectProblem(await getJson(app, '/problems/made-up'), 404);
  });
});

describe('GET /v1/meta', () => {
  it('names the dataset, says whether it is the sample, and lists sources with licences and the load report', async () => {
    const r = await getJson(app, '/v1/meta');
    expect(r.status).toBe(200);
    expect(r.body.dataset.isSample).toBe(!FULL_DATA);
    expect(r.body.dataset.label).toMatch(FULL_DATA ? /full data/ : /SAMPLE/);
    expect(r.body.dataset.version).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{12}$/);
    expect(r.body.sources.length).toBeGreaterThan(3);
    for (const s of r.body.sources) expect(s.licence).toBeTruthy();
    const pc = r.body.report.find((x: { source: string }) => x.source.startsWith('postcodes/'));
    expect(pc.rowsLoaded).toBeGreaterThan(0);
    expect(pc.rowsRead).toBe(pc.rowsLoaded + pc.rowsRejected);
  });
});

describe('GET /v1/areas', () => {
  it('lists LEPs with the total, and pages through them with a cursor', async () => {
    const all = await getJson(app, '/v1/areas?type=lep&limit=500');
    const live = all.body.data.filter((a: { status: string }) => a.status === 'live');
    expect(live).toHaveLength(38);
    expect(all.body.page.total).toBe(all.body.data.length);
    expect(all.body.page.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/areas?type=lep&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await getJson(app, q);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(7);
      expect(page.body.page.total).toBe(all.body.page.total);
      seen.push(...page.body.data.map((a: { code: string }) => a.code));
      cursor = page.body.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((a: { code: string }) => a.code));
  });

  it('Greater Manchester is a live 2021 LEP with its districts counted', async () => {
    const all = await getJson(app, '/v1/areas?type=lep&limit=500');
    const gm = all.body.data.find((a: { code: string }) => a.code === 'E37000015');
    expect(gm).toMatchObject({
      name: 'Greater Manchester',
      status: 'live',
      childCounts: { lad: { '2021': 10, '2023': 10 } },
    });
  });

  it('400 for a missing or unknown type, a bad cursor, and a page size over the maximum — every issue listed', async () => {
    const r = await getJson(app, '/v1/areas?type=ward&limit=9999');
    expectProblem(r, 400);
    const locations = r.body.errors.map((e: { location: string }) => e.location).sort();
    expect(locations).toEqual(['query.limit', 'query.type']);
    expectProblem(await getJson(app, '/v1/areas'), 400);
    const cursor = await getJson(app, '/v1/areas?type=lep&cursor=not-a-cursor');
    expectProblem(cursor, 400);
    expect(cursor.body.errors[0].location).toBe('query.cursor');
  });
});

describe('GET /v1/areas/{code}', () => {
  it('returns a LEP with parents, children counts, vintage and centroid', async () => {
    const r = await getJson(app, '/v1/areas/E37000015');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      code: 'E37000015',
      type: 'lep',
      name: 'Greater Manchester',
      status: 'live',
    });
    expect(r.body.parents).toContainEqual(
      expect.objectContaining({ code: 'E92000001', type: 'country', name: 'England', relation: 'contains' }),
    );
    expect(r.body.centroid.lat).toBeGreaterThan(53.3);
    expect(r.body.centroid.lat).toBeLessThan(53.7);
    expect(r.body.postcodeCount).toBeGreaterThan(0);
  });

  it('a district in two LEPs lists both, for the 2021 geography', async () => {
    const r = await getJson(app, '/v1/areas/E07000234'); // Bromsgrove: GBS + Worcestershire
    const leps = r.body.parents.filter(
      (p: { type: string; vintage: string }) => p.type === 'lep' && p.vintage === '2021',
    );
    expect(leps.map((p: { code: string }) => p.code).sort()).toEqual(['E37000012', 'E37000038']);
    expect(r.body.parents).toContainEqual(expect.objectContaining({ type: 'region', code: 'E12000005' }));
  });

  it('a retired LEP code keeps its vintage and names', async () => {
    const r = await getJson(app, '/v1/areas/E37000023'); // London, 2014–2017 code
    expect(r.body).toMatchObject({
      type: 'lep',
      status: 'terminated',
      name: 'London',
      validTo: '2017-04-01',
    });
    expect(r.body.centroid).toBeNull();
  });

  it('404 for an unknown code, 400 for a malformed one', async () => {
    expectProblem(await getJson(app, '/v1/areas/E37999999'), 404);
    const bad = await getJson(app, '/v1/areas/not-a-code');
    expectProblem(bad, 400);
    expect(bad.body.errors[0].location).toBe('path.code');
    expectProblem(await getJson(app, '/v1/areas/E37000015?type=lad'), 404);
  });
});

describe('GET /v1/areas/{code}/children', () => {
  it('lists the districts of a LEP for the latest vintage, or the one asked for', async () => {
    const r = await getJson(app, '/v1/areas/E37000015/children?type=lad');
    expect(r.status).toBe(200);
    expect(r.body.vintage).toBe('2023');
    expect(r.body.page.total).toBe(10);
    expect(r.body.data.map((d: { name: string }) => d.name)).toContain('Manchester');
    const v21 = await getJson(app, '/v1/areas/E37000012/children?type=lad&vintage=2021');
    expect(v21.body.data.map((d: { code: string }) => d.code)).toEqual(
      expect.arrayContaining([
        'E07000234',
        'E07000236',
        'E07000239',
        'E07000192',
        'E07000193',
        'E07000194',
        'E07000199',
      ]),
    );
  });

  it('pages children with a cursor', async () => {
    const p1 = await getJson(app, '/v1/areas/E37000015/children?type=lad&limit=4');
    expect(p1.body.data).toHaveLength(4);
    const p2 = await getJson(
      app,
      `/v1/areas/E37000015/children?type=lad&limit=4&cursor=${p1.body.page.nextCursor}`,
    );
    expect(p2.body.data[0].code > p1.body.data[3].code).toBe(true);
  });

  it('constituencies overlapping a district carry their share', async () => {
    const r = await getJson(app, '/v1/areas/E08000003/children?type=pcon2024');
    expect(r.body.data.length).toBeGreaterThan(1);
    for (const c of r.body.data) {
      expect(c.share).toBeGreaterThan(0);
      expect(c.share).toBeLessThanOrEqual(1);
    }
  });

  it('400 for a child type the area cannot have or a vintage it lacks; 404 for an unknown area', async () => {
    const r = await getJson(app, '/v1/areas/E37000015/children?type=region');
    expectProblem(r, 400);
    expect(r.body.errors[0]).toMatchObject({ location: 'query.type' });
    expectProblem(await getJson(app, '/v1/areas/E37000015/children?type=lad&vintage=1999'), 400);
    expectProblem(await getJson(app, '/v1/areas/E37999999/children?type=lad'), 404);
  });
});

describe('GET /v1/postcodes/{postcode}', () => {
  it('places a postcode in district, ward, constituencies, LEP, region and country, whatever its spacing and case', async () => {
    for (const form of ['M1 1AE', 'm11ae', ' m1  1ae ']) {
      const r = await getJson(app, `/v1/postcodes/${encodeURIComponent(form)}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        postcode: 'M1 1AE',
        lad: { code: 'E08000003', name: 'Manchester' },
        region: { code: 'E12000002', name: 'North West' },
        country: { code: 'E92000001', name: 'England' },
        leps: [{ code: 'E37000015', name: 'Greater Manchester' }],
        pcon2024: { code: 'E14001352', name: 'Manchester Central' },
      });
      expect(r.body.location.lat).toBeCloseTo(53.4835, 3);
    }
  });

  it('a postcode in a two-LEP district belongs to both LEPs', async () => {
    // Any Bromsgrove postcode, read straight from the source file (sample or full data).
    const text = gunzipSync(
      readFileSync(join(DATA_DIR, 'postcodes/codepoint_open_postcode_lad_ward_latlong.csv.gz')),
    ).toString();
    const line = text.split('\n').find((l) => l.includes(',E07000234,')) ?? '';
    const postcode = line.split(',')[0] as string;
    expect(line).toContain(',E07000234,');
    const r = await getJson(app, `/v1/postcodes/${encodeURIComponent(postcode)}`);
    expect(r.status).toBe(200);
    expect(r.body.lad.code).toBe('E07000234');
    expect(r.body.leps.map((l: { code: string }) => l.code).sort()).toEqual(['E37000012', 'E37000038']);
  });

  it('404 for a well-formed unknown postcode, 400 for a malformed one', async () => {
    expectProblem(await getJson(app, '/v1/postcodes/ZZ99%209ZZ'), 404);
    const bad = await getJson(app, '/v1/postcodes/hello');
    expectProblem(bad, 400);
    expect(bad.body.errors[0].location).toBe('path.postcode');
  });
});

describe.skipIf(!FULL_DATA)('full data', () => {
  it('has the final 2021 geography: 38 LEPs over 309 districts, 7 of them in two LEPs', async () => {
    const leps = await getJson(app, '/v1/areas?type=lep&limit=500');
    const live = leps.body.data.filter((a: { status: string }) => a.status === 'live');
    expect(live).toHaveLength(38);
    const districts = new Map<string, number>();
    for (const lep of live) {
      const r = await getJson(app, `/v1/areas/${lep.code}/children?type=lad&vintage=2021&limit=500`);
      for (const d of r.body.data) districts.set(d.code, (districts.get(d.code) ?? 0) + 1);
    }
    expect(districts.size).toBe(309);
    expect([...districts.values()].filter((n) => n === 2)).toHaveLength(7);
  });

  it('every 2024 and 2010-boundary constituency is listed', async () => {
    expect((await getJson(app, '/v1/areas?type=pcon2024&limit=1')).body.page.total).toBe(650);
    expect((await getJson(app, '/v1/areas?type=pcon&limit=1')).body.page.total).toBe(650);
  });

  it('serves postcodes across Great Britain', async () => {
    const r = await getJson(app, '/v1/postcodes/EH1%201YZ');
    expect(r.status).toBe(200);
    expect(r.body.country.code).toBe('S92000003');
    expect(r.body.leps).toEqual([]);
    expect(r.body.region).toBeNull();
  });
});
