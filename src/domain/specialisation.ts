/**
 * Specialisation and relatedness measures from the smart-specialisation literature (see
 * shared/METHODS.md; names follow the REAT and EconGeo R packages). Notation: x[r][s] is an activity
 * measure (£ or a count) for area r and category s; the reference is England unless the caller
 * says otherwise. Pure functions over plain arrays.
 */

/** Default minimum support (e.g. participants) below which an LQ is flagged as small-number noise. */
export const DEFAULT_MIN_SUPPORT = 5;

/**
 * Location quotient, REAT `locq(e_ij, e_j, E_i, E)`: (e_ij / e_j) / (E_i / E) — the area's share of
 * its activity in category i over the reference's share. `null` when a denominator is 0 (undefined,
 * not infinite). locq(1714, 79006, 879213, 15593224) = 0.3847623.
 *
 * @param eij area activity in the category
 * @param ej area activity in all categories
 * @param Ei reference activity in the category
 * @param E reference activity in all categories
 */
export function locationQuotient(eij: number, ej: number, Ei: number, E: number): number | null {
  if (ej === 0 || E === 0 || Ei === 0) return null;
  return eij / ej / (Ei / E);
}

/** True when `count` is below the minimum support: report the cell, but flag it. */
export function isSmallNumber(count: number, minSupport = DEFAULT_MIN_SUPPORT): boolean {
  return count < minSupport;
}

/** The reference an LQ is computed against: x[.,s] per category and x[.,.]. */
export interface Reference {
  /** e.g. "England" or "sum of LEPs". Returned beside every LQ. */
  label: string;
  categoryTotals: readonly number[];
  total: number;
}

/** Reference built by summing the areas of a matrix (use England's own totals when they exist). */
export function referenceFromMatrix(x: readonly (readonly number[])[], label = 'sum of areas'): Reference {
  const width = x[0]?.length ?? 0;
  const categoryTotals = Array.from({ length: width }, (_, s) =>
    x.reduce((acc, row) => acc + (row[s] ?? 0), 0),
  );
  return { label, categoryTotals, total: categoryTotals.reduce((a, b) => a + b, 0) };
}

export interface LqCell {
  /** x[r,s]. */
  value: number;
  /** x[r,.]. */
  areaTotal: number;
  /** Count the small-number flag is judged on (support matrix if given, else `value`). */
  support: number;
  lq: number | null;
  /** Binary specialisation M[r,s]: LQ > 1 (strictly). */
  specialised: boolean;
  smallNumber: boolean;
}

export interface LqMatrix {
  reference: Reference;
  minSupport: number;
  cells: LqCell[][];
}

/**
 * LQ for every area × category, with the counts beside each and a small-number flag. `support` is
 * an optional matrix of counts (e.g. participants) when x is money, so "£2m from 3 grants" is flagged.
 */
export function locationQuotients(
  x: readonly (readonly number[])[],
  reference: Reference,
  options: { support?: readonly (readonly number[])[]; minSupport?: number } = {},
): LqMatrix {
  const minSupport = options.minSupport ?? DEFAULT_MIN_SUPPORT;
  const cells = x.map((row, r) => {
    const areaTotal = sum(row);
    return row.map((value, s) => {
      const lq = locationQuotient(value, areaTotal, reference.categoryTotals[s] ?? 0, reference.total);
      const support = options.support?.[r]?.[s] ?? value;
      return {
        value,
        areaTotal,
        support,
        lq,
        specialised: lq !== null && lq > 1,
        smallNumber: isSmallNumber(support, minSupport),
      };
    });
  });
  return { reference, minSupport, cells };
}

/** Binary specialisation matrix M[r][s] = 1 when LQ > 1, else 0 (undefined LQs count as 0). */
export function binarySpecialisation(lq: LqMatrix): number[][] {
  return lq.cells.map((row) => row.map((c) => (c.specialised ? 1 : 0)));
}

/** Shares p[s] = x[s] / Σx; all zeros when the total is 0. */
export function shares(row: readonly number[]): number[] {
  const t = sum(row);
  return row.map((v) => (t === 0 ? 0 : v / t));
}

/** Krugman dissimilarity K = Σ_s |p[r,s] − p[ref,s]|, from 0 (same mix as the reference) to 2. */
export function krugmanIndex(areaRow: readonly number[], referenceRow: readonly number[]): number {
  const p = shares(areaRow);
  const q = shares(referenceRow);
  return p.reduce((acc, ps, s) => acc + Math.abs(ps - (q[s] ?? 0)), 0);
}

