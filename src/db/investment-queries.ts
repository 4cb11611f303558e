import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { InvestmentFilters, OverlapPolicy } from '../domain/investment-rules.ts';
import type { Db } from './client.ts';
import {
  areas,
  iukAreaTopOrganisations,
  iukOrganisations,
  iukParticipants,
  iukProjects,
  iukSectorPairs,
  iukTotals,
} from './schema.ts';

/** Named queries behind the Innovate UK investment endpoints. */

export type ParticipantRow = typeof iukParticipants.$inferSelect;
export type ProjectRow = typeof iukProjects.$inferSelect;
export type OrganisationRow = typeof iukOrganisations.$inferSelect;

export type { InvestmentFilters, OverlapPolicy } from '../domain/investment-rules.ts';
export type GroupBy = 'sector' | 'orgType' | 'year' | 'lep' | 'lad' | 'region' | 'pcon' | 'pcon2024';

const p = iukParticipants;

const AREA_COLUMN = {
  country: p.countryCode,
  region: p.regionCode,
  lad: p.ladCode,
  pcon: p.pconCode,
  pcon2024: p.pcon2024Code,
} as const;

const escapeLike = (t: string) => t.replace(/[\\%_]/g, (c) => `\\${c}`);

/** WHERE for participant-level filters; each maps onto an index of iuk_participants. */
export function participantWhere(f: InvestmentFilters): SQL | undefined {
  const conds: (SQL | undefined)[] = [];
  if (!f.includeWithdrawn) conds.push(eq(p.counted, true));
  if (f.area) {
    if (f.area.type === 'lep') {
      conds.push(
        f.overlap === 'primary'
          ? sql`${p.lepCodes}[1] = ${f.area.code}`
          : sql`${p.lepCodes} @> array[${f.area.code}]::text[]`,
      );
    } else conds.push(eq(AREA_COLUMN[f.area.type], f.area.code));
  }
  if (f.postcode) conds.push(eq(p.postcode, f.postcode));
  if (f.sector) conds.push(eq(p.sector, f.sector));
  if (f.orgType) conds.push(eq(p.orgType, f.orgType));
  if (f.orgId) conds.push(eq(p.orgId, f.orgId));
  if (f.terms?.length) {
    const likes = f.terms.map((t) => sql`${iukOrganisations.searchName} like ${`%${escapeLike(t)}%`}`);
    // = any(array(…)): the few matching organisations drive an index lookup on org_id, rather than
    // a semi-join the planner may answer by walking the amount index.
    conds.push(
      sql`${p.orgId} = any(array(select ${iukOrganisations.id} from ${iukOrganisations} where ${and(...likes)}))`,
    );
  }
  if (f.yearFrom !== undefined) conds.push(gte(p.year, f.yearFrom));
  if (f.yearTo !== undefined) conds.push(lte(p.year, f.yearTo));
  if (f.status) conds.push(sql`lower(${p.projectStatus}) = lower(${f.status})`);
  if (f.leadOnly) conds.push(eq(p.isLead, true));
  return and(...conds);
}

/** Split policy weight of a row when it is counted under a LEP. */
const splitWeight = sql`(1.0 / greatest(cardinality(${p.lepCodes}), 1))`;

export type SortKey = 'amount' | 'date';
const SORT_EXPR = {
  amount: sql`coalesce(${p.grantPence}, -1)`,
  date: sql`coalesce(${p.startDate}, '')`,
} as const;

/** One page of participant rows with project titles, keyset-paginated on (sort value, id). */
export async function listInvestments(
  db: Db,
  f: InvestmentFilters,
  opts: {
    sort: SortKey;
    order: 'asc' | 'desc';
    after?: [string | number, number] | undefined;
    limit: number;
  },
) {
  const key = SORT_EXPR[opts.sort];
  const cmp = opts.order === 'desc' ? sql`<` : sql`>`;
  const where = and(
    participantWhere(f),
    opts.after ? sql`(${key}, ${p.id}) ${cmp} (${opts.after[0]}, ${opts.after[1]})` : undefined,
  );
  const dir = opts.order === 'desc' ? sql`desc` : sql`asc`;
  return db
    .select({
      p,
      projectTitle: iukProjects.title,
      orgName: iukOrganisations.name,
      sortValue: sql<string | number>`${key}`,
    })
    .from(p)
    .leftJoin(iukProjects, eq(iukProjects.projectNumber, p.projectNumber))
    .leftJoin(iukOrganisations, eq(iukOrganisations.id, p.orgId))
    .where(where)
    .orderBy(sql`${key} ${dir}`, sql`${p.id} ${dir}`)
    .limit(opts.limit + 1);
}

export async function countInvestments(db: Db, f: InvestmentFilters): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(p).where(participantWhere(f));
  return row?.n ?? 0;
}

