import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, DATA_DIR, FULL_DATA, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

/**
 * The 2021-LEP rebuild recomputed here from the source files alone (the NUTS3 rows, the district
 * lookups, ONS Table 6 and the district populations), without the pipeline's code.
 */

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

type Row = Record<string, string>;
const csv = (file: string) => {
  const buf = readFileSync(join(DATA_DIR, file));
  return parse(file.endsWith('.gz') ? gunzipSync(buf) : buf, { columns: true, bom: true }) as Row[];
};

// Our indicator id → Nesta's, and how it aggregates (the test's own table).
const CASES = [
  { id: 'university-research-income', nesta: 'gbp_research_income', agg: 'sum', zeroIfAbsent: true },
  { id: 'horizon-2020-funding', nesta: 'cordis_funding', agg: 'sum', zeroIfAbsent: true },
  { id: 'stem-employment-density', nesta: 'aps_econ_active_stem_density_data', agg: 'weighted' },
  { id: 'nvq4-professionals-share', nesta: 'aps_nvq4_education_data', agg: 'weighted' },
  { id: 'pm10-background-pollution', nesta: 'air_pollution_mean_pm10', agg: 'weighted' },
  { id: 'graduate-startups-active', nesta: 'graduate_startups', agg: 'sum', zeroIfAbsent: true },
  { id: 'travel-time-to-work', nesta: 'travel_time_to_work', agg: 'weighted' },
  { id: 'tech-companies-founded', nesta: 'companies_founded', agg: 'sum', zeroIfAbsent: true },
  { id: 'broadband-download-speed', nesta: 'broadband_download_speed_data', agg: 'weighted' },
  // Not in the sample; its LEP rows are a source error (equal to airport), so every value is rebuilt.
  { id: 'travel-time-rail-station', nesta: 'travel_time_to_rail', agg: 'weighted', fullOnly: true },
] as const;

/** Indicators that cannot be re-aggregated from NUTS3 (the test's own list: an index, a mean per project). */
const NOT_AGGREGATABLE = new Set(['economic-complexity-index', 'ukri-research-funding']);
/** Units counted per resident (money); every other total is per 1,000 residents. */
const MONEY = new Set(['GBP', 'EUR']);

const nuts3 = new Map<string, number>(); // nesta|year|ITL3 → value
const lepItl3 = new Map<string, Map<string, string[]>>(); // lep → itl3 → its districts in the LEP
const itl3Districts = new Map<string, string[]>();
const districtPop = new Map<string, number>();
const itlPop = new Map<string, number>(); // itl3|year → population
const lepCells = new Map<string, number>(); // nesta|year|code|spec → published LEP value
const lepLatest = new Map<string, number>(); // nesta indicator → latest year in the LEP file

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
  const dorset: Record<string, string> = { UKK21: 'TLK24', UKK22: 'TLK25' };
  for (const r of csv('nesta_beis_indicators/beis_indicators_nuts3_long.csv.gz')) {
    if (!['2013', '2016'].includes(r.region_year_spec ?? '') || r.value === '') continue;
    const code = r.region_id as string;
    nuts3.set(`${r.indicator}|${r.year}|${dorset[code] ?? `TL${code.slice(2)}`}`, Number(r.value));
  }
  const ladItl = new Map(
    csv('geo_lookups/derived_lad21_itl3.csv').map((r) => [r.lad21_code, r.itl321_code as string]),
  );
  for (const [lad, itl] of ladItl)
    if (lad?.startsWith('E')) itl3Districts.set(itl, [...(itl3Districts.get(itl) ?? []), lad]);
  for (const r of csv('geo_lookups/derived_lad_region_lep_2021_2023.csv')) {
    if (r.year !== '2021') continue;
    for (const lep of [r.lep_code_a, r.lep_code_b]) {
      if (!lep) continue;
      const itl = ladItl.get(r.lad_code) as string;
      const m = lepItl3.get(lep) ?? new Map<string, string[]>();
      m.set(itl, [...(m.get(itl) ?? []), r.lad_code as string]);
      lepItl3.set(lep, m);
    }
  }
  for (const r of csv('geo_lookups/mysociety_uk_local_authorities_current.csv'))
    if (r['pop-2020']) districtPop.set(r['gss-code'] as string, Number(r['pop-2020']));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(DATA_DIR, 'ons_itl_economy/ons_regional_gdp_all_itl_regions_2023-04-25.xlsx'));
  const ws = wb.getWorksheet('Table 6');
  if (!ws) throw new Error('Table 6 missing');
  const years = (ws.getRow(2).values as unknown[]).map((v) => Number(v));
  ws.eachRow((row, n) => {
    if (n <= 2) return;
    const v = row.values as unknown[];
    v.forEach((x, i) => {
      if (years[i] && years[i] > 1990) itlPop.set(`${v[2]}|${years[i]}`, Number(x));
    });
  });
  for (const r of csv('nesta_beis_indicators/beis_indicators_lep_long.csv')) {
    lepCells.set(`${r.indicator}|${r.year}|${r.region_id}|${r.region_year_spec}`, Number(r.value));
    lepLatest.set(r.indicator as string, Math.max(lepLatest.get(r.indicator as string) ?? 0, Number(r.year)));
  }
  // The 2021 LEPs the lookup places on districts: all 38 in the full data, five in the sample.
  expect(lepItl3.size).toBe(FULL_DATA ? 38 : 5);
});
afterAll(async () => tdb?.close());

