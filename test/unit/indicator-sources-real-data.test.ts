import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { rankValues } from '../../src/domain/ranking.ts';
import { type IndicatorSources, parseIndicatorSources } from '../../src/pipeline/sources/indicators.ts';
import { NESTA_INDICATORS } from '../../src/pipeline/sources/nesta.ts';

const DATA_DIR = process.env.DATA_DIR;

/** The raw file read independently of the pipeline's reader. */
const raw = (file: string): Record<string, string>[] =>
  parse(readFileSync(join(DATA_DIR as string, file)), { columns: true, bom: true });
/** Every n-th element: a spread-out sample of cells. */
/** Every n-th row, to check a spread of them; refuses an empty list, which would check nothing. */
const every = <T>(xs: T[], n: number) => {
  expect(xs.length).toBeGreaterThan(0);
  return xs.filter((_, i) => i % n === 0);
};

describe.skipIf(!DATA_DIR)('indicator sources on the real data (DATA_DIR)', () => {
  let out: IndicatorSources;
  let live: Record<string, string>[];
  beforeAll(async () => {
    out = await parseIndicatorSources(DATA_DIR as string);
    live = raw('geo_lookups/dfe_leps.csv').filter((r) => r.status === 'live');
  }, 60_000);

  it('reads every file without rejects but the known source errors', () => {
    expect(out.reports.length).toBeGreaterThan(5);
    for (const r of out.reports) {
      // Stated source errors: the LEP rail times (a copy of the airport times) and blank NUTS3 cells.
      const unexpected = r.rejects.filter(
        (x) =>
          !(
            r.source.endsWith('beis_indicators_lep_long.csv') && /travel_time_to_rail equals/.test(x.reason)
          ) && !(r.source.endsWith('beis_indicators_nuts3_long.csv.gz') && x.reason === 'blank value'),
      );
      expect(unexpected, r.source).toEqual([]);
    }
    const rail = raw('nesta_beis_indicators/beis_indicators_lep_long.csv').filter(
      (r) => r.indicator === 'travel_time_to_rail',
    );
    const lepReport = out.reports.find((r) => r.source.endsWith('beis_indicators_lep_long.csv'));
    expect(lepReport?.rowsRejected).toBe(rail.length);
    expect(out.liveLeps.size).toBe(38);
  });

  it('covers all 38 LEPs of 2021 in the DfE sources and maps Nesta values onto them', () => {
    const codes = live.map((r) => r.local_enterprise_partnership_code);
    expect(new Set(codes).size).toBe(38);
    for (const id of ['enterprises', 'employment-manufacturing', 'enterprise-births']) {
      const covered = new Set(
        out.values.filter((v) => v.indicatorId === id && v.areaVintage === '2021').map((v) => v.areaCode),
      );
      expect([...covered].sort(), id).toEqual([...codes].sort());
    }
    // The 2020-vintage APS indicators reach, as published, every 2021 LEP whose code and footprint
    // survived into 2021; the rebuild from NUTS3 fills the other five.
    const aps = out.values.filter(
      (v) => v.indicatorId === 'stem-professionals' && v.areaVintage === '2021' && v.year === 2019,
    );
    expect(new Set(aps.filter((v) => !v.method).map((v) => v.areaCode)).size).toBe(33);
    expect(new Set(aps.map((v) => v.areaCode)).size).toBe(38);
  });

  it('Nesta values equal the raw long file cell for cell (sample)', () => {
    const ids = new Map(NESTA_INDICATORS.map((s) => [s.indicator, s.id]));
    const rows = raw('nesta_beis_indicators/beis_indicators_lep_long.csv').filter(
      (r) => r.indicator !== 'travel_time_to_rail',
    );
    const perHead = (v: { indicatorId: string }) => v.indicatorId.endsWith('-per-head');
    expect(
      out.values.filter((v) => v.sourceId === 'nesta_beis_indicators' && !v.publishedCopy && !perHead(v)),
    ).toHaveLength(rows.length);
    for (const r of every(rows, 53)) {
      const hit = out.values.filter(
        (v) =>
          v.sourceId === 'nesta_beis_indicators' &&
          !v.publishedCopy &&
          !perHead(v) &&
          v.indicatorId === ids.get(r.indicator as string) &&
          v.year === Number(r.year) &&
          v.sourceCode === r.region_id &&
          v.sourceVintage === r.region_year_spec,
      );
      expect(hit, JSON.stringify(r)).toHaveLength(1);
      expect(hit[0]?.value).toBe(Number(r.value));
    }
  });

  it('DfE values and England values equal the raw files (sample), suppressed cells flagged', () => {
    const ubc = raw('dfe_lsip_lep_business/enterprise_counts_by_size_UBC_2018_2022.csv');
    const bands: Record<string, string> = {
      Total: 'enterprises',
      Micro_0_to_9: 'enterprises-micro',
      Small_10_to_49: 'enterprises-small',
      Medium_sized_50_to_249: 'enterprises-medium',
      Large_250: 'enterprises-large',
    };
    const nameToCode = new Map(
      live.map((r) => [r.local_enterprise_partnership_name, r.local_enterprise_partnership_code]),
    );
    for (const r of every(
      ubc.filter((x) => x.geographic_level === 'LEP'),
      17,
    )) {
      const v = out.values.find(
        (x) =>
          x.indicatorId === bands[r['enterprise size'] as string] &&
          x.year === Number(r.year) &&
          x.areaCode === nameToCode.get(r.area as string),
      );
      expect(v?.value, JSON.stringify(r)).toBe(Number(r['enterprise count']));
    }
    const england = ubc.find(
      (r) => r.geographic_level === 'COUNTRY' && r.year === '2022' && r['enterprise size'] === 'Total',
    );
    expect(out.englandValues.find((e) => e.indicatorId === 'enterprises' && e.year === 2022)?.value).toBe(
      Number(england?.['enterprise count']),
    );

    const aps = raw('dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv').filter(
      (r) => r.geographic_level === 'LEP',
    );
    const suppressed = aps.filter((r) => r['Agriculture and Fishing'] === 'c');
    expect(suppressed.length).toBeGreaterThan(0);
    for (const r of suppressed) {
      const v = out.values.find(
        (x) =>
          x.indicatorId === 'employment-agriculture-fishing' &&
          x.year === Number(r.year) &&
          x.sourceCode === r.area,
      );
      expect(v).toMatchObject({ value: null, suppressed: true, suppressionMarker: 'c' });
    }
    for (const r of every(aps, 11)) {
      const v = out.values.find(
        (x) =>
          x.indicatorId === 'employment-manufacturing' &&
          x.year === Number(r.year) &&
          x.sourceCode === r.area,
      );
      expect(v?.value).toBe(Number(r.Manufacturing));
    }

    const demo = raw('dfe_lsip_lep_business/enterprise_demography_2016_2021.csv');
    const hotsw = demo.find((r) => r.area === 'Heart of the South West' && r.year === '2021');
    const rate = out.values.find(
      (x) => x.indicatorId === 'enterprise-birth-rate' && x.year === 2021 && x.areaCode === 'E37000016',
    );
    expect(rate?.value).toBeCloseTo((1000 * Number(hotsw?.births)) / Number(hotsw?.active), 10);
    expect(out.values.some((v) => v.sourceCode === 'Heart of South West')).toBe(false);
  });

  it('states the vintage mapping, including the reused code E37000058', () => {
    const m = (code: string, spec: string) =>
      out.lepMapping.find((x) => x.fromCode === code && x.fromSpec === spec);
    expect(m('E37000058', '2020')).toMatchObject({ toCode: null, codeReusedIn2021: true });
    expect(m('E37000043', '2020')).toMatchObject({ toCode: 'E37000043', rule: 'documented_rename' });
    expect(m('E37000050', '2020')).toMatchObject({ toCode: null, rule: 'unmapped' });
    expect(m('E37000015', '2017')).toMatchObject({ toCode: 'E37000015', rule: 'same_code_and_name' });
    const mapped = out.lepMapping.filter((x) => x.toCode).reduce((a, x) => a + x.values, 0);
    const kept = out.lepMapping.filter((x) => !x.toCode).reduce((a, x) => a + x.values, 0);
    expect(mapped + kept).toBe(
      out.values.filter(
        (v) =>
          v.sourceId.startsWith('nesta') &&
          !v.publishedCopy &&
          !v.method &&
          !v.indicatorId.endsWith('-per-head'),
      ).length,
    );
  });

  it('each Nesta indicator-year is published on one vintage; with the rebuild it is one cohort of 38', () => {
    const vintages = new Map<string, Set<string>>();
    for (const v of out.values) {
      if (v.method || v.publishedCopy) continue;
      const k = `${v.indicatorId}|${v.year}`;
      vintages.set(k, (vintages.get(k) ?? new Set()).add(v.sourceVintage));
    }
    expect(vintages.size).toBeGreaterThan(100);
    for (const [k, s] of vintages) expect(s.size, k).toBe(1);
    const pm10 = out.values.filter(
      (v) => v.indicatorId === 'pm10-background-pollution' && v.year === 2018 && v.areaVintage === '2021',
    );
    const ranked = rankValues(pm10, 'lower_is_better');
    expect(ranked.n).toBe(38);
    const best = ranked.values.find((v) => v.rank === 1);
    expect(best?.value).toBe(Math.min(...pm10.map((v) => v.value as number)));
  });
});