const GROUP_EXPR: Record<Exclude<GroupBy, 'lep'>, SQL> = {
  sector: sql`coalesce(${p.sector}, '')`,
  orgType: sql`${p.orgType}`,
  year: sql`coalesce(${p.year}, 0)::text`,
  lad: sql`${p.ladCode}`,
  region: sql`${p.regionCode}`,
  pcon: sql`${p.pconCode}`,
  pcon2024: sql`${p.pcon2024Code}`,
};

export interface SummaryRow {
  key: string | null;
  grantPence: string;
  participants: string;
  projects: number;
  organisations: number;
}

/**
 * Totals under the stated rules, grouped: £ offered, participants, distinct projects and distinct
 * organisations. With groupBy=lep (or a LEP area filter) the overlap policy decides how a
 * participant in two LEPs counts: full (in both), split (half to each), primary (first only).
 * Distinct counts are never split. Returns rows plus the ungrouped total.
 */
export async function summariseInvestments(db: Db, f: InvestmentFilters, groupBy: GroupBy | undefined) {
  const overlap = f.overlap ?? 'full';
  const where = participantWhere(f);
  const lepArea = f.area?.type === 'lep';
  // The total is split only within a LEP area; grouped by LEP, the split happens across the groups.
  const weight = overlap === 'split' && lepArea ? splitWeight : sql`1`;
  // coalesce: a filter that matches no row still has 0 participants, not null.
  const measures = sql`coalesce(sum(${p.grantPence} * ${weight}), 0)::text as grant_pence,
    coalesce(sum(${weight}), 0)::text as participants,
    count(distinct ${p.projectNumber})::int as projects,
    count(distinct ${p.orgId})::int as organisations`;
  const totalQuery = sql`select null as key, ${measures} from ${p} where ${where ?? sql`true`}`;
  let groupQuery: SQL | undefined;
  if (groupBy === 'lep') {
    const lepWeight = overlap === 'split' ? sql`(1.0 / greatest(cardinality(${p.lepCodes}), 1))` : sql`1`;
    groupQuery = sql`select l.code as key,
        coalesce(sum(${p.grantPence} * ${lepWeight}), 0)::text as grant_pence, coalesce(sum(${lepWeight}), 0)::text as participants,
        count(distinct ${p.projectNumber})::int as projects, count(distinct ${p.orgId})::int as organisations
      from ${p} cross join lateral unnest(${p.lepCodes}) with ordinality as l(code, n)
      where ${where ?? sql`true`} ${overlap === 'primary' ? sql`and l.n = 1` : sql``}
      group by l.code order by 2 desc`;
  } else if (groupBy) {
    groupQuery = sql`select ${GROUP_EXPR[groupBy]} as key, ${measures} from ${p} where ${where ?? sql`true`} group by 1 order by 2 desc`;
  }
  const [total, groups] = await Promise.all([
    db.execute(totalQuery),
    groupQuery ? db.execute(groupQuery) : Promise.resolve(null),
  ]);
  const rows = (r: unknown) =>
    ((r as { rows?: unknown[] }).rows ?? (r as unknown[])) as Record<string, unknown>[];
  const map = (r: Record<string, unknown>) => ({
    key: (r.key as string | null) ?? null,
    grantPence: String(r.grant_pence),
    participants: String(r.participants),
    projects: Number(r.projects),
    organisations: Number(r.organisations),
  });
  return { total: rows(total).map(map)[0], groups: groups ? rows(groups).map(map) : null };
}

/** A participant in no area of this type: the rows an area grouping leaves out. */
const NO_AREA: Record<'lep' | 'lad' | 'region' | 'pcon' | 'pcon2024', SQL> = {
  lep: sql`cardinality(${p.lepCodes}) = 0`,
  lad: sql`${p.ladCode} is null`,
  region: sql`${p.regionCode} is null`,
  pcon: sql`${p.pconCode} is null`,
  pcon2024: sql`${p.pcon2024Code} is null`,
};

/**
 * Grant and participants of the matching participants that are in no area of the grouping's
 * type (outside England's LEPs, in Scotland, Wales or Northern Ireland, or not placed), each
 * counted once: what an area grouping's rows leave out of the total.
 */
export async function summariseOutside(
  db: Db,
  f: InvestmentFilters,
  groupBy: keyof typeof NO_AREA,
): Promise<{ grantPence: string; participants: string }> {
  const where = participantWhere(f);
  const result = await db.execute(sql`select coalesce(sum(${p.grantPence}), 0)::text as grant_pence,
      count(*)::text as participants
    from ${p} where ${where ?? sql`true`} and ${NO_AREA[groupBy]}`);
  const [row] = ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Record<string, unknown>[];
  return { grantPence: String(row?.grant_pence ?? '0'), participants: String(row?.participants ?? '0') };
}

