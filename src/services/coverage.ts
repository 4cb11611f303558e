import type { Db } from '../db/client.ts';
import {
  getCoverageMatrix,
  getDownloadFile,
  getDownloadPart,
  getIndicatorTitles,
  getLepCoverage,
} from '../db/coverage-queries.ts';
import { getLiveLeps } from '../db/indicator-queries.ts';
import { type AreaRow, getAreasByCode } from '../db/queries.ts';
import {
  type CoverageStatus,
  coverageCounts,
  MISSING_REASON_TEXT,
  type MissingReason,
} from '../domain/coverage.ts';
import { LEP_VINTAGE } from '../domain/geography.ts';
import type { ValueMethod } from '../domain/lep-rebuild.ts';
import { ApiError } from '../http/problem.ts';

/**
 * The coverage report (which LEP-years have a value, how it was obtained, why the others have
 * none) and the whole-dataset download. Both read what the pipeline stored; nothing is computed
 * here beyond grouping and counting.
 */

export interface IndicatorCoverage {
  id: string;
  title: string;
  unit: string;
  /** First and last year of the indicator's own series (null when it has none on the LEPs). */
  firstYear: number | null;
  lastYear: number | null;
  counts: { withValue: number; expected: number; missing: number };
  values: { year: number; method: ValueMethod }[];
  missing: { year: number; reason: MissingReason; inSeries: boolean }[];
}

async function liveLepOr4xx(db: Db, code: string): Promise<AreaRow> {
  const lep = (await getAreasByCode(db, code)).find((a) => a.type === 'lep');
  if (!lep) throw new ApiError('not_found', `No LEP has code ${code}. See /v1/areas?type=lep.`);
  if (lep.status !== 'live')
    throw new ApiError(
      'bad_request',
      `${code} is a retired LEP code; coverage is reported for the ${LEP_VINTAGE} LEPs. Its values as published: /v1/indicators/{id}/ranking?vintage=…`,
      [{ location: 'path.code', message: `Use a live ${LEP_VINTAGE} LEP code` }],
    );
  return lep;
}

/** Group one LEP's coverage rows by indicator. */
function byIndicator(
  rows: Awaited<ReturnType<typeof getLepCoverage>>,
  titles: ReadonlyMap<string, { title: string; unit: string }>,
): IndicatorCoverage[] {
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(r.indicatorId, [...(groups.get(r.indicatorId) ?? []), r]);
  return [...groups].map(([id, rs]) => {
    const inSeries = rs.filter((r) => r.status !== 'outside');
    return {
      id,
      title: titles.get(id)?.title ?? id,
      unit: titles.get(id)?.unit ?? '',
      firstYear: inSeries[0]?.year ?? null,
      lastYear: inSeries.at(-1)?.year ?? null,
      counts: coverageCounts(rs.map((r) => ({ status: r.status as CoverageStatus }))),
      values: rs
        .filter((r) => r.status === 'value')
        .map((r) => ({ year: r.year, method: r.method as ValueMethod })),
      missing: rs
        .filter((r) => r.status !== 'value')
        .map((r) => ({ year: r.year, reason: r.reason as MissingReason, inSeries: r.status === 'missing' })),
    };
  });
}

/** Every indicator's years on one live LEP: with a value (and how), missing (and why). */
export async function lepCoverage(db: Db, code: string, indicatorId?: string) {
  const lep = await liveLepOr4xx(db, code);
  const [rows, titles] = await Promise.all([getLepCoverage(db, code, indicatorId), getIndicatorTitles(db)]);
  if (indicatorId && !titles.some((t) => t.id === indicatorId))
    throw new ApiError('not_found', `No indicator has id ${indicatorId}. See /v1/indicators.`, [
      { location: 'query.indicator', message: 'Unknown indicator id' },
    ]);
  const indicators = byIndicator(rows, new Map(titles.map((t) => [t.id, t])));
  const total = indicators.reduce(
    (a, i) => ({
      withValue: a.withValue + i.counts.withValue,
      expected: a.expected + i.counts.expected,
    }),
    { withValue: 0, expected: 0 },
  );
  return {
    lep,
    indicators,
    counts: {
      indicators: indicators.length,
      complete: indicators.filter((i) => i.counts.expected > 0 && i.counts.missing === 0).length,
      partial: indicators.filter((i) => i.counts.withValue > 0 && i.counts.missing > 0).length,
      none: indicators.filter((i) => i.counts.withValue === 0).length,
      yearsWithValue: total.withValue,
      yearsExpected: total.expected,
    },
  };
}

