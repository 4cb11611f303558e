import type { Db } from '../db/client.ts';
import { getIndicatorTitles } from '../db/coverage-queries.ts';
import { getAreaValues, getLepVintageMap, getLiveLeps, getPeerValues } from '../db/indicator-queries.ts';
import { type AreaRow, getAreasByCode } from '../db/queries.ts';
import { EARLIER_LEP_VINTAGES, LEP_VINTAGE } from '../domain/geography.ts';
import { ACTORS, DIMENSIONS } from '../domain/indicators.ts';
import { nearestNeighbours } from '../domain/peers.ts';
import type { Polarity } from '../domain/ranking.ts';
import { assessStrengths } from '../domain/strengths.ts';
import { ApiError } from '../http/problem.ts';
import { profileGaps } from './coverage.ts';
import { chosenIndicators } from './indicators.ts';

/** LEP profiles: the list with headlines, one LEP's profile, its peers and its strengths. */

/** The resident population indicator every per-head variant divides by. */
export const POPULATION_INDICATOR = 'population';

/** A few size-free figures shown beside every LEP in the list. */
export const HEADLINE_INDICATORS = [
  'enterprises',
  'enterprise-birth-rate',
  'stem-employment-density',
  'nvq4-professionals-share',
  'university-research-income',
  'ukri-research-funding',
] as const;

export type ProfileRows = Awaited<ReturnType<typeof getAreaValues>>;

async function lepOr404(db: Db, code: string): Promise<AreaRow> {
  const found = (await getAreasByCode(db, code)).find((a) => a.type === 'lep');
  if (!found) throw new ApiError('not_found', `No LEP has code ${code}. See /v1/areas?type=lep.`);
  return found;
}

/** A live LEP's values are on the final geography; a retired code's stay on its own vintages. */
const vintagesFor = (status: string) => (status === 'live' ? [LEP_VINTAGE] : [...EARLIER_LEP_VINTAGES]);

/** The live LEPs, each with its headline values. */
export async function lepList(db: Db) {
  const leps = await getLiveLeps(db);
  const values = await getAreaValues(db, {
    areaCodes: leps.map((l) => l.code),
    vintages: [LEP_VINTAGE],
    indicatorIds: HEADLINE_INDICATORS,
  });
  return leps.map((lep) => ({
    lep,
    headlines: HEADLINE_INDICATORS.flatMap((id) => {
      const r = values.find((v) => v.v.areaCode === lep.code && v.v.indicatorId === id);
      return r ? [r] : [];
    }),
  }));
}

/** Every indicator value of one LEP: the latest year of each, or one year. */
export async function lepProfile(db: Db, code: string, year: number | undefined) {
  const lep = await lepOr404(db, code);
  const rows = await getAreaValues(db, { areaCodes: [code], vintages: vintagesFor(lep.status), year });
  if (rows.length === 0) {
    throw new ApiError(
      'not_found',
      year
        ? `No indicator has a value for ${lep.name} in ${year}.`
        : `No indicator values are published for ${lep.name} (${code}).`,
      year
        ? [
            {
              location: 'query.year',
              message: 'No data for this year; omit it for the latest year of each indicator',
            },
          ]
        : undefined,
    );
  }
  // A per-head variant is shown beside its total, not as an indicator of its own.
  const perHeadOf = (r: ProfileRows[number]) => {
    const of = r.i.rateOf as { numeratorId: string; denominatorId: string | null } | null;
    return of?.denominatorId === POPULATION_INDICATOR ? of.numeratorId : null;
  };
  const perHead = new Map<string, ProfileRows[number]>();
  for (const r of rows) {
    const base = perHeadOf(r);
    if (base) perHead.set(base, r);
  }
  const shown = rows.filter((r) => perHeadOf(r) === null);
  // Grouped as the Smart Specialisation Hub framed a profile: who (actor) × what (dimension).
  const groups = ACTORS.flatMap((actor) =>
    DIMENSIONS.map((dimension) => ({
      actor,
      dimension,
      rows: shown.filter((r) => r.i.actor === actor && r.i.dimension === dimension),
    })),
  ).filter((g) => g.rows.length > 0);
  // Named, not silently omitted: what the profile lacks and why (from the pipeline's coverage).
  const titles = new Map((await getIndicatorTitles(db)).map((t) => [t.id, t]));
  const isPerHead = (id: string) =>
    (titles.get(id)?.rateOf as { denominatorId?: string } | null)?.denominatorId === POPULATION_INDICATOR;
  const missing =
    lep.status === 'live'
      ? (await profileGaps(db, code, new Set(rows.map((r) => r.i.id)), year))
          .filter((m) => !isPerHead(m.indicatorId))
          .map((m) => ({ ...m, title: titles.get(m.indicatorId)?.title ?? m.indicatorId }))
      : [];
  return { lep, rows, groups, perHead, missing };
}