const TOTALS_DIM: Partial<Record<GroupBy, string>> = { sector: 'sector', orgType: 'orgType', year: 'year' };
const AREA_GROUPS: readonly GroupBy[] = ['lep', 'lad', 'region', 'pcon', 'pcon2024'];

/**
 * Whether a summary can be read from the precomputed totals: filters limited to one area, grouped
 * by year, sector or organisation type — or no area, grouped by an area type.
 */
export function totalsCanAnswer(f: InvestmentFilters, groupBy: GroupBy | undefined): boolean {
  const plain =
    !f.postcode &&
    !f.sector &&
    !f.orgType &&
    !f.orgId &&
    !f.terms?.length &&
    f.yearFrom === undefined &&
    f.yearTo === undefined &&
    !f.status &&
    !f.leadOnly &&
    !f.includeWithdrawn;
  if (!plain) return false;
  if (groupBy === undefined || TOTALS_DIM[groupBy]) return true;
  return AREA_GROUPS.includes(groupBy) && !f.area;
}

export interface TotalsRow {
  dim: string;
  /** The dimension's value ('' for dim "all"), or the area code when listing every area of a type. */
  key: string;
  grantPence: string;
  participants: string;
  leadParticipants: string;
  projects: number;
  organisations: number;
}

function totalsMeasures(policy: OverlapPolicy) {
  const t = iukTotals;
  const pick = <A, B, C>(full: A, split: B, primary: C) =>
    policy === 'split' ? split : policy === 'primary' ? primary : full;
  return {
    dim: t.dim,
    key: t.dimValue,
    grantPence: sql<string>`(${pick(t.grantPence, t.grantPenceSplit, t.grantPencePrimary)})::text`,
    participants: sql<string>`(${pick(t.participants, t.participantsSplit, t.participantsPrimary)})::text`,
    leadParticipants: sql<string>`(${pick(t.leadParticipants, t.leadParticipantsSplit, t.leadParticipantsPrimary)})::text`,
    projects: pick(t.projects, t.projects, t.projectsPrimary),
    organisations: pick(t.organisations, t.organisations, t.organisationsPrimary),
  };
}

/** One area's precomputed totals for the given dimensions, in one primary-key read. */
export async function readAreaTotals(
  db: Db,
  area: { type: string; code: string },
  dims: readonly ('all' | 'year' | 'sector' | 'orgType')[],
  policy: OverlapPolicy = 'full',
): Promise<TotalsRow[]> {
  const t = iukTotals;
  const rows = await db
    .select(totalsMeasures(policy))
    .from(t)
    .where(and(eq(t.areaType, area.type), inArray(t.dim, [...dims]), eq(t.areaCode, area.code)));
  // Under the primary policy a cell whose participants all have this LEP second is empty: leave it
  // out, as the participant-level query does.
  return rows.filter((r) => r.dim === 'all' || Number(r.participants) > 0);
}

const byGrantDesc = (a: TotalsRow, b: TotalsRow) =>
  Number(b.grantPence) - Number(a.grantPence) || a.key.localeCompare(b.key);

/** The same answer as summariseInvestments, as index reads of iuk_totals (see totalsCanAnswer). */
export async function summariseFromTotals(db: Db, f: InvestmentFilters, groupBy: GroupBy | undefined) {
  const policy = f.overlap ?? 'full';
  const area = f.area ?? { type: 'all', code: 'all' };
  const dim = groupBy ? (TOTALS_DIM[groupBy] as 'year' | 'sector' | 'orgType' | undefined) : undefined;
  const own = await readAreaTotals(db, area, dim ? ['all', dim] : ['all'], policy);
  let groups = dim ? own.filter((r) => r.dim === dim) : null;
  if (groupBy && !dim) {
    const t = iukTotals;
    groups = (
      await db
        .select({ ...totalsMeasures(policy), key: t.areaCode })
        .from(t)
        .where(and(eq(t.areaType, groupBy), eq(t.dim, 'all')))
    ).filter((r) => Number(r.participants) > 0);
  }
  const summary = (r: TotalsRow) => ({
    key: r.key as string | null,
    grantPence: r.grantPence,
    participants: r.participants,
    projects: r.projects,
    organisations: r.organisations,
  });
  const total = own.find((r) => r.dim === 'all');
  return {
    total: total
      ? { ...summary(total), key: null }
      : { key: null, grantPence: '0', participants: '0', projects: 0, organisations: 0 },
    groups: groups ? groups.sort(byGrantDesc).map(summary) : null,
  };
}

