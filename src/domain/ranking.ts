/**
 * League-table statistics for one indicator in one year across a set of areas (normally the LEPs of
 * one geography vintage). Pure functions, no I/O: the pipeline precomputes them and the API serves
 * them, so every rank, percentile and z-score can be reproduced from the served values with the
 * definitions below.
 */

/** Which direction is "better". `neutral` indicators (structure, size) are ranked high → low. */
export type Polarity = 'higher_is_better' | 'lower_is_better' | 'neutral';

export const POLARITIES: readonly Polarity[] = ['higher_is_better', 'lower_is_better', 'neutral'];

/** One area's value. `null`, non-finite or `suppressed: true` values are "missing". */
export interface AreaValue {
  areaCode: string;
  value: number | null;
  suppressed?: boolean;
}

/** Summary of the valid (non-missing) values. `sd` is the POPULATION standard deviation (÷ n). */
export interface DistributionStats {
  n: number;
  mean: number;
  median: number;
  sd: number;
  min: number;
  max: number;
}

export interface RankedValue {
  areaCode: string;
  /** The value as given; `null` when missing. A suppressed cell keeps `null` here. */
  value: number | null;
  suppressed: boolean;
  /** 1 = best; competition ("1224") ranking; `null` when missing. */
  rank: number | null;
  /** 0–100: share of the OTHER valid areas this area beats or equals; `null` when missing. */
  percentile: number | null;
  /** (value − mean) / population sd, NOT polarity-adjusted; `null` when missing. */
  z: number | null;
}

export interface RankingResult {
  polarity: Polarity;
  /** Number of areas with a valid value: the denominator behind every rank and percentile. */
  n: number;
  /** Areas given but missing or suppressed (excluded from ranks and statistics). */
  missing: number;
  stats: DistributionStats | null;
  /** In input order. */
  values: RankedValue[];
}

/** True when `v` can take part in statistics. */
export const isValid = <T extends { value: number | null; suppressed?: boolean }>(
  v: T,
): v is T & { value: number } => v.value !== null && Number.isFinite(v.value) && v.suppressed !== true;

/** Arithmetic mean; `null` for an empty list. */
export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Median (mean of the two middle values for an even count); `null` for an empty list. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Population standard deviation √(Σ(x − mean)² / n). The 38 LEPs are the whole population being
 * compared, not a sample of it, so we divide by n (as the EU Regional Innovation Scoreboard does).
 * `null` for an empty list; 0 for one value.
 */
export function populationSd(xs: readonly number[]): number | null {
  const m = mean(xs);
  if (m === null) return null;
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / xs.length);
}

/** n, mean, median, population sd, min and max of a list; `null` when empty. */
export function describe(xs: readonly number[]): DistributionStats | null {
  if (xs.length === 0) return null;
  return {
    n: xs.length,
    mean: mean(xs) as number,
    median: median(xs) as number,
    sd: populationSd(xs) as number,
    min: Math.min(...xs),
    max: Math.max(...xs),
  };
}

/**
 * z-score (x − mean) / sd with the population sd. When sd is 0 (every value equal) no area deviates
 * from the mean, so z is 0 rather than NaN.
 */
export function zScore(x: number, stats: Pick<DistributionStats, 'mean' | 'sd'>): number {
  return stats.sd === 0 ? 0 : (x - stats.mean) / stats.sd;
}

/** +1 when higher is better or neutral (ordered high → low), −1 when lower is better. */
export const polaritySign = (p: Polarity): 1 | -1 => (p === 'lower_is_better' ? -1 : 1);

/**
 * Rank, percentile and z-score of every area for one indicator-year.
 *
 * - Rank: 1 = best given the polarity (`neutral` is ranked highest-first). Ties share the best rank
 *   of their group and the next rank skips ("competition" or "min" ranking: 1, 2, 2, 4), so
 *   rank = 1 + number of valid areas strictly better.
 * - Percentile: 100 × (number of OTHER valid areas this area is better than or equal to) / (n − 1),
 *   so the unique best is 100, the unique worst 0, and tied areas share a percentile. With a single
 *   valid area it is 100.
 * - z: (x − mean) / population sd, on the raw value (not flipped for polarity): it stays
 *   reproducible from the served value, mean and sd. Use `polaritySign` to orient it.
 * - Missing (null, non-finite) and suppressed values are excluded from n, the ranks and the stats,
 *   and come back with rank, percentile and z all `null`.
 */
