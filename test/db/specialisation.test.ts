import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appFor,
  DATA_DIR,
  DEFAULT_HAS_INNOVATE_UK,
  getJson,
  loadedTestDatabase,
  type TestDatabase,
} from './harness.ts';

/**
 * Specialisation across LEPs on employment, recomputed here from the APS rows of the source CSV
 * (parsed with csv-parse, LEP names joined to codes through dfe_leps.csv) — never from the API's
 * own numbers or the product's helpers. Runs on whatever DATA_DIR the suite loads (full or sample).
 */

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

type Row = Record<string, string>;
const csv = (path: string): Row[] => parse(readFileSync(join(DATA_DIR, path)), { columns: true, bom: true });
const source = csv('dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv');
const INDUSTRIES = Object.keys(source[0] as Row).filter(
  (k) => !['area', 'geographic_level', 'year'].includes(k),
);
const lepCode = new Map(
  csv('geo_lookups/dfe_leps.csv')
    .filter((r) => r.status === 'live')
    .map((r) => [
      r.local_enterprise_partnership_name as string,
      r.local_enterprise_partnership_code as string,
    ]),
);
const num = (t: string | undefined) => (t !== undefined && /^\d+(\.\d+)?$/.test(t.trim()) ? Number(t) : null);

/** year → LEP code (or "E") → industry values (null = suppressed). */
function byYear() {
  const out = new Map<number, Map<string, (number | null)[]>>();
  for (const r of source) {
    const level = r.geographic_level;
    const code = level === 'COUNTRY' ? 'E' : level === 'LEP' ? lepCode.get(r.area as string) : undefined;
    if (!code) continue;
    const y = Number(r.year);
    const m = out.get(y) ?? new Map();
    m.set(
      code,
      INDUSTRIES.map((i) => num(r[i])),
    );
    out.set(y, m);
  }
  return out;
}
const DATA = byYear();
const YEARS = [...DATA.keys()].sort();
const sum = (xs: readonly (number | null)[]) => xs.reduce<number>((a, v) => a + (v ?? 0), 0);

/** LQ of every LEP × industry in a year, as METHODS.md defines it, against England's row. */
function expectedLqs(year: number) {
  const m = DATA.get(year) as Map<string, (number | null)[]>;
  const england = m.get('E') as (number | null)[];
  const E = sum(england);
  const out = new Map<string, (number | null)[]>();
  for (const [code, row] of m) {
    if (code === 'E') continue;
    const t = sum(row);
    out.set(
      code,
      row.map((v, s) => (v === null || t === 0 ? null : v / t / ((england[s] as number) / E))),
    );
  }
  return out;
}

/** Employment relatedness by co-location: districts summed over years, B = 1 where LQ > 1. */
function expectedRelatedness() {
  const districts = new Map<string, number[]>();
  for (const r of source) {
    if (r.geographic_level !== 'LADU') continue;
    const acc = districts.get(r.area as string) ?? INDUSTRIES.map(() => 0);
    INDUSTRIES.forEach((ind, k) => {
      acc[k] = (acc[k] as number) + (num(r[ind]) ?? 0);
    });
    districts.set(r.area as string, acc);
  }
  const rows = [...districts.values()];
  const colTotals = INDUSTRIES.map((_, s) => rows.reduce((a, r) => a + (r[s] as number), 0));
  const T = colTotals.reduce((a, b) => a + b, 0);
  const k = INDUSTRIES.length;
  const C = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const r of rows) {
    const t = r.reduce((a, b) => a + b, 0);
    const on = r.map((v, s) => t > 0 && v / t / ((colTotals[s] as number) / T) > 1);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) if (i !== j && on[i] && on[j]) (C[i] as number[])[j] = (C[i]?.[j] ?? 0) + 1;
  }
  const S = C.map((r) => r.reduce((a, b) => a + b, 0));
  const TT = S.reduce((a, b) => a + b, 0);
  const phi = C.map((r, i) =>
    r.map((c, j) => (S[i] && S[j] ? c / TT / (((S[i] as number) / TT) * ((S[j] as number) / TT)) : 0)),
  );
  const cos = C.map((r, i) =>
    r.map((c, j) => (S[i] && S[j] ? c / Math.sqrt((S[i] as number) * (S[j] as number)) : 0)),
  );
  return { C, phi, cos, districts: rows.length };
}

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
});
afterAll(async () => tdb?.close());

