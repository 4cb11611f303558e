import type { Db } from '../db/client.ts';
import { getAreaValues, getLepsByCodes, type IndicatorBrief } from '../db/indicator-queries.ts';
import { LEP_VINTAGE } from '../domain/geography.ts';
import { ApiError } from '../http/problem.ts';
import { chosenIndicators } from './indicators.ts';

type ValueRow = Awaited<ReturnType<typeof getAreaValues>>[number];

/**
 * LEPs side by side: one row per indicator, one cell per LEP in the order asked (null where the
 * LEP has no value). Unknown codes are a 404, retired ones and unknown indicators a 400.
 */
export async function compareLeps(
  db: Db,
  q: { codes: readonly string[]; indicators: readonly string[]; year: number | undefined },
) {
  const byCode = new Map((await getLepsByCodes(db, q.codes)).map((a) => [a.code, a]));
  const unknown = q.codes.filter((code) => !byCode.has(code));
  if (unknown.length)
    throw new ApiError('not_found', `No LEP has code ${unknown.join(', ')}.`, [
      { location: 'query.areas', message: `Unknown: ${unknown.join(', ')}` },
    ]);
  const leps = q.codes.map((code) => byCode.get(code) as NonNullable<ReturnType<typeof byCode.get>>);
  const retired = leps.filter((l) => l.status !== 'live');
  if (retired.length) {
    throw new ApiError(
      'bad_request',
      `Comparisons are on the ${LEP_VINTAGE} LEP geography; ${retired.map((r) => r.code).join(', ')} is a retired code.`,
      [{ location: 'query.areas', message: `Use live ${LEP_VINTAGE} LEP codes` }],
    );
  }
  await chosenIndicators(db, q.indicators);
  const rows = await getAreaValues(db, {
    areaCodes: q.codes,
    vintages: [LEP_VINTAGE],
    indicatorIds: q.indicators.length ? q.indicators : undefined,
    year: q.year,
  });
  if (rows.length === 0) {
    throw new ApiError(
      'not_found',
      `No values for these LEPs${q.year ? ` in ${q.year}` : ''}.`,
      q.year ? [{ location: 'query.year', message: 'No data for this year' }] : undefined,
    );
  }
  const table = new Map<string, { indicator: IndicatorBrief; cells: (ValueRow | null)[] }>();
  for (const r of rows) {
    const entry = table.get(r.i.id) ?? { indicator: r.i, cells: q.codes.map(() => null) };
    entry.cells[q.codes.indexOf(r.v.areaCode)] = r;
    table.set(r.i.id, entry);
  }
  return { leps, rows: [...table.values()], indicators: rows.map((r) => r.i) };
}
