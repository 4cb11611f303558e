import { ENGLAND_CODE } from '../../domain/geography.ts';
import { rebuild } from '../../domain/lep-rebuild.ts';
import type { SourceReporter } from '../report.ts';
import type {
  EnglandValue,
  IndicatorDef,
  IndicatorSource,
  IndicatorValue,
} from '../sources/indicator-model.ts';
import type { LepGeography } from '../sources/lep-nuts3.ts';
import {
  type ItlPopulation,
  POPULATION_FILES,
  POPULATION_SHEET,
  populationIn,
} from '../sources/population.ts';

/**
 * Resident population as its own indicator on the 2021 LEPs (and England), and a per-head variant
 * of every total: value ÷ population of the LEP in the same year (the nearest year published when
 * Table 6 does not cover it, stated in the value's inputs).
 *
 * Denominator: residents, for every total. Per £m GVA would suit money and per 1,000 businesses
 * would suit firm counts, but the only business counts on the 2021 LEPs (UBC, 2018–22) barely
 * overlap the Nesta years (to 2018), and residents is the one denominator available for every year
 * and every LEP; so it is one rule, stated. Money is per resident (£ per head), everything else per
 * 1,000 residents.
 */

export const POPULATION_ID = 'population';
export const POPULATION_SOURCE_ID = 'ons_regional_accounts_population';

export const POPULATION_SOURCE: IndicatorSource = {
  id: POPULATION_SOURCE_ID,
  title: 'Regional gross domestic product: all ITL regions, Table 6 (resident population)',
  publisher: 'Office for National Statistics',
  licence: 'Open Government Licence v3',
  url: 'https://www.ons.gov.uk/economy/grossdomesticproductgdp/datasets/regionalgrossdomesticproductallnutslevelregions',
  provenance: `ONS workbook published 2023-04-25, ${POPULATION_SHEET}: mid-year resident population of every ITL3 area, 1998–2021 (2021 provisional). LEPs are sums of their ITL3 areas; an area cut by a LEP boundary is apportioned by the mid-2020 population of its districts (mySociety register of councils, CC-BY-4.0).`,
  files: [POPULATION_FILES.itl, POPULATION_FILES.districts],
};

const MONEY_UNITS = new Set(['GBP', 'EUR']);

/** How a per-head variant divides: per 1 resident for money, per 1,000 for everything else. */
export const perHeadScale = (unit: string) =>
  MONEY_UNITS.has(unit)
    ? { per: 1, label: 'per resident', unit: `${unit} per resident` }
    : { per: 1000, label: 'per 1,000 residents', unit: `${unit} per 1,000 residents` };

export const perHeadId = (id: string) => `${id}-per-head`;

export interface PerHeadResult {
  indicators: IndicatorDef[];
  values: IndicatorValue[];
  englandValues: EnglandValue[];
}

/** Population of each live LEP for every Table 6 year, rebuilt from its ITL3 parts. */
export function lepPopulation(geography: LepGeography, population: ItlPopulation): IndicatorValue[] {
  const out: IndicatorValue[] = [];
  for (const year of population.years) {
    const byCode = new Map<string, { value: number; label: string }>();
    for (const itl of geography.englishItl3) {
      const v = population.byArea.get(itl)?.get(year);
      if (v !== undefined) byCode.set(itl, { value: v, label: itl });
    }
    for (const [code, parts] of geography.parts) {
      const r = rebuild(
        parts.map((p) => ({ code: p.itl3, share: p.share })),
        byCode,
        { aggregation: 'sum', absentIsZero: false },
      );
      if (!r) continue;
      out.push({
        indicatorId: POPULATION_ID,
        areaCode: code,
        areaVintage: '2021',
        year,
        value: r.value,
        suppressed: false,
        suppressionMarker: null,
        sourceId: POPULATION_SOURCE_ID,
        sourceCode: r.inputs.map((i) => i.code).join('+'),
        sourceVintage: 'ITL3',
        method: r.method,
        inputs: {
          file: POPULATION_FILES.itl,
          areas: r.inputs.map((i) => ({
            code: i.code,
            value: i.value,
            ...(i.share < 1 ? { share: i.share } : {}),
          })),
          ...(r.missing.length ? { missing: r.missing } : {}),
        },
      });
    }
  }
  return out;
}

/**
 * The population indicator and a per-head variant for every total in `indicators` (on 2021 LEP
 * values only: the earlier vintages' footprints have no population here). Base totals without a
 * size-free variant point at their per-head one through `rateVariantId`.
 */
