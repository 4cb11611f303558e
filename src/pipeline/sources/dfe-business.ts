import { join } from 'node:path';
import type { Polarity } from '../../domain/ranking.ts';
import { boundedShare } from '../../domain/suppressed-shares.ts';
import { readCsv } from '../csv.ts';
import type { SourceReporter } from '../report.ts';
import type {
  Actor,
  Dimension,
  EnglandValue,
  IndicatorDef,
  IndicatorSource,
  IndicatorValue,
  Measure,
} from './indicator-model.ts';
import { ENGLAND_CODE, parseCell, parseYear } from './indicator-model.ts';

/**
 * DfE "Local Skills" business and employment counts (ONS UBC, APS, Business Demography aggregated
 * by DfE). LEPs are named, not coded: rows join on the 2021 LEP names in dfe_leps.csv; COUNTRY rows
 * give England. "c", "low", "x" are suppressed cells (kept, flagged, never 0). Rates are derived only
 * from numerator and denominator in the same source row(s).
 */

export const DFE_FILES = {
  enterprises: 'dfe_lsip_lep_business/enterprise_counts_by_size_UBC_2018_2022.csv',
  employment: 'dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv',
  demography: 'dfe_lsip_lep_business/enterprise_demography_2016_2021.csv',
} as const;
export type DfeFile = keyof typeof DFE_FILES;

/** Area names that are known errors in the files: dropped, with a note saying how many rows. */
export const DFE_DROPPED_AREAS: Readonly<Record<string, string>> = {
  'Heart of South West':
    'spurious duplicate of "Heart of the South West" (zeros for 2019–2021, small numbers for 2016–2018; see dfe_lsip_lep_business/PROVENANCE.md)',
};

const REPO = 'github.com/dfe-analytical-services/lsip_dashboard';

/**
 * What each marker means and the largest value a suppressed cell is taken to have. DfE recoded the
 * Nomis APS flags (TransformData.R in the repository: "!" → c, "*" → u, "~" → low, "-" → x):
 * - `low` is Nomis "~", "estimate is less than 500": ceiling 500;
 * - `c` is Nomis "!", "group sample size is zero or disclosive (0–2)": a respondent count, not a
 *   value threshold, and a c cell can be large (Stoke-on-Trent and Staffordshire's agriculture is c
 *   in 2020 between 6,500 in 2019 and 4,800 in 2021). The ceiling taken is the largest value the same
 *   area publishes for the same group in any year of the file — a stated assumption, not a hard bound;
 * - `x` (not available): no ceiling, so nothing derived from it is bounded.
 */
export const LOW_MARKER_CEILING = 500;
const MARKER_MEANING: Readonly<Record<string, string>> = {
  c: 'c = Nomis "!", fewer than 3 survey respondents; the source states no value threshold',
  low: 'low = Nomis "~", an estimate below 500',
};
const LICENCE = 'Open Government Licence v3 (ONS data); DfE repository MIT';

export const DFE_SOURCES: Readonly<Record<DfeFile, IndicatorSource>> = {
  enterprises: {
    id: 'dfe_ubc_enterprises_by_size',
    title: 'Enterprises by employment size band, UK Business Counts, March 2018–2022',
    publisher: 'ONS (Inter-Departmental Business Register via Nomis); aggregated to LEPs by DfE',
    licence: LICENCE,
    url: `https://${REPO}`,
    provenance: `${REPO} Data/AppData/D_empent_UBC1822.csv at commit 1bef23b (2023-03-17). LEP totals are DfE sums of districts; the 7 districts in two LEPs are presumably counted in both.`,
    files: [DFE_FILES.enterprises],
  },
  employment: {
    id: 'dfe_aps_employment_by_industry',
    title: 'Employment by broad industry, Annual Population Survey, 2018–2022',
    publisher: 'ONS (Annual Population Survey via Nomis); aggregated to LEPs by DfE',
    licence: LICENCE,
    url: `https://${REPO}`,
    provenance: `${REPO} Data/AppData/D_EmpInd_APS1822.csv at commit aef9a16 (2023-02-06). Rounded survey estimates; workplace or residence basis not stated in the file.`,
    files: [DFE_FILES.employment],
  },
  demography: {
    id: 'dfe_business_demography',
    title: 'Enterprise births, deaths and active enterprises, ONS Business Demography, 2016–2021',
    publisher: 'ONS (Business Demography); aggregated to LEPs by DfE',
    licence: LICENCE,
    url: `https://${REPO}`,
    provenance: `${REPO} Data/AppData/D_enterprise_demo1621.csv at commit 931cc03 (2023-03-24).`,
    files: [DFE_FILES.demography],
  },
};

