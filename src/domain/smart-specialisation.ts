import { DEFAULT_ADJACENT_DENSITY, isAdjacentOpportunity } from './specialisation.ts';

/**
 * The Science and Innovation Audits' three questions, answered from the specialisation matrices:
 * (1) what we are good at — categories with LQ at or above a threshold and enough support;
 * (2) where we might lead — LQs that are rising (change and OLS slope both positive, rank not
 * falling) and end specialised or close to it, on enough support in the last year (the same minimum
 * support as (1): a rising LQ on a handful of participants is noise); (3) what could get us there — adjacent opportunities
 * (not specialised, high relatedness density). Pure selection rules with their defaults stated.
 */

export interface SmartCriteria {
  /** LQ at or above which a category is a strength (default 1.25: a quarter above England's share). */
  lqThreshold: number;
  /** Relatedness density (0–100) from which an unspecialised category is an adjacent opportunity. */
  densityThreshold: number;
  /** Years with an LQ a trend needs before it counts as growth (default 3). */
  minTrendYears: number;
  /** A rising LQ counts as "might lead" when it ends at or above this (default 0.9: near parity or above). */
  leadFloor: number;
}

export const DEFAULT_SMART_CRITERIA: SmartCriteria = {
  lqThreshold: 1.25,
  densityThreshold: DEFAULT_ADJACENT_DENSITY,
  minTrendYears: 3,
  leadFloor: 0.9,
};

export interface CellEvidence {
  category: string;
  lq: number | null;
  smallNumber: boolean;
  specialised: boolean;
  density: number | null;
  lqRank: number | null;
}

export interface TrendEvidence {
  category: string;
  lqFirst: number;
  lqLast: number;
  change: number;
  slope: number | null;
  years: number;
  rankFirst: number | null;
  rankLast: number | null;
  /**
   * Small-number flag of the trend's last-year cell (support below the basis's minimum support, or
   * suppressed); true when that cell is missing, so an unsupported rise never counts.
   */
  smallNumberLast: boolean;
}

/** (1) Strengths: LQ ≥ threshold and not a small-number cell; highest LQ first. */
export function goodAt<T extends CellEvidence>(
  cells: readonly T[],
  c: SmartCriteria = DEFAULT_SMART_CRITERIA,
): T[] {
  return cells
    .filter((x) => x.lq !== null && x.lq >= c.lqThreshold && !x.smallNumber)
    .sort((a, b) => (b.lq as number) - (a.lq as number) || a.category.localeCompare(b.category));
}

/**
 * (2) Growing: enough years, LQ up from first to last year with a positive slope, rank not worse at
 * the end than at the start, ending at or above `leadFloor`, and the last year's cell not a
 * small-number one (its support at or above the minimum support); biggest rise first.
 */
export function growing<T extends TrendEvidence>(
  trends: readonly T[],
  c: SmartCriteria = DEFAULT_SMART_CRITERIA,
): T[] {
  return trends
    .filter(
      (t) =>
        t.years >= c.minTrendYears &&
        t.change > 0 &&
        t.slope !== null &&
        t.slope > 0 &&
        t.lqLast >= c.leadFloor &&
        !t.smallNumberLast &&
        (t.rankFirst === null || t.rankLast === null || t.rankLast <= t.rankFirst),
    )
    .sort((a, b) => b.change - a.change || a.category.localeCompare(b.category));
}

/** (3) Adjacent opportunities: not specialised, density ≥ threshold; densest first. */
export function adjacentOpportunities<T extends CellEvidence>(
  cells: readonly T[],
  c: SmartCriteria = DEFAULT_SMART_CRITERIA,
): T[] {
  return cells
    .filter((x) => isAdjacentOpportunity(x.specialised, x.density, c.densityThreshold))
    .sort((a, b) => (b.density as number) - (a.density as number) || a.category.localeCompare(b.category));
}