/**
 * The ITL3 areas a LEP covers and the share of each inside it: 1 for a whole area, else the
 * population share of its districts in the LEP (mySociety's 2020 populations).
 */
function lepShares(lep: string): { itl: string; share: number }[] {
  const parts = [...(lepItl3.get(lep) ?? [])];
  // An empty list would make every sum below 0 and every weighted mean NaN, silently.
  if (parts.length === 0) throw new Error(`${lep} covers no ITL3 area in the lookup`);
  return parts.map(([itl, inside]) => {
    const all = itl3Districts.get(itl);
    if (!all) throw new Error(`${itl} has no districts in the ITL3 lookup`);
    const pop = (ds: string[]) => ds.reduce((s, d) => s + (districtPop.get(d) ?? 0), 0);
    return { itl, share: inside.length === all.length ? 1 : pop(inside) / pop(all) };
  });
}

/** The test's own LEP population: ITL3 populations × the share of each area in the LEP (Table 6 spans 1998–2021: the nearest year outside it). */
function lepPop(lep: string, year: number) {
  const y = Math.min(Math.max(year, 1998), 2021);
  return lepShares(lep).reduce(
    (sum, { itl, share }) => sum + (itlPop.get(`${itl}|${y}`) as number) * share,
    0,
  );
}

/** The test's own rebuild of one LEP value. */
function expected(c: (typeof CASES)[number], lep: string, year: number) {
  let num = 0;
  let den = 0;
  let cut = false;
  const codes: string[] = [];
  for (const { itl, share } of lepShares(lep)) {
    const v = nuts3.get(`${c.nesta}|${year}|${itl}`);
    if (v === undefined) continue;
    if (share < 1) cut = true;
    codes.push(itl);
    if (c.agg === 'sum') num += v * share;
    else {
      const w = (itlPop.get(`${itl}|${year}`) ?? itlPop.get(`${itl}|2021`) ?? 0) * share;
      num += v * w;
      den += w;
    }
  }
  return { value: c.agg === 'sum' ? num : num / den, cut, codes };
}

/**
 * The series of every case the dataset serves. A full-data-only case must be absent from the
 * sample (a 404), not skipped unchecked.
 */
async function casesSeries() {
  const served = [];
  for (const c of CASES) {
    const r = await getJson(app, `/v1/indicators/${c.id}/series`);
    if ('fullOnly' in c && !FULL_DATA) {
      expect(r.status, c.id).toBe(404);
      continue;
    }
    expect(r.status, c.id).toBe(200);
    served.push({ c, series: r.body.series });
  }
  expect(served.length).toBe(FULL_DATA ? CASES.length : CASES.filter((c) => !('fullOnly' in c)).length);
  return served;
}

