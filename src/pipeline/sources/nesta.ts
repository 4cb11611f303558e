import { join } from 'node:path';
import type { Polarity } from '../../domain/ranking.ts';
import { readCsv } from '../csv.ts';
import { SourceReporter } from '../report.ts';
import type {
  Actor,
  Dimension,
  IndicatorSource,
  IndicatorValue,
  LepSpec,
  Measure,
} from './indicator-model.ts';
import { type RowCells, readIndicatorRows, type Verdict } from './indicator-rows.ts';
import { isLepSpec, LepMapper } from './lep-vintages.ts';

/** Nesta's "Regional indicators for BEIS" at LEP level: catalogue table and value parser. */

export const NESTA_FILES = {
  values: 'nesta_beis_indicators/beis_indicators_lep_long.csv',
  metadata: 'nesta_beis_indicators/beis_indicators_metadata.csv',
} as const;

export const NESTA_SOURCE_ID = 'nesta_beis_indicators';
const REPO_URL = 'https://github.com/nestauk/beis-indicators';
const PROVENANCE =
  'nestauk/beis-indicators release 0.1.4 (commit c1124f6, 2021-12-07), ds/data/processed/<source>/<indicator>.lep.csv reshaped to one long file with values unchanged; 38 exact duplicate rows dropped upstream. Values are sums or means over institutions, postcodes or grid cells that Nesta assigned to LEPs of the vintage in region_year_spec.';

/** Licence of the data underneath each Nesta source folder (the aggregation itself is MIT). */
const LICENCE_BY_SOURCE_DIR: Readonly<Record<string, string>> = {
  aps: 'Open Government Licence v3 (ONS Annual Population Survey via Nomis)',
  broadband: 'Ofcom Connected Nations data (Open Government Licence v3)',
  cordis: 'European Commission CORDIS open data (Commission reuse policy, Decision 2011/833/EU)',
  crunchbase: 'Crunchbase (proprietary; only aggregate counts are published)',
  defra: 'DEFRA modelled background pollution (Open Government Licence v3)',
  gtr: 'UKRI Gateway to Research (Open Government Licence v3)',
  hebci: 'HESA Higher Education Business and Community Interaction survey (HESA terms of use)',
  hesa: 'HESA student, staff and estates records (HESA terms of use)',
  industry: 'ONS Business Register and Employment Survey via Nomis (Open Government Licence v3)',
  travel: 'DfT journey time statistics (Open Government Licence v3)',
};

/**
 * Catalogue assignments, one row per Nesta LEP indicator: our stable id, unit, measure, polarity,
 * actor and dimension. Why some are not "higher is better": PM10 and travel times are better low;
 * university site area and building counts describe estate size, not performance (neutral).
 * HE income paid for research (contract, collaborative, regeneration programmes) is `funding`;
 * income from selling services and IP, and spin-off turnover, is `outputs`.
 */
export interface NestaIndicatorSpec {
  indicator: string;
  id: string;
  unit: string;
  measure: Measure;
  polarity: Polarity;
  actor: Actor;
  dimension: Dimension;
  /** Replaces the metadata text when that is blank, wrong or unclear. */
  description?: string;
  /**
   * How NUTS3 values rebuild a LEP value: `sum` (counts, money), `weighted` (rates and means,
   * weighted by resident population), or `none` (an index, or a mean with no denominator we hold).
   * Default: `sum` for totals, `weighted` for shares and averages, `none` for indices.
   */
  aggregation?: 'sum' | 'weighted' | 'none';
  /** Why the LEP rows cannot be served as published (a source error); they are rejected with this reason. */
  lepValuesUnusable?: string;
  /** Replaces the unit/measure-derived caveat text. */
  caveat?: string;
}

/**
 * Counts located at institutions, projects or firms: a NUTS3 area with no row has none of them,
 * so it adds 0. Survey-based counts (APS, BRES) missing a cell are unknown instead.
 */
