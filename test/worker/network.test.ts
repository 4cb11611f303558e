import { describe, expect, it } from 'vitest';
import { workerFetch } from './checked.ts';

// The collaboration network, a LEP's collaborations and the scoreboard inside workerd, through the
// Neon HTTP driver, on the shipped sample as the real pipeline loads it (global-setup).

const GM = 'E37000015';
const get = (path: string) => workerFetch(`http://api.test${path}`);
// biome-ignore lint/suspicious/noExplicitAny: bodies are checked field by field
const body = async (res: Response): Promise<any> => res.json();

describe('collaboration network in workerd', () => {
  it('serves nodes and edges, filtered cells, and the CSV edge list', async () => {
    const net = await body(await get('/v1/network?level=lep'));
    expect(net.source.synthetic).toBe(true);
    expect(net.edges.length).toBeGreaterThan(0);
    const codes = new Set(net.nodes.map((n: { code: string }) => n.code));
    for (const e of net.edges) {
      expect(codes.has(e.source) && codes.has(e.target)).toBe(true);
      expect(e.self).toBe(e.source === e.target);
      expect(e.weight).toBe(e.projects);
    }
    // Every year at once, as cells added up (text[] of organisations unnested through the HTTP driver).
    const all = await body(await get('/v1/network?level=lep&yearFrom=2000&yearTo=2100'));
    const key = (e: { source: string; target: string; projects: number; organisations: number }) =>
      `${e.source}|${e.target}|${e.projects}|${e.organisations}`;
    expect(all.edges.map(key).sort()).toEqual(net.edges.map(key).sort());
    const csv = await get('/v1/network?level=lad&format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lad = await body(await get('/v1/network?level=lad'));
    expect((await csv.text()).trim().split('\n').length - 1).toBe(lad.edges.length);
  });

  it('a LEP’s partners are the network’s edges that touch it; each partner carries its bridging organisations from both sides', async () => {
    const net = await body(await get('/v1/network?level=lep'));
    const mine = net.edges.filter(
      (e: { source: string; target: string; self: boolean }) =>
        !e.self && (e.source === GM || e.target === GM),
    );
    const res = await get(`/v1/leps/${GM}/collaborations?limit=50`);
    expect(res.status).toBe(200);
    const c = await body(res);
    expect(c.partners.length).toBe(mine.length);
    for (const e of mine) {
      const other = e.source === GM ? e.target : e.source;
      expect(c.partners.find((p: { code: string }) => p.code === other)?.projects).toBe(e.projects);
    }
    expect(c.partners.length).toBeGreaterThan(0);
    for (const p of c.partners) {
      expect(p.bridges.length).toBeGreaterThan(0);
      for (const b of p.bridges) expect(['lep', 'partner']).toContain(b.side);
    }
    expect((await get('/v1/leps/E08000003/collaborations')).status).toBe(404);
  });

  it('the scoreboard answers, and an absent year is a 404 naming it', async () => {
    // The sample the Worker serves has a scoreboard year (test/db/scoreboard.test.ts recomputes it).
    const res = await get('/v1/scoreboard');
    expect(res.status).toBe(200);
    const s = await body(res);
    expect(s.leps).toHaveLength(38);
    expect(s.years).toContain(s.year);
    const absent = await get('/v1/scoreboard?year=1995');
    expect(absent.status).toBe(404);
    expect((await body(absent)).errors[0].location).toBe('query.year');
  });
});
