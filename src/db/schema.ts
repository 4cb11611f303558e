import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
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
  /**
   * The whole GET /v1/postcodes/{postcode} answer, built by the pipeline (src/domain/postcode-json.ts).
   * '' only in a dataset loaded before this column existed (the route then asks for a reload).
   */
  body: text('body').notNull().default(''),
});

/** A source as the pipeline stores it with the dataset (/v1/meta lists them): its files, publisher, licence and provenance. */
export interface DatasetSource {
  id: string;
  title: string;
  files: string[];
  publisher: string;
  licence: string;
  provenance: string;
  /** True when the files are generated stand-ins (npm run data:synth), not the publisher's data. */
  synthetic?: boolean;
}

/** One row per completed load; exactly one is current. Not swapped: written in the swap transaction. */
export const datasets = pgTable(
  'datasets',
  {
    version: text('version').primaryKey(),
    contentHash: text('content_hash').notNull(),
    builtAt: timestamp('built_at', { withTimezone: true, mode: 'string' }).notNull(),
    isSample: boolean('is_sample').notNull(),
    isCurrent: boolean('is_current').notNull().default(false),
    sources: jsonb('sources').$type<DatasetSource[]>().notNull(),
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
    /** as-published | nuts3-sum | nuts3-weighted | apportioned */
    method: text('method').notNull().default('as-published'),
    /** What a rebuilt value was computed from: { file, areas: [{ code, value, share?, weight? }], missing?, zeros? }. */
    inputs: jsonb('inputs'),
    /** Bounds when a suppressed input makes the value uncertain, and how they were set. */
    valueLower: doublePrecision('value_lower'),
    valueUpper: doublePrecision('value_upper'),
    boundsNote: text('bounds_note'),
    /** False when the cohort lacks some live LEPs: then no rank, percentile, z or cohort statistics. */
    cohortComplete: boolean('cohort_complete').notNull().default(true),
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

/** Each live LEP as ITL3 (= NUTS3 2016) areas: whole, or a population share (apportioned). */
export const lepNuts3Parts = pgTable(
  'lep_nuts3_parts',
  {
    lepCode: text('lep_code').notNull(),
    itl3Code: text('itl3_code').notNull(),
    share: doublePrecision('share').notNull(),
    districts: text('districts').array().notNull(),
    ofDistricts: integer('of_districts').notNull(),
  },
  (t) => [
    // coverage: the parts of one LEP.
    primaryKey({ name: 'lep_nuts3_parts_pkey', columns: [t.lepCode, t.itl3Code] }),
  ],
);

/**
 * For every indicator × live LEP × year the indicator has: whether a value is served, how it was
 * obtained, or why it is missing (not published for this area, suppressed, footprint changed,
 * source ends, not aggregatable).
 */
export const indicatorCoverage = pgTable(
  'indicator_coverage',
  {
    indicatorId: text('indicator_id').notNull(),
    areaCode: text('area_code').notNull(),
    year: integer('year').notNull(),
    status: text('status').notNull(),
    method: text('method'),
    reason: text('reason'),
  },
  (t) => [
    // GET /v1/coverage: the whole matrix in indicator order.
    primaryKey({ name: 'indicator_coverage_pkey', columns: [t.indicatorId, t.areaCode, t.year] }),
    // GET /v1/leps/{code}/coverage: one LEP's rows.
    index('indicator_coverage_area_idx').on(t.areaCode, t.indicatorId, t.year),
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

/**
 * Innovate UK funded projects: one row per participant per project, as the official spreadsheet
 * has it, placed on the map. Money is integer pence (bigint), never floating point.
 */
export const iukParticipants = pgTable(
  'iuk_participants',
  {
    id: integer('id').primaryKey(),
    projectNumber: text('project_number').notNull(),
    orgId: text('org_id').notNull(),
    participantName: text('participant_name').notNull(),
    isLead: boolean('is_lead').notNull(),
    participantWithdrawn: boolean('participant_withdrawn').notNull(),
    projectWithdrawn: boolean('project_withdrawn').notNull(),
    /** Counted under the default rule: neither the participant nor the project withdrawn. */
    counted: boolean('counted').notNull(),
    enterpriseSize: text('enterprise_size'),
    orgType: text('org_type').notNull(),
    sector: text('sector'),
    year: integer('year'),
    projectStatus: text('project_status'),
    postcode: text('postcode'),
    postcodeRaw: text('postcode_raw'),
    /** The spreadsheet's own Address columns, kept as stated (and used when the postcode cannot place). */
    addressRegion: text('address_region'),
    addressLeps: text('address_leps').array().notNull(),
    addressLocalAuthority: text('address_local_authority'),
    /** How the participant was placed: postcode (directory), address (spreadsheet's Address columns) or none. */
    placement: text('placement').notNull(),
    placementNote: text('placement_note'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    countryCode: text('country_code'),
    regionCode: text('region_code'),
    ladCode: text('lad_code'),
    pconCode: text('pcon_code'),
    pcon2024Code: text('pcon2024_code'),
    /** 2021 LEP(s); the first is the primary one for the `primary` overlap policy. */
    lepCodes: text('lep_codes').array().notNull(),
    grantPence: bigint('grant_pence', { mode: 'number' }),
    totalCostsPence: bigint('total_costs_pence', { mode: 'number' }),
    actualSpendPence: bigint('actual_spend_pence', { mode: 'number' }),
    startDate: text('start_date'),
    endDate: text('end_date'),
    sourceFile: text('source_file').notNull(),
    sourceRow: integer('source_row').notNull(),
    releaseDate: text('release_date').notNull(),
  },
  (t) => [
    // listInvestments / summarise by area: one index per geography the `area` filter accepts.
    index('iuk_participants_lad_idx').on(t.ladCode, t.year),
    index('iuk_participants_region_idx').on(t.regionCode, t.year),
    index('iuk_participants_country_idx').on(t.countryCode, t.year),
    index('iuk_participants_pcon_idx').on(t.pconCode, t.year),
    index('iuk_participants_pcon2024_idx').on(t.pcon2024Code, t.year),
    // area=<LEP>: membership in the lep_codes array.
    index('iuk_participants_lep_idx').using('gin', t.lepCodes),
    // getProject: a project's participants.
    index('iuk_participants_project_idx').on(t.projectNumber),
    // getOrganisation / org= filter.
    index('iuk_participants_org_idx').on(t.orgId, t.year),
    // postcode= filter.
    index('iuk_participants_postcode_idx').on(t.postcode),
    // sector= / year filters without an area.
    index('iuk_participants_sector_idx').on(t.sector, t.year),
    // sort=amount keyset pagination (blank amounts sort last as -1).
    index('iuk_participants_amount_idx').on(sql`coalesce(${t.grantPence}, -1)`, t.id),
    // sort=date keyset pagination (blank dates sort last as '').
    index('iuk_participants_date_idx').on(sql`coalesce(${t.startDate}, '')`, t.id),
    // orgType= / status= / lead=true without an area: countInvestments and the page read these
    // instead of scanning every participant (plans in test/db/filter-indexes.test.ts).
    index('iuk_participants_org_type_idx').on(t.orgType, t.year),
    index('iuk_participants_status_idx').on(sql`lower(${t.projectStatus})`, t.year),
    index('iuk_participants_lead_idx').on(t.year).where(sql`${t.isLead}`),
  ],
);

export const iukProjects = pgTable(
  'iuk_projects',
  {
    projectNumber: text('project_number').primaryKey(),
    applicationNumber: text('application_number'),
    competitionReference: text('competition_reference'),
    competitionTitle: text('competition_title'),
    programmeTitle: text('programme_title'),
    sector: text('sector'),
    year: integer('year'),
    title: text('title'),
    description: text('description'),
    productType: text('product_type'),
    status: text('status'),
    withdrawn: boolean('withdrawn').notNull(),
    isIscf: boolean('is_iscf'),
    startDate: text('start_date'),
    endDate: text('end_date'),
    /** Sum of counted participants' grant offered. */
    grantPence: bigint('grant_pence', { mode: 'number' }).notNull(),
    totalCostsPence: bigint('total_costs_pence', { mode: 'number' }).notNull(),
    participants: integer('participants').notNull(),
    leadOrgId: text('lead_org_id'),
  },
  (t) => [
    // competition lookups and sector × year listings of projects.
    index('iuk_projects_sector_idx').on(t.sector, t.year),
  ],
);

export const iukOrganisations = pgTable(
  'iuk_organisations',
  {
    /** "crn-<CRN>" when a Companies House number is known, else "name-<hash of normalised name>". */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    names: text('names').array().notNull(),
    /** Normalised name (case, punctuation, Ltd/Limited folded) used by `q` search. */
    searchName: text('search_name').notNull(),
    crn: text('crn'),
    orgType: text('org_type').notNull(),
    enterpriseSizes: text('enterprise_sizes').array().notNull(),
    postcode: text('postcode'),
    ladCode: text('lad_code'),
    regionCode: text('region_code'),
    lepCodes: text('lep_codes').array().notNull(),
    projects: integer('projects').notNull(),
    participations: integer('participations').notNull(),
    grantPence: bigint('grant_pence', { mode: 'number' }).notNull(),
    firstYear: integer('first_year'),
    lastYear: integer('last_year'),
  },
  (t) => [
    // searchOrganisations: substring search on the normalised name (pg_trgm).
    index('iuk_organisations_search_idx').using('gin', sql`${t.searchName} gin_trgm_ops`),
    // listOrganisations: biggest first, keyset on (grant, id).
    index('iuk_organisations_grant_idx').on(t.grantPence, t.id),
  ],
);

/**
 * Precomputed Innovate UK totals: every area (and everything: area_type "all") in total and by year,
 * by sector and by organisation type, under each overlap policy, with exact distinct project and
 * organisation counts (which, unlike money, cannot be added up from finer cells). Counted
 * participants only. Any other combination of filters is answered from iuk_participants through its
 * area/sector/org indexes.
 */
export const iukTotals = pgTable(
  'iuk_totals',
  {
    areaType: text('area_type').notNull(),
    areaCode: text('area_code').notNull(),
    /** "all", "year", "sector" or "orgType". */
    dim: text('dim').notNull(),
    dimValue: text('dim_value').notNull(),
    participants: integer('participants').notNull(),
    grantPence: bigint('grant_pence', { mode: 'number' }).notNull(),
    leadParticipants: integer('lead_participants').notNull(),
    participantsSplit: numeric('participants_split').notNull(),
    grantPenceSplit: numeric('grant_pence_split').notNull(),
    leadParticipantsSplit: numeric('lead_participants_split').notNull(),
    participantsPrimary: integer('participants_primary').notNull(),
    grantPencePrimary: bigint('grant_pence_primary', { mode: 'number' }).notNull(),
    leadParticipantsPrimary: integer('lead_participants_primary').notNull(),
    projects: integer('projects').notNull(),
    organisations: integer('organisations').notNull(),
    projectsPrimary: integer('projects_primary').notNull(),
    organisationsPrimary: integer('organisations_primary').notNull(),
  },
  (t) => [
    // summariseFromTotals: one area's rows, or every area of a type (dim = 'all').
    primaryKey({ name: 'iuk_totals_pkey', columns: [t.areaType, t.dim, t.areaCode, t.dimValue] }),
  ],
);

/**
 * The area headline's top organisations, precomputed by the pipeline: for every area with counted
 * participants, its ten biggest organisations by £ offered (ties by id) under each overlap policy
 * that differs for the area's type (full, split and primary for LEPs; full otherwise). `grant_pence`
 * is exact: a split share is a fraction of a penny.
 */
export const iukAreaTopOrganisations = pgTable(
  'iuk_area_top_organisations',
  {
    areaType: text('area_type').notNull(),
    areaCode: text('area_code').notNull(),
    /** "full", "split" or "primary" (LEPs); "full" for every other area type. */
    policy: text('policy').notNull(),
    rank: integer('rank').notNull(),
    orgId: text('org_id').notNull(),
    grantPence: numeric('grant_pence').notNull(),
    projects: integer('projects').notNull(),
  },
  (t) => [
    // areaInvestments: one area's list under one policy, in rank order.
    primaryKey({
      name: 'iuk_area_top_organisations_pkey',
      columns: [t.areaType, t.areaCode, t.policy, t.rank],
    }),
  ],
);

/**
 * Sector co-occurrence C = BᵀB (zero diagonal) from the organisation × sector incidence of counted
 * participants: how many organisations won in both sectors. Feeds relatedness (METHODS.md).
 */
export const iukSectorPairs = pgTable(
  'iuk_sector_pairs',
  {
    sectorA: text('sector_a').notNull(),
    sectorB: text('sector_b').notNull(),
    organisations: integer('organisations').notNull(),
  },
  (t) => [primaryKey({ name: 'iuk_sector_pairs_pkey', columns: [t.sectorA, t.sectorB] })],
);

/**
 * The collaboration network (src/domain/network.ts): one row per pair of areas of a level (LEP or
 * district) linked by projects with counted participants in both; area_a = area_b is the
 * within-area self-link (projects with two or more participants in the area). scope "all" rows
 * cover every year and sector (year 0, sector ''); scope "cell" rows one competition year × sector,
 * so a year range or a sector is answered by adding cells (a project has one year and one sector)
 * and counting distinct org_ids.
 */
export const iukNetworkEdges = pgTable(
  'iuk_network_edges',
  {
    level: text('level').notNull(),
    scope: text('scope').notNull(),
    areaA: text('area_a').notNull(),
    areaB: text('area_b').notNull(),
    year: integer('year').notNull(),
    sector: text('sector').notNull(),
    projects: integer('projects').notNull(),
    /** £ of the shared projects: each project's whole grant (all its counted participants). */
    grantPence: bigint('grant_pence', { mode: 'number' }).notNull(),
    /** Distinct organisations whose participants make the link. */
    organisations: integer('organisations').notNull(),
    /** Those organisations (cell rows only; empty on "all" rows). */
    orgIds: text('org_ids').array().notNull(),
  },
  (t) => [
    // getNetworkEdges: a level's rows of one scope, filtered by year range and sector.
    primaryKey({
      name: 'iuk_network_edges_pkey',
      columns: [t.level, t.scope, t.areaA, t.areaB, t.year, t.sector],
    }),
    // getAreaPartners: one area's links where it is the second end.
    index('iuk_network_edges_b_idx').on(t.level, t.scope, t.areaB),
  ],
);

/** Network nodes: each area's Innovate UK totals at the same grain as iuk_network_edges. */
export const iukNetworkNodes = pgTable(
  'iuk_network_nodes',
  {
    level: text('level').notNull(),
    scope: text('scope').notNull(),
    areaCode: text('area_code').notNull(),
    year: integer('year').notNull(),
    sector: text('sector').notNull(),
    projects: integer('projects').notNull(),
    participants: integer('participants').notNull(),
    /** The grant of the area's own participants. */
    grantPence: bigint('grant_pence', { mode: 'number' }).notNull(),
    organisations: integer('organisations').notNull(),
    /** Projects that link the area to another area of the level. */
    collaborativeProjects: integer('collaborative_projects').notNull(),
    orgIds: text('org_ids').array().notNull(),
  },
  // getNetworkNodes: a level's nodes of one scope (and one area's, for collaborations).
  (t) => [
    primaryKey({
      name: 'iuk_network_nodes_pkey',
      columns: [t.level, t.scope, t.areaCode, t.year, t.sector],
    }),
  ],
);

/**
 * Bridging organisations: for every link between two areas, the organisations whose participants
 * make it, on the area's side. A row (area A, partner B, organisation) says: in these projects the
 * organisation had a participant placed in A and another, distinct participant sat in B — so it
 * carries A's link to B. Read by area_code for A's own organisations and by partner_code for the
 * partner side's. Per competition year × sector (every project is in one cell, so cells add up).
 */
export const iukNetworkBridges = pgTable(
  'iuk_network_bridges',
  {
    level: text('level').notNull(),
    areaCode: text('area_code').notNull(),
    partnerCode: text('partner_code').notNull(),
    orgId: text('org_id').notNull(),
    year: integer('year').notNull(),
    sector: text('sector').notNull(),
    projects: integer('projects').notNull(),
    /** Of those projects, the ones the organisation led. */
    leadProjects: integer('lead_projects').notNull(),
    /** The organisation's own grant in those projects. */
    grantPence: bigint('grant_pence', { mode: 'number' }).notNull(),
  },
  // getBridges: one area's links from its side (pkey) and from its partners' (partner index).
  (t) => [
    primaryKey({
      name: 'iuk_network_bridges_pkey',
      columns: [t.level, t.areaCode, t.partnerCode, t.orgId, t.year, t.sector],
    }),
    index('iuk_network_bridges_partner_idx').on(t.level, t.partnerCode),
  ],
);

/**
 * The composite innovation scoreboard of one year (src/domain/scoreboard.ts), built by the
 * pipeline from indicator_values: inputs, normalisation bounds, index, groups and Monte Carlo rank
 * intervals per LEP, served as stored.
 */
export const scoreboards = pgTable('scoreboards', {
  year: integer('year').primaryKey(),
  body: jsonb('body').$type<Record<string, unknown>>().notNull(),
});

/**
 * Boundaries, one row per mapped area, normalised by the pipeline (src/pipeline/sources/boundaries.ts):
 * an RFC 7946 geometry as JSON text (lon/lat, 5 decimals, counter-clockwise exteriors), served
 * verbatim so a request never re-serialises coordinates.
 */
export const areaShapes = pgTable(
  'area_shapes',
  {
    type: text('type').notNull(),
    code: text('code').notNull(),
    geometry: text('geometry').notNull(),
    /** [west, south, east, north]. */
    bbox: doublePrecision('bbox').array().notNull(),
    /** Area-weighted centroid of the boundary. */
    centroidLat: doublePrecision('centroid_lat').notNull(),
    centroidLng: doublePrecision('centroid_lng').notNull(),
    positions: integer('positions').notNull(),
  },
  // listShapes / getShape: every shape of a type in code order, or one area's.
  (t) => [primaryKey({ name: 'area_shapes_pkey', columns: [t.type, t.code] })],
);

/**
 * Whole-type map documents built once per dataset: the TopoJSON topology of each mapped type
 * (shared arcs, quantised) and the HexJSON layouts (LEPs: computed; 2024 constituencies: published).
 */
export const mapLayers = pgTable(
  'map_layers',
  {
    areaType: text('area_type').notNull(),
    /** "topojson" or "hexjson". */
    format: text('format').notNull(),
    body: text('body').notNull(),
    features: integer('features').notNull(),
    /** How the document was made (quantisation, layout quality), stated in what is served. */
    notes: jsonb('notes').$type<Record<string, unknown>>().notNull(),
  },
  // getMapLayer: one type's document in one format.
  (t) => [primaryKey({ name: 'map_layers_pkey', columns: [t.areaType, t.format] })],
);

/**
 * Every name an area is known by, with its search key (src/domain/search.ts): what GET /v1/search
 * matches by name. LEPs are those the area's postcodes fall in (share of its postcodes).
 */
export const searchNames = pgTable(
  'search_names',
  {
    type: text('type').notNull(),
    code: text('code').notNull(),
    /** The area's current name. */
    name: text('name').notNull(),
    /** The name this row matches: the current name or a former one. */
    matchedName: text('matched_name').notNull(),
    searchKey: text('search_key').notNull(),
    /** Preference among equally good matches: type, and live before retired. */
    weight: smallint('weight').notNull(),
    postcodes: integer('postcodes').notNull().default(0),
    leps: jsonb('leps').$type<{ code: string; name: string; share: number }[]>().notNull().default([]),
  },
  (t) => [
    primaryKey({ name: 'search_names_pkey', columns: [t.type, t.code, t.searchKey] }),
    // searchPlaces: similarity and substring match on the key (pg_trgm).
    index('search_names_key_idx').using('gin', sql`${t.searchKey} gin_trgm_ops`),
  ],
);

/** Postcode districts (outward codes, e.g. "M1"): position, main district and LEPs, for search. */
export const postcodeOutcodes = pgTable('postcode_outcodes', {
  outcode: text('outcode').primaryKey(),
  postcodes: integer('postcodes').notNull(),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  /** District holding most of its postcodes. */
  ladCode: text('lad_code'),
  leps: jsonb('leps').$type<{ code: string; name: string; share: number }[]>().notNull(),
});

/**
 * Specialisation across LEPs, built by the pipeline (src/pipeline/stages/specialisation.ts): one row
 * per measure × category system × period × LEP × category with the LQ against England, the counts
 * behind it, its rank among the LEPs and the relatedness density of the category to the LEP's
 * specialisations. measure: employment | grant | participants | projects; categories: industry
 * (employment) | sector | programme (Innovate UK); period: a year, or "all" (Innovate UK, all years).
 */
export const specCells = pgTable(
  'spec_cells',
  {
    measure: text('measure').notNull(),
    categories: text('categories').notNull(),
    period: text('period').notNull(),
    areaCode: text('area_code').notNull(),
    category: text('category').notNull(),
    /** x[r,s]: people, pence, participants or distinct projects; null when the source suppressed it. */
    value: doublePrecision('value'),
    areaTotal: doublePrecision('area_total').notNull(),
    referenceValue: doublePrecision('reference_value').notNull(),
    referenceTotal: doublePrecision('reference_total').notNull(),
    lq: doublePrecision('lq'),
    /** The count the small-number flag is judged on: participants (Innovate UK) or people (employment). */
    support: doublePrecision('support'),
    suppressed: boolean('suppressed').notNull(),
    smallNumber: boolean('small_number').notNull(),
    specialised: boolean('specialised').notNull(),
    /** Rank of the LQ among the LEPs with one (1 = highest), and how many had one. */
    lqRank: integer('lq_rank'),
    lqRanked: integer('lq_ranked').notNull(),
    /** Relatedness density 0–100 with association strength (METHODS.md) and with cosine. */
    density: doublePrecision('density'),
    densityCosine: doublePrecision('density_cosine'),
  },
  // getSpecCells: one measure × categories × period matrix, or one LEP's rows across periods.
  (t) => [
    primaryKey({
      name: 'spec_cells_pkey',
      columns: [t.measure, t.categories, t.period, t.areaCode, t.category],
    }),
  ],
);

/** Whole-portfolio measures per LEP (Krugman, Hoover, Herfindahl, entropy, Hachman) with their ranks. */
export const specPortfolio = pgTable(
  'spec_portfolio',
  {
    measure: text('measure').notNull(),
    categories: text('categories').notNull(),
    period: text('period').notNull(),
    areaCode: text('area_code').notNull(),
    total: doublePrecision('total').notNull(),
    krugman: doublePrecision('krugman'),
    hoover: doublePrecision('hoover'),
    herfindahl: doublePrecision('herfindahl'),
    entropy: doublePrecision('entropy'),
    hachman: doublePrecision('hachman'),
    /** 1 = most specialised in that measure's direction (see PORTFOLIO_MORE_SPECIALISED). */
    ranks: jsonb('ranks').$type<Record<string, number | null>>().notNull(),
  },
  // getSpecPortfolio: one measure × categories × period, every LEP.
  (t) => [
    primaryKey({ name: 'spec_portfolio_pkey', columns: [t.measure, t.categories, t.period, t.areaCode] }),
  ],
);

/** How each LEP × category LQ moved over the years the source has (first, last, OLS slope, ranks). */
export const specTrends = pgTable(
  'spec_trends',
  {
    measure: text('measure').notNull(),
    categories: text('categories').notNull(),
    areaCode: text('area_code').notNull(),
    category: text('category').notNull(),
    firstYear: integer('first_year').notNull(),
    lastYear: integer('last_year').notNull(),
    lqFirst: doublePrecision('lq_first').notNull(),
    lqLast: doublePrecision('lq_last').notNull(),
    change: doublePrecision('change').notNull(),
    slope: doublePrecision('slope'),
    years: integer('years').notNull(),
    rankFirst: integer('rank_first'),
    rankLast: integer('rank_last'),
  },
  // getSpecTrends: one measure × categories, every LEP, or one LEP's.
  (t) => [
    primaryKey({ name: 'spec_trends_pkey', columns: [t.measure, t.categories, t.areaCode, t.category] }),
  ],
);

/**
 * Relatedness between categories from co-occurrence C = BᵀB (zero diagonal): B = organisation ×
 * category for Innovate UK sectors and programmes (organisations that won in both), district ×
 * industry by LQ > 1 for employment (co-location). Association strength and cosine per METHODS.md.
 */
export const specRelatedness = pgTable(
  'spec_relatedness',
  {
    categories: text('categories').notNull(),
    categoryA: text('category_a').notNull(),
    categoryB: text('category_b').notNull(),
    cooccurrence: integer('cooccurrence').notNull(),
    association: doublePrecision('association').notNull(),
    cosine: doublePrecision('cosine').notNull(),
  },
  // getRelatedness: one category system's matrix.
  (t) => [primaryKey({ name: 'spec_relatedness_pkey', columns: [t.categories, t.categoryA, t.categoryB] })],
);

/**
 * The whole-dataset download (GET /v1/download), built by the pipeline from the served tables
 * (src/pipeline/stages/downloads.ts): one row per format (csv, xlsx, csvw metadata) with its file
 * name, type and size; the bytes are in `dataset_download_parts`, read one part at a time so a
 * response streams without holding the file.
 */
export const datasetDownloads = pgTable('dataset_downloads', {
  /** csv | xlsx | csvw */
  format: text('format').primaryKey(),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  /**
   * How each part's text decodes to bytes: base64 (every file the pipeline writes: a text driver
   * may drop a leading BOM, and the CSV starts with one so Excel reads it as UTF-8) or utf-8.
   */
  encoding: text('encoding').notNull(),
  bytes: integer('bytes').notNull(),
  /** Data rows in the file (0 for the metadata document). */
  rows: integer('rows').notNull(),
  sha256: text('sha256').notNull(),
  parts: integer('parts').notNull(),
});

export const datasetDownloadParts = pgTable(
  'dataset_download_parts',
  {
    format: text('format').notNull(),
    part: integer('part').notNull(),
    body: text('body').notNull(),
  },
  // getDownloadPart: one part of one format, in order.
  (t) => [primaryKey({ name: 'dataset_download_parts_pkey', columns: [t.format, t.part] })],
);