/** Hoover index = K / 2: the share of the area's activity that would have to move to match the reference. */
export function hooverIndex(areaRow: readonly number[], referenceRow: readonly number[]): number {
  return krugmanIndex(areaRow, referenceRow) / 2;
}

/** Herfindahl concentration Σ_s p[s]²: 1/S for an even spread over S categories, 1 for one category. */
export function herfindahlIndex(row: readonly number[]): number {
  return shares(row).reduce((acc, p) => acc + p * p, 0);
}

/** Shannon entropy −Σ p log2 p in bits (0·log 0 taken as 0): log2 S for an even spread. */
export function shannonEntropy(row: readonly number[]): number {
  return shares(row).reduce((acc, p) => (p > 0 ? acc - p * Math.log2(p) : acc), 0);
}

/**
 * Hachman index 1 / Σ_s LQ[r,s]·p[r,s]: 1 when the area's mix equals the reference's, towards 0 as
 * it diverges. `null` when the area has activity in a category the reference has none of (LQ
 * undefined) or the area has no activity at all.
 */
export function hachmanIndex(areaRow: readonly number[], referenceRow: readonly number[]): number | null {
  const p = shares(areaRow);
  const q = shares(referenceRow);
  if (sum(areaRow) === 0) return null;
  let s = 0;
  for (let i = 0; i < p.length; i += 1) {
    const pi = p[i] as number;
    if (pi === 0) continue;
    const qi = q[i] ?? 0;
    if (qi === 0) return null;
    s += (pi / qi) * pi;
  }
  return 1 / s;
}

/**
 * Co-occurrence C = BᵀB with a zero diagonal. B is an incidence matrix, rows = items (organisations
 * or projects), columns = categories, entries 0/1: C[i][j] counts items active in both i and j.
 */
export function cooccurrence(B: readonly (readonly number[])[]): number[][] {
  const k = B[0]?.length ?? 0;
  const C = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const row of B) {
    for (let i = 0; i < k; i += 1) {
      const bi = row[i] ?? 0;
      if (bi === 0) continue;
      for (let j = 0; j < k; j += 1) {
        if (i !== j) (C[i] as number[])[j] = ((C[i] as number[])[j] as number) + bi * (row[j] ?? 0);
      }
    }
  }
  return C;
}

/** Row sums S_i of a square matrix (C is symmetric, so these are also its column sums). */
function rowSums(C: readonly (readonly number[])[]): number[] {
  return C.map((row) => sum(row));
}

/**
 * Association-strength relatedness φ[i][j] = (C_ij / T) / ((S_i / T)(S_j / T)): observed
 * co-occurrence over what the categories' sizes alone would predict (> 1 = related). S = sums of C,
 * T = ΣC. Pairs involving a category with no co-occurrences get 0.
 */
export function associationStrength(C: readonly (readonly number[])[]): number[][] {
  const S = rowSums(C);
  const T = sum(S);
  return C.map((row, i) =>
    row.map((c, j) => {
      const si = S[i] as number;
      const sj = S[j] as number;
      return T === 0 || si === 0 || sj === 0 ? 0 : c / T / ((si / T) * (sj / T));
    }),
  );
}

/** Cosine relatedness C_ij / √(S_i S_j); 0 when either category has no co-occurrences. */
export function cosineRelatedness(C: readonly (readonly number[])[]): number[][] {
  const S = rowSums(C);
  return C.map((row, i) =>
    row.map((c, j) => {
      const d = Math.sqrt((S[i] as number) * (S[j] as number));
      return d === 0 ? 0 : c / d;
    }),
  );
}

/**
 * Relatedness density RD[r][i] = 100 · Σ_j M[r,j]·φ[j,i] / Σ_j φ[j,i]: the share (0–100) of
 * category i's relatedness that lies in categories the area is already specialised in. High RD
 * where M[r,i] = 0 marks an "adjacent opportunity". `null` when category i is related to nothing.
 */
