/**
 * Coverage of the indicators on the live LEPs: for every indicator × LEP × year its source spans,
 * whether a value is served and how it was obtained, or why there is none. Pure; the pipeline
 * stores the rows (indicator_coverage) and the API only reads them.
 */

import type { ValueMethod } from './lep-rebuild.ts';

/** Why a LEP-year has no value, most specific first. */
export const MISSING_REASONS = [
  'suppressed',
  'not-published',
  'footprint-changed',
  'not-aggregatable',
  'source-gap',
  'not-yet-published',
  'source-ends',
] as const;
export type MissingReason = (typeof MISSING_REASONS)[number];

/** What each reason means, as served beside it. */
export const MISSING_REASON_TEXT: Record<MissingReason, string> = {
  suppressed:
    'The source publishes the cell but suppresses it (disclosure control or an unreliable estimate).',
  'not-published':
    'The source publishes this year for other areas but gives no value for this LEP (nor for the areas it is made of).',
  'footprint-changed':
    'The source publishes this year only on LEP boundaries of its own year, which differ from this LEP’s 2021 footprint, and its NUTS3 rows for the year are not on the geography the rebuild uses.',
  'not-aggregatable':
    'The source publishes this year only on LEP boundaries of its own year, which differ from this LEP’s 2021 footprint, and the indicator cannot be rebuilt from smaller areas (an index, or a mean with no counts).',
  'source-gap': 'The source has no value for any area in this year.',
  'not-yet-published':
    'The indicator’s series starts after this year (its source covers it for other indicators).',
  'source-ends': 'The indicator’s series ends before this year (its source covers it for other indicators).',
};

/** Statuses: a value; missing inside the indicator's own series; outside the series (before/after). */
export type CoverageStatus = 'value' | 'missing' | 'outside';

export interface CoverageIndicator {
  id: string;
  /** Years the indicator has any cell (suppressed included), ascending. */
  years: readonly number[];
  /** Indicators of the same source file share a span. */
  sourceKey: string;
  /** For a rate we compute: the served values it divides. */
  derivedFrom: { numeratorId: string; denominatorId: string | null } | null;
  /** False when the indicator stays on its published geography (cannot be re-aggregated). */
  aggregatable: boolean;
}

export interface CoverageValue {
  indicatorId: string;
  year: number;
  areaCode: string;
  /** '2021' for the live LEP geography; other vintages as published. */
  areaVintage: string;
  value: number | null;
  suppressed: boolean;
  method?: string | null | undefined;
  /** The source's own geography vintage ('-2014', '2014', '2017', '2020', '2021', 'NUTS3', …). */
  sourceVintage: string;
}

export interface CoverageRow {
  indicatorId: string;
  areaCode: string;
  year: number;
  status: CoverageStatus;
  method: ValueMethod | null;
  reason: MissingReason | null;
}

const LEP_SPEC = /^-?20\d\d$/;

/**
 * One row per indicator × live LEP × year of the indicator's source span.
 * `lepSpecs`: for each live LEP, the published LEP vintages ('-2014', '2014', '2017', '2020') in
 * which a code with its 2021 footprint existed (same code and name, or a documented rename).
 */
export function coverageRows(opts: {
  indicators: readonly CoverageIndicator[];
  values: readonly CoverageValue[];
  liveLeps: readonly string[];
  lepSpecs: ReadonlyMap<string, ReadonlySet<string>>;
}): CoverageRow[] {
  const { indicators, liveLeps, lepSpecs } = opts;
  const span = new Map<string, { from: number; to: number }>();
  for (const d of indicators) {
    if (d.years.length === 0) continue;
    const s = span.get(d.sourceKey);
    const from = d.years[0] as number;
    const to = d.years.at(-1) as number;
    span.set(d.sourceKey, { from: Math.min(s?.from ?? from, from), to: Math.max(s?.to ?? to, to) });
  }
  const onLep = new Map<string, CoverageValue>();
  const anyIn = new Set<string>();
  const specsIn = new Map<string, Set<string>>();
  for (const v of opts.values) {
    if (v.value !== null || v.suppressed) anyIn.add(`${v.indicatorId}|${v.year}`);
    if (v.areaVintage === '2021') onLep.set(`${v.indicatorId}|${v.year}|${v.areaCode}`, v);
    if (LEP_SPEC.test(v.sourceVintage)) {
      const k = `${v.indicatorId}|${v.year}`;
      specsIn.set(k, (specsIn.get(k) ?? new Set()).add(v.sourceVintage));
    }
  }
  const byId = new Map(indicators.map((d) => [d.id, d]));
  const memo = new Map<string, CoverageRow>();

  const cell = (d: CoverageIndicator, lep: string, year: number): CoverageRow => {
    const key = `${d.id}|${year}|${lep}`;
    const known = memo.get(key);
    if (known) return known;
    const row = (status: CoverageStatus, method: ValueMethod | null, reason: MissingReason | null) => {
      const r = { indicatorId: d.id, areaCode: lep, year, status, method, reason };
      memo.set(key, r);
      return r;
    };
    const v = onLep.get(key);
    if (v && v.value !== null)
      return row('value', d.derivedFrom ? 'derived' : ((v.method as ValueMethod) ?? 'as-published'), null);
    const first = d.years[0];
    const last = d.years.at(-1);
    if (first === undefined || last === undefined || year < first)
      return row('outside', null, 'not-yet-published');
    if (year > last) return row('outside', null, 'source-ends');
    if (v?.suppressed) return row('missing', null, 'suppressed');
    if (d.derivedFrom) {
      for (const inputId of [d.derivedFrom.numeratorId, d.derivedFrom.denominatorId]) {
        const input = inputId ? byId.get(inputId) : undefined;
        if (!input) continue;
        const r = cell(input, lep, year);
        if (r.status !== 'value') return row('missing', null, r.reason);
      }
    }
    if (!anyIn.has(`${d.id}|${year}`)) return row('missing', null, 'source-gap');
    const specs = specsIn.get(`${d.id}|${year}`);
    const own = lepSpecs.get(lep);
    if (specs && specs.size > 0 && ![...specs].some((s) => own?.has(s)))
      return row('missing', null, d.aggregatable ? 'footprint-changed' : 'not-aggregatable');
    return row('missing', null, 'not-published');
  };

  const out: CoverageRow[] = [];
  for (const d of indicators) {
    const s = span.get(d.sourceKey);
    if (!s) continue;
    for (const lep of liveLeps) for (let y = s.from; y <= s.to; y++) out.push(cell(d, lep, y));
  }
  return out;
}

export interface CoverageCounts {
  /** Years with a value. */
  withValue: number;
  /** Years of the indicator's own series (first to last year it has). */
  expected: number;
  /** Years of the series without a value. */
  missing: number;
}

/** Counts over one indicator × LEP's rows. */
export function coverageCounts(rows: readonly Pick<CoverageRow, 'status'>[]): CoverageCounts {
  const withValue = rows.filter((r) => r.status === 'value').length;
  const missing = rows.filter((r) => r.status === 'missing').length;
  return { withValue, expected: withValue + missing, missing };
}