export const ABSENT_IS_ZERO_SOURCE_DIRS: ReadonlySet<string> = new Set([
  'hebci',
  'hesa',
  'cordis',
  'crunchbase',
  'gtr',
]);

/** The aggregation rule of a catalogue entry (see NestaIndicatorSpec.aggregation). */
export const aggregationOf = (s: NestaIndicatorSpec): 'sum' | 'weighted' | 'none' =>
  s.aggregation ?? (s.measure === 'total' ? 'sum' : s.measure === 'index' ? 'none' : 'weighted');

const H: Polarity = 'higher_is_better';
const L: Polarity = 'lower_is_better';
const N: Polarity = 'neutral';

// biome-ignore format: one indicator per line reads as a table
export const NESTA_INDICATORS: readonly NestaIndicatorSpec[] = [
  { indicator: 'aps_econ_active_stem_associate_profs_data', id: 'stem-associate-professionals', unit: 'people', measure: 'total', polarity: H, actor: 'business', dimension: 'talent' },
  { indicator: 'aps_econ_active_stem_density_data', id: 'stem-employment-density', unit: 'percent', measure: 'share', polarity: H, actor: 'business', dimension: 'talent' },
  { indicator: 'aps_econ_active_stem_profs_data', id: 'stem-professionals', unit: 'people', measure: 'total', polarity: H, actor: 'business', dimension: 'talent' },
  { indicator: 'aps_nvq4_education_data', id: 'nvq4-professionals-share', unit: 'percent', measure: 'share', polarity: H, actor: 'place', dimension: 'talent' },
  { indicator: 'aps_pro_occupations_data', id: 'professional-occupations-share', unit: 'percent', measure: 'share', polarity: H, actor: 'place', dimension: 'talent' },
  { indicator: 'broadband_download_speed_data', id: 'broadband-download-speed', unit: 'Mbit/s', measure: 'average', polarity: H, actor: 'place', dimension: 'environment' },
  { indicator: 'cordis_funding', id: 'horizon-2020-funding', unit: 'EUR', measure: 'total', polarity: H, actor: 'research_base', dimension: 'funding' },
  { indicator: 'companies_founded', id: 'tech-companies-founded', unit: 'companies', measure: 'total', polarity: H, actor: 'business', dimension: 'outputs', description: 'Number of technology companies founded in the year, according to Crunchbase (companies identified by their Crunchbase industry group labels).' },
  { indicator: 'air_pollution_mean_pm10', id: 'pm10-background-pollution', unit: 'µg/m³', measure: 'average', polarity: L, actor: 'place', dimension: 'environment' },
  { indicator: 'total_ukri_funding', id: 'ukri-research-funding', unit: 'GBP per project', measure: 'average', polarity: H, actor: 'research_base', dimension: 'funding', aggregation: 'none', description: 'Mean UKRI (Gateway to Research) funding per project led from the area, in pounds. Not a total: the LEP values sum to about £17m a year against Nesta’s £763m Innovate UK NUTS3 total, and each LEP value lies between the values of its own NUTS3 areas, as a mean over projects does. Without the project counts it cannot be re-aggregated, so it stays on the LEP geography it was published on.', caveat: 'Read by the observatory as a mean per project (the published files do not say): LEP values do not add up to any total and lie within the range of their NUTS3 areas’ values. Ranked as an average, not as a size-dependent total.' },
  { indicator: 'ce_cpd_income', id: 'he-cpd-income', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'outputs' },
  { indicator: 'ce_cpd_learner_days', id: 'he-cpd-learner-days', unit: 'learner days', measure: 'total', polarity: H, actor: 'research_base', dimension: 'outputs' },
  { indicator: 'collaborative_research_cash', id: 'he-collaborative-research-income', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'funding' },
  { indicator: 'consultancy_facilities_non_sme', id: 'he-consultancy-income-large-business', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'outputs' },
  { indicator: 'consultancy_facilities_public_third', id: 'he-consultancy-income-public-third-sector', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'outputs' },
  { indicator: 'consultancy_facilities_sme', id: 'he-consultancy-income-sme', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'outputs' },
  { indicator: 'contract_research_non_sme', id: 'he-contract-research-income-large-business', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'funding' },
  { indicator: 'contract_research_public_third', id: 'he-contract-research-income-public-third-sector', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'funding' },
  { indicator: 'contract_research_sme', id: 'he-contract-research-income-sme', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'funding' },
  { indicator: 'graduate_startups', id: 'graduate-startups-active', unit: 'startups', measure: 'total', polarity: H, actor: 'business', dimension: 'outputs' },
  { indicator: 'ip_revenue', id: 'he-ip-income', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'outputs' },
  { indicator: 'regeneration_development', id: 'he-regeneration-income', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'funding' },
  { indicator: 'spinoff_investment', id: 'he-spinoff-external-investment', unit: 'GBP', measure: 'total', polarity: H, actor: 'business', dimension: 'funding' },
  { indicator: 'spinoff_revenue', id: 'he-spinoff-turnover', unit: 'GBP', measure: 'total', polarity: H, actor: 'business', dimension: 'outputs' },
  { indicator: 'area_university_site', id: 'university-site-area', unit: 'hectares', measure: 'total', polarity: N, actor: 'research_base', dimension: 'environment' },
  { indicator: 'fte_research_students', id: 'research-students-fte', unit: 'FTE', measure: 'total', polarity: H, actor: 'research_base', dimension: 'talent' },
  { indicator: 'gbp_research_income', id: 'university-research-income', unit: 'GBP', measure: 'total', polarity: H, actor: 'research_base', dimension: 'funding' },
  { indicator: 'total_postgraduates', id: 'postgraduate-students', unit: 'students', measure: 'total', polarity: H, actor: 'research_base', dimension: 'talent' },
  { indicator: 'total_stem_postgraduates', id: 'stem-postgraduate-students', unit: 'students', measure: 'total', polarity: H, actor: 'research_base', dimension: 'talent' },
  { indicator: 'total_stem_students', id: 'stem-students', unit: 'students', measure: 'total', polarity: H, actor: 'research_base', dimension: 'talent', description: 'Number of students enrolled full-time in STEM subjects at universities in the LEP, in the starting academic year.' },
  { indicator: 'total_university_buildings', id: 'university-buildings', unit: 'buildings', measure: 'total', polarity: N, actor: 'research_base', dimension: 'environment' },
  { indicator: 'economic_complexity_index', id: 'economic-complexity-index', unit: 'index', measure: 'index', polarity: H, actor: 'business', dimension: 'outputs', description: 'Economic Complexity Index: how sophisticated the mix of industries in the area is, from its industrial composition (Nesta sector definitions clustering 4-digit SIC codes).' },
  { indicator: 'employment_culture_entertainment_recreation', id: 'culture-leisure-employment', unit: 'jobs', measure: 'total', polarity: H, actor: 'place', dimension: 'environment' },
  { indicator: 'travel_time_to_airport', id: 'travel-time-airport', unit: 'minutes', measure: 'average', polarity: L, actor: 'place', dimension: 'environment' },
  { indicator: 'travel_time_to_rail', id: 'travel-time-rail-station', unit: 'minutes', measure: 'average', polarity: L, actor: 'place', dimension: 'environment', lepValuesUnusable: 'source error: every LEP row of travel_time_to_rail equals travel_time_to_airport for the same LEP and year (they differ at NUTS3); rebuilt from the NUTS3 rows instead where they can be placed' },
  { indicator: 'travel_time_to_road_junctions', id: 'travel-time-road-junctions', unit: 'minutes', measure: 'average', polarity: L, actor: 'place', dimension: 'environment' },
  { indicator: 'travel_time_to_work', id: 'travel-time-to-work', unit: 'minutes', measure: 'average', polarity: L, actor: 'place', dimension: 'environment' },
];

