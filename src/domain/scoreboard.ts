/**
 * A composite innovation index after the EU Regional Innovation Scoreboard (METHODS.md,
 * "Composite scoreboard"), with rank intervals from a seeded Monte Carlo over indicator weights
 * and dropped indicators. Pure: the pipeline feeds it indicator values and stores the result.
 *
 * Per indicator: a square-root transform when its values (every area, every year) are skewed
 * (sample skewness > 1, as the RIS does for skewed data); min–max bounds over every area and year
 * with values beyond mean ± 3 sd (of the transformed values) left out when finding min and max;
 * normalised values capped to 0..1 and, for lower-is-better indicators, turned round (1 − x).
 * Composite = unweighted mean of an area's available normalised indicators (an area needs
 * `minCoverage` of them). Index = 100 × composite ÷ the reference's (England's) composite.
 */

export type ScoreboardPolarity = 'higher_is_better' | 'lower_is_better';

export const PERFORMANCE_GROUPS = ['leader', 'strong', 'moderate', 'emerging'] as const;
export type PerformanceGroup = (typeof PERFORMANCE_GROUPS)[number];

/** RIS thresholds on the index (reference = 100): leader > 125, strong 100–125, moderate 70–100, emerging < 70. */
export function performanceGroup(index: number): PerformanceGroup {
  if (index > 125) return 'leader';
  if (index >= 100) return 'strong';
  if (index >= 70) return 'moderate';
  return 'emerging';
}

/** Sample skewness (adjusted Fisher–Pearson, as spreadsheets compute it); null below 3 values or with no spread. */
export function skewness(xs: readonly number[]): number | null {
  const n = xs.length;
  if (n < 3) return null;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, x) => a + (x - m) ** 2, 0) / n;
  const m3 = xs.reduce((a, x) => a + (x - m) ** 3, 0) / n;
  if (m2 === 0) return null;
  return (Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / m2 ** 1.5);
}

export interface Bounds {
  transform: 'none' | 'sqrt';
  min: number;
  max: number;
  /** Values left out when finding min and max (beyond mean ± 3 sd, population sd). */
  outliersExcluded: number;
}

/** Which transform the RIS rule picks: square root when skewness > 1 and no value is negative. */
export function chooseTransform(history: readonly number[]): Bounds['transform'] {
  const s = skewness(history);
  return s !== null && s > 1 && history.every((x) => x >= 0) ? 'sqrt' : 'none';
}

const applyTransform = (t: Bounds['transform'], x: number) => (t === 'sqrt' ? Math.sqrt(Math.max(0, x)) : x);

/** Min–max bounds of the (transformed) history with outliers beyond mean ± 3 sd excluded. */
export function boundsOf(history: readonly number[], transform: Bounds['transform']): Bounds {
  const xs = history.map((x) => applyTransform(transform, x));
  if (xs.length === 0) return { transform, min: 0, max: 0, outliersExcluded: 0 };
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
  const kept = xs.filter((x) => Math.abs(x - m) <= 3 * sd);
  return {
    transform,
    min: Math.min(...kept),
    max: Math.max(...kept),
    outliersExcluded: xs.length - kept.length,
  };
}

/** A raw value on 0..1 (1 = best): transformed, min–max scaled, capped, turned round when lower is better. */
export function normalise(x: number, b: Bounds, polarity: ScoreboardPolarity): number {
  const t = applyTransform(b.transform, x);
  const scaled = b.max > b.min ? (t - b.min) / (b.max - b.min) : 0.5;
  const capped = Math.min(1, Math.max(0, scaled));
  return polarity === 'lower_is_better' ? 1 - capped : capped;
}

/** Weighted mean of the present entries; null when none is present or all weights are 0. */
export function weightedComposite(
  values: readonly (number | null)[],
  weights?: readonly number[],
): number | null {
  let sum = 0;
  let w = 0;
  values.forEach((v, i) => {
    const wi = weights ? (weights[i] ?? 0) : 1;
    if (v === null || wi <= 0) return;
    sum += v * wi;
    w += wi;
  });
  return w > 0 ? sum / w : null;
}

/** mulberry32: a small seeded generator, so every run draws the same Monte Carlo sample. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dirichlet(1,…,1): normalised Exp(1) draws — uniform over the simplex. */
export function dirichletOnes(k: number, random: () => number): number[] {
  const e = Array.from({ length: k }, () => -Math.log(1 - random()));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Competition ranks ("1224"), 1 = highest; null values unranked. */
export function ranksOf(values: readonly (number | null)[]): (number | null)[] {
  return values.map((v) => (v === null ? null : 1 + values.filter((o) => o !== null && o > v).length));
}

/** Nearest-rank percentile of a sorted list (p in 0..100). */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of an empty list');
  const i = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.min(sorted.length - 1, i)] as number;
}

export interface MonteCarloOptions {
  draws: number;
  seed: number;
  /** Chance that an indicator is left out of a draw (for every area at once); at least one stays. */
  dropProbability: number;
}

export interface RankInterval {
  median: number;
  p5: number;
  p95: number;
  indexP5: number;
  indexP95: number;
}