/** What each missing reason means (served with every coverage answer). */
export const missingReasons = () =>
  (Object.entries(MISSING_REASON_TEXT) as [MissingReason, string][]).map(([code, description]) => ({
    code,
    description,
  }));

/** Indicators a LEP's profile lacks, with why (the latest in-series year, or the year asked). */
export async function profileGaps(
  db: Db,
  code: string,
  shown: ReadonlySet<string>,
  year: number | undefined,
) {
  const rows = await getLepCoverage(db, code);
  const last = new Map<string, { year: number; reason: MissingReason }>();
  for (const r of rows) {
    if (shown.has(r.indicatorId) || r.status === 'value') continue;
    if (year !== undefined ? r.year !== year : r.status !== 'missing') continue;
    const prev = last.get(r.indicatorId);
    if (!prev || r.year > prev.year)
      last.set(r.indicatorId, { year: r.year, reason: r.reason as MissingReason });
  }
  // An indicator with a value in some other year is not lacking (the profile shows its latest year).
  const anyValue = new Set(rows.filter((r) => r.status === 'value').map((r) => r.indicatorId));
  return [...last]
    .filter(([id]) => year !== undefined || !anyValue.has(id))
    .map(([id, m]) => ({ indicatorId: id, ...m }));
}

/** The indicator × LEP matrix of years with a value, with the years each indicator's series spans. */
export async function coverageMatrix(db: Db) {
  const [cells, leps, titles] = await Promise.all([
    getCoverageMatrix(db),
    getLiveLeps(db),
    getIndicatorTitles(db),
  ]);
  const byId = new Map<string, typeof cells>();
  for (const c of cells) byId.set(c.indicatorId, [...(byId.get(c.indicatorId) ?? []), c]);
  const data = titles
    .filter((t) => byId.has(t.id))
    .map((t) => {
      const cs = byId.get(t.id) as typeof cells;
      const expected = Math.max(...cs.map((c) => c.expected));
      return {
        id: t.id,
        title: t.title,
        firstYear: cs.find((c) => c.firstYear !== null)?.firstYear ?? null,
        lastYear: cs.find((c) => c.lastYear !== null)?.lastYear ?? null,
        expected,
        lepsComplete: cs.filter((c) => c.expected > 0 && c.withValue === c.expected).length,
        lepsWithNone: cs.filter((c) => c.withValue === 0).length,
        withValue: Object.fromEntries(cs.map((c) => [c.areaCode, c.withValue])) as Record<string, number>,
      };
    });
  return { leps, data };
}

export type DownloadFormat = 'csv' | 'xlsx' | 'csvw';

const decode = (encoding: string, body: string): Uint8Array =>
  encoding === 'base64'
    ? Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
    : new TextEncoder().encode(body);

/**
 * A stored download and its bytes as an async sequence of parts (read one at a time, so the
 * response streams and never holds the file). 503 when the dataset was built without it.
 */
export async function downloadFile(db: Db, format: DownloadFormat) {
  const file = await getDownloadFile(db, format);
  if (!file)
    throw new ApiError(
      'unavailable',
      'The download is built by the pipeline and this dataset has none yet: reload it (npm run pipeline).',
    );
  async function* parts(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < (file as NonNullable<typeof file>).parts; i++) {
      const body = await getDownloadPart(db, format, i);
      if (body === undefined)
        throw new Error(`download ${format}: part ${i} is missing (a new dataset was swapped in?)`);
      yield decode((file as NonNullable<typeof file>).encoding, body);
    }
  }
  return { file, parts };
}
