import type { Db } from '../db/client.ts';
import { getSectorPairs, summariseFromTotals } from '../db/investment-queries.ts';
import { type AreaType, ENGLAND_CODE } from '../domain/geography.ts';
import type { InvestmentFilters, OverlapPolicy } from '../domain/investment-rules.ts';
import {
  associationStrength,
  binarySpecialisation,
  DEFAULT_ADJACENT_DENSITY,
  isAdjacentOpportunity,
  locationQuotients,
  portfolioMeasures,
  relatednessDensity,
} from '../domain/specialisation.ts';
import { investmentSource } from './datasets.ts';
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