type DefCore = Omit<
  IndicatorDef,
  'years' | 'areaVintages' | 'source' | 'experimental' | 'caveats' | 'rateOf'
> & { caveats?: string[] };
interface CountSpec {
  /** Source column name, or the size band value for the long UBC file. */
  key: string;
  def: DefCore;
}
interface RateSpec {
  def: DefCore;
  numerator: string;
  /** One source key, or the sum of several (a partition of the whole, e.g. all industries). */
  denominator: { key: string } | { sumOf: readonly string[] };
  /** Plain words for the denominator, e.g. "active enterprises". */
  denominatorLabel: string;
  per: number;
}
interface FileSpec {
  file: DfeFile;
  counts: CountSpec[];
  rates: RateSpec[];
}

const N: Polarity = 'neutral';
const count = (
  id: string,
  title: string,
  description: string,
  unit: string,
  polarity: Polarity,
  dimension: Dimension,
  rateVariantId: string | null,
) => ({
  id,
  title,
  description,
  unit,
  measure: 'total' as Measure,
  polarity,
  actor: 'business' as Actor,
  dimension,
  sourceIndicator: '',
  rateVariantId,
});

const SIZE_BANDS: readonly { band: string; slug: string; label: string }[] = [
  { band: 'Micro_0_to_9', slug: 'micro', label: 'micro (0–9 employees)' },
  { band: 'Small_10_to_49', slug: 'small', label: 'small (10–49 employees)' },
  { band: 'Medium_sized_50_to_249', slug: 'medium', label: 'medium-sized (50–249 employees)' },
  { band: 'Large_250', slug: 'large', label: 'large (250+ employees)' },
];

export const INDUSTRIES: readonly { column: string; slug: string }[] = [
  { column: 'Agriculture and Fishing', slug: 'agriculture-fishing' },
  { column: 'Energy and Water', slug: 'energy-water' },
  { column: 'Manufacturing', slug: 'manufacturing' },
  { column: 'Construction', slug: 'construction' },
  { column: 'Distribution, Hotels and Restaurants', slug: 'distribution-hotels-restaurants' },
  { column: 'Transport and Communication', slug: 'transport-communication' },
  { column: 'Banking, Finance and Insurance', slug: 'banking-finance-insurance' },
  { column: 'Public Administration, Education and Health', slug: 'public-administration-education-health' },
  { column: 'Other Services', slug: 'other-services' },
];

/**
 * The DfE catalogue. Size-band and industry counts and shares describe economic structure, not
 * performance, so they are neutral; births are better high and deaths better low.
 */
