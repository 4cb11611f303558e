import { z } from '@hono/zod-openapi';
import type { IndicatorBrief, IndicatorRow, IndicatorValueRow } from '../db/indicator-queries.ts';
import { LEP_VINTAGE } from '../domain/geography.ts';
import { ACTORS, DIMENSIONS, POLARITY } from '../domain/indicators.ts';
import { VALUE_METHODS } from '../domain/lep-rebuild.ts';
import { servedStanding } from '../domain/ranking.ts';
import type { ExportColumn, ExportSource } from '../http/export.ts';

/** Public shapes and row → JSON mappers shared by the indicator, LEP and compare routes. */

export { ACTORS, DIMENSIONS, POLARITY };

/** Cohorts smaller than this make ranks and percentiles fragile; such values are flagged. */
export const SMALL_COHORT = 10;

export const IndicatorSummary = z
  .object({
    id: z.string().openapi({ example: 'gbp_research_income' }),
    title: z.string().openapi({ example: 'Research income' }),
    unit: z.string().openapi({ example: '£ thousands' }),
    measure: z.enum(['total', 'rate', 'share', 'average', 'index']).openapi({
      description: '`total` grows with the size of the area: compare its rate variant where one exists.',
    }),
    polarity: z.enum(POLARITY).openapi({
      description:
        'Which direction is better: `higher_is_better` and `lower_is_better` are ranked (1 = best, with percentiles); `neutral` (size, structure) has no better direction, so its values get an `order` by value, highest first, and no rank or percentile.',
    }),
    actor: z.enum(ACTORS).openapi({ description: 'Who the indicator is about.' }),
    dimension: z.enum(DIMENSIONS).openapi({ description: 'funding, talent, outputs or environment.' }),
    latestYear: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Latest year with values on the 2021 LEP geography.' }),
    href: z.string().openapi({ example: '/v1/indicators/gbp_research_income' }),
  })
  .openapi('IndicatorSummary');

export const IndicatorSourceSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    publisher: z.string(),
    licence: z.string(),
    url: z.string(),
    provenance: z.string(),
    files: z.array(z.string()),
  })
  .openapi('IndicatorSource');

export const Indicator = IndicatorSummary.extend({
  description: z.string().openapi({ description: 'Plain-English definition.' }),
  source: IndicatorSourceSchema,
  sourceIndicator: z.string().openapi({ description: 'The source’s own name for the series.' }),
  years: z.array(z.number().int()).openapi({ description: 'Every year with a published value.' }),
  areaVintages: z.array(z.string()).openapi({
    description:
      'LEP geography vintages the values are on: 2021 = final LEPs; others stay on their own codes.',
  }),
  rateVariantId: z
    .string()
    .nullable()
    .openapi({ description: 'For a raw total: the size-free rate it is also offered as.' }),
  rateOf: z
    .object({
      numeratorId: z.string(),
      denominatorId: z.string().nullable(),
      denominator: z.string(),
      per: z.number(),
    })
    .nullable()
    .openapi({ description: 'For a derived rate: what it divides by what.' }),
  experimental: z.boolean(),
  caveats: z.array(z.string()),
}).openapi('Indicator');

