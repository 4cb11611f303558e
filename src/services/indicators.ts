import type { Db } from '../db/client.ts';
import {
  getCohorts,
  getIndicator,
  getIndicatorsByIds,
  getIndicatorYears,
  getLiveLeps,
  getRanking,
  getSeries,
  type IndicatorRow,
  listIndicators,
} from '../db/indicator-queries.ts';
import { LEP_VINTAGE, type LepVintage } from '../domain/geography.ts';
import { ApiError } from '../http/problem.ts';

/** The indicator catalogue, league tables and time series. */

/** Every catalogue entry matching the filters (exports), ordered by id. */
export async function allIndicators(
  db: Db,
  q: { actor?: string | undefined; dimension?: string | undefined },
) {
  const { rows } = await listIndicators(db, { ...q, limit: 10_000 });
  return rows;
}

/** One page of the catalogue, ordered by id. */
export async function indicatorPage(
  db: Db,
  q: { actor?: string | undefined; dimension?: string | undefined; after: string | undefined; limit: number },
) {
  const { rows, total } = await listIndicators(db, q);
  return { rows, total: total ?? 0 };
}

export async function indicatorOr404(db: Db, id: string): Promise<IndicatorRow> {
  const i = await getIndicator(db, id);
  if (!i) throw new ApiError('not_found', `No indicator is called "${id}". See /v1/indicators.`);
  return i;
}

/**
 * The catalogue entries for ids a client chose, or undefined when it chose none; unknown ids are
 * a 400 naming `query.indicators`.
 */
export async function chosenIndicators(db: Db, ids: readonly string[]): Promise<IndicatorRow[] | undefined> {
  if (ids.length === 0) return undefined;
  const found = await getIndicatorsByIds(db, ids);
  const unknown = ids.filter((id) => !found.some((f) => f.id === id));
  if (unknown.length) {
    throw new ApiError('bad_request', `Unknown indicator(s): ${unknown.join(', ')}. See /v1/indicators.`, [
      { location: 'query.indicators', message: `Unknown: ${unknown.join(', ')}` },
    ]);
  }
  return found;
}

/**
 * One indicator with the years a 2021-LEP league table or map can be drawn for: those whose 2021
 * cohort holds every live LEP (any other year of the ranking is a 404), oldest first.
 */
export async function indicatorDetail(db: Db, id: string) {
  const indicator = await indicatorOr404(db, id);
  const cohorts = await getCohorts(db, id);
  const rankedYears = cohorts.filter((c) => c.vintage === LEP_VINTAGE && c.complete).map((c) => c.year);
  return { indicator, rankedYears: [...new Set(rankedYears)].sort((a, b) => a - b) };
}

/** The league table of one indicator: the asked year, else the latest on that vintage. */
export async function indicatorRanking(
  db: Db,
  id: string,
  q: { year?: number | undefined; vintage: LepVintage },
) {
  const indicator = await indicatorOr404(db, id);
  const year =
    q.year ??
    (q.vintage === LEP_VINTAGE ? indicator.latestYear : null) ??
    (await getIndicatorYears(db, id, q.vintage)).at(-1);
  const rows = year === undefined || year === null ? [] : await getRanking(db, id, year, q.vintage);
  if (year === undefined || year === null || rows.length === 0) {
    const years = await getIndicatorYears(db, id, q.vintage);
    throw new ApiError(
      'not_found',
      `${id} has no values${year ? ` for ${year}` : ''} on the ${q.vintage} LEP geography.`,
      [
        {
          location: q.year ? 'query.year' : 'query.vintage',
          message: `Years available: ${years.join(', ') || 'none'}`,
        },
      ],
    );
  }
  if (q.vintage === LEP_VINTAGE && rows.every((r) => !r.v.cohortComplete)) {
    throw await incompleteCohort(db, id, year, rows.length);
  }
  return { indicator, year, rows };
}

/**
 * A 2021 cohort that lacks some live LEPs is not ranked (ranks over part of the LEPs mislead), so
 * asking for its league table is a 404 that says which years are complete and which published
 * vintages hold that year as the source published it.
 */
async function incompleteCohort(db: Db, id: string, year: number, present: number): Promise<ApiError> {
  const [cohorts, live] = await Promise.all([getCohorts(db, id), getLiveLeps(db)]);
  const complete = cohorts.filter((c) => c.vintage === LEP_VINTAGE && c.complete).map((c) => c.year);
  const published = cohorts.filter((c) => c.vintage !== LEP_VINTAGE && c.year === year);
  const asPublished = published.length
    ? ` The values as published for ${year} are ranked on their own LEP geography: ${published.map((c) => `vintage=${c.vintage} (${c.n} LEPs)`).join(', ')}.`
    : '';
  return new ApiError(
    'not_found',
    `${id} ${year} is not ranked on the ${LEP_VINTAGE} LEPs: only ${present} of the ${live.length} LEPs have a value, and a league table of part of them would mislead. Years ranked on all ${live.length}: ${complete.join(', ') || 'none'}.${asPublished}`,
    [
      {
        location: 'query.year',
        message: `Years with a complete ${LEP_VINTAGE} cohort: ${complete.join(', ') || 'none'}`,
      },
      ...(published.length
        ? [
            {
              location: 'query.vintage',
              message: `Published cohorts for ${year}: ${published.map((c) => c.vintage).join(', ')}`,
            },
          ]
        : []),
    ],
  );
}

/** Every value of one indicator for some areas (else every area of the final geography), by area and year. */
export async function indicatorSeries(db: Db, id: string, codes: readonly string[]) {
  const indicator = await indicatorOr404(db, id);
  const rows = await getSeries(db, id, codes.length ? codes : undefined);
  const missing = codes.filter((code) => !rows.some((r) => r.v.areaCode === code));
  if (missing.length) {
    throw new ApiError('not_found', `${id} has no values for ${missing.join(', ')}.`, [
      { location: 'query.areas', message: `No values for: ${missing.join(', ')}` },
    ]);
  }
  return { indicator, rows };
}