describe('indicators rebuilt on the 2021 LEPs from NUTS3', () => {
  it('reproduces every rebuilt value from the NUTS3 rows: whole areas exactly, cut areas by population share', async () => {
    let checked = 0;
    let apportioned = 0;
    const leps = new Set<string>();
    for (const { c, series } of await casesSeries()) {
      for (const s of series) {
        for (const p of s.points) {
          if (p.method === 'as-published' || !lepItl3.has(s.area.code)) continue;
          const e = expected(c, s.area.code, p.year);
          expect(p.method, `${c.id} ${s.area.code} ${p.year}`).toBe(
            e.cut ? 'apportioned' : c.agg === 'sum' ? 'nuts3-sum' : 'nuts3-weighted',
          );
          if (e.cut) {
            apportioned += 1;
            expect(p.value).toBeCloseTo(e.value, 6);
          } else {
            expect(Math.abs(p.value - e.value)).toBeLessThanOrEqual(Math.abs(e.value) * 1e-12);
          }
          expect(p.inputs.areas.map((a: { code: string }) => `TL${a.code.slice(2)}`).sort()).toEqual(
            e.codes.map((x) => (x === 'TLK24' ? 'TLK21' : x === 'TLK25' ? 'TLK22' : x)).sort(),
          );
          expect(p.flags).toContain('rebuilt');
          leps.add(s.area.code);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(FULL_DATA ? 300 : 10);
    expect(leps.size).toBeGreaterThanOrEqual(FULL_DATA ? 17 : 3);
    expect(apportioned).toBeGreaterThan(0);
  });

  it('serves a published value on an unchanged footprint exactly as published', async () => {
    let checked = 0;
    for (const { c, series } of await casesSeries()) {
      for (const s of series)
        for (const p of s.points) {
          if (p.method !== 'as-published') continue;
          const cell = lepCells.get(`${c.nesta}|${p.year}|${p.source.code}|${p.source.vintage}`);
          expect(cell, `${c.id} ${s.area.code} ${p.year}`).toBeDefined();
          expect(p.value).toBe(cell);
          expect(p.inputs).toBeNull();
          checked += 1;
        }
    }
    expect(checked).toBeGreaterThan(FULL_DATA ? 300 : 10);
  });

  it.runIf(FULL_DATA)('ranks every indicator-year on one complete cohort of 38 LEPs', async () => {
    const r = await getJson(app, '/v1/indicators/university-research-income/ranking?year=2018');
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(38);
    expect(r.body.data.map((v: { of: number }) => v.of)).toEqual(Array(38).fill(38));
    expect(r.body.data.map((v: { rank: number }) => v.rank)).toEqual(
      [...r.body.data.map((v: { rank: number }) => v.rank)].sort((a, b) => a - b),
    );
    // The five LEPs that had no Nesta value at all now have one.
    for (const code of ['E37000062', 'E37000058', 'E37000060', 'E37000061', 'E37000059']) {
      const p = await getJson(app, `/v1/leps/${code}/profile`);
      const ids = p.body.groups.flatMap((g: { values: { indicator: { id: string } }[] }) =>
        g.values.map((v) => v.indicator.id),
      );
      expect(ids, code).toContain('university-research-income');
      expect(ids, code).toContain('stem-employment-density');
    }
    // Greater Manchester is 4th behind London, Oxfordshire and GCGP (the source's own 2018 order).
    const gm = r.body.data.find((v: { area: { code: string } }) => v.area.code === 'E37000015');
    expect(gm.rank).toBeGreaterThan(1);
    expect(gm.of).toBe(38);
  });

  it.runIf(FULL_DATA)(
    'gives every re-aggregatable indicator a value for all 38 LEPs in its latest year, ranked of 38',
    async () => {
      expect(lepItl3.size).toBe(38);
      const cat = await getJson(app, '/v1/indicators?limit=500');
      const list = (cat.body.data as { id: string; latestYear: number | null }[]).filter(
        (i) => !NOT_AGGREGATABLE.has(i.id),
      );
      expect(list.length).toBeGreaterThan(60);
      let nesta = 0;
      for (const i of list) {
        expect(i.latestYear, i.id).not.toBeNull();
        // For a Nesta indicator, its latest year is the source's own latest year.
        const d = await getJson(app, `/v1/indicators/${i.id}`);
        const source = (d.body.sourceIndicator as string).split(' ')[0] as string;
        if (lepLatest.has(source)) {
          expect(i.latestYear, i.id).toBe(lepLatest.get(source));
          nesta += 1;
        }
        const r = await getJson(app, `/v1/indicators/${i.id}/ranking`);
        expect(r.status, i.id).toBe(200);
        expect(r.body.year, i.id).toBe(i.latestYear);
        const data = r.body.data as {
          area: { code: string };
          value: number | null;
          suppressed: boolean;
          of: number;
        }[];
        expect(new Set(data.map((v) => v.area.code)), i.id).toEqual(new Set(lepItl3.keys()));
        // A value for every LEP; the only exception is a cell the source suppresses, served as such.
        const hidden = data.filter((v) => v.value === null);
        for (const v of hidden) expect(v.suppressed, `${i.id} ${v.area.code}`).toBe(true);
        for (const v of data) expect(v.of, i.id).toBe(38 - hidden.length);
      }
      expect(nesta).toBeGreaterThan(25);
    },
  );

  it('gives England for a sum as the total of every English NUTS3 area', async () => {
    const r = await getJson(app, '/v1/indicators/university-research-income/ranking?year=2018');
    const total = [...nuts3]
      .filter(
        ([k]) => k.startsWith('gbp_research_income|2018|TL') && itl3Districts.has(k.split('|')[2] as string),
      )
      .reduce((s, [, v]) => s + v, 0);
    expect(r.body.data[0].england).toBeCloseTo(total, 2);
  });

  it('keeps the published vintages reachable as published', async () => {
    const r = await getJson(app, '/v1/indicators/university-research-income/ranking?year=2018&vintage=2017');
    expect(r.status).toBe(200);
    expect(r.body.data.length).toBeGreaterThan(0);
    for (const v of r.body.data) {
      expect(v.method).toBe('as-published');
      expect(v.value).toBe(lepCells.get(`gbp_research_income|2018|${v.area.code}|2017`));
    }
  });

  it('rebuilds population from Table 6 and divides every total by it (per head), England too', async () => {
    const pop = await getJson(app, '/v1/indicators/population/ranking?year=2021');
    expect(pop.status).toBe(200);
    expect(pop.body.data.length).toBe(lepItl3.size);
    for (const v of pop.body.data) expect(v.value).toBeCloseTo(lepPop(v.area.code, 2021), 4);
    expect(pop.body.data[0].england).toBe(itlPop.get('TLB|2021'));

    // Every total (the catalogue's `measure: total`, population aside) has a per-head variant.
    const cat = await getJson(app, '/v1/indicators?limit=500');
    const all = cat.body.data as { id: string; measure: string; unit: string }[];
    const totals = all.filter((i) => i.measure === 'total' && i.id !== 'population');
    expect(totals.length).toBeGreaterThan(FULL_DATA ? 30 : 10);
    let checked = 0;
    for (const t of totals) {
      const id = t.id;
      const per = MONEY.has(t.unit) ? 1 : 1000;
      expect(all.map((i) => i.id)).toContain(`${id}-per-head`);
      const base = await getJson(app, `/v1/indicators/${id}/series`);
      const head = await getJson(app, `/v1/indicators/${id}-per-head/series`);
      expect(head.status, id).toBe(200);
      const headOf = new Map<
        string,
        { value: number | null; method: string; inputs: { areas: { code: string; value?: number }[] } }
      >();
      for (const s of head.body.series) for (const p of s.points) headOf.set(`${s.area.code}|${p.year}`, p);
      for (const s of base.body.series) {
        if (!lepItl3.has(s.area.code) || s.area.vintage !== '2021') continue;
        for (const p of s.points) {
          const h = headOf.get(`${s.area.code}|${p.year}`);
          const at = `${id} ${s.area.code} ${p.year}`;
          expect(h, at).toBeDefined();
          expect(h?.method, at).toBe('derived');
          const population = lepPop(s.area.code, p.year);
          // The population input is named and is the LEP's population (from Table 6 rows, here).
          const named = h?.inputs.areas.find((a) => a.code === `population:${s.area.code}`);
          expect(named?.value, at).toBeCloseTo(population, 4);
          if (p.value === null) expect(h?.value, at).toBeNull();
          else expect(h?.value, at).toBeCloseTo((p.value / population) * per, 8);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(FULL_DATA ? 4000 : 100);

    // Each per-head variant has a league table of its own, ordered on the per-head values.
    let ranked = 0;
    let differs = 0;
    for (const t of totals) {
      const head = await getJson(app, `/v1/indicators/${t.id}-per-head/ranking`);
      expect(head.status, t.id).toBe(200);
      const base = await getJson(app, `/v1/indicators/${t.id}/ranking?year=${head.body.year}`);
      type V = {
        area: { code: string };
        value: number | null;
        rank: number | null;
        order: number | null;
        indicator: { polarity: string };
      };
      const rows = head.body.data as V[];
      const valued = rows.filter((v) => v.value !== null);
      expect(valued.length, t.id).toBeGreaterThan(0);
      for (const v of valued) {
        const sign = v.indicator.polarity === 'lower_is_better' ? -1 : 1;
        const better = valued.filter((w) => (w.value as number) * sign > (v.value as number) * sign).length;
        expect(v.rank ?? v.order, `${t.id}-per-head ${v.area.code}`).toBe(better + 1);
      }
      const baseOrder = new Map((base.body.data as V[]).map((v) => [v.area.code, v.rank ?? v.order]));
      if (valued.some((v) => baseOrder.get(v.area.code) !== (v.rank ?? v.order))) differs += 1;
      ranked += 1;
    }
    expect(ranked).toBe(totals.length);
    // Dividing by population reorders the LEPs: most per-head tables differ from their totals'.
    expect(differs).toBeGreaterThan(totals.length / 2);
    // Per head is ranked on the LEPs the lookup places (38 in the full data, 5 in the sample), each of them all.
    const r = await getJson(app, '/v1/indicators/university-research-income-per-head/ranking?year=2018');
    expect(r.status).toBe(200);
    expect(new Set(r.body.data.map((v: { area: { code: string } }) => v.area.code))).toEqual(
      new Set(lepItl3.keys()),
    );
    expect(r.body.data.map((v: { of: number }) => v.of)).toEqual(r.body.data.map(() => lepItl3.size));
  });

  it('keeps per-head variants out of the default peer distances (they restate their totals), but lets a client choose them', async () => {
    const code = [...lepItl3.keys()].sort()[0] as string;
    const r = await getJson(app, `/v1/leps/${code}/peers`);
    expect(r.status).toBe(200);
    const ids = (r.body.indicators as { id: string }[]).map((i) => i.id);
    expect(ids.length).toBeGreaterThan(3);
    expect(ids.filter((id) => id.endsWith('-per-head'))).toEqual([]);
    const chosen = await getJson(
      app,
      `/v1/leps/${code}/peers?indicators=university-research-income-per-head,stem-employment-density`,
    );
    expect(chosen.status).toBe(200);
    expect((chosen.body.indicators as { id: string }[]).map((i) => i.id).sort()).toEqual([
      'stem-employment-density',
      'university-research-income-per-head',
    ]);
  });

  it('shows the per-head figure beside each total in a profile', async () => {
    const code = [...lepItl3.keys()].sort()[0] as string;
    const r = await getJson(app, `/v1/leps/${code}/profile`);
    expect(r.status).toBe(200);
    const values = r.body.groups.flatMap((g: { values: unknown[] }) => g.values) as {
      indicator: { id: string; measure: string };
      year: number;
      value: number | null;
      perHead: { indicatorId: string; value: number | null; year: number } | null;
    }[];
    const totals = values.filter((v) => v.indicator.measure === 'total' && v.indicator.id !== 'population');
    expect(totals.length).toBeGreaterThan(3);
    for (const t of totals) {
      expect(t.perHead?.indicatorId, t.indicator.id).toBe(`${t.indicator.id}-per-head`);
      expect(t.perHead?.year).toBe(t.year);
    }
    // Per-head variants are beside their totals, not listed again as indicators of their own.
    expect(values.some((v) => v.indicator.id.endsWith('-per-head'))).toBe(false);
  });
});
