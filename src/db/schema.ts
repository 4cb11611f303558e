import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Served tables. Everything except `datasets` is rebuilt by the pipeline in a staging schema and
 * swapped in atomically (see src/pipeline/swap.ts), so these tables carry no foreign keys:
 * integrity is checked by the pipeline before the swap.
 */

/** Every area of every type and vintage: countries, regions, LEPs, districts, constituencies. */
export const areas = pgTable(
  'areas',
  {
    type: text('type').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Human label of the geography vintage, e.g. "2021" or "2017-2020". */
    vintage: text('vintage').notNull(),
    status: text('status').notNull(),
    validFrom: text('valid_from'),
    validTo: text('valid_to'),
    formerNames: text('former_names').array().notNull().default([]),
    centroidLat: doublePrecision('centroid_lat'),
    centroidLng: doublePrecision('centroid_lng'),
    postcodeCount: integer('postcode_count').notNull().default(0),
    /** Precomputed by the pipeline: { childType: { vintage: count } }. */
    childCounts: jsonb('child_counts').$type<Record<string, Record<string, number>>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ name: 'areas_pkey', columns: [t.type, t.code] }),
    // getArea: GET /v1/areas/{code} looks an area up by code alone.
    index('areas_code_idx').on(t.code),
  ],
);

/**
 * Directed parent → child links. relation "contains" (child wholly within parent for that vintage)
 * or "overlaps" (child partly within parent; share = fraction of the child in the parent).
 */
export const areaLinks = pgTable(
  'area_links',
  {
    parentType: text('parent_type').notNull(),
    parentCode: text('parent_code').notNull(),
    childType: text('child_type').notNull(),
    childCode: text('child_code').notNull(),
    relation: text('relation').notNull(),
    vintage: text('vintage').notNull(),
    share: real('share'),
  },
  (t) => [
    primaryKey({
      name: 'area_links_pkey',
      columns: [t.parentCode, t.childType, t.vintage, t.childCode, t.parentType],
    }),
    // getAreaParents: the parents block of GET /v1/areas/{code}.
    index('area_links_child_idx').on(t.childCode, t.parentType),
  ],
);

/** Postcode → geography, precomputed so one indexed read answers GET /v1/postcodes/{postcode}. */
export const postcodes = pgTable('postcodes', {
  /** Upper case, no spaces: the lookup key. */
  key: text('key').primaryKey(),
  postcode: text('postcode').notNull(),
  quality: smallint('quality'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  countryCode: text('country_code'),
  ladCode: text('lad_code'),
  wardCode: text('ward_code'),
  wardName: text('ward_name'),
  regionCode: text('region_code'),
  pconCode: text('pcon_code'),
  pconMethod: text('pcon_method'),
  pcon2024Code: text('pcon2024_code'),
  pcon2024Method: text('pcon2024_method'),
  lepCodes: text('lep_codes').array().notNull().default([]),
});

/** One row per completed load; exactly one is current. Not swapped: written in the swap transaction. */
export const datasets = pgTable(
  'datasets',
  {
    version: text('version').primaryKey(),
    contentHash: text('content_hash').notNull(),
    builtAt: timestamp('built_at', { withTimezone: true, mode: 'string' }).notNull(),
    isSample: boolean('is_sample').notNull(),
    isCurrent: boolean('is_current').notNull().default(false),
    sources: jsonb('sources').notNull(),
    report: jsonb('report').notNull(),
  },
  (t) => [
    // getCurrentDataset: /v1/meta and the start-up line read the current dataset.
    index('datasets_current_idx').on(t.isCurrent),
  ],
);

/** The indicator catalogue (LEP innovation profiles). */
export const indicators = pgTable('indicators', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  unit: text('unit').notNull(),
  measure: text('measure').notNull(),
  polarity: text('polarity').notNull(),
  actor: text('actor').notNull(),
  dimension: text('dimension').notNull(),
  source: jsonb('source').notNull(),
  sourceIndicator: text('source_indicator').notNull(),
  years: integer('years').array().notNull(),
  areaVintages: text('area_vintages').array().notNull(),
  rateVariantId: text('rate_variant_id'),
  rateOf: jsonb('rate_of'),
  experimental: boolean('experimental').notNull(),
  caveats: text('caveats').array().notNull(),
  /** Latest year with a value on the 2021 LEP geography (null when none maps to it). */
  latestYear: integer('latest_year'),
});

/**
 * One value per indicator × year × area, with everything a profile shows precomputed by the
 * pipeline: rank within the cohort (same indicator, year and geography vintage), percentile, z,
 * the cohort median/mean, the England value where a source gives one, and the change since the
 * previous year with a value.
 */
export const indicatorValues = pgTable(
  'indicator_values',
  {
    indicatorId: text('indicator_id').notNull(),
    year: integer('year').notNull(),
    areaVintage: text('area_vintage').notNull(),
    areaCode: text('area_code').notNull(),
    value: doublePrecision('value'),
    suppressed: boolean('suppressed').notNull(),
    suppressionMarker: text('suppression_marker'),
    rank: integer('rank'),
    cohortSize: integer('cohort_size').notNull(),
    percentile: doublePrecision('percentile'),
    z: doublePrecision('z'),
    cohortMedian: doublePrecision('cohort_median'),
    cohortMean: doublePrecision('cohort_mean'),
    englandValue: doublePrecision('england_value'),
    previousYear: integer('previous_year'),
    previousValue: doublePrecision('previous_value'),
    changeAbs: doublePrecision('change_abs'),
    changePct: doublePrecision('change_pct'),
    sourceId: text('source_id').notNull(),
    sourceCode: text('source_code').notNull(),
    sourceVintage: text('source_vintage').notNull(),
  },
  (t) => [
    // getRanking: GET /v1/indicators/{id}/ranking reads one indicator-year cohort in rank order.
    primaryKey({
      name: 'indicator_values_pkey',
      columns: [t.indicatorId, t.year, t.areaVintage, t.areaCode],
    }),
    // getProfile / compare / series: every value of an area (latest per indicator via DISTINCT ON).
    index('indicator_values_area_idx').on(t.areaCode, t.areaVintage, t.indicatorId, t.year),
  ],
);

/** How each (code, vintage) a source used was placed on the 2021 LEP geography. */
export const lepVintageMap = pgTable(
  'lep_vintage_map',
  {
    fromCode: text('from_code').notNull(),
    fromSpec: text('from_spec').notNull(),
    fromName: text('from_name'),
    toCode: text('to_code'),
    toName: text('to_name'),
    rule: text('rule').notNull(),
    reason: text('reason').notNull(),
    codeReusedIn2021: boolean('code_reused_in_2021').notNull(),
    values: integer('values').notNull(),
  },
  (t) => [primaryKey({ name: 'lep_vintage_map_pkey', columns: [t.fromCode, t.fromSpec] })],
);