/**
 * Monte Carlo ranks: each draw weights the indicators by Dirichlet(1,…,1), leaves each out with
 * `dropProbability`, recomputes every area's and the reference's composite, index and rank. Areas
 * null in `eligible` are not ranked. Returns per area the median and 5–95% ranks and index bounds.
 */
export function monteCarloRanks(
  matrix: readonly (readonly (number | null)[])[],
  reference: readonly number[],
  eligible: readonly boolean[],
  opts: MonteCarloOptions,
): (RankInterval | null)[] {
  const k = reference.length;
  const random = seededRandom(opts.seed);
  const ranks: number[][] = matrix.map(() => []);
  const indices: number[][] = matrix.map(() => []);
  for (let d = 0; d < opts.draws; d++) {
    const w = dirichletOnes(k, random);
    const keep = w.map(() => random() >= opts.dropProbability);
    if (!keep.some(Boolean)) keep[Math.floor(random() * k)] = true;
    const weights = w.map((x, i) => (keep[i] ? x : 0));
    const ref = weightedComposite(reference, weights);
    const index = matrix.map((row, a) => {
      if (!eligible[a] || !ref) return null;
      const c = weightedComposite(row, weights);
      return c === null ? null : (100 * c) / ref;
    });
    const r = ranksOf(index);
    r.forEach((x, a) => {
      if (x !== null) {
        ranks[a]?.push(x);
        indices[a]?.push(index[a] as number);
      }
    });
  }
  return ranks.map((rs, a) => {
    if (rs.length === 0) return null;
    const sorted = [...rs].sort((x, y) => x - y);
    const idx = [...(indices[a] ?? [])].sort((x, y) => x - y);
    return {
      median: percentileOf(sorted, 50),
      p5: percentileOf(sorted, 5),
      p95: percentileOf(sorted, 95),
      indexP5: percentileOf(idx, 5),
      indexP95: percentileOf(idx, 95),
    };
  });
}

export interface ScoreboardIndicatorInput {
  id: string;
  polarity: ScoreboardPolarity;
  /** Every value of the indicator over all areas and years: what min and max are found from. */
  history: readonly number[];
  /** The value of each area (same order as `areas`) in the scoreboard year; null when missing. */
  values: readonly (number | null)[];
  /** The reference's (England's) value; null when the source gives none. */
  reference: number | null;
}

export interface ScoreboardOptions extends MonteCarloOptions {
  /** Share of the indicators an area needs to get an index (0..1). */
  minCoverage: number;
}

export interface ScoreboardResult {
  indicators: (Bounds & {
    id: string;
    polarity: ScoreboardPolarity;
    /** The reference's normalised value, and whether it was the median of the areas standing in. */
    referenceNormalised: number;
    referenceImputed: boolean;
  })[];
  reference: { composite: number };
  areas: {
    normalised: (number | null)[];
    available: number;
    composite: number | null;
    index: number | null;
    group: PerformanceGroup | null;
    rank: number | null;
    monteCarlo: RankInterval | null;
  }[];
}

const medianOf = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** The whole scoreboard for one year. Indicators with no area value are the caller's to leave out. */
export function computeScoreboard(
  indicators: readonly ScoreboardIndicatorInput[],
  areaCount: number,
  opts: ScoreboardOptions,
): ScoreboardResult {
  const described = indicators.map((ind) => {
    const bounds = boundsOf(ind.history, chooseTransform(ind.history));
    const normalised = ind.values.map((v) => (v === null ? null : normalise(v, bounds, ind.polarity)));
    const present = normalised.filter((v): v is number => v !== null);
    const referenceImputed = ind.reference === null;
    // No published reference value: the median area's normalised value stands in (flagged).
    const referenceNormalised =
      ind.reference === null
        ? present.length
          ? medianOf(present)
          : 0
        : normalise(ind.reference, bounds, ind.polarity);
    return { ind, bounds, normalised, referenceNormalised, referenceImputed };
  });
  const refRow = described.map((d) => d.referenceNormalised);
  const refComposite = weightedComposite(refRow) ?? 0;
  const matrix = Array.from({ length: areaCount }, (_, a) => described.map((d) => d.normalised[a] ?? null));
  const needed = Math.ceil(opts.minCoverage * indicators.length);
  const available = matrix.map((row) => row.filter((v) => v !== null).length);
  const eligible = available.map((n) => n > 0 && n >= needed);
  const index = matrix.map((row, a) => {
    const c = eligible[a] ? weightedComposite(row) : null;
    return c === null || refComposite <= 0 ? null : (100 * c) / refComposite;
  });
  const ranks = ranksOf(index);
  const mc = monteCarloRanks(matrix, refRow, eligible, opts);
  return {
    indicators: described.map((d) => ({
      id: d.ind.id,
      polarity: d.ind.polarity,
      ...d.bounds,
      referenceNormalised: d.referenceNormalised,
      referenceImputed: d.referenceImputed,
    })),
    reference: { composite: refComposite },
    areas: matrix.map((row, a) => ({
      normalised: row,
      available: available[a] ?? 0,
      composite: eligible[a] ? weightedComposite(row) : null,
      index: index[a] ?? null,
      group: index[a] === null || index[a] === undefined ? null : performanceGroup(index[a] as number),
      rank: ranks[a] ?? null,
      monteCarlo: mc[a] ?? null,
    })),
  };
}