export const DFE_SPECS: readonly FileSpec[] = [
  {
    file: 'enterprises',
    counts: [
      {
        key: 'Total',
        def: count(
          'enterprises',
          'Enterprises',
          'Number of VAT- or PAYE-registered enterprises in the LEP (UK Business Counts, March).',
          'enterprises',
          N,
          'environment',
          null,
        ),
      },
      ...SIZE_BANDS.map((b) => ({
        key: b.band,
        def: count(
          `enterprises-${b.slug}`,
          `Enterprises: ${b.label}`,
          `Number of ${b.label} enterprises in the LEP (UK Business Counts, March).`,
          'enterprises',
          N,
          'environment',
          `enterprises-${b.slug}-share`,
        ),
      })),
    ],
    rates: SIZE_BANDS.map((b) => ({
      def: {
        ...count(
          `enterprises-${b.slug}-share`,
          `Share of enterprises that are ${b.label}`,
          `Percentage of the LEP's enterprises that are ${b.label}.`,
          'percent',
          N,
          'environment',
          null,
        ),
        measure: 'share',
      },
      numerator: b.band,
      denominator: { key: 'Total' },
      denominatorLabel: 'all enterprises (the file’s Total band)',
      per: 100,
    })),
  },
  {
    file: 'employment',
    counts: INDUSTRIES.map((i) => ({
      key: i.column,
      def: count(
        `employment-${i.slug}`,
        `Employment: ${i.column}`,
        `People in employment in ${i.column} (Annual Population Survey estimate, rounded).`,
        'people',
        N,
        'environment',
        `employment-${i.slug}-share`,
      ),
    })),
    rates: INDUSTRIES.map((i) => ({
      def: {
        ...count(
          `employment-${i.slug}-share`,
          `Share of employment: ${i.column}`,
          `Percentage of the LEP's employment that is in ${i.column}.`,
          'percent',
          N,
          'environment',
          null,
        ),
        measure: 'share',
        caveats: [
          'Denominator is the sum of the nine broad industry groups in the same row (the file publishes no total).',
          'When a group is suppressed, the share is served with bounds (the suppressed group at 0 and at a stated ceiling), flagged `bounded`; its value is the midpoint of the bounds, and it is ranked on that midpoint.',
        ],
      },
      numerator: i.column,
      denominator: { sumOf: INDUSTRIES.map((x) => x.column) },
      denominatorLabel: 'employment in all nine broad industry groups',
      per: 100,
    })),
  },
  {
    file: 'demography',
    counts: [
      {
        key: 'births',
        def: count(
          'enterprise-births',
          'Enterprise births',
          'Number of new enterprises born in the year (ONS Business Demography).',
          'enterprises',
          'higher_is_better',
          'outputs',
          'enterprise-birth-rate',
        ),
      },
      {
        key: 'deaths',
        def: count(
          'enterprise-deaths',
          'Enterprise deaths',
          'Number of enterprises that ceased trading in the year (ONS Business Demography).',
          'enterprises',
          'lower_is_better',
          'outputs',
          'enterprise-death-rate',
        ),
      },
      {
        key: 'active',
        def: count(
          'active-enterprises',
          'Active enterprises',
          'Number of enterprises active in the year (ONS Business Demography).',
          'enterprises',
          N,
          'environment',
          null,
        ),
      },
    ],
    rates: [
      {
        def: {
          ...count(
            'enterprise-birth-rate',
            'Enterprise birth rate',
            'New enterprises per 1,000 active enterprises in the year.',
            'per 1,000 active enterprises',
            'higher_is_better',
            'outputs',
            null,
          ),
          measure: 'rate',
        },
        numerator: 'births',
        denominator: { key: 'active' },
        denominatorLabel: 'active enterprises',
        per: 1000,
      },
      {
        def: {
          ...count(
            'enterprise-death-rate',
            'Enterprise death rate',
            'Enterprises that ceased trading per 1,000 active enterprises in the year.',
            'per 1,000 active enterprises',
            'lower_is_better',
            'outputs',
            null,
          ),
          measure: 'rate',
          caveats: [
            'Some churn is healthy: a high death rate alongside a high birth rate is a dynamic economy, not only a weak one.',
          ],
        },
        numerator: 'deaths',
        denominator: { key: 'active' },
        denominatorLabel: 'active enterprises',
        per: 1000,
      },
    ],
  },
];

type Cell = { value: number | null; marker: string | null };
/** year|area → source key → cell. `area` is a 2021 LEP code or ENGLAND_CODE. */
type Grid = Map<string, { year: number; area: string; name: string; cells: Map<string, Cell> }>;