describe('employment specialisation across LEPs, recomputed from the APS rows', () => {
  it('the source has the 38 LEPs and England for every year', () => {
    expect(YEARS.length).toBeGreaterThanOrEqual(5);
    for (const y of YEARS) expect(DATA.get(y)?.size).toBe(39);
  });

  it('every LEP × industry LQ, value, total, suppression and rank equals the recomputation, every year', async () => {
    let checked = 0;
    for (const year of YEARS) {
      const r = await getJson(app, `/v1/specialisation?measure=employment&year=${year}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.period).toBe(String(year));
      expect(r.body.reference).toEqual({ code: 'E92000001', label: 'England' });
      const want = expectedLqs(year);
      const rowsOf = DATA.get(year) as Map<string, (number | null)[]>;
      expect(r.body.cells).toHaveLength(38 * INDUSTRIES.length);
      for (const cell of r.body.cells) {
        const s = INDUSTRIES.indexOf(cell.category);
        expect(s, cell.category).toBeGreaterThanOrEqual(0);
        const raw = rowsOf.get(cell.area.code) as (number | null)[];
        const lq = want.get(cell.area.code)?.[s] ?? null;
        expect(cell.value).toBe(raw[s]);
        expect(cell.suppressed).toBe(raw[s] === null);
        expect(cell.areaTotal).toBe(sum(raw));
        expect(cell.referenceValue).toBe(rowsOf.get('E')?.[s]);
        if (lq === null) expect(cell.lq).toBeNull();
        else expect(cell.lq).toBeCloseTo(lq, 10);
        expect(cell.specialised).toBe(lq !== null && lq > 1);
        // Rank among the LEPs: 1 + how many LEPs have a strictly higher LQ in this industry.
        const others = [...want.values()]
          .map((row) => row[s])
          .filter((v): v is number => v !== null && v !== undefined);
        expect(cell.lqRank).toBe(lq === null ? null : 1 + others.filter((o) => o > lq).length);
        expect(cell.area.href).toBe(`/v1/leps/${cell.area.code}`);
        checked += 1;
      }
    }
    expect(checked).toBe(YEARS.length * 38 * INDUSTRIES.length);
  });

  it('the REAT check on a real cell: locq(e_ij, e_j, E_i, E)', async () => {
    const r = await getJson(app, '/v1/specialisation?measure=employment&year=2022');
    const cell = r.body.cells.find((c: { lq: number | null }) => c.lq !== null);
    expect(cell).toBeDefined();
    expect(cell.lq).toBeCloseTo(
      cell.value / cell.areaTotal / (cell.referenceValue / cell.referenceTotal),
      12,
    );
  });

  it('portfolio measures for every LEP, and their ranks', async () => {
    const year = YEARS[YEARS.length - 1] as number;
    const r = await getJson(
      app,
      `/v1/specialisation/portfolio?measure=employment&year=${year}&rankBy=entropy`,
    );
    expect(r.status).toBe(200);
    expect(r.body.leps).toHaveLength(38);
    const m = DATA.get(year) as Map<string, (number | null)[]>;
    const q = (m.get('E') as number[]).map((v) => v / sum(m.get('E') as number[]));
    const expected = new Map<string, { k: number; h: number; e: number; hach: number }>();
    for (const [code, row] of m) {
      if (code === 'E') continue;
      const t = sum(row);
      const p = row.map((v) => (v ?? 0) / t);
      const k = p.reduce((a, ps, s) => a + Math.abs(ps - (q[s] as number)), 0);
      const h = p.reduce((a, ps) => a + ps * ps, 0);
      const e = -p.reduce((a, ps) => (ps > 0 ? a + ps * Math.log2(ps) : a), 0);
      const hach = 1 / p.reduce((a, ps, s) => a + (ps / (q[s] as number)) * ps, 0);
      expected.set(code, { k, h, e, hach });
    }
    for (const l of r.body.leps) {
      const w = expected.get(l.area.code);
      expect(w, l.area.code).toBeDefined();
      expect(l.krugman).toBeCloseTo(w?.k as number, 10);
      expect(l.hoover).toBeCloseTo((w?.k as number) / 2, 10);
      expect(l.herfindahl).toBeCloseTo(w?.h as number, 10);
      expect(l.entropy).toBeCloseTo(w?.e as number, 10);
      expect(l.hachman).toBeCloseTo(w?.hach as number, 10);
      const lowerEntropy = [...expected.values()].filter((o) => o.e < (w?.e as number) - 1e-12).length;
      expect(l.ranks.entropy).toBe(1 + lowerEntropy);
    }
    // Sorted by the chosen measure's rank.
    const ranks = r.body.leps.map((l: { ranks: { entropy: number } }) => l.ranks.entropy);
    expect(ranks).toEqual([...ranks].sort((a: number, b: number) => a - b));
  });

  it('LQ over time: first, last, change and OLS slope for every LEP × industry', async () => {
    const r = await getJson(app, '/v1/specialisation/trends?measure=employment');
    expect(r.status).toBe(200);
    const lqs = new Map(YEARS.map((y) => [y, expectedLqs(y)]));
    let checked = 0;
    let sloped = 0;
    for (const t of r.body.trends) {
      const s = INDUSTRIES.indexOf(t.category);
      const pts = YEARS.map((y) => ({ y, v: lqs.get(y)?.get(t.area.code)?.[s] ?? null })).filter(
        (p): p is { y: number; v: number } => p.v !== null,
      );
      expect(pts.length).toBe(t.years);
      expect(t.firstYear).toBe(pts[0]?.y);
      expect(t.lastYear).toBe(pts.at(-1)?.y);
      expect(t.change).toBeCloseTo((pts.at(-1)?.v as number) - (pts[0]?.v as number), 10);
      if (pts.length >= 2) {
        const mx = pts.reduce((a, p) => a + p.y, 0) / pts.length;
        const my = pts.reduce((a, p) => a + p.v, 0) / pts.length;
        const slope =
          pts.reduce((a, p) => a + (p.y - mx) * (p.v - my), 0) / pts.reduce((a, p) => a + (p.y - mx) ** 2, 0);
        expect(t.slope).toBeCloseTo(slope, 10);
        sloped += 1;
      } else expect(t.slope).toBeNull();
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(38 * INDUSTRIES.length - 38);
    expect(sloped).toBeGreaterThan(0);
    const changes = r.body.trends.map((t: { change: number }) => t.change);
    expect(changes).toEqual([...changes].sort((a: number, b: number) => b - a));
  });

  it('relatedness from co-location across districts: C, association strength and cosine', async () => {
    const want = expectedRelatedness();
    expect(want.districts).toBeGreaterThan(20);
    const r = await getJson(app, '/v1/relatedness?measure=employment');
    expect(r.status).toBe(200);
    const order: string[] = r.body.categoryList;
    expect([...order].sort()).toEqual([...INDUSTRIES].sort());
    let nonzero = 0;
    order.forEach((a, i) => {
      order.forEach((b, j) => {
        const wi = INDUSTRIES.indexOf(a);
        const wj = INDUSTRIES.indexOf(b);
        expect(r.body.cooccurrence[i][j]).toBe(want.C[wi]?.[wj]);
        expect(r.body.association[i][j]).toBeCloseTo(want.phi[wi]?.[wj] as number, 10);
        expect(r.body.cosine[i][j]).toBeCloseTo(want.cos[wi]?.[wj] as number, 10);
        if ((want.C[wi]?.[wj] ?? 0) > 0) nonzero += 1;
      });
    });
    expect(nonzero).toBeGreaterThan(0);
  });

  it('relatedness density and adjacent opportunities for every LEP × industry', async () => {
    const year = YEARS[YEARS.length - 1] as number;
    const { phi } = expectedRelatedness();
    const lqs = expectedLqs(year);
    const r = await getJson(app, `/v1/relatedness/density?measure=employment&year=${year}&threshold=40`);
    expect(r.status).toBe(200);
    expect(r.body.threshold).toBe(40);
    let adjacent = 0;
    for (const cell of r.body.cells) {
      const i = INDUSTRIES.indexOf(cell.category);
      const M = (lqs.get(cell.area.code) as (number | null)[]).map((v) => (v !== null && v > 1 ? 1 : 0));
      const den = INDUSTRIES.reduce((a, _, j) => a + (phi[j]?.[i] as number), 0);
      const num2 = INDUSTRIES.reduce((a, _, j) => a + (M[j] as number) * (phi[j]?.[i] as number), 0);
      const rd = den === 0 ? null : (100 * num2) / den;
      if (rd === null) expect(cell.density).toBeNull();
      else expect(cell.density).toBeCloseTo(rd, 9);
      const adj = M[i] === 0 && rd !== null && rd >= 40;
      expect(cell.adjacentOpportunity).toBe(adj);
      if (adj) adjacent += 1;
    }
    expect(r.body.cells).toHaveLength(38 * INDUSTRIES.length);
    expect(adjacent).toBeGreaterThan(0);
    const one = await getJson(app, `/v1/relatedness/density?measure=employment&area=E37000015`);
    expect(one.body.threshold).toBe(50);
    expect(one.body.cells).toHaveLength(INDUSTRIES.length);
  });

  it('CSV, XLSX and the SVG heatmap', async () => {
    const c = await app.request('/v1/specialisation?measure=employment&year=2020&format=csv');
    expect(c.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parse((await c.text()).replace(/^\ufeff/, ''), { columns: true }) as Row[];
    expect(rows).toHaveLength(38 * INDUSTRIES.length);
    const gm = rows.find((x) => x.lep_code === 'E37000015' && x.category === 'Manufacturing');
    const lq = expectedLqs(2020).get('E37000015')?.[INDUSTRIES.indexOf('Manufacturing')] as number;
    expect(Number(gm?.lq)).toBeCloseTo(lq, 10);
    const x = await app.request('/v1/specialisation?measure=employment&format=xlsx');
    expect(x.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(new Uint8Array(await x.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    const s = await app.request('/v1/specialisation.svg?measure=employment&year=2020');
    expect(s.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const text = await s.text();
    expect(text.match(/<g><title>/g)).toHaveLength(38 * INDUSTRIES.length);
    expect(text).not.toMatch(/<script/);
    expect(text).toContain(`Greater Manchester · Manufacturing: LQ ${lq.toFixed(2)}`);
  });

  it('bad input is a 4xx naming the parameter', async () => {
    const a = await getJson(app, '/v1/specialisation?measure=employment&categories=sector');
    expect(a.status).toBe(400);
    expect(a.body.errors[0].location).toBe('query.categories');
    expect((await getJson(app, '/v1/specialisation?measure=money')).status).toBe(400);
    expect((await getJson(app, '/v1/specialisation?measure=employment&year=2012')).status).toBe(404);
    expect((await getJson(app, '/v1/relatedness/density?measure=employment&threshold=101')).status).toBe(400);
    expect((await getJson(app, '/v1/specialisation/trends?area=E37999999x')).status).toBe(400);
  });
});

describe('smart specialisation: the three questions, recomputed on the employment basis', () => {
  const code = 'E37000015';
  it('good at, might lead and adjacent opportunities follow the stated rules on the APS rows', async () => {
    const r = await getJson(app, `/v1/leps/${code}/smart-specialisation`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.lep).toEqual({ code, name: 'Greater Manchester', href: `/v1/leps/${code}` });
    expect(r.body.criteria).toMatchObject({
      lqThreshold: 1.25,
      densityThreshold: 50,
      minTrendYears: 3,
      leadFloor: 0.9,
    });
    const latest = YEARS[YEARS.length - 1] as number;
    const lqs = expectedLqs(latest).get(code) as (number | null)[];

    // (1) LQ ≥ 1.25 and not suppressed.
    const wantGood = INDUSTRIES.filter((_, s) => (lqs[s] ?? 0) >= 1.25).sort();
    const gotGood = r.body.goodAt.categories.filter((x: { measure: string }) => x.measure === 'employment');
    expect(gotGood.map((x: { category: string }) => x.category).sort()).toEqual(wantGood);
    for (const x of gotGood) {
      expect(x.lq).toBeCloseTo(lqs[INDUSTRIES.indexOf(x.category)] as number, 10);
      expect(x.period).toBe(String(latest));
      expect((await getJson(app, x.href)).status).toBe(200);
    }
    // Indicators in the top quartile of the 38, each with its rank and a working link.
    expect(r.body.goodAt.indicators.length).toBeGreaterThan(0);
    for (const i of r.body.goodAt.indicators) {
      expect(i.percentile).toBeGreaterThanOrEqual(75);
      const ranking = await getJson(app, i.href);
      expect(ranking.status).toBe(200);
    }

    // (2) Rising LQ over ≥ 3 years, slope > 0, rank not worse, ending ≥ 0.9.
    const byYear = new Map(YEARS.map((y) => [y, expectedLqs(y)]));
    const rankIn = (y: number, s: number) => {
      const mine = byYear.get(y)?.get(code)?.[s] ?? null;
      if (mine === null) return null;
      return (
        1 +
        [...(byYear.get(y) as Map<string, (number | null)[]>).values()].filter((row) => (row[s] ?? -1) > mine)
          .length
      );
    };
    const wantLead = INDUSTRIES.filter((_, s) => {
      const pts = YEARS.map((y) => ({ y, v: byYear.get(y)?.get(code)?.[s] ?? null })).filter(
        (p): p is { y: number; v: number } => p.v !== null,
      );
      if (pts.length < 3) return false;
      const first = pts[0] as { y: number; v: number };
      const last = pts.at(-1) as { y: number; v: number };
      const mx = pts.reduce((a, p) => a + p.y, 0) / pts.length;
      const my = pts.reduce((a, p) => a + p.v, 0) / pts.length;
      const slope =
        pts.reduce((a, p) => a + (p.y - mx) * (p.v - my), 0) / pts.reduce((a, p) => a + (p.y - mx) ** 2, 0);
      const rf = rankIn(first.y, s);
      const rl = rankIn(last.y, s);
      return last.v - first.v > 0 && slope > 0 && last.v >= 0.9 && (rf === null || rl === null || rl <= rf);
    }).sort();
    const gotLead = r.body.mightLead.filter((x: { measure: string }) => x.measure === 'employment');
    expect(gotLead.map((x: { category: string }) => x.category).sort()).toEqual(wantLead);

    // (3) Not specialised, density ≥ 50 (density from the co-location relatedness).
    const { phi } = expectedRelatedness();
    const M = lqs.map((v) => (v !== null && v > 1 ? 1 : 0));
    const wantAdj = INDUSTRIES.filter((_, i) => {
      const den = INDUSTRIES.reduce((a, _x, j) => a + (phi[j]?.[i] as number), 0);
      const rd =
        (100 * INDUSTRIES.reduce((a, _x, j) => a + (M[j] as number) * (phi[j]?.[i] as number), 0)) / den;
      return M[i] === 0 && rd >= 50;
    }).sort();
    const gotAdj = r.body.couldGetUsThere.filter((x: { measure: string }) => x.measure === 'employment');
    expect(gotAdj.map((x: { category: string }) => x.category).sort()).toEqual(wantAdj);
    for (const x of gotAdj) {
      expect(x.partners).toBeNull();
      expect(x.partnersNote).toMatch(/no employment industries/);
      expect(x.leaders.length).toBeGreaterThan(0);
      const s = INDUSTRIES.indexOf(x.category);
      const top = [...(byYear.get(latest) as Map<string, (number | null)[]>)]
        .filter(([c, row]) => c !== code && row[s] !== null)
        .sort((a, b) => (b[1][s] as number) - (a[1][s] as number))[0];
      expect(x.leaders[0].area.code).toBe(top?.[0]);
      expect((await getJson(app, x.href)).status).toBe(200);
    }
    // Something was answered at all: a LEP of 2.8m people has at least one strength or opportunity.
    expect(gotGood.length + gotLead.length + gotAdj.length).toBeGreaterThan(0);
  });

  it('thresholds are parameters; a lower LQ threshold finds at least as many strengths', async () => {
    const hi = await getJson(app, `/v1/leps/${code}/smart-specialisation?lqThreshold=1.5`);
    const lo = await getJson(app, `/v1/leps/${code}/smart-specialisation?lqThreshold=1`);
    expect(hi.status).toBe(200);
    expect(lo.body.goodAt.categories.length).toBeGreaterThanOrEqual(hi.body.goodAt.categories.length);
    expect(lo.body.goodAt.categories.length).toBeGreaterThan(0);
    for (const x of lo.body.goodAt.categories) expect(x.lq).toBeGreaterThanOrEqual(1);
    expect((await getJson(app, `/v1/leps/${code}/smart-specialisation?lqThreshold=0.3`)).status).toBe(400);
    expect((await getJson(app, `/v1/leps/${code}/smart-specialisation?densityThreshold=200`)).status).toBe(
      400,
    );
    expect((await getJson(app, '/v1/leps/E37999999/smart-specialisation')).status).toBe(404);
  });

  const participants = () =>
    tdb.run.query<{
      lep_codes: string[];
      sector: string | null;
      programme: string | null;
      year: number | null;
    }>(
      `select pa.lep_codes, pa.sector, pr.programme_title as programme, pa.year
         from iuk_participants pa left join iuk_projects pr on pr.project_number = pa.project_number
        where pa.counted`,
    );

  it.skipIf(DEFAULT_HAS_INNOVATE_UK)(
    'without Innovate UK data, might lead and opportunities are on employment alone',
    async () => {
      expect(await participants()).toEqual([]);
      const r = await getJson(app, `/v1/leps/${code}/smart-specialisation?densityThreshold=0`);
      expect(r.status).toBe(200);
      expect(r.body.sources.innovateUk.loaded).toBe(false);
      expect(r.body.criteria.minSupport).toEqual({ employment: 0, innovateUk: 5 });
      expect(r.body.bases.map((b: { measure: string }) => b.measure)).toEqual(['employment']);
      const measures = (xs: { measure: string }[]) => [...new Set(xs.map((x) => x.measure))];
      expect(measures(r.body.mightLead).filter((m) => m !== 'employment')).toEqual([]);
      expect(measures(r.body.couldGetUsThere)).toEqual(['employment']);
    },
  );

  it.runIf(DEFAULT_HAS_INNOVATE_UK)(
    'might lead on Innovate UK bases needs the minimum support in the last year, recounted from the participant rows',
    async () => {
      const parts = await participants();
      expect(parts.length).toBeGreaterThan(0);
      const r = await getJson(app, `/v1/leps/${code}/smart-specialisation`);
      expect(r.status).toBe(200);
      expect(r.body.criteria.minSupport).toEqual({ employment: 0, innovateUk: 5 });
      // Participants of this LEP in a category and year, straight from the rows (overlap "full").
      const support = (categories: string, category: string, year: number) =>
        parts.filter(
          (p) =>
            p.year === year &&
            p.lep_codes.includes(code) &&
            ((categories === 'sector' ? p.sector : p.programme) ?? '(not stated)') === category,
        ).length;
      let checked = 0;
      let listed = 0;
      for (const categories of ['sector', 'programme']) {
        const t = await getJson(
          app,
          `/v1/specialisation/trends?measure=grant&categories=${categories}&area=${code}`,
        );
        expect(t.status).toBe(200);
        const trends: {
          category: string;
          firstYear: number;
          lastYear: number;
          lqFirst: number;
          lqLast: number;
          change: number;
          slope: number | null;
          years: number;
          rankFirst: number | null;
          rankLast: number | null;
        }[] = t.body.trends;
        expect(Array.isArray(trends)).toBe(true);
        const got = new Map(
          r.body.mightLead
            .filter(
              (x: { measure: string; categories: string }) =>
                x.measure === 'grant' && x.categories === categories,
            )
            .map((x: { category: string }) => [x.category, x]),
        );
        for (const x of trends) {
          const rises =
            x.years >= 3 &&
            x.change > 0 &&
            (x.slope ?? 0) > 0 &&
            x.lqLast >= 0.9 &&
            (x.rankFirst === null || x.rankLast === null || x.rankLast <= x.rankFirst);
          if (!rises) {
            expect(got.has(x.category), x.category).toBe(false);
            continue;
          }
          checked++;
          const last = support(categories, x.category, x.lastYear);
          // Listed exactly when the last year has at least 5 participants, with both supports as evidence.
          expect(
            got.has(x.category),
            `${categories} ${x.category}: ${last} participants in ${x.lastYear}`,
          ).toBe(last >= 5);
          const item = got.get(x.category) as
            | { supportLast: number; supportFirst: number | null; minSupport: number }
            | undefined;
          if (item) {
            listed += 1;
            expect(item.supportLast).toBe(last);
            expect(item.supportFirst).toBe(support(categories, x.category, x.firstYear));
            expect(item.minSupport).toBe(5);
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
      // Some rising category is listed, so the evidence fields are checked too.
      expect(listed).toBeGreaterThan(0);
    },
  );

  it.runIf(DEFAULT_HAS_INNOVATE_UK)(
    'Innovate UK sector opportunities name their collaboration partners, as the network serves them',
    async () => {
      const r = await getJson(app, `/v1/leps/${code}/smart-specialisation?densityThreshold=0`);
      expect(r.body.sources.innovateUk.loaded).toBe(true);
      expect(r.body.bases.some((b: { measure: string }) => b.measure === 'grant')).toBe(true);
      const sectors = r.body.couldGetUsThere.filter((x: { categories: string }) => x.categories === 'sector');
      expect(sectors.length).toBeGreaterThan(0);
      for (const x of sectors) {
        expect(Array.isArray(x.partners)).toBe(true);
        expect(x.partnersNote).toBeNull();
        const collab = await getJson(app, x.partnersHref);
        expect(collab.status).toBe(200);
        const byCode = new Map(
          collab.body.partners.map((p: { area?: { code: string }; code?: string; projects?: number }) => [
            p.area?.code ?? p.code,
            p,
          ]),
        );
        for (const p of x.partners) {
          const other = byCode.get(p.area.code) as { projects?: number; sharedProjects?: number } | undefined;
          expect(other, p.area.code).toBeDefined();
          expect(p.sharedProjects).toBe(other?.projects ?? other?.sharedProjects);
        }
      }
      expect(sectors.some((x: { partners: unknown[] }) => x.partners.length > 0)).toBe(true);
      const programmes = r.body.couldGetUsThere.filter(
        (x: { categories: string }) => x.categories === 'programme',
      );
      expect(programmes.length).toBeGreaterThan(0);
      for (const x of programmes) expect(x.partnersNote).toMatch(/not by programme/);
    },
  );
});
