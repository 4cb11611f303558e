import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { datasetDownloadParts, datasetDownloads, indicatorCoverage, indicators } from './schema.ts';

/** Named queries behind the coverage report and the whole-dataset download. */

export type CoverageRowDb = typeof indicatorCoverage.$inferSelect;

/** Every coverage row of one LEP (optionally one indicator), in indicator × year order: one index range. */
export async function getLepCoverage(db: Db, areaCode: string, indicatorId?: string) {
  return db
    .select({
      indicatorId: indicatorCoverage.indicatorId,
      year: indicatorCoverage.year,
      status: indicatorCoverage.status,
      method: indicatorCoverage.method,
      reason: indicatorCoverage.reason,
    })
    .from(indicatorCoverage)
    .where(
      and(
        eq(indicatorCoverage.areaCode, areaCode),
        indicatorId ? eq(indicatorCoverage.indicatorId, indicatorId) : undefined,
      ),
    )
    .orderBy(asc(indicatorCoverage.indicatorId), asc(indicatorCoverage.year));
}

/** Years with a value and years of the series, per indicator × LEP: the whole matrix in one pass. */
export async function getCoverageMatrix(db: Db) {
  return db
    .select({
      indicatorId: indicatorCoverage.indicatorId,
      areaCode: indicatorCoverage.areaCode,
      withValue: sql<number>`(count(*) filter (where ${indicatorCoverage.status} = 'value'))::int`,
      expected: sql<number>`(count(*) filter (where ${indicatorCoverage.status} in ('value', 'missing')))::int`,
      firstYear: sql<
        number | null
      >`min(${indicatorCoverage.year}) filter (where ${indicatorCoverage.status} in ('value', 'missing'))`,
      lastYear: sql<
        number | null
      >`max(${indicatorCoverage.year}) filter (where ${indicatorCoverage.status} in ('value', 'missing'))`,
    })
    .from(indicatorCoverage)
    .groupBy(indicatorCoverage.indicatorId, indicatorCoverage.areaCode)
    .orderBy(asc(indicatorCoverage.indicatorId), asc(indicatorCoverage.areaCode));
}

/** id, title and unit of every indicator (coverage lists name what they count). */
export async function getIndicatorTitles(db: Db) {
  return db
    .select({ id: indicators.id, title: indicators.title, unit: indicators.unit, rateOf: indicators.rateOf })
    .from(indicators)
    .orderBy(asc(indicators.id));
}

export type DownloadFile = typeof datasetDownloads.$inferSelect;

export async function getDownloadFile(db: Db, format: string): Promise<DownloadFile | undefined> {
  const rows = await db.select().from(datasetDownloads).where(eq(datasetDownloads.format, format)).limit(1);
  return rows[0];
}

/** One stored part of a download, by its position (0-based). */
export async function getDownloadPart(db: Db, format: string, part: number): Promise<string | undefined> {
  const rows = await db
    .select({ body: datasetDownloadParts.body })
    .from(datasetDownloadParts)
    .where(and(eq(datasetDownloadParts.format, format), eq(datasetDownloadParts.part, part)))
    .limit(1);
  return rows[0]?.body;
}
