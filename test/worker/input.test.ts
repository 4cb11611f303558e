import { describe, expect, it } from 'vitest';
import { pageTexts } from '../support/pdf-text.ts';
import { workerFetch } from './checked.ts';

// The input rules and the printed report inside workerd, where URL decoding, base64 (atob/btoa),
// TextDecoder and the clock are the runtime's own, not Node's.

const BASE = 'https://observatory.test';
const get = (path: string) => workerFetch(`${BASE}${path}`);

interface Problem {
  status: number;
  errors?: { location: string; message: string }[];
}

async function expect400(path: string, location: string) {
  const res = await get(path);
  expect(res.status, path).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as Problem;
  expect(
    (body.errors ?? []).map((e) => e.location),
    path,
  ).toContain(location);
}

const b64url = (text: string) => btoa(text).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');

describe('input rules in workerd', () => {
  it('NUL and other control characters are a 400 naming the parameter, in a query or a path', async () => {
    await expect400('/v1/investments?sector=%00', 'query.sector');
    await expect400('/v1/investments/summary?status=%00', 'query.status');
    await expect400('/v1/leps/E37000015/peers?indicators=%C2%85', 'query.indicators');
    await expect400('/v1/projects/%00', 'path.projectNumber');
  });

  it('unknown, repeated and loosely written parameters are a 400 naming them', async () => {
    await expect400('/v1/investments?secotr=x', 'query.secotr');
    await expect400('/v1/areas?type=lep&type=lad', 'query.type');
    for (const v of ['0x10', '1e1', '+5', '007'])
      await expect400(`/v1/areas?type=lep&limit=${v}`, 'query.limit');
  });

  it('forged cursors are a 400, and issued ones page on', async () => {
    for (const v of ['[1.5,1]', '[1e300,1]', '[1,1e20]'])
      await expect400(`/v1/investments?cursor=${b64url(v)}`, 'query.cursor');
    await expect400(`/v1/organisations?cursor=${b64url('not json')}`, 'query.cursor');
    const first = (await (await get('/v1/investments?limit=2')).json()) as { page: { nextCursor: string } };
    expect(first.page.nextCursor).toEqual(expect.any(String));
    expect((await get(`/v1/investments?limit=2&cursor=${first.page.nextCursor}`)).status).toBe(200);
  });

  it('area codes in lower case are the same area', async () => {
    const res = await get('/v1/areas/e37000015');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { code: string }).code).toBe('E37000015');
  });
});

describe('the area PDF in workerd', () => {
  it('gives the same bytes twice and cites this origin with every parameter', async () => {
    const read = async () => {
      const res = await get('/v1/areas/e37000015/investments.pdf');
      expect(res.status).toBe(200);
      return new Uint8Array(await res.arrayBuffer());
    };
    const first = await read();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await read();
    expect(second.length).toBeGreaterThan(1000);
    expect(second).toEqual(first);
    const pages = await pageTexts(first);
    expect(pages.length).toBeGreaterThan(0);
    for (const text of pages)
      expect(text.replaceAll('\n', '')).toContain(
        `Reproduce: ${BASE}/v1/areas/E37000015/investments.pdf?overlap=full`,
      );
  });
});