export function rankValues(values: readonly AreaValue[], polarity: Polarity): RankingResult {
  const sign = polaritySign(polarity);
  const valid = values.filter(isValid).map((v) => v.value);
  const stats = describe(valid);
  // Oriented so that larger is better, then sorted descending: rank = 1 + count strictly greater.
  const oriented = valid.map((x) => x * sign).sort((a, b) => b - a);
  const n = oriented.length;
  const out: RankedValue[] = values.map((v) => {
    const suppressed = v.suppressed === true;
    if (!isValid(v) || stats === null) {
      return {
        areaCode: v.areaCode,
        value: suppressed ? null : v.value,
        suppressed,
        rank: null,
        percentile: null,
        z: null,
      };
    }
    const o = v.value * sign;
    const better = countGreater(oriented, o);
    // Every other valid area is either strictly better or beaten/equalled by this one.
    const beatsOrEquals = n - better - 1;
    return {
      areaCode: v.areaCode,
      value: v.value,
      suppressed,
      rank: better + 1,
      percentile: n === 1 ? 100 : (100 * beatsOrEquals) / (n - 1),
      z: zScore(v.value, stats),
    };
  });
  return { polarity, n, missing: values.length - n, stats, values: out };
}

/**
 * What is served for one stored rank and percentile. A rank ("1 = best") and a percentile ("beats
 * or equals") say which areas do better; a `neutral` indicator (size, structure) has no better
 * direction, so it gets neither: only its `order`, the position by value with the highest first
 * (ties share, 1, 2, 2, 4). `rankValues` orders neutral values high → low, so the stored rank of a
 * neutral value is exactly that position.
 */
export function servedStanding(
  polarity: string,
  rank: number | null,
  percentile: number | null,
): { rank: number | null; percentile: number | null; order: number | null } {
  return polarity === 'neutral'
    ? { rank: null, percentile: null, order: rank }
    : { rank, percentile, order: null };
}

/** Count of elements > x in a list sorted descending (binary search). */
function countGreater(desc: readonly number[], x: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((desc[mid] as number) > x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One point of an area's time series. */
export interface YearValue {
  year: number;
  value: number | null;
  suppressed?: boolean;
}

export interface Change {
  year: number;
  value: number;
  /** The latest earlier year with a valid value (not necessarily year − 1). */
  previousYear: number;
  previousValue: number;
  /** value − previousValue. */
  absolute: number;
  /** 100 × (value − previous) / |previous|; `null` when the previous value is 0. */
  percent: number | null;
}

/**
 * Change in `year` against the previous AVAILABLE year: the latest earlier year whose value is
 * valid (gaps and suppressed years are skipped, so a series with 2014, 2016 compares 2016 with
 * 2014). Dividing by |previous| keeps the sign meaningful for indicators that can be negative
 * (e.g. an economic complexity index). `null` when `year` has no valid value or nothing earlier does.
 * The caller must pass one area's series on one consistent footprint.
 */
export function changeSincePrevious(series: readonly YearValue[], year: number): Change | null {
  const current = series.find((p) => p.year === year);
  if (!current || !isValid(current)) return null;
  let prev: { year: number; value: number } | null = null;
  for (const p of series) {
    if (p.year < year && isValid(p) && (prev === null || p.year > prev.year))
      prev = { year: p.year, value: p.value };
  }
  if (prev === null) return null;
  const absolute = current.value - prev.value;
  return {
    year,
    value: current.value,
    previousYear: prev.year,
    previousValue: prev.value,
    absolute,
    percent: prev.value === 0 ? null : (100 * absolute) / Math.abs(prev.value),
  };
}