export interface DfeResult {
  indicators: IndicatorDef[];
  values: IndicatorValue[];
  englandValues: EnglandValue[];
}

/** Catalogue entries (without years and vintages, which come from the values) for one file. */
export function dfeDefinitions(file: DfeFile): IndicatorDef[] {
  const spec = DFE_SPECS.find((s) => s.file === file) as FileSpec;
  const source = DFE_SOURCES[file];
  const mk = (d: DefCore, sourceIndicator: string, rateOf: IndicatorDef['rateOf']): IndicatorDef => ({
    ...d,
    sourceIndicator,
    source,
    years: [],
    areaVintages: [],
    rateOf,
    experimental: false,
    caveats: d.caveats ?? [],
  });
  return [
    ...spec.counts.map((c) => mk(c.def, c.key, null)),
    ...spec.rates.map((r) => {
      const numeratorId = (spec.counts.find((c) => c.key === r.numerator) as CountSpec).def.id;
      const denominatorKey = 'key' in r.denominator ? r.denominator.key : null;
      const denominatorId = denominatorKey
        ? (spec.counts.find((c) => c.key === denominatorKey)?.def.id ?? null)
        : null;
      const derived = `${r.numerator} / ${'key' in r.denominator ? r.denominator.key : `sum(${r.denominator.sumOf.join(', ')})`} × ${r.per}`;
      return mk(r.def, derived, { numeratorId, denominatorId, denominator: r.denominatorLabel, per: r.per });
    }),
  ];
}

/**
 * Parse one DfE file. `liveLeps` maps live 2021 LEP code → name (dfe_leps.csv); names are matched
 * exactly. Other geographic levels (districts, LSIPs, MCAs) are counted and noted, not loaded.
 */
