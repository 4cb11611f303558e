import { ENGLAND_CODE } from '../../domain/geography.ts';
import { type Aggregation, rebuild, relativeDifference } from '../../domain/lep-rebuild.ts';
import type { SourceReporter } from '../report.ts';
import type { EnglandValue, IndicatorValue } from '../sources/indicator-model.ts';
import type { LepGeography } from '../sources/lep-nuts3.ts';
import {
  ABSENT_IS_ZERO_SOURCE_DIRS,
  aggregationOf,
  NESTA_SOURCE_ID,
  type NestaCatalogueEntry,
} from '../sources/nesta.ts';
import { NUTS3_FILE, type Nuts3Value } from '../sources/nuts3.ts';
import { type ItlPopulation, populationIn } from '../sources/population.ts';

/**
 * Put every Nesta indicator on the 2021 LEPs. For each indicator-year with NUTS3 rows that can be
 * placed, every live LEP gets a value: the published one when the LEP's footprint is unchanged
 * (served exactly as published, its difference from the rebuild reported), otherwise the value
 * rebuilt from its NUTS3 areas. England is rebuilt the same way from all English NUTS3 areas.
 */

export const NUTS3_SOURCE_ID = 'nesta_beis_indicators_nuts3';

export interface RebuildResult {
  values: IndicatorValue[];
  englandValues: EnglandValue[];
  /** Published vs rebuilt, where both exist. */
  comparisons: { indicatorId: string; year: number; areaCode: string; published: number; rebuilt: number }[];
}

