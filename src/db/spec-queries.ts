import { and, asc, eq, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';
import { areas, specCells, specPortfolio, specRelatedness, specTrends } from './schema.ts';

/** Named queries behind /v1/specialisation, /v1/relatedness and the smart-specialisation answer. */

export type SpecCellRow = typeof specCells.$inferSelect & { areaName: string };
export type SpecPortfolioRow = typeof specPortfolio.$inferSelect & { areaName: string };
export type SpecTrendRow = typeof specTrends.$inferSelect & { areaName: string };
export type SpecRelatednessRow = typeof specRelatedness.$inferSelect;

/** The LEP's name for an area-code column, or the code itself where the LEP is not loaded. */
const lepNameOf = (code: AnyPgColumn) =>
  sql<string>`coalesce((select a.name from ${areas} a where a.code = ${code} and a.type = 'lep' limit 1), ${code})`;

/** The periods a measure × category system has, newest first ("all" sorts after the years). */
export async function getSpecPeriods(db: Db, measure: string, categories: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ period: specCells.period })
    .from(specCells)
    .where(and(eq(specCells.measure, measure), eq(specCells.categories, categories)));
  return rows.map((r) => r.period);
}

/** One matrix (every LEP × category), or one LEP's row of it. */
export async function getSpecCells(
  db: Db,
  q: { measure: string; categories: string; period?: string | undefined; area?: string | undefined },
): Promise<SpecCellRow[]> {
  return db
    .select({
      measure: specCells.measure,
      categories: specCells.categories,
      period: specCells.period,
      areaCode: specCells.areaCode,
      category: specCells.category,
      value: specCells.value,
      areaTotal: specCells.areaTotal,
      referenceValue: specCells.referenceValue,
      referenceTotal: specCells.referenceTotal,
      lq: specCells.lq,
      support: specCells.support,
      suppressed: specCells.suppressed,
      smallNumber: specCells.smallNumber,
      specialised: specCells.specialised,
      lqRank: specCells.lqRank,
      lqRanked: specCells.lqRanked,
      density: specCells.density,
      densityCosine: specCells.densityCosine,
      areaName: lepNameOf(specCells.areaCode),
    })
    .from(specCells)
    .where(
      and(
        eq(specCells.measure, q.measure),
        eq(specCells.categories, q.categories),
        q.period ? eq(specCells.period, q.period) : undefined,
        q.area ? eq(specCells.areaCode, q.area) : undefined,
      ),
    )
    .orderBy(asc(specCells.areaCode), asc(specCells.category), asc(specCells.period));
}

export async function getSpecPortfolio(
  db: Db,
  q: { measure: string; categories: string; period: string },
): Promise<SpecPortfolioRow[]> {
  return db
    .select({
      measure: specPortfolio.measure,
      categories: specPortfolio.categories,
      period: specPortfolio.period,
      areaCode: specPortfolio.areaCode,
      total: specPortfolio.total,
      krugman: specPortfolio.krugman,
      hoover: specPortfolio.hoover,
      herfindahl: specPortfolio.herfindahl,
      entropy: specPortfolio.entropy,
      hachman: specPortfolio.hachman,
      ranks: specPortfolio.ranks,
      areaName: lepNameOf(specPortfolio.areaCode),
    })
    .from(specPortfolio)
    .where(
      and(
        eq(specPortfolio.measure, q.measure),
        eq(specPortfolio.categories, q.categories),
        eq(specPortfolio.period, q.period),
      ),
    )
    .orderBy(asc(specPortfolio.areaCode));
}

export async function getSpecTrends(
  db: Db,
  q: { measure: string; categories: string; area?: string | undefined },
): Promise<SpecTrendRow[]> {
  return db
    .select({
      measure: specTrends.measure,
      categories: specTrends.categories,
      areaCode: specTrends.areaCode,
      category: specTrends.category,
      firstYear: specTrends.firstYear,
      lastYear: specTrends.lastYear,
      lqFirst: specTrends.lqFirst,
      lqLast: specTrends.lqLast,
      change: specTrends.change,
      slope: specTrends.slope,
      years: specTrends.years,
      rankFirst: specTrends.rankFirst,
      rankLast: specTrends.rankLast,
      areaName: lepNameOf(specTrends.areaCode),
    })
    .from(specTrends)
    .where(
      and(
        eq(specTrends.measure, q.measure),
        eq(specTrends.categories, q.categories),
        q.area ? eq(specTrends.areaCode, q.area) : undefined,
      ),
    )
    .orderBy(asc(specTrends.areaCode), asc(specTrends.category));
}

export async function getRelatedness(db: Db, categories: string): Promise<SpecRelatednessRow[]> {
  return db
    .select()
    .from(specRelatedness)
    .where(eq(specRelatedness.categories, categories))
    .orderBy(asc(specRelatedness.categoryA), asc(specRelatedness.categoryB));
}
