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
