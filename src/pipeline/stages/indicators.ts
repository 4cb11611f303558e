import { coverageRows } from '../../domain/coverage.ts';
import { changeSincePrevious, type Polarity, rankValues } from '../../domain/ranking.ts';
import type { SourceInfo } from '../catalogue.ts';
import { DFE_FILES } from '../sources/dfe-business.ts';
import { type IndicatorSources, type IndicatorValue, parseIndicatorSources } from '../sources/indicators.ts';
import { NESTA_FILES } from '../sources/nesta.ts';
import { UKRI_FILE } from '../sources/ukri-funding.ts';
import type { Stage } from './stage.ts';

export const INDICATOR_SOURCES: SourceInfo[] = [
  {
    id: 'nesta_beis_indicators',
    title: 'Nesta/BEIS regional R&D and innovation indicators for LEPs (37 indicators, 2006–2020)',
    files: [NESTA_FILES.values, NESTA_FILES.metadata],
    publisher:
      'Nesta with BEIS (beis-indicators); underlying HESA, ONS/Nomis, UKRI, CORDIS, Ofcom, DEFRA, DfT, Crunchbase',
    licence:
      'Repository MIT (c) 2021 Nesta; underlying data under each publisher’s terms (OGL v3 for ONS/UKRI/DfT, HESA terms for HESA, Crunchbase aggregate counts only). Each indicator names its own licence.',
    provenance:
      'nestauk/beis-indicators release 0.1.4 (ds/data/processed/*/*.lep.csv), values unchanged. Values on a LEP code whose footprint changed stay on their own vintage; see /v1/leps/vintages.',
  },
  {
    id: 'dfe_lsip_lep_business',
    title:
      'Enterprises by size band (UBC 2018–22), employment by broad industry (APS 2018–22), business births/deaths (2016–21) for LEPs',
    files: Object.values(DFE_FILES),
    publisher:
      'ONS (UK Business Counts, Annual Population Survey, Business Demography), aggregated to LEPs by DfE',
    licence: 'Open Government Licence v3 (ONS); DfE repository MIT',
    provenance:
      'Recovered from the history of dfe-analytical-services/lsip_dashboard. LEPs named, not coded: joined on 2021 names; "c", "low", "x" are suppressed, not zero; the spurious "Heart of South West" area is dropped.',
  },
  {
    id: 'nesta_gtr_total_ukri_funding',
    title: 'UKRI funding by LEP (Gateway to Research), 2006–2020',
    files: [UKRI_FILE],
    publisher: 'Nesta from UKRI Gateway to Research',
    licence: 'Open Government Licence v3 (UKRI GtR); repository MIT',
    provenance:
      'Cross-checked cell by cell against the same indicator in the Nesta file; differing rows are rejected.',
  },
];

/** Indicator catalogue and every value with its rank, percentile, z, cohort stats and change. */
export const indicatorStage: Stage = {
  name: 'indicators',
  tables: ['indicators', 'indicator_values', 'lep_vintage_map', 'lep_nuts3_parts', 'indicator_coverage'],
  sources: () => INDICATOR_SOURCES,
  async prepare(ctx) {
    const src = await parseIndicatorSources(ctx.dataDir);
    const rows = computeIndicatorRows(src, new Set(src.lepGeography.parts.keys()));
    const coverage = indicatorCoverage(src);
    ctx.log(
      `indicators: ${src.indicators.length} indicators, ${rows.values.length} values, ${coverage.length} coverage cells`,
    );
    return {
      reports: src.reports,
      async copy(run, schema) {
        await run.copyRows(
          `"${schema}".indicators`,
          [
            'id',
            'title',
            'description',
            'unit',
            'measure',
            'polarity',
            'actor',
            'dimension',
            'source',
            'source_indicator',
            'years',
            'area_vintages',
            'rate_variant_id',
            'rate_of',
            'experimental',
            'caveats',
            'latest_year',
          ],
          src.indicators.map((d) => [
            d.id,
            d.title,
            d.description,
            d.unit,
            d.measure,
            d.polarity,
            d.actor,
            d.dimension,
            d.source,
            d.sourceIndicator,
            d.years,
            d.areaVintages,
            d.rateVariantId,
            d.rateOf,
            d.experimental,
            d.caveats,
            rows.latestYear.get(d.id) ?? null,
          ]),
        );
        await run.copyRows(`"${schema}".indicator_values`, VALUE_COLUMNS, rows.values);
        await run.copyRows(
          `"${schema}".indicator_coverage`,
          ['indicator_id', 'area_code', 'year', 'status', 'method', 'reason'],
          coverage.map((c) => [c.indicatorId, c.areaCode, c.year, c.status, c.method, c.reason]),
        );
        await run.copyRows(
          `"${schema}".lep_nuts3_parts`,
          ['lep_code', 'itl3_code', 'share', 'districts', 'of_districts'],
          [...src.lepGeography.parts].flatMap(([lep, parts]) =>
            parts.map((p) => [lep, p.itl3, p.share, p.districts, p.ofDistricts]),
          ),
        );
        await run.copyRows(
          `"${schema}".lep_vintage_map`,
          [
            'from_code',
            'from_spec',
            'from_name',
            'to_code',
            'to_name',
            'rule',
            'reason',
            'code_reused_in_2021',
            'values',
          ],
          src.lepMapping.map((m) => [
            m.fromCode,
            m.fromSpec,
            m.fromName,
            m.toCode,
            m.toName,
            m.rule,
            m.reason,
            m.codeReusedIn2021,
            m.values,
          ]),
        );
      },
    };
  },
};