export const ValueView = z
  .object({
    indicator: IndicatorSummary.pick({
      id: true,
      title: true,
      unit: true,
      polarity: true,
      measure: true,
      href: true,
    }),
    area: z.object({
      code: z.string(),
      name: z.string().nullable(),
      vintage: z.string(),
      href: z.string().openapi({ example: '/v1/areas/E37000015' }),
    }),
    year: z.number().int(),
    value: z.number().nullable().openapi({ description: 'As published (null when suppressed).' }),
    suppressed: z.boolean(),
    suppressionMarker: z
      .string()
      .nullable()
      .openapi({ description: 'The marker published instead of a number: c, low, x.' }),
    rank: z.number().int().nullable().openapi({
      description:
        '1 = best given the polarity; ties share a rank (1, 2, 2, 4). Null for a `neutral` indicator (size, structure: no direction is better), which has `order` instead, and for a value not ranked.',
    }),
    order: z.number().int().nullable().openapi({
      description:
        'Neutral indicators only: position by value, highest first (1 = highest; ties share, 1, 2, 2, 4). Not a judgement: no direction is better. Null for directional indicators, whose `rank` says where the area stands.',
    }),
    of: z
      .number()
      .int()
      .openapi({ description: 'Areas with a value in this cohort (same indicator, year and vintage).' }),
    percentile: z.number().nullable().openapi({
      description:
        '100 × share of the other ranked areas this one beats or equals. Null for a `neutral` indicator (see `order`).',
    }),
    z: z
      .number()
      .nullable()
      .openapi({ description: '(value − cohort mean) / population sd; not flipped for polarity.' }),
    median: z.number().nullable().openapi({ description: 'Median of the cohort.' }),
    mean: z.number().nullable(),
    england: z.number().nullable().openapi({
      description:
        'England value: as the source publishes it (DfE), or rebuilt from every English NUTS3 area (Nesta sums and population-weighted means).',
    }),
    method: z.enum(VALUE_METHODS).openapi({
      description:
        'How the value was obtained: `as-published` (the source’s own value for this footprint), `nuts3-sum` (sum of whole NUTS3 areas), `nuts3-weighted` (population-weighted mean of whole NUTS3 areas), `apportioned` (a NUTS3 area cut by the LEP boundary contributes its share of population), `derived` (computed by the observatory from other values: a share or rate from the numerator and denominator in the same source row — see the indicator’s `rateOf` — or a per-head value, the total ÷ the resident population, both named in `inputs`).',
    }),
    inputs: z
      .object({
        file: z.string().openapi({ example: 'nesta_beis_indicators/beis_indicators_nuts3_long.csv.gz' }),
        areas: z
          .array(
            z.object({
              code: z.string().openapi({ example: 'UKD33' }),
              value: z.number().optional(),
              share: z
                .number()
                .optional()
                .openapi({ description: 'Population share taken (absent = whole).' }),
              weight: z
                .number()
                .optional()
                .openapi({ description: 'Resident population used as the weight.' }),
            }),
          )
          .openapi({ description: 'Source areas as published, with their values.' }),
        missing: z
          .array(z.string())
          .optional()
          .openapi({ description: 'Parts with no published value, left out.' }),
        zeros: z
          .array(z.string())
          .optional()
          .openapi({ description: 'Parts with no row, taken as 0 (no institution or project there).' }),
        weightYear: z
          .number()
          .int()
          .optional()
          .openapi({ description: 'Population year, when not the value’s year.' }),
        numeratorMethod: z
          .enum(VALUE_METHODS)
          .optional()
          .openapi({ description: 'For a per-head value: how the total it divides was obtained.' }),
      })
      .nullable()
      .openapi({
        description:
          'For a rebuilt value: what it was computed from, to reproduce it. Null when as published.',
      }),
    bounds: z.object({ lower: z.number(), upper: z.number(), note: z.string() }).nullable().openapi({
      description:
        'When a suppressed input makes the value uncertain: its range and how it was set (flag `bounded`). A share whose row has a suppressed group is served as the midpoint of its bounds and ranked on it; a suppressed cell keeps value null with the range it is taken to lie in.',
    }),
    cohortComplete: z.boolean().openapi({
      description:
        'True when the cohort holds every 2021 LEP (or the value is on an earlier vintage); otherwise no rank, percentile or z is given.',
    }),
    change: z
      .object({
        sinceYear: z.number().int(),
        previousValue: z.number(),
        absolute: z.number(),
        percent: z.number().nullable(),
      })
      .nullable()
      .openapi({ description: 'Against the latest earlier year with a value.' }),
    flags: z
      .array(
        z.enum([
          'suppressed',
          'small_cohort',
          'own_vintage',
          'mapped_to_2021',
          'rebuilt',
          'apportioned',
          'incomplete_cohort',
          'bounded',
        ]),
      )
      .openapi({ description: 'Caveats on this value.' }),
    source: z.object({ id: z.string(), code: z.string(), vintage: z.string() }).openapi({
      description: 'The source and the area code/vintage as the source published it.',
    }),
  })
  .openapi('IndicatorValue');

