import type { Db } from '../db/client.ts';
import {
  areaNames,
  countInvestments,
  type GroupBy,
  type InvestmentFilters,
  listInvestments,
  type OverlapPolicy,
  readAreaTotals,
  type SortKey,
  type SummaryRow,
  summariseFromTotals,
  summariseInvestments,
  summariseOutside,
  topOrganisations,
  totalsCanAnswer,
} from '../db/investment-queries.ts';
import { type AreaType, ENGLAND_CODE } from '../domain/geography.ts';
import { ORG_TYPE_LABELS, type OrgType } from '../domain/organisations.ts';
import { ApiError } from '../http/problem.ts';
import { investmentSource } from './datasets.ts';
import { type FilterQuery, investmentAreaOr404, resolveFilters } from './investment-filters.ts';

/** Innovate UK investment: participant lists, exports, summaries and an area's headline report. */

/**
 * Rows read at a time when streaming every matching row into an export: small, so little is alive
 * across each read and the server's memory stays flat however many rows go out.
 */
const EXPORT_BATCH = 1_000;

/** A position in the participant list: (sort key, id). Amounts are pence, dates ISO text ('' = none). */
export type InvestmentPosition = [number | string, number];

type ListQuery = FilterQuery & {
  sort: SortKey;
  order: 'asc' | 'desc';
  after?: InvestmentPosition | undefined;
  limit: number;
};

type ListedRow = Awaited<ReturnType<typeof listInvestments>>[number];

/** The cursor position of a listed row under its sort. */
export const positionOf = (row: ListedRow, sort: SortKey): InvestmentPosition => [
  sort === 'amount' ? Number(row.sortValue) : String(row.sortValue),
  row.p.id,
];

/** One page of participants; `rows` holds up to limit + 1 (the extra one says there is more). */
export async function investmentPage(db: Db, q: ListQuery) {
  if (q.after && typeof q.after[0] !== (q.sort === 'amount' ? 'number' : 'string')) {
    throw new ApiError(
      'bad_request',
      `The cursor does not belong to sort=${q.sort}. Start again without it.`,
      [{ location: 'query.cursor', message: `Not a cursor of sort=${q.sort}` }],
    );
  }
  const f = await resolveFilters(db, q);
  const [rows, total, source] = await Promise.all([
    listInvestments(db, f, { sort: q.sort, order: q.order, after: q.after, limit: q.limit }),
    // The list never splits rows, so its count is the full (or primary) participant count.
    totalsCanAnswer(f, undefined)
      ? summariseFromTotals(
          db,
          { ...f, overlap: f.overlap === 'primary' ? 'primary' : 'full' },
          undefined,
        ).then((r) => Number(r.total.participants))
      : countInvestments(db, f),
    investmentSource(db),
  ]);
  return { filters: f, source, rows, total };
}

/** Every matching participant, in batches, for a CSV/XLSX export (not one page). */
export async function investmentExport(db: Db, q: Omit<ListQuery, 'after' | 'limit'>) {
  const f = await resolveFilters(db, q);
  const source = await investmentSource(db);
  async function* batches() {
    let after: InvestmentPosition | undefined;
    for (;;) {
      const rows = await listInvestments(db, f, { sort: q.sort, order: q.order, after, limit: EXPORT_BATCH });
      const batch = rows.slice(0, EXPORT_BATCH);
      yield batch;
      const last = batch.at(-1);
      if (rows.length <= EXPORT_BATCH || !last) return;
      after = positionOf(last, q.sort);
    }
  }
  // Asked before any row is read: an XLSX over its cap is refused without building anything.
  const count = () => countInvestments(db, f);
  return { filters: f, source, batches: batches(), count };
}

/** Group types whose keys are area codes (labelled with the area's name). */
const AREA_GROUP_TYPE: Partial<Record<GroupBy, AreaType>> = {
  lep: 'lep',
  lad: 'lad',
  region: 'region',
  pcon: 'pcon',
  pcon2024: 'pcon2024',
};

export interface SummaryGroup {
  key: string | null;
  label: string | null;
  grantPence: string;
  participants: string;
  projects: number;
  organisations: number;
}

