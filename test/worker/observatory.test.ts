import { describe, expect, it } from 'vitest';
import { workerFetch } from './checked.ts';

// Profiles, rankings, comparisons and Innovate UK lookups inside workerd, through the Neon HTTP
// driver, on the shipped sample as loaded by the real pipeline (global-setup). Codes are the
// sample's (test/fixtures/sample/SAMPLE.md): Greater Manchester and Greater Birmingham and Solihull.

const GM = 'E37000015';
const GBS = 'E37000012';
const get = (path: string) => workerFetch(`http://api.test${path}`);
// biome-ignore lint/suspicious/noExplicitAny: bodies are checked field by field
const body = async (res: Response): Promise<any> => res.json();

describe('LEP profiles in workerd', () => {
  it('profile grouped by actor × dimension with ranks', async () => {
    const res = await get(`/v1/leps/${GM}/profile`);
    expect(res.status).toBe(200);
    const b = await body(res);
    expect(b.lep.code).toBe(GM);
    expect(b.groups.length).toBeGreaterThan(2);
    const v = b.groups[0].values[0];
    expect(v).toMatchObject({ area: { code: GM }, of: expect.any(Number) });
  });

  it('ranking, compare, peers and strengths answer', async () => {
    const ranking = await body(await get('/v1/indicators/enterprises/ranking'));
    expect(ranking.data.length).toBe(38);
    // Enterprises describe size, not performance (neutral): an order by value, no rank.
    expect(ranking.data[0]).toMatchObject({ rank: null, order: 1 });
    const births = await body(await get('/v1/indicators/enterprise-birth-rate/ranking'));
    expect(births.data.length).toBe(38);
    expect(births.data[0]).toMatchObject({ rank: 1, order: null });
    const compare = await body(await get(`/v1/compare?areas=${GM},${GBS}&indicators=enterprises`));
    expect(compare.rows[0].values.map((v: { area: { code: string } }) => v.area.code)).toEqual([GM, GBS]);
    expect((await get(`/v1/leps/${GM}/peers?k=3`)).status).toBe(200);
    expect((await get(`/v1/leps/${GM}/strengths`)).status).toBe(200);
    const bad = await get('/v1/compare?areas=E37000015');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
  });

  it('CSV and XLSX exports are produced inside workerd', async () => {
    const csv = await get('/v1/indicators/enterprises/ranking?format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\n')[0]).toContain('area_code');
    const xlsx = await get('/v1/indicators/enterprises/ranking?format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  });
});

describe('Innovate UK lookups in workerd', () => {
  it('lists, summarises (labelled synthetic) and streams every row as CSV', async () => {
    const list = await body(await get('/v1/investments?limit=5'));
    expect(list.data).toHaveLength(5);
    expect(list.source.synthetic).toBe(true);
    const summary = await body(await get('/v1/investments/summary?groupBy=lep&overlap=split'));
    expect(summary.rules.overlap.policy).toBe('split');
    expect(summary.groups.length).toBeGreaterThan(0);
    const csv = await get('/v1/investments?format=csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines.length - 1).toBe(list.page.total);
  });

  it('area headline, project, organisation search and the PDF report', async () => {
    const area = await body(await get(`/v1/areas/${GM}/investments`));
    expect(area.totals.grantOffered.pence).toBeGreaterThan(0);
    const first = (await body(await get('/v1/investments?limit=1'))).data[0];
    expect((await get(first.project.href)).status).toBe(200);
    expect((await get(first.organisation.href)).status).toBe(200);
    const pdf = await get(`/v1/areas/${GM}/investments.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode(new Uint8Array(await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });
});

describe('specialisation across LEPs in workerd', () => {
  it('matrix, heatmap, portfolio, trends, relatedness, density and the three questions answer', async () => {
    const m = await body(await get('/v1/specialisation?measure=employment'));
    expect(m.cells).toHaveLength(38 * 9);
    expect(m.reference.code).toBe('E92000001');
    const cell = m.cells.find((c: { lq: number | null }) => c.lq !== null);
    expect(cell.lq).toBeCloseTo(
      cell.value / cell.areaTotal / (cell.referenceValue / cell.referenceTotal),
      10,
    );
    const svg = await get('/v1/specialisation.svg?measure=employment');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect((await body(await get('/v1/specialisation/portfolio?measure=employment'))).leps).toHaveLength(38);
    expect((await get(`/v1/specialisation/trends?measure=grant&area=${GM}`)).status).toBe(200);
    const rel = await body(await get('/v1/relatedness?measure=grant&categories=sector'));
    expect(rel.association.length).toBe(rel.categoryList.length);
    expect((await get(`/v1/relatedness/density?measure=employment&area=${GM}`)).status).toBe(200);
    const smart = await body(await get(`/v1/leps/${GM}/smart-specialisation`));
    expect(smart.lep.code).toBe(GM);
    expect(smart.bases.length).toBeGreaterThan(0);
    const csv = await get('/v1/specialisation?measure=employment&format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const xlsx = await get('/v1/specialisation?measure=employment&format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  });
});
