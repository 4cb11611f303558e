import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { LEP_VINTAGE } from '../domain/geography.ts';
import type { Db } from './client.ts';
import { areas, indicators, indicatorValues, lepVintageMap } from './schema.ts';

/** Named queries behind the indicator, profile, comparison and ranking endpoints. */

export type IndicatorRow = typeof indicators.$inferSelect;
export type IndicatorValueRow = typeof indicatorValues.$inferSelect;

export async function listIndicators(
  db: Db,
  opts: {
    actor?: string | undefined;
    dimension?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
) {
  const where = and(
    opts.actor ? eq(indicators.actor, opts.actor) : undefined,
    opts.dimension ? eq(indicators.dimension, opts.dimension) : undefined,
  );
  const rows = await db
    .select({
      indicator: indicators,
      total: sql<number>`(select count(*) from ${indicators} where ${where ?? sql`true`})::int`,
    })
    .from(indicators)
    .where(and(where, opts.after ? gt(indicators.id, opts.after) : undefined))
    .orderBy(asc(indicators.id))
    .limit(opts.limit + 1);
  return { rows: rows.map((r) => r.indicator), total: rows[0]?.total };
}

export async function getIndicator(db: Db, id: string): Promise<IndicatorRow | undefined> {
  const rows = await db.select().from(indicators).where(eq(indicators.id, id)).limit(1);
  return rows[0];
}

export async function getIndicatorsByIds(db: Db, ids: readonly string[]): Promise<IndicatorRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(indicators)
    .where(inArray(indicators.id, [...ids]))
    .orderBy(asc(indicators.id));
}

const valueWithArea = {
  v: indicatorValues,
  areaName: sql<
    string | null
  >`(select a.name from ${areas} a where a.type = 'lep' and a.code = ${indicatorValues.areaCode})`,
};

/** One cohort (indicator × year × vintage) in rank order — a league table; one PK range read. */
export async function getRanking(db: Db, id: string, year: number, vintage: string) {
  return db
    .select(valueWithArea)
    .from(indicatorValues)
    .where(
      and(
        eq(indicatorValues.indicatorId, id),
        eq(indicatorValues.year, year),
        eq(indicatorValues.areaVintage, vintage),
      ),
    )
    .orderBy(sql`${indicatorValues.rank} asc nulls last`, asc(indicatorValues.areaCode));
}

/** Years with values for an indicator on a vintage (for 4xx messages and defaults). */
export async function getIndicatorYears(db: Db, id: string, vintage: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ year: indicatorValues.year })
    .from(indicatorValues)
    .where(and(eq(indicatorValues.indicatorId, id), eq(indicatorValues.areaVintage, vintage)))
    .orderBy(asc(indicatorValues.year));
  return rows.map((r) => r.year);
}

/**
 * Every cohort of an indicator: vintage, year and whether it holds every 2021 LEP (the pipeline
 * sets `cohort_complete` per cohort), for the 404 that explains an unranked year.
 */
export async function getCohorts(db: Db, id: string) {
  return db
    .select({
      vintage: indicatorValues.areaVintage,
      year: indicatorValues.year,
      complete: sql<boolean>`bool_and(${indicatorValues.cohortComplete})`,
      n: sql<number>`count(*)::int`,
    })
    .from(indicatorValues)
    .where(eq(indicatorValues.indicatorId, id))
    .groupBy(indicatorValues.areaVintage, indicatorValues.year)
    .orderBy(asc(indicatorValues.areaVintage), asc(indicatorValues.year));
}

/** The catalogue columns a value view needs (not the long description and caveats). */
const indicatorBrief = {
  id: indicators.id,
  title: indicators.title,
  unit: indicators.unit,
  measure: indicators.measure,
  polarity: indicators.polarity,
  actor: indicators.actor,
  dimension: indicators.dimension,
  latestYear: indicators.latestYear,
  source: indicators.source,
  rateOf: indicators.rateOf,
};
export type IndicatorBrief = { [K in keyof typeof indicatorBrief]: IndicatorRow[K] };

/**
 * Values of some areas — the latest year per indicator and area, or one year — joined to the
 * catalogue: one indexed read serving profile, compare, strengths and the LEP list.
 */