/**
 * Nearest statistical neighbours among the live LEPs, every LEP compared on the same (latest)
 * year of each indicator.
 */
export async function lepPeers(db: Db, code: string, q: { k: number; indicators: readonly string[] }) {
  const lep = await lepOr404(db, code);
  if (lep.status !== 'live') {
    throw new ApiError(
      'bad_request',
      `${code} is a retired LEP code; peers are computed among the LEPs of ${LEP_VINTAGE}.`,
      [{ location: 'path.code', message: `Use a live ${LEP_VINTAGE} LEP code` }],
    );
  }
  const chosen = await chosenIndicators(db, q.indicators);
  const leps = await getLiveLeps(db);
  const rows = await getPeerValues(
    db,
    leps.map((l) => l.code),
    chosen?.map((i) => i.id),
  );
  const ids = chosen?.map((i) => i.id) ?? [...new Set(rows.map((r) => r.indicatorId))].sort();
  const byArea = new Map<string, Record<string, number | null>>(leps.map((l) => [l.code, {}]));
  for (const r of rows)
    (byArea.get(r.areaCode) as Record<string, number | null>)[r.indicatorId] = r.suppressed ? null : r.value;
  let result: ReturnType<typeof nearestNeighbours>;
  try {
    result = nearestNeighbours(
      code,
      [...byArea].map(([areaCode, values]) => ({ areaCode, values })),
      { k: q.k, indicators: ids },
    );
  } catch (err) {
    if (err instanceof RangeError) {
      throw new ApiError('bad_request', `Peers cannot be computed: ${err.message}`, [
        { location: 'query.indicators', message: err.message },
      ]);
    }
    throw err;
  }
  const lepsByCode = new Map(leps.map((l) => [l.code, l]));
  const yearOf = new Map(rows.map((r) => [r.indicatorId, r.year]));
  return {
    lep,
    result,
    peers: result.peers.map((p) => ({ ...p, area: lepsByCode.get(p.areaCode) as AreaRow })),
    yearOf: (indicatorId: string) => yearOf.get(indicatorId) as number,
  };
}

/** Where a LEP stands out and where it lags, each with the value it rests on. */
export async function lepStrengths(db: Db, code: string) {
  const lep = await lepOr404(db, code);
  const rows = await getAreaValues(db, { areaCodes: [code], vintages: vintagesFor(lep.status) });
  if (rows.length === 0)
    throw new ApiError('not_found', `No indicator values are published for ${lep.name} (${code}).`);
  const assessment = assessStrengths(
    rows.map((r) => ({
      indicatorId: r.i.id,
      year: r.v.year,
      polarity: r.i.polarity as Polarity,
      value: r.v.value,
      suppressed: r.v.suppressed,
      rank: r.v.rank,
      n: r.v.cohortSize,
      percentile: r.v.percentile,
      z: r.v.z,
      median: r.v.cohortMedian,
      mean: r.v.cohortMean,
      englandValue: r.v.englandValue,
    })),
  );
  const rowOf = (id: string) => {
    const r = rows.find((x) => x.i.id === id);
    if (!r) throw new Error(`assessment for an indicator not in the profile: ${id}`);
    return r;
  };
  return {
    lep,
    rows,
    criteria: assessment.criteria,
    strengths: assessment.strengths.map((a) => ({ row: rowOf(a.indicatorId), reasons: a.reasons })),
    weaknesses: assessment.weaknesses.map((a) => ({ row: rowOf(a.indicatorId), reasons: a.reasons })),
    distinctive: assessment.distinctive.map((a) => ({
      row: rowOf(a.indicatorId),
      reasons: a.reasons,
      direction: a.direction,
    })),
    notAssessed: assessment.notAssessed,
  };
}

/** How each LEP code of an earlier vintage was (or was not) mapped onto the final LEPs. */
export async function lepVintageMapping(db: Db) {
  return getLepVintageMap(db);
}