export async function readDfeFile(
  dataDir: string,
  file: DfeFile,
  liveLeps: ReadonlyMap<string, string>,
  rep: SourceReporter,
): Promise<DfeResult> {
  const spec = DFE_SPECS.find((s) => s.file === file) as FileSpec;
  const codeByName = new Map([...liveLeps].map(([code, name]) => [name, code]));
  const grid: Grid = new Map();
  const otherLevels = new Map<string, number>();
  const dropped = new Map<string, number>();
  const long = file === 'enterprises';
  const required = long
    ? ['year', 'geographic_level', 'area', 'enterprise size', 'enterprise count']
    : ['area', 'geographic_level', 'year', ...spec.counts.map((c) => c.key)];
  const keys = new Set(spec.counts.map((c) => c.key));

  for await (const { line, values: v } of readCsv(
    join(dataDir, DFE_FILES[file]),
    DFE_FILES[file],
    required,
  )) {
    rep.read();
    const level = v.geographic_level?.trim() ?? '';
    const name = v.area?.trim() ?? '';
    let area: string;
    if (level === 'COUNTRY') {
      if (name !== 'England') {
        rep.reject(line, 'area', `COUNTRY row for "${name}": only England is expected`);
        continue;
      }
      area = ENGLAND_CODE;
    } else if (level === 'LEP') {
      if (name in DFE_DROPPED_AREAS) {
        dropped.set(name, (dropped.get(name) ?? 0) + 1);
        rep.skip(`"${name}": ${DFE_DROPPED_AREAS[name]}`);
        continue;
      }
      const code = codeByName.get(name);
      if (!code) {
        rep.reject(line, 'area', `"${name}" is not the name of a 2021 LEP`);
        continue;
      }
      area = code;
    } else if (level === 'LADU' || level === 'LSIP' || level === 'MCA') {
      otherLevels.set(level, (otherLevels.get(level) ?? 0) + 1);
      rep.skip(`${level} row: LEP profiles use LEP and COUNTRY rows only`);
      continue;
    } else {
      rep.reject(line, 'geographic_level', `unknown geographic level "${level}"`);
      continue;
    }
    const year = parseYear(v.year);
    if (year === null) {
      rep.reject(line, 'year', `not a year: "${v.year ?? ''}"`);
      continue;
    }
    const gkey = `${year}|${area}`;
    const group = grid.get(gkey) ?? { year, area, name, cells: new Map<string, Cell>() };
    // One row holds one size band (long UBC file) or every column (wide files).
    const entries: { key: string; column: string; text: string | undefined }[] = long
      ? [{ key: v['enterprise size']?.trim() ?? '', column: 'enterprise count', text: v['enterprise count'] }]
      : spec.counts.map((c) => ({ key: c.key, column: c.key, text: v[c.key] }));
    let bad = false;
    const parsed: [string, Cell][] = [];
    for (const e of entries) {
      if (!keys.has(e.key)) {
        rep.reject(line, 'enterprise size', `unknown size band "${e.key}"`);
        bad = true;
        break;
      }
      if (group.cells.has(e.key)) {
        rep.reject(line, long ? 'enterprise size' : 'area', `duplicate ${e.key} for ${name} ${year}`);
        bad = true;
        break;
      }
      const cell = parseCell(e.text);
      if (!cell.ok) {
        rep.reject(line, e.column, cell.reason);
        bad = true;
        break;
      }
      parsed.push([e.key, { value: cell.value, marker: cell.marker }]);
    }
    if (bad) continue;
    for (const [k, c] of parsed) group.cells.set(k, c);
    grid.set(gkey, group);
    rep.loaded();
  }

  for (const [name, n] of dropped) rep.note(`dropped ${n} rows for "${name}": ${DFE_DROPPED_AREAS[name]}.`);
  if (otherLevels.size) {
    rep.note(
      `not loaded (LEP profiles use LEP and COUNTRY rows only): ${[...otherLevels].map(([l, n]) => `${n} ${l} rows`).join(', ')}.`,
    );
  }

  const values: IndicatorValue[] = [];
  const englandValues: EnglandValue[] = [];
  let suppressedCells = 0;
  let zeroDenominators = 0;
  let boundedShares = 0;
  // The largest value each area publishes for each key anywhere in the file: the ceiling of its c cells.
  const largest = new Map<string, { value: number; year: number }>();
  for (const g of grid.values())
    for (const [k, c] of g.cells) {
      const key = `${g.area}|${k}`;
      const best = largest.get(key);
      if (c.value !== null && (!best || c.value > best.value))
        largest.set(key, { value: c.value, year: g.year });
    }
  const ceilingOf = (
    area: string,
    key: string,
    marker: string | null,
  ): { value: number; why: string } | null => {
    if (marker === 'low')
      return { value: LOW_MARKER_CEILING, why: `${LOW_MARKER_CEILING} (${MARKER_MEANING.low})` };
    const best = marker === 'c' ? largest.get(`${area}|${key}`) : undefined;
    return best
      ? {
          value: best.value,
          why: `${best.value}, the largest value the source publishes for it in this area (${best.year}) (${MARKER_MEANING.c})`,
        }
      : null;
  };
  const emit = (
    g: { year: number; area: string; name: string },
    indicatorId: string,
    c: Cell,
    extra: Pick<IndicatorValue, 'method' | 'bounds'> = {},
  ) => {
    if (g.area === ENGLAND_CODE) {
      englandValues.push({
        indicatorId,
        areaCode: ENGLAND_CODE,
        year: g.year,
        value: c.value,
        suppressed: c.marker !== null,
        suppressionMarker: c.marker,
        sourceId: DFE_SOURCES[file].id,
      });
    } else {
      values.push({
        indicatorId,
        areaCode: g.area,
        areaVintage: '2021',
        year: g.year,
        value: c.value,
        suppressed: c.marker !== null,
        suppressionMarker: c.marker,
        sourceId: DFE_SOURCES[file].id,
        sourceCode: g.name,
        sourceVintage: '2021',
        ...extra,
      });
    }
  };
  const sorted = [...grid.values()].sort((a, b) => a.year - b.year || a.area.localeCompare(b.area));
  for (const g of sorted) {
    for (const c of spec.counts) {
      const cell = g.cells.get(c.key);
      if (!cell) continue;
      if (cell.marker !== null) {
        suppressedCells += 1;
        const ceiling = ceilingOf(g.area, c.key, cell.marker);
        emit(g, c.def.id, cell, {
          bounds: ceiling
            ? {
                lower: 0,
                upper: ceiling.value,
                note: `Suppressed (${cell.marker}); taken to lie between 0 and ${ceiling.why}.`,
              }
            : null,
        });
        continue;
      }
      emit(g, c.def.id, cell);
    }
    for (const r of spec.rates) {
      const num = g.cells.get(r.numerator);
      const denKeys = 'key' in r.denominator ? [r.denominator.key] : r.denominator.sumOf;
      const dens = denKeys.map((k) => g.cells.get(k));
      // Inputs absent (a missing or rejected row): no derived value rather than a partial one.
      if (!num || dens.some((d) => d === undefined)) continue;
      const inputs = [num, ...(dens as Cell[])];
      const marker = inputs.find((c) => c.marker !== null)?.marker ?? null;
      if (marker !== null) {
        // A partition's share survives a suppressed part: bounded by the part at 0 and at its ceiling.
        const b =
          'sumOf' in r.denominator
            ? boundedShare(
                r.numerator,
                denKeys.map((k, i) => {
                  const d = dens[i] as Cell;
                  return { key: k, value: d.value, ceiling: ceilingOf(g.area, k, d.marker)?.value ?? null };
                }),
                r.per,
              )
            : null;
        if (!b) {
          emit(g, r.def.id, { value: null, marker }, { method: 'derived' });
          continue;
        }
        boundedShares += 1;
        const which = b.suppressed
          .map((p) => `${p.key} (${ceilingOf(g.area, p.key, g.cells.get(p.key)?.marker ?? null)?.why})`)
          .join('; ');
        emit(
          g,
          r.def.id,
          { value: b.value, marker: b.value === null ? num.marker : null },
          {
            method: 'derived',
            bounds: {
              lower: b.lower,
              upper: b.upper,
              note:
                b.value === null
                  ? `This group is suppressed; its share lies between 0 (the group at 0) and ${b.upper} (the group at its ceiling). Ceiling: ${which}.`
                  : `Suppressed in the same row: ${which}. Bounds: the suppressed group(s) at their ceiling (lower) and at 0 (upper); the value is their midpoint, and it is ranked on it.`,
            },
          },
        );
        continue;
      }
      const den = (dens as Cell[]).reduce((acc, d) => acc + (d.value as number), 0);
      if (den === 0) {
        zeroDenominators += 1;
        continue;
      }
      emit(
        g,
        r.def.id,
        { value: ((num.value as number) / den) * r.per, marker: null },
        { method: 'derived' },
      );
    }
  }
  if (suppressedCells)
    rep.note(
      `${suppressedCells} suppressed cells ("c", "low", "x") at LEP/England level kept as suppressed values, not zeros; rates depending on them are suppressed too.`,
    );
  if (boundedShares)
    rep.note(
      `${boundedShares} shares with a suppressed group in the same row served with bounds (the group at 0 and at its ceiling: 500 for "low", the area's largest published value of that group for "c") and their midpoint as the value.`,
    );
  if (zeroDenominators) rep.note(`${zeroDenominators} rates not computed because the denominator is 0.`);

  const lepCodes = new Set(values.map((x) => x.areaCode));
  const missing = [...liveLeps].filter(([code]) => !lepCodes.has(code)).map(([, name]) => name);
  if (missing.length) rep.note(`no rows for ${missing.length} live LEP(s): ${missing.join(', ')}.`);
  return { indicators: dfeDefinitions(file), values, englandValues };
}
