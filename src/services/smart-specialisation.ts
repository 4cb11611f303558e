import type { Db } from '../db/client.ts';
import { getNetworkEdges } from '../db/network-queries.ts';
import { getAreasByCode } from '../db/queries.ts';
import { getSpecCells, getSpecPeriods, getSpecTrends, type SpecCellRow } from '../db/spec-queries.ts';
import { LEP_VINTAGE } from '../domain/geography.ts';
import type { OverlapPolicy } from '../domain/investment-rules.ts';
import {
  adjacentOpportunities,
  DEFAULT_SMART_CRITERIA,
  goodAt,
  growing,
  type SmartCriteria,
} from '../domain/smart-specialisation.ts';
import { ApiError } from '../http/problem.ts';
import { datasetSource, investmentSource } from './datasets.ts';
import { areaInvestments } from './investments.ts';
import { lepStrengths } from './leps.ts';
import { type CategorySystem, EMPLOYMENT_SOURCE_ID, type MatrixMeasure } from './specialisation.ts';

/** The evidence bases the three answers draw on: APS employment, Innovate UK £ by sector and by programme. */
export const SMART_BASES: readonly { measure: MatrixMeasure; categories: CategorySystem }[] = [
  { measure: 'employment', categories: 'industry' },
  { measure: 'grant', categories: 'sector' },
  { measure: 'grant', categories: 'programme' },
];

/** How many partners and leaders each opportunity lists. */
const TOP = 3;

const latestPeriod = (measure: MatrixMeasure, periods: string[]) => {
  if (measure !== 'employment') return periods.includes('all') ? 'all' : null;
  const years = periods.filter((p) => p !== 'all').sort();
  return years[years.length - 1] ?? null;
};

export interface BasisRef {
  measure: MatrixMeasure;
  categories: CategorySystem;
  period: string;
}

const matrixHref = (b: BasisRef) =>
  `/v1/specialisation?measure=${b.measure}&categories=${b.categories}${b.period === 'all' ? '' : `&year=${b.period}`}`;

/**
 * One LEP's answers to the three questions, every item with the numbers behind it and links to the
 * endpoints that serve them. Partners in an adjacent opportunity come from the collaboration network
 * (Innovate UK sectors only: the network is filtered by sector); every opportunity also lists the
 * LEPs most specialised in it.
 */
export async function lepSmartSpecialisation(db: Db, code: string, c: SmartCriteria) {
  const lep = (await getAreasByCode(db, code)).find((a) => a.type === 'lep' && a.status === 'live');
  if (!lep)
    throw new ApiError('not_found', `No ${LEP_VINTAGE} LEP has code ${code}. See /v1/areas?type=lep.`);
  const [bases, indicators, employmentSource, iukSource] = await Promise.all([
    Promise.all(
      SMART_BASES.map(async (b) => {
        const period = latestPeriod(b.measure, await getSpecPeriods(db, b.measure, b.categories));
        if (!period) return null;
        const [matrix, rawTrends, ownCells] = await Promise.all([
          getSpecCells(db, { ...b, period }),
          getSpecTrends(db, { ...b, area: lep.code }),
          getSpecCells(db, { ...b, area: lep.code }),
        ]);
        // Each trend's first- and last-year cells: the support behind the rise, and whether it ends
        // on small numbers (then it is not "might lead").
        const cellOf = new Map(ownCells.map((x) => [`${x.period}|${x.category}`, x]));
        const trends = rawTrends.map((t) => {
          const first = cellOf.get(`${t.firstYear}|${t.category}`);
          const last = cellOf.get(`${t.lastYear}|${t.category}`);
          return {
            ...t,
            supportFirst: first?.support ?? null,
            supportLast: last?.support ?? null,
            smallNumberLast: last?.smallNumber ?? true,
          };
        });
        return { basis: { ...b, period }, matrix, trends };
      }),
    ),
    lepStrengths(db, lep.code).catch((err) => {
      if (err instanceof ApiError && err.code === 'not_found') return null;
      throw err;
    }),
    datasetSource(db, EMPLOYMENT_SOURCE_ID),
    investmentSource(db),
  ]);

  const loaded = bases.filter((b): b is NonNullable<typeof b> => b !== null);
  const goodAtCategories = loaded.flatMap(({ basis, matrix }) =>
    goodAt(
      matrix.filter((x) => x.areaCode === lep.code),
      c,
    ).map((cell) => ({ basis, cell })),
  );
  const might = loaded.flatMap(({ basis, trends, matrix }) =>
    growing(trends, c).map((t) => ({
      basis,
      trend: t,
      now: matrix.find((x) => x.areaCode === lep.code && x.category === t.category) ?? null,
    })),
  );
  const opportunities = await Promise.all(
    loaded.flatMap(({ basis, matrix }) =>
      adjacentOpportunities(
        matrix.filter((x) => x.areaCode === lep.code),
        c,
      ).map(async (cell) => {
        const inCategory = matrix.filter((x) => x.category === cell.category);
        const lqOf = new Map(inCategory.map((x) => [x.areaCode, x]));
        const leaders = inCategory
          .filter((x) => x.areaCode !== lep.code && x.lq !== null && !x.smallNumber)
          .sort((a, b) => (b.lq as number) - (a.lq as number) || a.areaCode.localeCompare(b.areaCode))
          .slice(0, TOP);
        const partners =
          basis.categories === 'sector'
            ? (await getNetworkEdges(db, 'lep', { sector: cell.category }, lep.code))
                .filter((e) => e.a !== e.b)
                .map((e) => ({ edge: e, other: e.a === lep.code ? e.b : e.a }))
                .sort(
                  (x, y) =>
                    y.edge.projects - x.edge.projects ||
                    y.edge.grantPence - x.edge.grantPence ||
                    x.other.localeCompare(y.other),
                )
                .slice(0, TOP)
                .map(({ edge, other }) => ({ edge, other, cell: lqOf.get(other) ?? null }))
            : null;
        return { basis, cell, leaders, partners };
      }),
    ),
  );
  const topQuartile = (indicators?.strengths ?? []).filter((s) => s.reasons.includes('top_quartile'));
  return {
    lep,
    criteria: c,
    bases: loaded.map((b) => ({ ...b.basis, href: matrixHref(b.basis) })),
    sources: { employment: employmentSource, innovateUk: iukSource },
    goodAt: { categories: goodAtCategories, indicators: topQuartile },
    mightLead: might,
    couldGetUsThere: opportunities,
  };
}

export type SmartSpecialisation = Awaited<ReturnType<typeof lepSmartSpecialisation>>;
export type { SpecCellRow };
export { matrixHref };

/**
 * What the area PDF needs: the area's Innovate UK summary and, for a live LEP, its
 * smart-specialisation answers at the default criteria (null for any other area).
 */
export async function areaReport(db: Db, code: string, overlap: OverlapPolicy) {
  const a = await areaInvestments(db, code, overlap);
  const smart =
    a.area.type === 'lep'
      ? await lepSmartSpecialisation(db, a.area.code, DEFAULT_SMART_CRITERIA).catch((err) => {
          if (err instanceof ApiError && err.code === 'not_found') return null;
          throw err;
        })
      : null;
  return { a, smart };
}
