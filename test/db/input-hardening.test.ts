import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

// Hostile and sloppy input, black-box through app.request(): every case is a 400 problem+json
// naming the parameter (or, for area codes in lower case, an answer), never a 500.

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
});
afterAll(async () => tdb?.close());

// biome-ignore lint/suspicious/noExplicitAny: problem bodies are checked field by field
async function expect400(path: string, location: string): Promise<any> {
  const r = await getJson(app, path);
  expect(r.status, `${path} → ${JSON.stringify(r.body)}`).toBe(400);
  expect(r.res.headers.get('content-type')).toBe('application/problem+json');
  const locations = (r.body.errors ?? []).map((e: { location: string }) => e.location);
  expect(locations, path).toContain(location);
  return r.body;
}

/** base64url of a JSON value, as cursors are written. */
const b64url = (text: string) =>
  Buffer.from(text, 'utf8').toString('base64').replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');

describe('unknown and repeated query parameters', () => {
  it('names every parameter the route does not declare', async () => {
    const body = await expect400('/v1/investments?secotr=x', 'query.secotr');
    expect(body.errors[0].message).toMatch(/Unknown parameter "secotr"/);
    const two = await expect400('/v1/areas?type=lep&colour=red&size=2', 'query.colour');
    expect(two.errors.map((e: { location: string }) => e.location)).toEqual(['query.colour', 'query.size']);
  });

  it('applies to routes that take no query at all', async () => {
    await expect400('/v1/meta?debug=1', 'query.debug');
    await expect400('/health?x=1', 'query.x');
    await expect400('/v1/areas/E37000015/investments?format=json', 'query.format');
  });

  it('lists a bad value of a known parameter beside the unknown one', async () => {
    const body = await expect400('/v1/areas?type=nope&secotr=x', 'query.secotr');
    expect(body.errors.map((e: { location: string }) => e.location)).toEqual(['query.secotr', 'query.type']);
  });

  it('a parameter given twice where one value is expected is a 400 naming it', async () => {
    const body = await expect400('/v1/areas?type=lep&type=lad', 'query.type');
    expect(body.errors[0].message).toMatch(/2 times/);
    await expect400('/v1/investments?limit=5&limit=6', 'query.limit');
    await expect400('/v1/investments?sector=a&sector=b', 'query.sector');
  });
});

describe('strict integers', () => {
  const loose = ['0x10', '1e1', '+5', '007', '1.0', '%205', '5%20', '-0', '', '%EF%BC%95'];

  it('only canonical decimal digits are integers: limit, year, k, yearFrom', async () => {
    expect(loose.length).toBeGreaterThan(0);
    for (const v of loose) {
      await expect400(`/v1/areas?type=lep&limit=${v}`, 'query.limit');
      await expect400(`/v1/leps/E37000015/profile?year=${v}`, 'query.year');
      await expect400(`/v1/leps/E37000015/peers?k=${v}`, 'query.k');
      await expect400(`/v1/investments/summary?yearFrom=${v}`, 'query.yearFrom');
    }
  });

  it('still reads plain digits, with the range checked', async () => {
    const r = await getJson(app, '/v1/areas?type=lep&limit=5');
    expect(r.status).toBe(200);
    expect(r.body.page.limit).toBe(5);
    expect(r.body.data).toHaveLength(5);
    await expect400('/v1/areas?type=lep&limit=0', 'query.limit');
    await expect400('/v1/areas?type=lep&limit=501', 'query.limit');
    await expect400('/v1/areas?type=lep&limit=99999999999999999999', 'query.limit');
  });

  it('documents them as integers in the OpenAPI', async () => {
    const spec = (await getJson(app, '/openapi.json')).body;
    const params = spec.paths['/v1/areas'].get.parameters as { name: string; schema: { type: string } }[];
    expect(params.find((p) => p.name === 'limit')?.schema).toMatchObject({ type: 'integer', minimum: 1 });
  });
});

describe('control characters and over-long values never reach the database', () => {
  const controls = ['%00', '%01', '%1F', '%7F', '%C2%85', 'abc%00def', '%0A'];
  const cases: [string, string][] = [
    ['/v1/investments?sector=@', 'query.sector'],
    ['/v1/investments?org=@', 'query.org'],
    ['/v1/investments?status=@', 'query.status'],
    ['/v1/investments?q=@', 'query.q'],
    ['/v1/investments/summary?sector=@', 'query.sector'],
    ['/v1/investments/summary?org=@', 'query.org'],
    ['/v1/investments/summary?status=@', 'query.status'],
    ['/v1/compare?areas=E37000015,E37000051&indicators=@', 'query.indicators'],
    ['/v1/leps/E37000015/peers?indicators=@', 'query.indicators'],
    ['/v1/organisations?q=@', 'query.q'],
    ['/v1/projects/@', 'path.projectNumber'],
    ['/v1/postcodes/@', 'path.postcode'],
    ['/v1/indicators/@', 'path.id'],
  ];

  it('is a 400 naming the parameter, in a query or a path', async () => {
    expect(cases.length * controls.length).toBeGreaterThan(0);
    for (const [path, location] of cases) {
      for (const c of controls) await expect400(path.replace('@', c), location);
    }
  });

  it('bounds the length of every value', async () => {
    await expect400(`/v1/investments?status=${'x'.repeat(5_000)}`, 'query.status');
    await expect400(`/v1/investments?sector=${'x'.repeat(201)}`, 'query.sector');
    await expect400(`/v1/projects/${'9'.repeat(300)}`, 'path.projectNumber');
    await expect400(`/v1/investments?area=${'E'.repeat(50)}`, 'query.area');
  });
});