/** What the catalogue builder needs from a metadata row. */
export interface NestaMeta {
  indicator: string;
  sourceDir: string;
  title: string;
  subtitle: string;
  description: string;
  sourceName: string;
  sourceUrl: string;
  experimental: boolean;
  warning: string;
  line: number;
}

export interface NestaCatalogueEntry {
  spec: NestaIndicatorSpec;
  meta: NestaMeta;
  source: IndicatorSource;
  title: string;
  description: string;
  caveats: string[];
}

/** Read the level=lep rows of the metadata and join them to NESTA_INDICATORS. */
export async function readNestaCatalogue(
  dataDir: string,
  rep: SourceReporter,
): Promise<Map<string, NestaCatalogueEntry>> {
  const specs = new Map(NESTA_INDICATORS.map((s) => [s.indicator, s]));
  const out = new Map<string, NestaCatalogueEntry>();
  let otherLevels = 0;
  for await (const { line, values: v } of readCsv(join(dataDir, NESTA_FILES.metadata), NESTA_FILES.metadata, [
    'level',
    'indicator',
    'source_dir',
    'title',
    'subtitle',
    'description',
    'source_name',
    'source_url',
    'is_experimental',
    'warning',
  ])) {
    rep.read();
    if (v.level !== 'lep') {
      otherLevels += 1;
      rep.skip(`level=${v.level ?? ''} metadata: LEP profiles use level=lep only`);
      continue;
    }
    const indicator = v.indicator?.trim() ?? '';
    const spec = specs.get(indicator);
    if (!spec) {
      rep.reject(
        line,
        'indicator',
        `LEP indicator "${indicator}" has no catalogue entry (actor, dimension, polarity) in NESTA_INDICATORS`,
      );
      continue;
    }
    if (out.has(indicator)) {
      rep.reject(line, 'indicator', `"${indicator}" described twice at level lep`);
      continue;
    }
    const meta: NestaMeta = {
      indicator,
      sourceDir: v.source_dir?.trim() ?? '',
      title: v.title?.trim() ?? '',
      subtitle: v.subtitle?.trim() ?? '',
      description: v.description?.trim() ?? '',
      sourceName: v.source_name?.trim() ?? '',
      sourceUrl: v.source_url?.trim() ?? '',
      experimental: v.is_experimental?.trim() === 'True',
      warning: v.warning?.trim() ?? '',
      line,
    };
    const licence = LICENCE_BY_SOURCE_DIR[meta.sourceDir];
    if (!licence) {
      rep.reject(line, 'source_dir', `no licence recorded for source folder "${meta.sourceDir}"`);
      continue;
    }
    const caveats: string[] = [];
    if (meta.warning) caveats.push(meta.warning);
    if (meta.experimental) caveats.push('Marked experimental by Nesta.');
    if (spec.caveat) caveats.push(spec.caveat);
    if (spec.lepValuesUnusable)
      caveats.push(`LEP values as published are not served: ${spec.lepValuesUnusable}.`);
    out.set(indicator, {
      spec,
      meta,
      title: meta.title || indicator,
      description: spec.description ?? (meta.description || meta.subtitle || meta.title),
      caveats,
      source: {
        id: NESTA_SOURCE_ID,
        title: 'Regional indicators for BEIS (Nesta), LEP level',
        publisher: `Nesta for BEIS, from ${meta.sourceName || 'the source named in the metadata'}`,
        licence: `${licence}; aggregation and repository MIT (© 2021 Nesta)`,
        url: meta.sourceUrl || REPO_URL,
        provenance: `${PROVENANCE} Indicator file: ds/data/processed/${meta.sourceDir}/${indicator}.lep.csv.`,
        files: [NESTA_FILES.values, NESTA_FILES.metadata],
      },
    });
    rep.loaded();
  }
  rep.note(
    `${out.size} LEP indicators catalogued; ${otherLevels} NUTS2/NUTS3 metadata rows not used (LEP profiles only).`,
  );
  for (const s of NESTA_INDICATORS) {
    if (!out.has(s.indicator))
      rep.note(`catalogue entry ${s.indicator} (${s.id}) has no level=lep metadata row: not produced.`);
  }
  return out;
}