export type ValueViewT = z.infer<typeof ValueView>;

/** A total in a profile, with its per-head variant beside it. */
export const ProfileValueView = ValueView.extend({
  perHead: z
    .object({
      indicatorId: z.string().openapi({ example: 'university-research-income-per-head' }),
      unit: z.string().openapi({ example: 'GBP per resident' }),
      year: z.number().int(),
      value: z.number().nullable(),
      rank: z.number().int().nullable().openapi({ description: 'As in IndicatorValue: null when neutral.' }),
      order: z
        .number()
        .int()
        .nullable()
        .openapi({ description: 'Neutral only: position by value, highest first.' }),
      of: z.number().int(),
      percentile: z.number().nullable(),
      england: z.number().nullable(),
      href: z.string().openapi({ example: '/v1/indicators/university-research-income-per-head' }),
    })
    .nullable()
    .openapi({
      description:
        'For a total: the same value divided by resident population (money per resident, counts per 1,000 residents), ranked on its own. Null for a size-free measure.',
    }),
}).openapi('ProfileValue');

/** A profile value: the value view plus the per-head variant of a total. */
export function toProfileValueView(
  v: IndicatorValueRow,
  i: IndicatorBrief,
  areaName: string | null,
  perHead: { v: IndicatorValueRow; i: IndicatorBrief } | undefined,
): z.infer<typeof ProfileValueView> {
  return {
    ...toValueView(v, i, areaName),
    perHead: perHead
      ? {
          indicatorId: perHead.i.id,
          unit: perHead.i.unit,
          year: perHead.v.year,
          value: perHead.v.value,
          ...servedStanding(perHead.i.polarity, perHead.v.rank, perHead.v.percentile),
          of: perHead.v.cohortSize,
          england: perHead.v.englandValue,
          href: `/v1/indicators/${perHead.i.id}`,
        }
      : null,
  };
}

export const toIndicatorSummary = (i: IndicatorBrief) => ({
  id: i.id,
  title: i.title,
  unit: i.unit,
  measure: i.measure as z.infer<typeof IndicatorSummary>['measure'],
  polarity: i.polarity as (typeof POLARITY)[number],
  actor: i.actor as (typeof ACTORS)[number],
  dimension: i.dimension as (typeof DIMENSIONS)[number],
  latestYear: i.latestYear,
  href: `/v1/indicators/${i.id}`,
});

export const toIndicator = (i: IndicatorRow): z.infer<typeof Indicator> => ({
  ...toIndicatorSummary(i),
  description: i.description,
  source: i.source as z.infer<typeof IndicatorSourceSchema>,
  sourceIndicator: i.sourceIndicator,
  years: i.years,
  areaVintages: i.areaVintages,
  rateVariantId: i.rateVariantId,
  rateOf: i.rateOf as z.infer<typeof Indicator>['rateOf'],
  experimental: i.experimental,
  caveats: i.caveats,
});

/** Methods that rebuild a value from NUTS3 areas (flagged `rebuilt`). */
const REBUILT = new Set<string | undefined>(['nuts3-sum', 'nuts3-weighted', 'apportioned']);

