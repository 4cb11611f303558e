import type { Db } from '../db/client.ts';
import { getSectorPairs, summariseFromTotals } from '../db/investment-queries.ts';
import {
  getRelatedness,
  getSpecCells,
  getSpecPeriods,
  getSpecPortfolio,
  getSpecTrends,
} from '../db/spec-queries.ts';
import { type AreaType, ENGLAND_CODE } from '../domain/geography.ts';
import type { InvestmentFilters, OverlapPolicy } from '../domain/investment-rules.ts';
import {
  associationStrength,
  binarySpecialisation,
  DEFAULT_ADJACENT_DENSITY,
  DEFAULT_MIN_SUPPORT,
  isAdjacentOpportunity,
  locationQuotients,
  portfolioMeasures,
  relatednessDensity,
} from '../domain/specialisation.ts';
import { ApiError } from '../http/problem.ts';
import { datasetSource, investmentSource } from './datasets.ts';
import { investmentAreaOr404 } from './investment-filters.ts';

export const SPECIALISATION_MEASURES = ['grant', 'participants', 'projects'] as const;
export type SpecialisationMeasure = (typeof SPECIALISATION_MEASURES)[number];

/** Relatedness density (0–100) from which an unspecialised sector counts as an adjacent opportunity. */
export const ADJACENT_DENSITY = DEFAULT_ADJACENT_DENSITY;

/**
 * An area's location quotients by Innovate UK sector against England (or, for England itself and
 * areas outside it, the whole dataset), portfolio measures, and the relatedness density of each
 * sector to the ones the area is specialised in.
 */
export async function areaSpecialisation(
  db: Db,
  code: string,
  q: { measure: SpecialisationMeasure; overlap: OverlapPolicy },
) {
  const area = await investmentAreaOr404(db, code);
  const inEngland = area.code.startsWith('E') && area.code !== ENGLAND_CODE;
  const reference = inEngland
    ? { code: ENGLAND_CODE, label: 'England' }
    : { code: 'all', label: 'All participants in the dataset (UK)' };
  const f: InvestmentFilters = { area: { type: area.type as AreaType, code: area.code }, overlap: q.overlap };
  const refFilter: InvestmentFilters = inEngland ? { area: { type: 'country', code: ENGLAND_CODE } } : {};
  const [mine, ref, source, pairs] = await Promise.all([
    summariseFromTotals(db, f, 'sector'),
    summariseFromTotals(db, refFilter, 'sector'),
    investmentSource(db),
    getSectorPairs(db),
  ]);
  const measureOf = (g: { grantPence: string; participants: string; projects: number }) =>
    q.measure === 'grant'
      ? Number(g.grantPence)
      : q.measure === 'participants'
        ? Number(g.participants)
        : g.projects;
  const sectors = (ref.groups ?? []).map((g) => g.key ?? '').sort();
  const mineBy = new Map((mine.groups ?? []).map((g) => [g.key ?? '', g]));
  const refBy = new Map((ref.groups ?? []).map((g) => [g.key ?? '', g]));
  const areaRow = sectors.map((s) => {
    const g = mineBy.get(s);
    return g ? measureOf(g) : 0;
  });
  const refRow = sectors.map((s) => measureOf(refBy.get(s) as NonNullable<ReturnType<typeof refBy.get>>));
  const support = sectors.map((s) => Number(mineBy.get(s)?.participants ?? 0));
  const lq = locationQuotients(
    [areaRow],
    { label: reference.label, categoryTotals: refRow, total: refRow.reduce((a, b) => a + b, 0) },
    { support: [support] },
  );
  // Relatedness: association strength over the co-occurrence of sectors in the same organisations.
  const index = new Map(sectors.map((sec, i) => [sec, i]));
  const C = sectors.map(() => sectors.map(() => 0));
  for (const p of pairs) {
    const a = index.get(p.sectorA);
    const b = index.get(p.sectorB);
    if (a !== undefined && b !== undefined) (C[a] as number[])[b] = p.organisations;
  }
  const density = relatednessDensity(binarySpecialisation(lq), associationStrength(C))[0] ?? [];
  const rows = (lq.cells[0] ?? []).map((cell, i) => ({
    sector: sectors[i] || '(not stated)',
    value: cell.value,
    areaTotal: cell.areaTotal,
    referenceValue: refRow[i] ?? 0,
    referenceTotal: lq.reference.total,
    lq: cell.lq,
    specialised: cell.specialised,
    participants: support[i] ?? 0,
    smallNumber: cell.smallNumber,
    relatednessDensity: density[i] ?? null,
    adjacentOpportunity: isAdjacentOpportunity(cell.specialised, density[i] ?? null, ADJACENT_DENSITY),
  }));
  rows.sort((a, b) => (b.lq ?? -1) - (a.lq ?? -1) || a.sector.localeCompare(b.sector));
  return {
    area,
    reference,
    filters: f,
    source,
    minSupport: lq.minSupport,
    sectors: rows,
    portfolio: portfolioMeasures(areaRow, refRow),
  };
}

// ---- Specialisation across LEPs (precomputed by the pipeline's specialisation stage) ----

export const MATRIX_MEASURES = ['employment', 'grant', 'participants', 'projects'] as const;
export type MatrixMeasure = (typeof MATRIX_MEASURES)[number];
export const CATEGORY_SYSTEMS = ['industry', 'sector', 'programme'] as const;
export type CategorySystem = (typeof CATEGORY_SYSTEMS)[number];

/** Which category systems each measure has: APS broad industries, or Innovate UK sectors and programmes. */
export const SYSTEMS_OF: Readonly<Record<MatrixMeasure, readonly CategorySystem[]>> = {
  employment: ['industry'],
  grant: ['sector', 'programme'],
  participants: ['sector', 'programme'],
  projects: ['sector', 'programme'],
};

