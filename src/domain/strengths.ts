import { type Polarity, polaritySign } from './ranking.ts';

/**
 * Where an area stands out and where it lags, with the evidence. Input: the area's already-ranked
 * values (one per indicator, normally its latest year) with the cohort statistics. Pure.
 */

export interface RankedIndicator {
  indicatorId: string;
  year: number;
  polarity: Polarity;
  value: number | null;
  suppressed?: boolean;
  rank: number | null;
  /** Number of areas ranked (the cohort). */
  n: number;
  percentile: number | null;
  /** Raw z = (value − mean) / sd, as served. */
  z: number | null;
  median: number | null;
  mean?: number | null;
  englandValue?: number | null;
}

export interface StrengthCriteria {
  /** Percentile at or above which an indicator is a strength (default 75: top quartile). */
  topPercentile: number;
  /** Percentile at or below which it is a weakness (default 25: bottom quartile). */
  bottomPercentile: number;
  /** |oriented z| at or above which it counts regardless of percentile (default 1). */
  zThreshold: number;
  /** Cohorts smaller than this are not assessed: a quartile of 4 areas says little (default 10). */
  minAreas: number;
}

export const DEFAULT_STRENGTH_CRITERIA: StrengthCriteria = {
  topPercentile: 75,
  bottomPercentile: 25,
  zThreshold: 1,
  minAreas: 10,
};

/**
 * Rules that fired. Directional indicators: `top_quartile` / `bottom_quartile` (percentile, which
 * respects polarity) and `z_above` / `z_below` (z oriented so that positive = better). Neutral
 * indicators have no better direction, so their reasons name the value only: `highest_quartile`,
 * `lowest_quartile`, `z_high`, `z_low`.
 */
export type StrengthReason =
  | 'top_quartile'
  | 'bottom_quartile'
  | 'z_above'
  | 'z_below'
  | 'highest_quartile'
  | 'lowest_quartile'
  | 'z_high'
  | 'z_low';

const NEUTRAL_REASON: Record<'top_quartile' | 'bottom_quartile' | 'z_above' | 'z_below', StrengthReason> = {
  top_quartile: 'highest_quartile',
  bottom_quartile: 'lowest_quartile',
  z_above: 'z_high',
  z_below: 'z_low',
};

export interface Assessment {
  indicatorId: string;
  year: number;
  polarity: Polarity;
  /** Which rules fired, e.g. ['top_quartile', 'z_above']. */
  reasons: StrengthReason[];
  evidence: {
    value: number;
    rank: number;
    n: number;
    percentile: number;
    z: number;
    /** z flipped so that positive = better (for neutral: positive = higher). */
    orientedZ: number;
    median: number | null;
    mean: number | null;
    englandValue: number | null;
  };
}

export interface StrengthProfile {
  criteria: StrengthCriteria;
  /** Best first (by oriented z, then percentile). */
  strengths: Assessment[];
  /** Worst first. */
  weaknesses: Assessment[];
  /**
   * Neutral indicators (size, structure) where the area is unusually high or low: notable, but
   * neither good nor bad, so never a strength or weakness. `direction` says which way.
   */
  distinctive: (Assessment & { direction: 'high' | 'low' })[];
  notAssessed: { indicatorId: string; year: number; reason: string }[];
}

/**
 * Classify each indicator:
 * - strength: percentile ≥ topPercentile OR oriented z ≥ zThreshold;
 * - weakness: percentile ≤ bottomPercentile OR oriented z ≤ −zThreshold;
 * - when both fire (a very skewed distribution: beats most areas yet sits ≥ 1 sd below a mean pulled
 *   up by a few outliers), the percentile decides, because rank is robust to outliers and z is not.
 * Percentiles already respect polarity; z is oriented with the polarity sign. Suppressed, missing
 * or unranked values and small cohorts are listed in `notAssessed` with the reason.
 */
export function assessStrengths(
  indicators: readonly RankedIndicator[],
  criteria: Partial<StrengthCriteria> = {},
): StrengthProfile {
  const c: StrengthCriteria = { ...DEFAULT_STRENGTH_CRITERIA, ...criteria };
  const out: StrengthProfile = {
    criteria: c,
    strengths: [],
    weaknesses: [],
    distinctive: [],
    notAssessed: [],
  };
  for (const ind of indicators) {
    const skip = (reason: string) =>
      out.notAssessed.push({ indicatorId: ind.indicatorId, year: ind.year, reason });
    if (ind.suppressed) {
      skip('value suppressed in the source');
      continue;
    }
    if (ind.value === null || ind.rank === null || ind.percentile === null || ind.z === null) {
      skip('no value for this year');
      continue;
    }
    if (ind.n < c.minAreas) {
      skip(`only ${ind.n} areas ranked (minimum ${c.minAreas})`);
      continue;
    }
    const orientedZ = ind.z * polaritySign(ind.polarity);
    const high: (keyof typeof NEUTRAL_REASON)[] = [];
    const low: (keyof typeof NEUTRAL_REASON)[] = [];
    if (ind.percentile >= c.topPercentile) high.push('top_quartile');
    if (orientedZ >= c.zThreshold) high.push('z_above');
    if (ind.percentile <= c.bottomPercentile) low.push('bottom_quartile');
    if (orientedZ <= -c.zThreshold) low.push('z_below');
    if (high.length === 0 && low.length === 0) continue;
    let isHigh = high.length > 0;
    if (high.length > 0 && low.length > 0) isHigh = ind.percentile >= 50;
    const assessment: Assessment = {
      indicatorId: ind.indicatorId,
      year: ind.year,
      polarity: ind.polarity,
      reasons: [...high, ...low].map((r) => (ind.polarity === 'neutral' ? NEUTRAL_REASON[r] : r)),
      evidence: {
        value: ind.value,
        rank: ind.rank,
        n: ind.n,
        percentile: ind.percentile,
        z: ind.z,
        orientedZ,
        median: ind.median,
        mean: ind.mean ?? null,
        englandValue: ind.englandValue ?? null,
      },
    };
    if (ind.polarity === 'neutral')
      out.distinctive.push({ ...assessment, direction: isHigh ? 'high' : 'low' });
    else if (isHigh) out.strengths.push(assessment);
    else out.weaknesses.push(assessment);
  }
  const byStrength = (a: Assessment, b: Assessment) =>
    b.evidence.orientedZ - a.evidence.orientedZ ||
    b.evidence.percentile - a.evidence.percentile ||
    a.indicatorId.localeCompare(b.indicatorId);
  out.strengths.sort(byStrength);
  out.weaknesses.sort(
    (a, b) =>
      a.evidence.orientedZ - b.evidence.orientedZ ||
      a.evidence.percentile - b.evidence.percentile ||
      a.indicatorId.localeCompare(b.indicatorId),
  );
  out.distinctive.sort(
    (a, b) =>
      Math.abs(b.evidence.orientedZ) - Math.abs(a.evidence.orientedZ) ||
      a.indicatorId.localeCompare(b.indicatorId),
  );
  return out;
}