export function toValueView(v: IndicatorValueRow, i: IndicatorBrief, areaName: string | null): ValueViewT {
  const flags: ValueViewT['flags'] = [];
  const numeratorMethod = (v.inputs as { numeratorMethod?: string } | null)?.numeratorMethod;
  if (v.suppressed) flags.push('suppressed');
  if (v.cohortSize < SMALL_COHORT) flags.push('small_cohort');
  if (v.areaVintage !== LEP_VINTAGE) flags.push('own_vintage');
  else if (REBUILT.has(v.method) || REBUILT.has(numeratorMethod)) flags.push('rebuilt');
  else if (v.sourceVintage !== LEP_VINTAGE && v.sourceVintage !== v.areaVintage) flags.push('mapped_to_2021');
  if (v.method === 'apportioned' || numeratorMethod === 'apportioned') flags.push('apportioned');
  if (!v.cohortComplete) flags.push('incomplete_cohort');
  if (v.valueLower !== null) flags.push('bounded');
  return {
    indicator: {
      id: i.id,
      title: i.title,
      unit: i.unit,
      polarity: i.polarity as (typeof POLARITY)[number],
      measure: i.measure as ValueViewT['indicator']['measure'],
      href: `/v1/indicators/${i.id}`,
    },
    area: { code: v.areaCode, name: areaName, vintage: v.areaVintage, href: `/v1/areas/${v.areaCode}` },
    year: v.year,
    value: v.value,
    suppressed: v.suppressed,
    suppressionMarker: v.suppressionMarker,
    ...servedStanding(i.polarity, v.rank, v.percentile),
    of: v.cohortSize,
    z: v.z,
    median: v.cohortMedian,
    mean: v.cohortMean,
    england: v.englandValue,
    method: v.method as ValueViewT['method'],
    inputs: (v.inputs as ValueViewT['inputs']) ?? null,
    bounds:
      v.valueLower !== null && v.valueUpper !== null
        ? { lower: v.valueLower, upper: v.valueUpper, note: v.boundsNote ?? '' }
        : null,
    cohortComplete: v.cohortComplete,
    change:
      v.previousYear !== null && v.previousValue !== null && v.changeAbs !== null
        ? {
            sinceYear: v.previousYear,
            previousValue: v.previousValue,
            absolute: v.changeAbs,
            percent: v.changePct,
          }
        : null,
    flags,
    source: { id: v.sourceId, code: v.sourceCode, vintage: v.sourceVintage },
  };
}

/** Columns for CSV/XLSX exports of value views; each one defined in the Definitions sheet. */
export const VALUE_EXPORT_COLUMNS: ExportColumn<ValueViewT>[] = [
  { header: 'area_code', description: 'GSS code of the LEP as served', value: (r) => r.area.code },
  { header: 'area_name', description: 'LEP name', value: (r) => r.area.name },
  {
    header: 'area_vintage',
    description: 'LEP geography vintage of the code (2021 = final geography)',
    value: (r) => r.area.vintage,
  },
  { header: 'indicator_id', description: 'Indicator id (see /v1/indicators)', value: (r) => r.indicator.id },
  { header: 'indicator', description: 'Indicator title', value: (r) => r.indicator.title },
  { header: 'unit', description: 'Unit of the value', value: (r) => r.indicator.unit },
  {
    header: 'polarity',
    description: 'higher_is_better, lower_is_better or neutral',
    value: (r) => r.indicator.polarity,
  },
  { header: 'year', description: 'Year of the value', value: (r) => r.year },
  {
    header: 'value',
    description: 'Value (as published or rebuilt: see method); empty when suppressed',
    value: (r) => r.value,
  },
  {
    header: 'method',
    description: 'as-published, nuts3-sum, nuts3-weighted, apportioned or derived',
    value: (r) => r.method,
  },
  {
    header: 'inputs',
    description: 'Source areas a rebuilt value was computed from (code, or code×share)',
    value: (r) =>
      r.inputs?.areas
        .map((a) => (a.share !== undefined ? `${a.code}×${a.share.toFixed(4)}` : a.code))
        .join(' ') ?? null,
  },
  {
    header: 'suppressed',
    description: 'True when the source suppressed the value',
    value: (r) => r.suppressed,
  },
  {
    header: 'rank',
    description: '1 = best given the polarity; ties share a rank; empty for neutral indicators (see order)',
    value: (r) => r.rank,
  },
  {
    header: 'order',
    description: 'Neutral indicators only: position by value, highest first (no direction is better)',
    value: (r) => r.order,
  },
  { header: 'of', description: 'Number of areas ranked', value: (r) => r.of },
  {
    header: 'percentile',
    description: '100 × share of other ranked areas beaten or equalled; empty for neutral indicators',
    value: (r) => r.percentile,
  },
  { header: 'z', description: '(value − cohort mean) / population standard deviation', value: (r) => r.z },
  { header: 'median', description: 'Cohort median', value: (r) => r.median },
  {
    header: 'england',
    description: 'England value (published, or rebuilt from NUTS3)',
    value: (r) => r.england,
  },
  {
    header: 'previous_year',
    description: 'Latest earlier year with a value',
    value: (r) => r.change?.sinceYear ?? null,
  },
  {
    header: 'change',
    description: 'value − value in previous_year',
    value: (r) => r.change?.absolute ?? null,
  },
  {
    header: 'change_pct',
    description: '100 × change / |previous value|',
    value: (r) => r.change?.percent ?? null,
  },
  {
    header: 'lower',
    description: 'Lower bound when a suppressed input makes the value uncertain (see bounds_note)',
    value: (r) => r.bounds?.lower ?? null,
  },
  {
    header: 'upper',
    description: 'Upper bound when a suppressed input makes the value uncertain',
    value: (r) => r.bounds?.upper ?? null,
  },
  {
    header: 'bounds_note',
    description: 'How the bounds were set (which cell was suppressed, its ceiling and why)',
    value: (r) => r.bounds?.note ?? null,
  },
  {
    header: 'flags',
    description:
      'suppressed, small_cohort, own_vintage, mapped_to_2021, rebuilt, apportioned, incomplete_cohort, bounded',
    value: (r) => r.flags.join(' '),
  },
  { header: 'source_code', description: 'Area code as the source published it', value: (r) => r.source.code },
  {
    header: 'source_vintage',
    description: 'Geography vintage of the source code',
    value: (r) => r.source.vintage,
  },
];