/** Totals under the filters and rules, and grouped by one dimension with a label per group. */
export async function investmentSummary(db: Db, q: FilterQuery & { groupBy?: GroupBy | undefined }) {
  const f = await resolveFilters(db, q);
  const fromTotals = totalsCanAnswer(f, q.groupBy);
  const areaType = q.groupBy ? AREA_GROUP_TYPE[q.groupBy] : undefined;
  const [result, source, outside] = await Promise.all([
    fromTotals ? summariseFromTotals(db, f, q.groupBy) : summariseInvestments(db, f, q.groupBy),
    investmentSource(db),
    areaType ? summariseOutside(db, f, areaType as Parameters<typeof summariseOutside>[2]) : null,
  ]);
  const names = areaType
    ? await areaNames(
        db,
        areaType,
        (result.groups ?? []).flatMap((g) => (g.key ? [g.key] : [])),
      )
    : new Map<string, string>();
  const label = (key: string | null): string | null => {
    if (key === null) return null;
    if (q.groupBy === 'orgType') return ORG_TYPE_LABELS[key as OrgType] ?? key;
    if (areaType) return names.get(key) ?? null;
    return key || '(not stated)';
  };
  const toGroup = (g: SummaryRow): SummaryGroup => ({
    // "Not stated" is stored as '' (and year 0) so it can be grouped; it is served as null.
    key: (q.groupBy === 'year' && g.key === '0') || g.key === '' ? null : g.key,
    label: label(g.key),
    grantPence: g.grantPence,
    participants: g.participants,
    projects: g.projects,
    organisations: g.organisations,
  });
  const total = toGroup(
    result.total ?? { key: null, grantPence: '0', participants: '0', projects: 0, organisations: 0 },
  );
  const groups = (result.groups ?? []).map(toGroup);
  return { filters: f, source, fromTotals, total, groups, reconciliation: reconcile(total, groups, outside) };
}

/**
 * How an area grouping's rows add up to the total: participants in no area of the type are in no
 * row (`outside`), and under overlap=full a participant in two LEPs is in two rows. So
 * rows + outside − countedTwice = total, with `outside` read from the participants and
 * `countedTwice` what is left.
 */
function reconcile(
  total: SummaryGroup,
  groups: readonly SummaryGroup[],
  outside: { grantPence: string; participants: string } | null,
) {
  if (!outside) return null;
  const sum = (pick: (g: SummaryGroup) => string) => groups.reduce((s, g) => s + Number(pick(g)), 0);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    outsideGrantPence: Number(outside.grantPence),
    outsideParticipants: Number(outside.participants),
    countedTwiceGrantPence: Math.round(
      sum((g) => g.grantPence) + Number(outside.grantPence) - Number(total.grantPence),
    ),
    countedTwiceParticipants: round(
      sum((g) => g.participants) + Number(outside.participants) - Number(total.participants),
    ),
  };
}

const byGrantDesc = (a: { grantPence: string }, b: { grantPence: string }) =>
  Number(b.grantPence) - Number(a.grantPence);

/**
 * Everything an area's investment report shows (JSON and PDF): one read of the area's precomputed
 * totals, England's for context, and its precomputed top organisations (iuk_area_top_organisations). Amounts are pence as exact text.
 */
export async function areaInvestments(db: Db, code: string, overlap: OverlapPolicy) {
  const area = await investmentAreaOr404(db, code);
  const isEngland = area.code === ENGLAND_CODE;
  const f: InvestmentFilters = { area: { type: area.type as AreaType, code: area.code }, overlap };
  const [rows, england, top, source] = await Promise.all([
    readAreaTotals(db, area, ['all', 'year', 'sector', 'orgType'], overlap),
    isEngland ? Promise.resolve([]) : readAreaTotals(db, { type: 'country', code: ENGLAND_CODE }, ['all']),
    topOrganisations(db, area, overlap),
    investmentSource(db),
  ]);
  const of = (dim: string) => rows.filter((r) => r.dim === dim);
  const total = of('all')[0];
  const eng = england[0];
  const totalGrant = Number(total?.grantPence ?? 0);
  return {
    area: { code: area.code, name: area.name, type: area.type as AreaType },
    filters: f,
    source,
    totals: {
      grantPence: total?.grantPence ?? '0',
      participants: Number(total?.participants ?? 0),
      leadParticipants: Number(total?.leadParticipants ?? 0),
      projects: total?.projects ?? 0,
      organisations: total?.organisations ?? 0,
      shareOfEngland:
        eng && Number(eng.grantPence) ? totalGrant / Number(eng.grantPence) : isEngland ? 1 : null,
    },
    england: eng
      ? { grantPence: Number(eng.grantPence), participants: Number(eng.participants), projects: eng.projects }
      : null,
    byYear: of('year')
      .map((r) => ({
        year: r.key === '0' ? null : Number(r.key),
        grantPence: r.grantPence,
        participants: Number(r.participants),
        projects: r.projects,
      }))
      .sort((a, b) => (a.year ?? 0) - (b.year ?? 0)),
    topSectors: of('sector')
      .sort(byGrantDesc)
      .slice(0, 10)
      .map((r) => ({
        sector: r.key || '(not stated)',
        grantPence: r.grantPence,
        participants: Number(r.participants),
        projects: r.projects,
        share: totalGrant ? Number(r.grantPence) / totalGrant : 0,
      })),
    byOrgType: of('orgType')
      .sort(byGrantDesc)
      .map((r) => ({
        orgType: r.key as OrgType,
        label: ORG_TYPE_LABELS[r.key as OrgType] ?? r.key,
        grantPence: r.grantPence,
        participants: Number(r.participants),
      })),
    topOrganisations: top.map((o) => ({
      id: o.id,
      name: o.name,
      orgType: o.orgType,
      grantPence: o.grantPence,
      projects: o.projects,
    })),
  };
}

export type AreaInvestments = Awaited<ReturnType<typeof areaInvestments>>;