describe('cursors are validated before use', () => {
  // The list cursor is base64url JSON; the first encoding is what earlier releases wrote.
  const forged = (value: string) => [b64url(JSON.stringify({ a: value })), b64url(value)];

  it('investment cursors with fractional, huge or unsafe values are a 400 on query.cursor', async () => {
    const bad = ['[1.5,1]', '[1e300,1]', '[1,1e20]', '[1,0]', '[1,-3]', '["2020-01-01",1]', '[1]', 'null'];
    expect(bad.length).toBeGreaterThan(0);
    for (const v of bad) {
      for (const cursor of forged(v)) await expect400(`/v1/investments?cursor=${cursor}`, 'query.cursor');
    }
    for (const cursor of forged('[1000,5]'))
      await expect400(`/v1/investments?sort=date&cursor=${cursor}`, 'query.cursor');
  });

  it('an organisations cursor that is not JSON, or not base64url, is a 400', async () => {
    for (const cursor of [b64url('not json'), b64url('{"a":"not json"}'), '!!!', b64url('[1.5,"crn-1"]')])
      await expect400(`/v1/organisations?cursor=${encodeURIComponent(cursor)}`, 'query.cursor');
  });

  it('text cursors carrying control characters or nothing are a 400, not a query', async () => {
    for (const v of ['["\\u0000"]', '["E37\\u0000"]', '[""]', '[1]', '["a","b"]']) {
      await expect400(`/v1/areas?type=lep&cursor=${b64url(v)}`, 'query.cursor');
      await expect400(`/v1/indicators?cursor=${b64url(v)}`, 'query.cursor');
    }
  });

  // Investment and organisation cursors are walked end to end in investments.test.ts, which loads
  // its own Innovate UK release (the full data has none).
  it('cursors the API issues still page through the geography and indicator lists', async () => {
    for (const path of ['/v1/areas?type=lep&limit=3', '/v1/indicators?limit=3']) {
      const first = await getJson(app, path);
      expect(first.status, path).toBe(200);
      expect(first.body.page.nextCursor, path).toEqual(expect.any(String));
      const next = await getJson(app, `${path}&cursor=${first.body.page.nextCursor}`);
      expect(next.status, path).toBe(200);
      expect(next.body.data.length, path).toBeGreaterThan(0);
      const key = (d: Record<string, unknown>) => JSON.stringify(d.id ?? d.code);
      const seen = new Set(first.body.data.map(key));
      expect(
        next.body.data.some((d: Record<string, unknown>) => seen.has(key(d))),
        path,
      ).toBe(false);
    }
  });
});

describe('area codes in any case', () => {
  it('are accepted and normalised on every route that takes one', async () => {
    const area = await getJson(app, '/v1/areas/e37000015');
    expect(area.status).toBe(200);
    expect(area.body.code).toBe('E37000015');
    const profile = await getJson(app, '/v1/leps/e37000015/profile');
    expect(profile.status).toBe(200);
    expect(profile.body.lep.code).toBe('E37000015');
    const list = await getJson(app, '/v1/investments?area=e08000003&limit=1');
    expect(list.status).toBe(200);
    const upper = await getJson(app, '/v1/investments?area=E08000003&limit=1');
    expect(list.body.page.total).toBe(upper.body.page.total);
    const compare = await getJson(app, '/v1/compare?areas=e37000015,E37000051');
    expect(compare.status).toBe(200);
    expect(compare.body.areas.map((a: { code: string }) => a.code)).toEqual(['E37000015', 'E37000051']);
    for (const path of [
      '/v1/leps/e37000015/peers',
      '/v1/leps/e37000015/strengths',
      '/v1/areas/e37000015/children?type=lad',
      '/v1/areas/e37000015/investments',
      '/v1/areas/e37000015/specialisation',
      '/v1/indicators/enterprises/series?areas=e37000015',
    ]) {
      expect((await getJson(app, path)).status, path).toBe(200);
    }
  });
});

describe('every 400 is in the OpenAPI', () => {
  it('each operation lists a 400, generated from the problem table', async () => {
    const spec = (await getJson(app, '/openapi.json')).body;
    const operations = Object.entries(
      spec.paths as Record<string, Record<string, { responses: object }>>,
    ).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(10);
    for (const { path, method, op } of operations) {
      expect(op.responses, `${method} ${path}`).toHaveProperty([
        '400',
        'content',
        'application/problem+json',
      ]);
    }
  });

  it('/v1/leps?format=pdf answers the 400 its spec lists', async () => {
    await expect400('/v1/leps?format=pdf', 'query.format');
    const spec = (await getJson(app, '/openapi.json')).body;
    expect(spec.paths['/v1/leps'].get.responses).toHaveProperty('400');
    expect(spec.paths['/v1/leps/vintages'].get.responses).toHaveProperty('400');
  });
});