export function relatednessDensity(
  M: readonly (readonly number[])[],
  phi: readonly (readonly number[])[],
): (number | null)[][] {
  const k = phi.length;
  const colSums = Array.from({ length: k }, (_, i) => phi.reduce((acc, row) => acc + (row[i] ?? 0), 0));
  return M.map((m) =>
    Array.from({ length: k }, (_, i) => {
      const d = colSums[i] as number;
      if (d === 0) return null;
      let num = 0;
      for (let j = 0; j < k; j += 1) num += (m[j] ?? 0) * (phi[j]?.[i] ?? 0);
      return (100 * num) / d;
    }),
  );
}

/** Relatedness density (0–100) from which an unspecialised category counts as an adjacent opportunity. */
export const DEFAULT_ADJACENT_DENSITY = 50;

/**
 * "Adjacent opportunity": the area is not specialised in the category (LQ ≤ 1 or undefined) but its
 * relatedness density there is at least `threshold`.
 */
export function isAdjacentOpportunity(
  specialised: boolean,
  density: number | null,
  threshold = DEFAULT_ADJACENT_DENSITY,
): boolean {
  return !specialised && density !== null && density >= threshold;
}

/** The five whole-portfolio measures of one area's mix against the reference's. */
export interface PortfolioMeasures {
  krugman: number;
  hoover: number;
  herfindahl: number;
  entropy: number;
  hachman: number | null;
}

export function portfolioMeasures(
  areaRow: readonly number[],
  referenceRow: readonly number[],
): PortfolioMeasures {
  return {
    krugman: krugmanIndex(areaRow, referenceRow),
    hoover: hooverIndex(areaRow, referenceRow),
    herfindahl: herfindahlIndex(areaRow),
    entropy: shannonEntropy(areaRow),
    hachman: hachmanIndex(areaRow, referenceRow),
  };
}

/**
 * Direction in which each portfolio measure means "more specialised": Krugman, Hoover and
 * Herfindahl grow with specialisation; entropy and Hachman shrink. Ranks put the most specialised first.
 */
export const PORTFOLIO_MORE_SPECIALISED: Readonly<Record<keyof PortfolioMeasures, 'high' | 'low'>> = {
  krugman: 'high',
  hoover: 'high',
  herfindahl: 'high',
  entropy: 'low',
  hachman: 'low',
};

/**
 * Competition ranks ("1224") of `values`, 1 = first in the given direction; nulls get null and do not
 * take a rank.
 */
export function competitionRanks(
  values: readonly (number | null)[],
  direction: 'high' | 'low',
): (number | null)[] {
  const valid = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    return 1 + valid.filter((o) => (direction === 'high' ? o > v : o < v)).length;
  });
}

/** How an LQ moved over the years the source has. */
export interface LqTrend {
  firstYear: number;
  lastYear: number;
  first: number;
  last: number;
  /** last − first. */
  change: number;
  /** Ordinary least-squares slope of LQ on year (LQ points per year); null with fewer than 2 years. */
  slope: number | null;
  /** Years with a defined LQ (the points behind the slope). */
  years: number;
}

/**
 * Trend of one LQ series: first and last defined values, their difference and the OLS slope over
 * every year with a defined LQ. `null` when no year has one.
 */
export function lqTrend(series: readonly { year: number; lq: number | null }[]): LqTrend | null {
  const pts = series
    .filter((p): p is { year: number; lq: number } => p.lq !== null && Number.isFinite(p.lq))
    .sort((a, b) => a.year - b.year);
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (!first || !last) return null;
  let slope: number | null = null;
  if (pts.length >= 2) {
    const n = pts.length;
    const my = pts.reduce((a, p) => a + p.year, 0) / n;
    const ml = pts.reduce((a, p) => a + p.lq, 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (const p of pts) {
      sxy += (p.year - my) * (p.lq - ml);
      sxx += (p.year - my) ** 2;
    }
    slope = sxx === 0 ? null : sxy / sxx;
  }
  return {
    firstYear: first.year,
    lastYear: last.year,
    first: first.lq,
    last: last.lq,
    change: last.lq - first.lq,
    slope,
    years: pts.length,
  };
}

/**
 * Binary incidence from revealed comparative advantage: B[i][s] = 1 when item i (e.g. a district)
 * has LQ > 1 in category s against the matrix's own totals. Used for co-location relatedness, where
 * every district employs someone in every industry and raw presence says nothing.
 */
export function rcaIncidence(x: readonly (readonly number[])[]): number[][] {
  const lq = locationQuotients(x, referenceFromMatrix(x));
  return binarySpecialisation(lq);
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