/** Names of areas by code for one type (to label summary groups). */
export async function areaNames(db: Db, type: string, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ code: areas.code, name: areas.name })
    .from(areas)
    .where(and(eq(areas.type, type), inArray(areas.code, [...codes])));
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function sectorExists(db: Db, sector: string): Promise<boolean> {
  const rows = await db
    .select({ one: sql`1` })
    .from(iukProjects)
    .where(eq(iukProjects.sector, sector))
    .limit(1);
  return rows.length > 0;
}

export async function listSectors(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ sector: iukProjects.sector })
    .from(iukProjects)
    .orderBy(asc(iukProjects.sector));
  return rows.map((r) => r.sector).filter((s): s is string => s !== null);
}

/**
 * An area's biggest organisations under an overlap policy, as the pipeline ranked them
 * (iuk_area_top_organisations): one primary-key range read. Only LEPs differ by policy.
 */
export async function topOrganisations(db: Db, area: { type: string; code: string }, policy: OverlapPolicy) {
  const t = iukAreaTopOrganisations;
  return db
    .select({
      id: t.orgId,
      name: iukOrganisations.name,
      orgType: iukOrganisations.orgType,
      grantPence: sql<string>`${t.grantPence}::text`,
      projects: t.projects,
    })
    .from(t)
    .innerJoin(iukOrganisations, eq(iukOrganisations.id, t.orgId))
    .where(
      and(
        eq(t.areaType, area.type),
        eq(t.areaCode, area.code),
        eq(t.policy, area.type === 'lep' ? policy : 'full'),
      ),
    )
    .orderBy(asc(t.rank));
}

export async function getProject(db: Db, projectNumber: string) {
  const [project] = await db
    .select()
    .from(iukProjects)
    .where(eq(iukProjects.projectNumber, projectNumber))
    .limit(1);
  if (!project) return undefined;
  const participants = await db
    .select({ p, orgName: iukOrganisations.name })
    .from(p)
    .leftJoin(iukOrganisations, eq(iukOrganisations.id, p.orgId))
    .where(eq(p.projectNumber, projectNumber))
    .orderBy(desc(p.isLead), asc(p.id));
  return { project, participants };
}

export async function searchOrganisations(
  db: Db,
  opts: {
    terms: string[];
    orgType?: string | undefined;
    after?: [number, string] | undefined;
    limit: number;
  },
) {
  const o = iukOrganisations;
  const filter = and(
    ...opts.terms.map((t) => sql`${o.searchName} like ${`%${escapeLike(t)}%`}`),
    opts.orgType ? eq(o.orgType, opts.orgType) : undefined,
  );
  const rows = await db
    .select({ o, total: sql<number>`(select count(*) from ${o} where ${filter ?? sql`true`})::int` })
    .from(o)
    .where(
      and(
        filter,
        opts.after ? sql`(${o.grantPence}, ${o.id}) < (${opts.after[0]}, ${opts.after[1]})` : undefined,
      ),
    )
    .orderBy(desc(o.grantPence), desc(o.id))
    .limit(opts.limit + 1);
  return { rows: rows.map((r) => r.o), total: rows[0]?.total };
}

/** Sort key of an organisation's participations: latest year first, an unknown year last. */
const participationYear = sql<number>`coalesce(${p.year}, -1)`;

/**
 * One organisation and one page of its participations (every one, counted or not), latest year
 * first, then by project number and row id; keyset-paginated on that triple. `total` counts them all.
 */
export async function getOrganisation(
  db: Db,
  id: string,
  page: { after?: [number, string, number] | undefined; limit: number },
) {
  const [org] = await db.select().from(iukOrganisations).where(eq(iukOrganisations.id, id)).limit(1);
  if (!org) return undefined;
  const after = page.after
    ? sql`(${participationYear} < ${page.after[0]} or (${participationYear} = ${page.after[0]}
        and (${p.projectNumber}, ${p.id}) > (${page.after[1]}, ${page.after[2]})))`
    : undefined;
  const [participations, [count]] = await Promise.all([
    db
      .select({ p, project: iukProjects })
      .from(p)
      .innerJoin(iukProjects, eq(iukProjects.projectNumber, p.projectNumber))
      .where(and(eq(p.orgId, id), after))
      .orderBy(sql`${participationYear} desc`, asc(p.projectNumber), asc(p.id))
      .limit(page.limit + 1),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(p)
      .innerJoin(iukProjects, eq(iukProjects.projectNumber, p.projectNumber))
      .where(eq(p.orgId, id)),
  ]);
  return { org, participations, total: count?.n ?? 0 };
}

export async function organisationExists(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .select({ one: sql`1` })
    .from(iukOrganisations)
    .where(eq(iukOrganisations.id, id))
    .limit(1);
  return rows.length > 0;
}

/** Sector co-occurrence counts (organisations winning in both), for relatedness. */
export async function getSectorPairs(db: Db) {
  return db.select().from(iukSectorPairs);
}