/** The small-number threshold behind each measure's flag (employment: the source's own suppression). */
export const MIN_SUPPORT_OF: Readonly<Record<MatrixMeasure, number>> = {
  employment: 0,
  grant: DEFAULT_MIN_SUPPORT,
  participants: DEFAULT_MIN_SUPPORT,
  projects: DEFAULT_MIN_SUPPORT,
};

export const EMPLOYMENT_SOURCE_ID = 'dfe_aps_employment_by_industry';

function systemFor(measure: MatrixMeasure, categories: CategorySystem | undefined): CategorySystem {
  const allowed = SYSTEMS_OF[measure];
  const chosen = categories ?? (allowed[0] as CategorySystem);
  if (!allowed.includes(chosen)) {
    throw new ApiError('bad_request', `measure=${measure} has categories ${allowed.join(' or ')}.`, [
      { location: 'query.categories', message: `With measure=${measure} use ${allowed.join(' or ')}.` },
    ]);
  }
  return chosen;
}

const sortPeriods = (ps: string[]) =>
  [...ps].sort((a, b) => (a === 'all' ? 1 : b === 'all' ? -1 : Number(a) - Number(b)));

/**
 * The period served: the year asked for, else the latest year (employment) or all years pooled
 * (Innovate UK). A year the source does not have is a 404 naming the ones it has.
 */
async function periodFor(
  db: Db,
  measure: MatrixMeasure,
  categories: CategorySystem,
  year: number | undefined,
) {
  const periods = sortPeriods(await getSpecPeriods(db, measure, categories));
  const years = periods.filter((p) => p !== 'all');
  if (year !== undefined) {
    if (!years.includes(String(year))) {
      throw new ApiError(
        'not_found',
        years.length
          ? `measure=${measure} has no data for ${year}; it has ${years[0]}–${years[years.length - 1]}.`
          : `measure=${measure} has no data loaded.`,
      );
    }
    return { period: String(year), periods };
  }
  const period =
    measure === 'employment' ? (years[years.length - 1] ?? null) : periods.includes('all') ? 'all' : null;
  return { period, periods };
}

async function sourceOf(db: Db, measure: MatrixMeasure) {
  return measure === 'employment' ? datasetSource(db, EMPLOYMENT_SOURCE_ID) : investmentSource(db);
}

/** The category system, the period asked for (or the default one), the periods on offer and the source. */
async function matrixPeriod(
  db: Db,
  q: { measure: MatrixMeasure; categories?: CategorySystem | undefined; year?: number | undefined },
) {
  const categories = systemFor(q.measure, q.categories);
  const [{ period, periods }, source] = await Promise.all([
    periodFor(db, q.measure, categories, q.year),
    sourceOf(db, q.measure),
  ]);
  return { categories, period, periods, source };
}

/** The LEP × category matrix of one measure and period: LQs against England with their counts. */
export async function specialisationAcrossLeps(
  db: Db,
  q: { measure: MatrixMeasure; categories?: CategorySystem | undefined; year?: number | undefined },
) {
  const { categories, period, periods, source } = await matrixPeriod(db, q);
  const cells = period ? await getSpecCells(db, { measure: q.measure, categories, period }) : [];
  return {
    measure: q.measure,
    categories,
    period,
    periods,
    minSupport: MIN_SUPPORT_OF[q.measure],
    source,
    cells,
  };
}

/** Whole-portfolio measures of every LEP for one measure and period, with their ranks. */
export async function portfolioAcrossLeps(
  db: Db,
  q: { measure: MatrixMeasure; categories?: CategorySystem | undefined; year?: number | undefined },
) {
  const { categories, period, periods, source } = await matrixPeriod(db, q);
  const rows = period ? await getSpecPortfolio(db, { measure: q.measure, categories, period }) : [];
  return { measure: q.measure, categories, period, periods, source, rows };
}

/** How each LEP × category LQ moved over the years the source has. */
export async function trendsAcrossLeps(
  db: Db,
  q: { measure: MatrixMeasure; categories?: CategorySystem | undefined; area?: string | undefined },
) {
  const categories = systemFor(q.measure, q.categories);
  const [rows, source] = await Promise.all([
    getSpecTrends(db, { measure: q.measure, categories, area: q.area }),
    sourceOf(db, q.measure),
  ]);
  return { measure: q.measure, categories, source, rows };
}

/** The category × category relatedness matrix (association strength and cosine) of one system. */
export async function relatednessMatrix(
  db: Db,
  q: { measure: MatrixMeasure; categories?: CategorySystem | undefined },
) {
  const categories = systemFor(q.measure, q.categories);
  const [pairs, source] = await Promise.all([getRelatedness(db, categories), sourceOf(db, q.measure)]);
  const names = [...new Set(pairs.flatMap((p) => [p.categoryA, p.categoryB]))].sort();
  return { measure: q.measure, categories, source, names, pairs };
}

/**
 * Relatedness density of every LEP × category for one measure and period, with the adjacent
 * opportunities at `threshold` (density ≥ threshold where the LEP is not specialised).
 */
export async function relatednessDensityAcrossLeps(
  db: Db,
  q: {
    measure: MatrixMeasure;
    categories?: CategorySystem | undefined;
    year?: number | undefined;
    threshold: number;
    area?: string | undefined;
  },
) {
  const m = await specialisationAcrossLeps(db, q);
  const cells = q.area ? m.cells.filter((c) => c.areaCode === q.area) : m.cells;
  return {
    ...m,
    threshold: q.threshold,
    cells: cells.map((c) => ({
      ...c,
      adjacentOpportunity: isAdjacentOpportunity(c.specialised, c.density, q.threshold),
    })),
  };
}
