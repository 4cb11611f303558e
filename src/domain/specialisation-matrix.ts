import {
  competitionRanks,
  isSmallNumber,
  locationQuotient,
  PORTFOLIO_MORE_SPECIALISED,
  type PortfolioMeasures,
  portfolioMeasures,
  relatednessDensity,
} from './specialisation.ts';

/**
 * The LEP × category specialisation matrix of one measure and period, as the pipeline stores it:
 * every cell's LQ against the reference with the counts behind it, its rank among the areas, the
 * relatedness density of the category to the area's specialisations, and each area's portfolio
 * measures with their ranks. Pure; the pipeline feeds it and the tests check it by hand.
 */

export interface MatrixInput {
  areas: readonly string[];
  categories: readonly string[];
  /** x[r][s]; `null` = suppressed by the source (counted as 0 in the area's total, flagged). */
  values: readonly (readonly (number | null)[])[];
  /** Counts the small-number flag is judged on; default the values. */
  support?: readonly (readonly number[])[];
  /** The reference's x[.,s] (England), aligned with `categories`. */
  reference: readonly number[];
  minSupport: number;
  /** Relatedness matrices aligned with `categories` (zero diagonal); omit for no densities. */
  relatedness?: { association: readonly (readonly number[])[]; cosine: readonly (readonly number[])[] };
}

export interface MatrixCell {
  area: string;
  category: string;
  value: number | null;
  areaTotal: number;
  referenceValue: number;
  referenceTotal: number;
  lq: number | null;
  support: number | null;
  suppressed: boolean;
  smallNumber: boolean;
  specialised: boolean;
  /** 1 = highest LQ in the category among the areas; null without an LQ. */
  lqRank: number | null;
  /** Areas with an LQ in the category (the denominator of the rank). */
  lqRanked: number;
  density: number | null;
  densityCosine: number | null;
}

export interface MatrixPortfolio {
  area: string;
  total: number;
  /** All null when the area has no activity in the period. */
  measures: { [K in keyof PortfolioMeasures]: number | null };
  ranks: Record<keyof PortfolioMeasures, number | null>;
}

const MEASURE_KEYS = Object.keys(PORTFOLIO_MORE_SPECIALISED) as (keyof PortfolioMeasures)[];

export function specialisationMatrix(input: MatrixInput): {
  cells: MatrixCell[];
  portfolio: MatrixPortfolio[];
} {
  const { areas, categories, values, reference } = input;
  const referenceTotal = reference.reduce((a, b) => a + b, 0);
  const grid = areas.map((area, r) => {
    const row = values[r] ?? [];
    const areaTotal = row.reduce<number>((a, v) => a + (v ?? 0), 0);
    return categories.map((category, s) => {
      const value = row[s] ?? null;
      const suppressed = value === null;
      const lq = suppressed ? null : locationQuotient(value, areaTotal, reference[s] ?? 0, referenceTotal);
      const support = suppressed ? null : (input.support?.[r]?.[s] ?? value);
      return {
        area,
        category,
        value,
        areaTotal,
        referenceValue: reference[s] ?? 0,
        referenceTotal,
        lq,
        support,
        suppressed,
        smallNumber: support === null || isSmallNumber(support, input.minSupport),
        specialised: lq !== null && lq > 1,
        lqRank: null as number | null,
        lqRanked: 0,
        density: null as number | null,
        densityCosine: null as number | null,
      };
    });
  });
  categories.forEach((_, s) => {
    const lqs = grid.map((row) => row[s]?.lq ?? null);
    const ranks = competitionRanks(lqs, 'high');
    const ranked = lqs.filter((v) => v !== null).length;
    grid.forEach((row, r) => {
      const cell = row[s];
      if (!cell) return;
      cell.lqRank = ranks[r] ?? null;
      cell.lqRanked = ranked;
    });
  });
  if (input.relatedness) {
    const M = grid.map((row) => row.map((c) => (c.specialised ? 1 : 0)));
    const rd = relatednessDensity(M, input.relatedness.association);
    const rdCos = relatednessDensity(M, input.relatedness.cosine);
    grid.forEach((row, r) => {
      row.forEach((cell, s) => {
        cell.density = rd[r]?.[s] ?? null;
        cell.densityCosine = rdCos[r]?.[s] ?? null;
      });
    });
  }
  const measures = areas.map((_, r) => {
    const row = (values[r] ?? []).map((v) => v ?? 0);
    const total = row.reduce((a, b) => a + b, 0);
    return { total, m: total === 0 ? null : portfolioMeasures(row, reference) };
  });
  const rankBy = Object.fromEntries(
    MEASURE_KEYS.map((k) => [
      k,
      competitionRanks(
        measures.map((x) => x.m?.[k] ?? null),
        PORTFOLIO_MORE_SPECIALISED[k],
      ),
    ]),
  ) as Record<keyof PortfolioMeasures, (number | null)[]>;
  const portfolio = areas.map((area, r) => {
    const { total, m } = measures[r] as { total: number; m: PortfolioMeasures | null };
    return {
      area,
      total,
      measures: {
        krugman: m?.krugman ?? null,
        hoover: m?.hoover ?? null,
        herfindahl: m?.herfindahl ?? null,
        entropy: m?.entropy ?? null,
        hachman: m?.hachman ?? null,
      },
      ranks: Object.fromEntries(MEASURE_KEYS.map((k) => [k, rankBy[k][r] ?? null])) as Record<
        keyof PortfolioMeasures,
        number | null
      >,
    };
  });
  return { cells: grid.flat(), portfolio };
}

/**
 * Sparse co-occurrence: `items` lists, for each item (organisation, district), the indexes of the
 * categories it is active in; C[i][j] counts items active in both (zero diagonal). Same as
 * `cooccurrence(B)` without building B.
 */
export function cooccurrenceFromSets(items: readonly (readonly number[])[], k: number): number[][] {
  const C = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const set of items) {
    const u = [...new Set(set)];
    for (const i of u) {
      for (const j of u) {
        if (i !== j) (C[i] as number[])[j] = ((C[i] as number[])[j] as number) + 1;
      }
    }
  }
  return C;
}