/** Tables computed over the whole indicator catalogue (peers, scoreboard): its sources are listed per indicator. */
export const INDICATOR_CATALOGUE_SOURCE: ExportSource = {
  id: 'indicator_catalogue',
  title: 'Indicator catalogue (/v1/indicators; each indicator names its own source)',
  licence: 'Open Government Licence v3 unless an indicator’s source says otherwise',
  provenance: 'Built by the pipeline from the indicator sources listed in /v1/meta.',
};

export function exportSourcesOf(rows: readonly Pick<IndicatorRow, 'source'>[]): ExportSource[] {
  const seen = new Map<string, ExportSource>();
  for (const i of rows) {
    const s = i.source as z.infer<typeof IndicatorSourceSchema>;
    if (!seen.has(s.id))
      seen.set(s.id, {
        id: s.id,
        title: `${s.title} (${s.publisher})`,
        licence: s.licence,
        provenance: `${s.provenance} ${s.url}`,
      });
  }
  return [...seen.values()];
}

/** OpenAPI 200 response offering JSON plus CSV and XLSX of the same table. */
export function tableResponse<T extends z.ZodType>(schema: T, description: string) {
  return {
    description: `${description}. Also as ?format=csv or ?format=xlsx.`,
    content: {
      'application/json': { schema },
      'text/csv': { schema: z.string().openapi({ format: 'binary' }) },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
        schema: z.string().openapi({ format: 'binary' }),
      },
    },
  };
}

/** Columns of the catalogue export. */
export const INDICATOR_EXPORT_COLUMNS: ExportColumn<z.infer<typeof Indicator>>[] = [
  { header: 'id', description: 'Indicator id', value: (r) => r.id },
  { header: 'title', description: 'Title', value: (r) => r.title },
  { header: 'description', description: 'Plain-English definition', value: (r) => r.description },
  { header: 'unit', description: 'Unit', value: (r) => r.unit },
  { header: 'measure', description: 'total, rate, share, average or index', value: (r) => r.measure },
  { header: 'polarity', description: 'Which direction ranks first', value: (r) => r.polarity },
  { header: 'actor', description: 'research_base, business or place', value: (r) => r.actor },
  { header: 'dimension', description: 'funding, talent, outputs or environment', value: (r) => r.dimension },
  { header: 'years', description: 'Years with values', value: (r) => r.years.join(' ') },
  { header: 'rate_variant', description: 'Size-free variant of a total', value: (r) => r.rateVariantId },
  { header: 'source', description: 'Source', value: (r) => r.source.title },
  { header: 'licence', description: 'Licence of the source', value: (r) => r.source.licence },
];