export function rebuildNestaOnLeps(opts: {
  catalogue: ReadonlyMap<string, NestaCatalogueEntry>;
  published: readonly IndicatorValue[];
  nuts3: ReadonlyMap<string, ReadonlyMap<string, Nuts3Value>>;
  geography: LepGeography;
  population: ItlPopulation;
  liveLeps: ReadonlyMap<string, string>;
  rep: SourceReporter;
}): RebuildResult {
  const { catalogue, nuts3, geography, population, rep } = opts;
  const onFinal = new Map<string, IndicatorValue>();
  for (const v of opts.published) {
    if (v.areaVintage === '2021') onFinal.set(`${v.indicatorId}|${v.year}|${v.areaCode}`, v);
  }
  const values: IndicatorValue[] = [];
  const englandValues: EnglandValue[] = [];
  const comparisons: RebuildResult['comparisons'] = [];
  const counts = { asPublished: 0, sum: 0, weighted: 0, apportioned: 0 };
  const notAggregated: string[] = [];
  for (const entry of catalogue.values()) {
    const aggregation = aggregationOf(entry.spec);
    if (aggregation === 'none') {
      notAggregated.push(entry.spec.id);
      continue;
    }
    const absentIsZero = ABSENT_IS_ZERO_SOURCE_DIRS.has(entry.meta.sourceDir);
    for (const [key, areaValues] of nuts3) {
      const [indicator, yearText] = key.split('|') as [string, string];
      if (indicator !== entry.meta.indicator) continue;
      const year = Number(yearText);
      const byCode = new Map([...areaValues].map(([itl, v]) => [itl, { value: v.value, label: v.nuts3 }]));
      const weights = new Map<string, number>();
      let weightYear: number | undefined;
      if (aggregation === 'weighted') {
        for (const itl of geography.englishItl3) {
          const p = populationIn(population, itl, year);
          if (p) {
            weights.set(itl, p.value);
            if (p.year !== year) weightYear = p.year;
          }
        }
      }
      const ropts = { aggregation: aggregation as Aggregation, absentIsZero, weights };
      for (const [code, parts] of geography.parts) {
        const r = rebuild(
          parts.map((p) => ({ code: p.itl3, share: p.share })),
          byCode,
          ropts,
        );
        const pub = onFinal.get(`${entry.spec.id}|${year}|${code}`);
        if (pub) {
          counts.asPublished += 1;
          if (r && pub.value !== null)
            comparisons.push({
              indicatorId: entry.spec.id,
              year,
              areaCode: code,
              published: pub.value,
              rebuilt: r.value,
            });
          continue;
        }
        if (!r) continue;
        counts[
          r.method === 'nuts3-sum' ? 'sum' : r.method === 'nuts3-weighted' ? 'weighted' : 'apportioned'
        ] += 1;
        values.push({
          indicatorId: entry.spec.id,
          areaCode: code,
          areaVintage: '2021',
          year,
          value: r.value,
          suppressed: false,
          suppressionMarker: null,
          sourceId: NUTS3_SOURCE_ID,
          sourceCode: r.inputs.map((i) => i.code).join('+') || code,
          sourceVintage: 'NUTS3',
          method: r.method,
          inputs: {
            file: NUTS3_FILE,
            areas: r.inputs.map((i) => ({
              code: i.code,
              value: i.value,
              ...(i.share < 1 ? { share: i.share } : {}),
              ...(i.weight !== undefined ? { weight: i.weight } : {}),
            })),
            ...(r.missing.length ? { missing: r.missing } : {}),
            ...(r.zeros.length ? { zeros: r.zeros } : {}),
            ...(weightYear !== undefined ? { weightYear } : {}),
          },
        });
      }
      const eng = rebuild(
        [...geography.englishItl3].map((itl) => ({ code: itl, share: 1 })),
        byCode,
        ropts,
      );
      if (eng) {
        englandValues.push({
          indicatorId: entry.spec.id,
          areaCode: ENGLAND_CODE,
          year,
          value: eng.value,
          suppressed: false,
          suppressionMarker: null,
          sourceId: NUTS3_SOURCE_ID,
          method: eng.method,
        });
      }
    }
  }
  rep.note(
    `Rebuilt on the 2021 LEPs: ${counts.sum} values summed from whole NUTS3 areas, ${counts.weighted} population-weighted means of whole areas, ${counts.apportioned} with a NUTS3 area apportioned by population; ${counts.asPublished} LEP values on an unchanged footprint kept as published. Not re-aggregated (left on the geography they were published on): ${notAggregated.join(', ')}.`,
  );
  const diffs = comparisons.map((c) => ({ ...c, rel: relativeDifference(c.rebuilt, c.published) }));
  const byIndicator = new Map<string, typeof diffs>();
  for (const d of diffs) byIndicator.set(d.indicatorId, [...(byIndicator.get(d.indicatorId) ?? []), d]);
  for (const [id, ds] of [...byIndicator].sort(([a], [b]) => a.localeCompare(b))) {
    const exact = ds.filter((d) => d.rel < 1e-9).length;
    const worst = ds.reduce((w, d) => (d.rel > w.rel ? d : w));
    rep.note(
      `published vs rebuilt, ${id}: ${ds.length} LEP-years compared, ${exact} equal, ${ds.filter((d) => d.rel < 0.005).length} within 0.5%; largest difference ${(worst.rel * 100).toFixed(2)}% (${worst.areaCode} ${worst.year}: published ${worst.published}, rebuilt ${round(worst.rebuilt)}). The published value is served.`,
    );
  }
  return { values, englandValues, comparisons };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * A copy of each published value that was moved onto a 2021 code, kept on the geography it was
 * published on, so `vintage=2014|2017|2020` serves every value of that vintage exactly as published.
 */
export function publishedVintageCopies(values: readonly IndicatorValue[]): IndicatorValue[] {
  return values
    .filter((v) => v.sourceId.startsWith(NESTA_SOURCE_ID) || v.sourceId === 'nesta_gtr_total_ukri_funding')
    .filter((v) => v.areaVintage === '2021' && /^-?20\d\d$/.test(v.sourceVintage))
    .map((v) => ({
      ...v,
      areaCode: v.sourceCode,
      areaVintage: v.sourceVintage === '-2014' ? '2014' : (v.sourceVintage as IndicatorValue['areaVintage']),
      publishedCopy: true as const,
    }));
}