/** The columns of Nesta's long files (LEP and NUTS3): one value a row. */
export const NESTA_LONG_COLUMNS = {
  indicator: 'indicator',
  year: 'year',
  code: 'region_id',
  spec: 'region_year_spec',
  value: 'value',
} as const;

/** A 2021-or-earlier LEP code (E37), as the LEP files publish them. */
export const lepCodeCheck = (r: RowCells): Verdict =>
  /^E37\d{6}$/.test(r.code) ? undefined : { reject: `not a LEP (E37) code: "${r.code}"` };

/** A LEP vintage Nesta labels its rows with (lep-vintages.ts). */
export const lepSpecCheck = (r: RowCells): Verdict =>
  isLepSpec(r.spec) ? undefined : { reject: `unknown LEP vintage "${r.spec}"` };

/** Key of a Nesta value as published: indicator, year, code, vintage. */
export const nestaKey = (indicator: string, year: number, code: string, spec: string) =>
  `${indicator}|${year}|${code}|${spec}`;

/**
 * Parse beis_indicators_lep_long.csv into values on the 2021 LEPs where the footprint allows (see
 * lep-vintages.ts). Also returns the published values by nestaKey so another file can be checked
 * against them.
 */
export async function readNestaValues(
  dataDir: string,
  catalogue: ReadonlyMap<string, NestaCatalogueEntry>,
  mapper: LepMapper,
  rep: SourceReporter,
): Promise<{ values: IndicatorValue[]; published: Map<string, number> }> {
  const values: IndicatorValue[] = [];
  const published = new Map<string, number>();
  // The indicator check lets only catalogued indicators through.
  const entryOf = (indicator: string) => catalogue.get(indicator) as NestaCatalogueEntry;
  const rows = readIndicatorRows(
    dataDir,
    {
      file: NESTA_FILES.values,
      columns: NESTA_LONG_COLUMNS,
      checks: [
        [
          'indicator',
          (r) =>
            catalogue.has(r.indicator)
              ? undefined
              : { reject: `unknown LEP indicator "${r.indicator}" (not in the level=lep metadata)` },
        ],
        ['year'],
        ['code', lepCodeCheck],
        ['spec', lepSpecCheck],
        [
          'value',
          (r) => {
            const unusable = entryOf(r.indicator).spec.lepValuesUnusable;
            return unusable ? { reject: unusable } : undefined;
          },
        ],
      ],
      duplicate: {
        key: (r) => nestaKey(r.indicator, r.year, r.code, r.spec),
        field: 'value',
        of: (r) => `${r.indicator} ${r.year} ${r.code} (${r.spec})`,
      },
    },
    rep,
  );
  for await (const r of rows) {
    published.set(nestaKey(r.indicator, r.year, r.code, r.spec), r.value);
    const m = mapper.place(r.code, r.spec as LepSpec); // lepSpecCheck let only LEP vintages through
    values.push({
      indicatorId: entryOf(r.indicator).spec.id,
      ...LepMapper.target(m),
      year: r.year,
      value: r.value,
      suppressed: false,
      suppressionMarker: null,
      sourceId: NESTA_SOURCE_ID,
      sourceCode: r.code,
      sourceVintage: r.spec,
    });
    rep.loaded();
  }
  return { values, published };
}

/** New reporter for a Nesta file (one per file so rejects name their file). */
export const nestaReporter = (file: keyof typeof NESTA_FILES) => new SourceReporter(NESTA_FILES[file]);