const VALUE_COLUMNS = [
  'indicator_id',
  'year',
  'area_vintage',
  'area_code',
  'value',
  'suppressed',
  'suppression_marker',
  'rank',
  'cohort_size',
  'percentile',
  'z',
  'cohort_median',
  'cohort_mean',
  'england_value',
  'previous_year',
  'previous_value',
  'change_abs',
  'change_pct',
  'source_id',
  'source_code',
  'source_vintage',
  'method',
  'inputs',
  'value_lower',
  'value_upper',
  'bounds_note',
  'cohort_complete',
] as const;

/**
 * Rank every cohort (indicator × year × geography vintage) and attach the change since the area's
 * previous year with a value. Pure: the same inputs give the same rows, so every served statistic
 * can be reproduced from the served values. A cohort on the final (2021) geography is ranked only
 * when it holds every LEP placed on districts (`cohort`: all 38 on the real data); a partial one gets no rank, percentile, z or cohort
 * statistics, since ranks over a half cohort mislead. Earlier vintages are ranked as published.
 */
export function computeIndicatorRows(
  src: Pick<IndicatorSources, 'indicators' | 'values' | 'englandValues'>,
  cohort?: ReadonlySet<string>,
) {
  const polarity = new Map<string, Polarity>(src.indicators.map((d) => [d.id, d.polarity]));
  const england = new Map(
    src.englandValues.map((e) => [`${e.indicatorId}|${e.year}`, e.suppressed ? null : e.value]),
  );
  const cohorts = new Map<string, IndicatorValue[]>();
  const series = new Map<string, { year: number; value: number | null; suppressed: boolean }[]>();
  for (const v of src.values) {
    const key = `${v.indicatorId}|${v.year}|${v.areaVintage}`;
    cohorts.set(key, [...(cohorts.get(key) ?? []), v]);
    const sk = `${v.indicatorId}|${v.areaVintage}|${v.areaCode}`;
    series.set(sk, [...(series.get(sk) ?? []), { year: v.year, value: v.value, suppressed: v.suppressed }]);
  }
  const values: unknown[][] = [];
  const latestYear = new Map<string, number>();
  for (const members of cohorts.values()) {
    const first = members[0] as IndicatorValue;
    const p = polarity.get(first.indicatorId);
    if (!p) throw new Error(`value for unknown indicator ${first.indicatorId}`);
    const present = new Set(members.map((m) => m.areaCode));
    const complete =
      first.areaVintage !== '2021' || cohort === undefined || [...cohort].every((c) => present.has(c));
    const ranked = rankValues(
      members.map((m) => ({ areaCode: m.areaCode, value: m.value, suppressed: m.suppressed })),
      p,
    );
    if (!complete) {
      ranked.stats = null;
      for (const r of ranked.values) Object.assign(r, { rank: null, percentile: null, z: null });
    }
    if (first.areaVintage === '2021' && ranked.n > 0 && complete) {
      latestYear.set(first.indicatorId, Math.max(latestYear.get(first.indicatorId) ?? 0, first.year));
    }
    members.forEach((m, i) => {
      const r = ranked.values[i];
      if (!r) throw new Error('rankValues must return one entry per input');
      const change = m.suppressed
        ? null
        : changeSincePrevious(series.get(`${m.indicatorId}|${m.areaVintage}|${m.areaCode}`) ?? [], m.year);
      values.push([
        m.indicatorId,
        m.year,
        m.areaVintage,
        m.areaCode,
        m.value,
        m.suppressed,
        m.suppressionMarker,
        r.rank,
        ranked.n,
        r.percentile,
        r.z,
        ranked.stats?.median ?? null,
        ranked.stats?.mean ?? null,
        england.get(`${m.indicatorId}|${m.year}`) ?? null,
        change?.previousYear ?? null,
        change?.previousValue ?? null,
        change?.absolute ?? null,
        change?.percent ?? null,
        m.sourceId,
        m.sourceCode,
        m.sourceVintage,
        m.method ?? 'as-published',
        m.inputs ?? null,
        m.bounds?.lower ?? null,
        m.bounds?.upper ?? null,
        m.bounds?.note ?? null,
        complete,
      ]);
    });
  }
  return { values, latestYear };
}

/**
 * Every indicator × live LEP × year of its source's span: served or not, how, and why not
 * (src/domain/coverage.ts). A LEP's own published vintages are those in which a code with its
 * 2021 footprint existed (lep_vintage_map: same code and name, or a documented rename).
 */
export function indicatorCoverage(
  src: Pick<IndicatorSources, 'indicators' | 'values' | 'liveLeps' | 'lepMapping' | 'notAggregatable'>,
) {
  const lepSpecs = new Map<string, Set<string>>();
  for (const m of src.lepMapping) {
    if (m.toCode) lepSpecs.set(m.toCode, (lepSpecs.get(m.toCode) ?? new Set()).add(m.fromSpec));
  }
  const notAggregatable = new Set(src.notAggregatable);
  return coverageRows({
    indicators: src.indicators.map((d) => ({
      id: d.id,
      years: d.years,
      sourceKey: `${d.source.id}|${d.source.files.join('+')}`,
      derivedFrom: d.rateOf
        ? { numeratorId: d.rateOf.numeratorId, denominatorId: d.rateOf.denominatorId }
        : null,
      aggregatable: !notAggregatable.has(d.id),
    })),
    values: src.values,
    liveLeps: [...src.liveLeps.keys()].sort(),
    lepSpecs,
  });
}
