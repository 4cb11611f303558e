import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, DATA_DIR, FULL_DATA, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
});
afterAll(async () => tdb?.close());

type Row = Record<string, string>;
const raw = (file: string) =>
  parse(readFileSync(join(DATA_DIR, file)), { columns: true, bom: true }) as Row[];

const expectProblem = (
  r: { status: number; res: Response; body: { errors?: { location: string }[] } },
  status: number,
  location?: string,
) => {
  expect(r.status).toBe(status);
  expect(r.res.headers.get('content-type')).toBe('application/problem+json');
  if (location) expect(r.body.errors?.map((e) => e.location)).toContain(location);
};

const GM = 'E37000015';
const LONDON = 'E37000051';

describe('indicator catalogue', () => {
  it('lists every indicator with actor, dimension, polarity and unit, paginated', async () => {
    const r = await getJson(app, '/v1/indicators?limit=500');
    expect(r.status).toBe(200);
    expect(r.body.page.total).toBe(r.body.data.length);
    expect(r.body.data.length).toBeGreaterThan(10);
    for (const i of r.body.data) {
      expect(['research_base', 'business', 'place']).toContain(i.actor);
      expect(['funding', 'talent', 'outputs', 'environment']).toContain(i.dimension);
      expect(['higher_is_better', 'lower_is_better', 'neutral']).toContain(i.polarity);
      expect(i.unit).toBeTruthy();
    }
    const p1 = await getJson(app, '/v1/indicators?limit=5');
    const p2 = await getJson(app, `/v1/indicators?limit=5&cursor=${p1.body.page.nextCursor}`);
    expect(p2.body.data[0].id > p1.body.data[4].id).toBe(true);
    const research = await getJson(app, '/v1/indicators?actor=research_base&limit=500');
    expect(research.body.data.length).toBeGreaterThan(0);
    expect(research.body.data.every((i: { actor: string }) => i.actor === 'research_base')).toBe(true);
  });

  it('one indicator has its description, source with licence, years and rate variant', async () => {
    const r = await getJson(app, '/v1/indicators/enterprise-births');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: 'enterprise-births',
      measure: 'total',
      rateVariantId: 'enterprise-birth-rate',
    });
    expect(r.body.source.licence).toMatch(/Open Government Licence/);
    expect(r.body.years).toContain(2021);
    const pm10 = await getJson(app, '/v1/indicators/pm10-background-pollution');
    expect(pm10.body.polarity).toBe('lower_is_better');
  });

  it('404 for an unknown indicator, 400 for a malformed id or filter', async () => {
    expectProblem(await getJson(app, '/v1/indicators/no-such-indicator'), 404);
    expectProblem(await getJson(app, '/v1/indicators/NOT%20AN%20ID'), 400, 'path.id');
    expectProblem(await getJson(app, '/v1/indicators?actor=aliens'), 400, 'query.actor');
  });
});