export async function getAreaValues(
  db: Db,
  opts: {
    areaCodes: readonly string[];
    vintages: readonly string[];
    indicatorIds?: readonly string[] | undefined;
    year?: number | undefined;
  },
) {
  const where = and(
    inArray(indicatorValues.areaCode, [...opts.areaCodes]),
    inArray(indicatorValues.areaVintage, [...opts.vintages]),
    opts.indicatorIds?.length ? inArray(indicatorValues.indicatorId, [...opts.indicatorIds]) : undefined,
    opts.year !== undefined ? eq(indicatorValues.year, opts.year) : undefined,
  );
  return db
    .selectDistinctOn([indicatorValues.areaCode, indicatorValues.indicatorId], {
      v: indicatorValues,
      i: indicatorBrief,
    })
    .from(indicatorValues)
    .innerJoin(indicators, eq(indicators.id, indicatorValues.indicatorId))
    .where(where)
    .orderBy(
      asc(indicatorValues.areaCode),
      asc(indicatorValues.indicatorId),
      desc(indicatorValues.year),
      asc(indicatorValues.areaVintage),
    );
}

/**
 * The values peers are computed from: each indicator's latest year on the final geography, for
 * the given areas; unless indicators are chosen, only size-free measures other than per-head
 * variants. Narrow rows, one read.
 */
export async function getPeerValues(
  db: Db,
  areaCodes: readonly string[],
  indicatorIds: readonly string[] | undefined,
) {
  return db
    .select({
      areaCode: indicatorValues.areaCode,
      indicatorId: indicatorValues.indicatorId,
      year: indicatorValues.year,
      value: indicatorValues.value,
      suppressed: indicatorValues.suppressed,
    })
    .from(indicatorValues)
    .innerJoin(
      indicators,
      and(eq(indicators.id, indicatorValues.indicatorId), eq(indicatorValues.year, indicators.latestYear)),
    )
    .where(
      and(
        inArray(indicatorValues.areaCode, [...areaCodes]),
        eq(indicatorValues.areaVintage, LEP_VINTAGE),
        indicatorIds?.length
          ? inArray(indicatorValues.indicatorId, [...indicatorIds])
          : // Size-free only, and not the per-head variants of totals (rate_of divides by 'population'):
            // each restates a total, so the default set would count those totals again in the distance.
            sql`${indicators.measure} <> 'total' and (${indicators.rateOf}->>'denominatorId') is distinct from 'population'`,
      ),
    );
}

/** LEP areas by code, in one read (compare). */
export async function getLepsByCodes(db: Db, codes: readonly string[]) {
  return db
    .select()
    .from(areas)
    .where(and(eq(areas.type, 'lep'), inArray(areas.code, [...codes])));
}

/**
 * Time series of one indicator for some areas (or every area of the final geography). A live LEP's
 * series is on the final geography; a retired code's on the vintages it was published for.
 */
export async function getSeries(db: Db, id: string, areaCodes: readonly string[] | undefined) {
  return db
    .select(valueWithArea)
    .from(indicatorValues)
    .where(
      and(
        eq(indicatorValues.indicatorId, id),
        areaCodes?.length
          ? and(
              inArray(indicatorValues.areaCode, [...areaCodes]),
              sql`(${indicatorValues.areaVintage} = ${LEP_VINTAGE} or not exists (select 1 from ${areas} a where a.type = 'lep' and a.status = 'live' and a.code = ${indicatorValues.areaCode}))`,
            )
          : eq(indicatorValues.areaVintage, LEP_VINTAGE),
      ),
    )
    .orderBy(asc(indicatorValues.areaCode), asc(indicatorValues.areaVintage), asc(indicatorValues.year));
}

export async function getLepVintageMap(db: Db) {
  return db.select().from(lepVintageMap).orderBy(asc(lepVintageMap.fromSpec), asc(lepVintageMap.fromCode));
}

/** Live LEPs with their code, name and district counts. */
export async function getLiveLeps(db: Db) {
  return db
    .select()
    .from(areas)
    .where(and(eq(areas.type, 'lep'), eq(areas.status, 'live')))
    .orderBy(asc(areas.code));
}