export function perHeadVariants(opts: {
  indicators: IndicatorDef[];
  values: readonly IndicatorValue[];
  englandValues: readonly EnglandValue[];
  geography: LepGeography;
  population: ItlPopulation;
  rep: SourceReporter;
}): PerHeadResult {
  const { population, rep } = opts;
  const popValues = lepPopulation(opts.geography, population);
  const popOf = new Map(popValues.map((v) => [`${v.areaCode}|${v.year}`, v.value as number]));
  const lepPopIn = (code: string, year: number) => {
    const exact = popOf.get(`${code}|${year}`);
    if (exact !== undefined) return { year, value: exact };
    const years = population.years;
    if (years.length === 0) return null;
    const nearest = years.reduce((b, y) => (Math.abs(y - year) < Math.abs(b - year) ? y : b));
    const v = popOf.get(`${code}|${nearest}`);
    return v === undefined ? null : { year: nearest, value: v };
  };
  const englandPop: EnglandValue[] = population.years.flatMap((year) => {
    const v = population.byArea.get('TLB')?.get(year);
    return v === undefined
      ? []
      : [
          {
            indicatorId: POPULATION_ID,
            areaCode: ENGLAND_CODE,
            year,
            value: v,
            suppressed: false,
            suppressionMarker: null,
            sourceId: POPULATION_SOURCE_ID,
          },
        ];
  });
  const popDef: IndicatorDef = {
    id: POPULATION_ID,
    title: 'Resident population',
    description:
      'Mid-year resident population (ONS regional accounts, Table 6), summed over the ITL3 areas of the LEP; an area cut by the LEP boundary counts with its share of mid-2020 district population.',
    unit: 'people',
    measure: 'total',
    polarity: 'neutral',
    actor: 'place',
    dimension: 'environment',
    source: POPULATION_SOURCE,
    sourceIndicator: `${POPULATION_SHEET}: Total resident population numbers, persons`,
    years: [],
    areaVintages: [],
    rateVariantId: null,
    rateOf: null,
    experimental: false,
    caveats: [
      'LEPs that share districts (Greater Birmingham and Solihull with Stoke-on-Trent and Staffordshire and with Worcestershire) both count those residents, so LEP populations add up to more than England.',
    ],
  };
  const indicators: IndicatorDef[] = [popDef];
  const values: IndicatorValue[] = [...popValues];
  const englandValues: EnglandValue[] = [...englandPop];
  const engTotals = new Map(opts.englandValues.map((e) => [`${e.indicatorId}|${e.year}`, e]));
  for (const base of opts.indicators.filter((d) => d.measure === 'total')) {
    const scale = perHeadScale(base.unit);
    const id = perHeadId(base.id);
    indicators.push({
      id,
      title: `${base.title}, ${scale.label}`,
      description: `${base.description} Divided by the LEP’s resident population in the same year (ONS Table 6), ${scale.label}.`,
      unit: scale.unit,
      measure: 'rate',
      polarity: base.polarity,
      actor: base.actor,
      dimension: base.dimension,
      source: base.source,
      sourceIndicator: `${base.sourceIndicator || base.id} / resident population × ${scale.per}`,
      years: [],
      areaVintages: [],
      rateVariantId: null,
      rateOf: {
        numeratorId: base.id,
        denominatorId: POPULATION_ID,
        denominator: 'resident population',
        per: scale.per,
      },
      experimental: base.experimental,
      caveats: [
        ...base.caveats,
        'Per head of the whole resident population; for figures tied to a workforce or a student body, compare with that in mind.',
      ],
    });
    if (base.rateVariantId === null) base.rateVariantId = id;
    let nearest = 0;
    for (const v of opts.values) {
      if (v.indicatorId !== base.id || v.areaVintage !== '2021') continue;
      const p = lepPopIn(v.areaCode, v.year);
      if (!p) continue;
      if (p.year !== v.year) nearest += 1;
      values.push({
        ...v,
        indicatorId: id,
        method: 'derived',
        value: v.value === null ? null : (v.value / p.value) * scale.per,
        bounds: v.bounds
          ? {
              lower: (v.bounds.lower / p.value) * scale.per,
              upper: (v.bounds.upper / p.value) * scale.per,
              note: v.bounds.note,
            }
          : null,
        inputs: {
          file: `${v.inputs?.file ?? base.source.files[0] ?? ''} ÷ ${POPULATION_FILES.itl}`,
          areas: [
            { code: `${base.id}:${v.sourceCode}`, ...(v.value !== null ? { value: v.value } : {}) },
            { code: `${POPULATION_ID}:${v.areaCode}`, value: p.value },
          ],
          ...(p.year !== v.year ? { weightYear: p.year } : {}),
          numeratorMethod: v.method ?? 'as-published',
        },
      });
    }
    for (const y of new Set(opts.values.filter((v) => v.indicatorId === base.id).map((v) => v.year))) {
      const e = engTotals.get(`${base.id}|${y}`);
      const p = populationIn(population, 'TLB', y);
      if (!e || !p) continue;
      englandValues.push({
        ...e,
        indicatorId: id,
        value: e.value === null ? null : (e.value / p.value) * scale.per,
      });
    }
    if (nearest)
      rep.note(
        `${id}: ${nearest} values divided by the population of the nearest year Table 6 has (it ends in ${population.years.at(-1)}).`,
      );
  }
  rep.note(
    `Per-head variants: ${indicators.length - 1} totals divided by resident population (money per resident, other counts per 1,000 residents).`,
  );
  return { indicators, values, englandValues };
}
