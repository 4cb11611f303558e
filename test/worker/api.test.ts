import { describe, expect, inject, it } from 'vitest';
import { workerFetch } from './checked.ts';

// Real requests to the Worker entry (src/index.ts) inside workerd. Every answer that needs data
// comes from Postgres through the Neon driver's HTTP mode and the local SQL-over-HTTP endpoint.

const seed = inject('seed');
const BASE = 'http://api.test';

const get = (path: string, init?: RequestInit) => workerFetch(`${BASE}${path}`, init);

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

interface Page {
  limit: number;
  total: number;
  nextCursor: string | null;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId: string;
  errors?: { location: string; message: string }[];
}

describe('happy paths', () => {
  it('GET /health answers from workerd without the database', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok', runtime: 'workers' });
  });

  it('GET /ready reaches Postgres', async () => {
    const res = await get('/ready');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ready' });
  });

  it('GET /v1/areas?type=lep pages with a cursor and reports the total', async () => {
    // The database holds the sample's LEPs (loaded by the real pipeline) plus the two minted ones.
    const all = await json<{ data: { code: string; name: string }[]; page: Page }>(
      await get('/v1/areas?type=lep&limit=500'),
    );
    expect(all.page.total).toBe(all.data.length);
    expect(all.data.map((a) => a.code)).toEqual(expect.arrayContaining(seed.leps.map((l) => l.code)));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/areas?type=lep&limit=25${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = await json<{ data: { code: string }[]; page: Page }>(res);
      expect(page.page.total).toBe(all.page.total);
      seen.push(...page.data.map((a) => a.code));
      cursor = page.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((a) => a.code));
  });

  it('GET /v1/areas/{code} returns a LEP with its child counts', async () => {
    const [lepA] = seed.leps;
    const res = await get(`/v1/areas/${lepA.code}`);
    expect(res.status).toBe(200);
    const area = await json(res);
    expect(area).toMatchObject({
      code: lepA.code,
      type: 'lep',
      name: lepA.name,
      childCounts: { lad: { '2021': seed.lepDistricts.length } },
      alsoAs: [],
    });
  });

  it('GET /v1/areas/{code} keeps both LEP memberships of a shared district', async () => {
    const res = await get(`/v1/areas/${seed.sharedDistrict.code}`);
    expect(res.status).toBe(200);
    const area = await json<{ parents: { code: string; type: string; name: string }[] }>(res);
    const lepParents = area.parents.filter((p) => p.type === 'lep').map((p) => p.code);
    expect(lepParents.sort()).toEqual(seed.leps.map((l) => l.code).sort());
    expect(area.parents.find((p) => p.type === 'region')).toMatchObject({
      code: seed.region.code,
      name: seed.region.name,
    });
  });

  it('GET /v1/areas/{code}/children?type=lad lists the districts of a LEP', async () => {
    const [lepA] = seed.leps;
    const res = await get(`/v1/areas/${lepA.code}/children?type=lad`);
    expect(res.status).toBe(200);
    const body = await json<{
      parent: { code: string };
      vintage: string;
      data: { code: string; name: string }[];
      page: Page;
    }>(res);
    expect(body.parent.code).toBe(lepA.code);
    expect(body.vintage).toBe('2021');
    expect(body.data.map((d) => ({ code: d.code, name: d.name }))).toEqual(
      seed.lepDistricts.map((d) => ({ code: d.code, name: d.name })),
    );
    expect(body.page).toEqual({ limit: 100, total: seed.lepDistricts.length, nextCursor: null });
  });

  it('GET /v1/postcodes/{pc} normalises the postcode and names its areas', async () => {
    const res = await get(`/v1/postcodes/${seed.postcode.key.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      postcode: seed.postcode.postcode,
      location: { lat: seed.postcode.lat, lng: seed.postcode.lng },
      lad: { code: seed.postcode.lad.code, name: seed.postcode.lad.name },
      region: { code: seed.region.code, name: seed.region.name },
      country: { code: seed.country.code, name: seed.country.name },
      leps: [{ code: seed.leps[0].code, name: seed.leps[0].name }],
    });
  });

  it('GET /v1/meta reports the current dataset', async () => {
    const res = await get('/v1/meta');
    expect(res.status).toBe(200);
    const meta = await json<{
      dataset: { version: string; isSample: boolean; builtAt: string };
      sources: unknown[];
    }>(res);
    expect(meta.dataset).toMatchObject({ version: seed.dataset.version, isSample: true });
    expect(new Date(meta.dataset.builtAt).toISOString()).toBe(meta.dataset.builtAt);
    expect(meta.sources.length).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  it('an unknown area is a 404 problem+json carrying the request id', async () => {
    const res = await get('/v1/areas/E37999999');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = await json<Problem>(res);
    expect(problem).toMatchObject({ type: '/problems/not-found', status: 404, title: 'Not found' });
    expect(problem.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('a bad query is a 400 problem+json listing every issue with its location', async () => {
    const res = await get('/v1/areas?type=nope&limit=0');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = await json<Problem>(res);
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((e) => e.location).sort()).toEqual(['query.limit', 'query.type']);
  });

  it('a malformed postcode is a 400, not a lookup', async () => {
    const res = await get('/v1/postcodes/NOT-A-PC');
    expect(res.status).toBe(400);
    expect((await json<Problem>(res)).errors?.[0]?.location).toBe('path.postcode');
  });
});

describe('HTTP conventions', () => {
  it('answers 304 to a matching If-None-Match', async () => {
    const path = `/v1/areas/${seed.leps[0].code}`;
    const first = await get(path);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    await first.arrayBuffer();

    const again = await get(path, { headers: { 'If-None-Match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const stale = await get(path, { headers: { 'If-None-Match': '"not-the-etag"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
  });

  it('allows any origin to read (CORS) and exposes the request id', async () => {
    const res = await get('/v1/areas?type=lep', { headers: { Origin: 'https://example.org' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('x-request-id');
    await res.arrayBuffer();
  });

  it('sets X-Request-Id on every response, echoing a caller-supplied one', async () => {
    const fresh = await get('/health');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await get('/health', { headers: { 'X-Request-Id': 'caller-trace-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('caller-trace-123');
    const traced = await get('/health', { headers: { 'X-Request-Id': 'lb.eu-west:1701.42_a' } });
    expect(traced.headers.get('x-request-id')).toBe('lb.eu-west:1701.42_a');
  });

  it('replaces an unsafe or over-long caller X-Request-Id with a fresh UUID, in the header and the problem', async () => {
    const unsafe = ['x'.repeat(129), '<script>', 'a=b', 'two words', 'a/b'];
    for (const id of unsafe) {
      const res = await get('/nothing-here', { headers: { 'X-Request-Id': id } });
      const header = res.headers.get('x-request-id') ?? '';
      expect(header, id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect((await json<Problem>(res)).requestId).toBe(header);
    }
  });
});