describe('values equal the source files', () => {
  it('Nesta values, cell by cell, for the 2021 LEPs they map to', async () => {
    const rows = raw('nesta_beis_indicators/beis_indicators_lep_long.csv').filter(
      (r) => r.indicator === 'gbp_research_income' || r.indicator === 'total_ukri_funding',
    );
    const served = await getJson(
      app,
      `/v1/indicators/university-research-income/series?areas=${GM},E37000001`,
    );
    const ukri = await getJson(app, `/v1/indicators/ukri-research-funding/series?areas=${GM},E37000001`);
    let checked = 0;
    for (const [res, source] of [
      [served, 'gbp_research_income'],
      [ukri, 'total_ukri_funding'],
    ] as const) {
      for (const s of res.body.series) {
        for (const p of s.points) {
          if (p.method !== 'as-published') continue; // rebuilt points: test/db/lep-rebuild.test.ts
          const cell = rows.find(
            (r) =>
              r.indicator === source &&
              r.region_id === p.source.code &&
              r.region_year_spec === p.source.vintage &&
              Number(r.year) === p.year,
          );
          expect(cell, `${source} ${p.source.code} ${p.year}`).toBeDefined();
          expect(p.value).toBe(Number(cell?.value));
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('DfE values by LEP name, with suppression markers kept as suppressed, not zero', async () => {
    const ent = raw('dfe_lsip_lep_business/enterprise_counts_by_size_UBC_2018_2022.csv');
    const r = await getJson(app, `/v1/indicators/enterprises/series?areas=${GM}`);
    // One point per year the file has a Total row for Greater Manchester.
    expect(r.body.series[0].points).toHaveLength(
      ent.filter(
        (x) =>
          x.geographic_level === 'LEP' && x.area === 'Greater Manchester' && x['enterprise size'] === 'Total',
      ).length,
    );
    expect(r.body.series[0].points.length).toBeGreaterThan(0);
    for (const p of r.body.series[0].points) {
      const cell = ent.find(
        (x) =>
          x.geographic_level === 'LEP' &&
          x.area === 'Greater Manchester' &&
          x['enterprise size'] === 'Total' &&
          Number(x.year) === p.year,
      );
      expect(p.value).toBe(Number(cell?.['enterprise count']));
    }
    const emp = raw('dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv').filter(
      (x) => x.geographic_level === 'LEP',
    );
    const suppressed = emp.find(
      (x) =>
        x['Agriculture and Fishing'] === 'c' ||
        x['Agriculture and Fishing'] === 'low' ||
        x['Agriculture and Fishing'] === 'x',
    );
    // The source suppresses some LEP cells (both in the sample and the full data): the check must run.
    if (!suppressed) throw new Error('expected a suppressed LEP cell in the employment file');
    const leps = await getJson(app, '/v1/areas?type=lep&limit=500');
    const lep = leps.body.data.find(
      (a: { name: string; status: string }) => a.name === suppressed.area && a.status === 'live',
    );
    const s = await getJson(app, `/v1/indicators/employment-agriculture-fishing/series?areas=${lep.code}`);
    const point = s.body.series[0].points.find((p: { year: number }) => p.year === Number(suppressed.year));
    expect(point).toMatchObject({
      value: null,
      suppressed: true,
      suppressionMarker: suppressed['Agriculture and Fishing'],
      rank: null,
    });
    expect(point.flags).toContain('suppressed');
  });
});

describe('ranking', () => {
  it('every rank, percentile, z and median is reproducible from the served values', async () => {
    for (const id of ['enterprise-birth-rate', 'pm10-background-pollution', 'university-research-income']) {
      const r = await getJson(app, `/v1/indicators/${id}/ranking`);
      expect(r.status).toBe(200);
      const ranked = r.body.data.filter((v: { rank: number | null }) => v.rank !== null);
      const xs: number[] = ranked.map((v: { value: number }) => v.value);
      const n = xs.length;
      expect(n, id).toBeGreaterThanOrEqual(5);
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      const sorted = [...xs].sort((a, b) => a - b);
      const median =
        n % 2 ? sorted[(n - 1) / 2] : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
      const better = (a: number, b: number) =>
        r.body.indicator.polarity === 'lower_is_better' ? a < b : a > b;
      for (const v of ranked) {
        expect(v.of).toBe(n);
        expect(v.rank).toBe(1 + xs.filter((x) => better(x, v.value)).length);
        expect(v.percentile).toBeCloseTo(
          n > 1 ? (100 * xs.filter((x) => !better(x, v.value)).length - 100) / (n - 1) : 100,
          9,
        );
        expect(v.z).toBeCloseTo(sd === 0 ? 0 : (v.value - mean) / sd, 9);
        expect(v.median).toBeCloseTo(median as number, 9);
      }
      // League-table order.
      expect(ranked.map((v: { rank: number }) => v.rank)).toEqual(
        [...ranked.map((v: { rank: number }) => v.rank)].sort((a, b) => a - b),
      );
    }
  });

  it('defaults to the latest year, accepts another, and says which years exist when asked for one without data', async () => {
    const latest = await getJson(app, '/v1/indicators/enterprises/ranking');
    expect(latest.body.year).toBe(2022);
    expect(latest.body.data).toHaveLength(38);
    const y2019 = await getJson(app, '/v1/indicators/enterprises/ranking?year=2019');
    expect(y2019.body.year).toBe(2019);
    const none = await getJson(app, '/v1/indicators/enterprises/ranking?year=2001');
    expectProblem(none, 404, 'query.year');
    expect(JSON.stringify(none.body)).toContain('2018');
    expectProblem(await getJson(app, '/v1/indicators/enterprises/ranking?year=20x1'), 400, 'query.year');
  });

  it('exports as CSV and as XLSX with data, definitions and sources sheets', async () => {
    const csv = await app.request('/v1/indicators/enterprises/ranking?format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // The file name carries the dataset version (and SAMPLE when the sample is served).
    const { dataset } = (await getJson(app, '/v1/meta')).body;
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="ranking-enterprises-2022_${dataset.version}${dataset.isSample ? '_SAMPLE' : ''}.csv"`,
    );
    const lines = (await csv.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^area_code,area_name,/);
    expect(lines).toHaveLength(39);

    const xlsx = await app.request('/v1/indicators/enterprises/ranking?format=xlsx');
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Data', 'Definitions', 'Sources']);
    expect(wb.getWorksheet('Data')?.rowCount).toBe(39);
    expect(wb.getWorksheet('Sources')?.getRow(2).getCell(2).value).toMatch(/Open Government Licence/);
  });
});

describe('LEP profile', () => {
  it('groups the latest value of every indicator by actor × dimension, with rank, percentile, z, England, median and trend', async () => {
    const r = await getJson(app, `/v1/leps/${GM}/profile`);
    expect(r.status).toBe(200);
    expect(r.body.lep).toMatchObject({ code: GM, name: 'Greater Manchester' });
    const values = r.body.groups.flatMap((g: { values: unknown[] }) => g.values);
    expect(values.length).toBe(r.body.counts.indicators);
    for (const g of r.body.groups) for (const v of g.values) expect(v.area.code).toBe(GM);
    const ent = values.find((v: { indicator: { id: string } }) => v.indicator.id === 'enterprises');
    expect(ent).toMatchObject({ year: 2022, of: 38 });
    expect(ent.england).toBeGreaterThan(ent.value);
    expect(ent.change.sinceYear).toBe(2021);
    expect(ent.median).toBeGreaterThan(0);
  });

  it('one year only with ?year=, 404 when nothing has that year, 400/404 for bad or unknown LEP codes', async () => {
    const r = await getJson(app, `/v1/leps/${GM}/profile?year=2019`);
    expect(r.status).toBe(200);
    const years = r.body.groups.flatMap((g: { values: { year: number }[] }) => g.values.map((v) => v.year));
    expect(years.length).toBeGreaterThan(0);
    expect(new Set(years)).toEqual(new Set([2019]));
    expectProblem(await getJson(app, `/v1/leps/${GM}/profile?year=1995`), 404, 'query.year');
    expectProblem(await getJson(app, '/v1/leps/E37999999/profile'), 404);
    expectProblem(await getJson(app, '/v1/leps/manchester/profile'), 400, 'path.code');
  });

  it('lists the 38 LEPs with headline figures', async () => {
    const r = await getJson(app, '/v1/leps');
    expect(r.body.data).toHaveLength(38);
    const gm = r.body.data.find((l: { code: string }) => l.code === GM);
    expect(gm.headlines.map((h: { indicator: { id: string } }) => h.indicator.id)).toContain('enterprises');
  });

  it('serves the LEP vintage mapping table', async () => {
    const r = await getJson(app, '/v1/leps/vintages');
    expect(r.body.data.length).toBeGreaterThan(10);
    expect(r.body.data.some((m: { rule: string }) => m.rule === 'unmapped')).toBe(true);
  });
});

describe('compare', () => {
  it('puts LEPs side by side in the order asked', async () => {
    const r = await getJson(
      app,
      `/v1/compare?areas=${LONDON},${GM}&indicators=enterprises,enterprise-birth-rate`,
    );
    expect(r.status).toBe(200);
    expect(r.body.areas.map((a: { code: string }) => a.code)).toEqual([LONDON, GM]);
    expect(r.body.rows).toHaveLength(2);
    for (const row of r.body.rows)
      expect(row.values.map((v: { area: { code: string } }) => v.area.code)).toEqual([LONDON, GM]);
  });

  it('400 for too few or too many areas, malformed codes, unknown indicators; 404 for unknown LEPs', async () => {
    expectProblem(await getJson(app, `/v1/compare?areas=${GM}`), 400, 'query.areas');
    const many = Array.from({ length: 39 }, (_, i) => `E370000${String(i + 10).padStart(2, '0')}`).join(',');
    expectProblem(await getJson(app, `/v1/compare?areas=${many}`), 400, 'query.areas');
    expectProblem(await getJson(app, `/v1/compare?areas=${GM},bogus`), 400, 'query.areas');
    expectProblem(
      await getJson(app, `/v1/compare?areas=${GM},${LONDON}&indicators=nope`),
      400,
      'query.indicators',
    );
    expectProblem(await getJson(app, `/v1/compare?areas=${GM},E37999999`), 404);
    expectProblem(await getJson(app, '/v1/compare'), 400, 'query.areas');
  });
});

describe('peers and strengths', () => {
  it('finds k nearest LEPs with distances and the indicators driving them', async () => {
    const r = await getJson(app, `/v1/leps/${GM}/peers?k=4`);
    expect(r.status).toBe(200);
    expect(r.body.peers).toHaveLength(4);
    const d = r.body.peers.map((p: { distance: number }) => p.distance);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    expect(r.body.peers.map((p: { code: string }) => p.code)).not.toContain(GM);
    const shares = r.body.peers[0].contributions.reduce((s: number, c: { share: number }) => s + c.share, 0);
    expect(shares).toBeCloseTo(1, 6);
    const chosen = await getJson(
      app,
      `/v1/leps/${GM}/peers?k=2&indicators=enterprise-birth-rate,stem-employment-density`,
    );
    expect(chosen.body.indicators.map((i: { id: string }) => i.id).sort()).toEqual([
      'enterprise-birth-rate',
      'stem-employment-density',
    ]);
    expectProblem(await getJson(app, `/v1/leps/${GM}/peers?indicators=nope`), 400, 'query.indicators');
    expectProblem(await getJson(app, `/v1/leps/${GM}/peers?k=0`), 400, 'query.k');
  });

  it('strengths are top-quartile or ≥1 sd in the good direction, with the evidence', async () => {
    const r = await getJson(app, `/v1/leps/${GM}/strengths`);
    expect(r.status).toBe(200);
    expect(r.body.strengths.length).toBeGreaterThan(0);
    expect(r.body.weaknesses.length).toBeGreaterThan(0);
    for (const s of r.body.strengths) {
      const oriented = s.indicator.polarity === 'lower_is_better' ? -s.z : s.z;
      expect(s.percentile >= 75 || oriented >= 1).toBe(true);
      expect(s.reasons.length).toBeGreaterThan(0);
    }
    for (const w of r.body.weaknesses) {
      const oriented = w.indicator.polarity === 'lower_is_better' ? -w.z : w.z;
      expect(w.percentile <= 25 || oriented <= -1).toBe(true);
    }
    const csv = await app.request(`/v1/leps/${GM}/strengths?format=csv`);
    expect((await csv.text()).split('\n')[0]).toMatch(/kind,reasons,area_code/);
  });
});

describe.skipIf(!FULL_DATA)('full data', () => {
  it('every 2021 LEP has a profile', async () => {
    const leps = await getJson(app, '/v1/leps');
    expect(leps.body.data).toHaveLength(38);
    for (const l of leps.body.data) {
      const r = await getJson(app, `/v1/leps/${l.code}/profile`);
      expect(r.status, l.code).toBe(200);
      expect(r.body.counts.indicators).toBeGreaterThan(30);
    }
  });
});
