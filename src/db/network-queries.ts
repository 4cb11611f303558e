import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { iukNetworkBridges, iukNetworkEdges, iukNetworkNodes, iukOrganisations } from './schema.ts';

/** Named queries behind the collaboration network (GET /v1/network, /v1/leps/{code}/collaborations). */

export interface NetworkFilter {
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  sector?: string | undefined;
}

export interface EdgeRow {
  a: string;
  b: string;
  projects: number;
  grantPence: number;
  organisations: number;
}

export interface NodeRow {
  code: string;
  projects: number;
  participants: number;
  grantPence: number;
  organisations: number;
  collaborativeProjects: number;
}

export interface BridgeRow {
  /** The partner area the organisation links this area to. */
  partner: string;
  /** Which end of the link the organisation's participants sit at: this area, or the partner. */
  side: 'area' | 'partner';
  orgId: string;
  name: string | null;
  projects: number;
  leadProjects: number;
  grantPence: number;
}

/** Whether the precomputed all-years, all-sectors rows answer the filter. */
const unfiltered = (f: NetworkFilter) => f.yearFrom === undefined && f.yearTo === undefined && !f.sector;

function cellWhere(table: { year: unknown; sector: unknown }, f: NetworkFilter): SQL {
  const conds: SQL[] = [];
  if (f.yearFrom !== undefined) conds.push(sql`${table.year} >= ${f.yearFrom}`);
  if (f.yearTo !== undefined) conds.push(sql`${table.year} <= ${f.yearTo}`);
  if (f.sector) conds.push(sql`${table.sector} = ${f.sector}`);
  return conds.length ? sql.join(conds, sql` and `) : sql`true`;
}

const rowsOf = (r: unknown) =>
  ((r as { rows?: unknown[] }).rows ?? (r as unknown[])) as Record<string, unknown>[];

/**
 * Every link of a level under the filter (self-links included), optionally only those touching
 * one area. Filtered requests add up the year × sector cells; organisations are counted distinct.
 */
export async function getNetworkEdges(
  db: Db,
  level: string,
  f: NetworkFilter,
  touching?: string,
): Promise<EdgeRow[]> {
  const e = iukNetworkEdges;
  const around = touching ? sql`and (${e.areaA} = ${touching} or ${e.areaB} = ${touching})` : sql``;
  const query = unfiltered(f)
    ? sql`select ${e.areaA} as a, ${e.areaB} as b, ${e.projects} as projects, ${e.grantPence}::text as grant,
             ${e.organisations} as organisations
        from ${e} where ${e.level} = ${level} and ${e.scope} = 'all' ${around}`
    : sql`with c as (select * from ${e} where ${e.level} = ${level} and ${e.scope} = 'cell' ${around} and ${cellWhere(e, f)})
        select t.a, t.b, t.projects, t.grant, coalesce(o.n, 0) as organisations
          from (select area_a as a, area_b as b, sum(projects)::int as projects, sum(grant_pence)::text as grant from c group by 1, 2) t
          left join (select area_a as a, area_b as b, count(distinct x)::int as n from c cross join lateral unnest(org_ids) x group by 1, 2) o
            on o.a = t.a and o.b = t.b`;
  return rowsOf(await db.execute(query)).map((r) => ({
    a: String(r.a),
    b: String(r.b),
    projects: Number(r.projects),
    grantPence: Number(r.grant),
    organisations: Number(r.organisations),
  }));
}

/** Every node of a level (or one area's) under the filter. */
export async function getNetworkNodes(
  db: Db,
  level: string,
  f: NetworkFilter,
  only?: string,
): Promise<NodeRow[]> {
  const n = iukNetworkNodes;
  const one = only ? sql`and ${n.areaCode} = ${only}` : sql``;
  const query = unfiltered(f)
    ? sql`select ${n.areaCode} as code, ${n.projects} as projects, ${n.participants} as participants,
             ${n.grantPence}::text as grant, ${n.organisations} as organisations, ${n.collaborativeProjects} as collaborative
        from ${n} where ${n.level} = ${level} and ${n.scope} = 'all' ${one}`
    : sql`with c as (select * from ${n} where ${n.level} = ${level} and ${n.scope} = 'cell' ${one} and ${cellWhere(n, f)})
        select t.code, t.projects, t.participants, t.grant, t.collaborative, coalesce(o.n, 0) as organisations
          from (select area_code as code, sum(projects)::int as projects, sum(participants)::int as participants,
                       sum(grant_pence)::text as grant, sum(collaborative_projects)::int as collaborative from c group by 1) t
          left join (select area_code as code, count(distinct x)::int as n from c cross join lateral unnest(org_ids) x group by 1) o
            on o.code = t.code`;
  return rowsOf(await db.execute(query)).map((r) => ({
    code: String(r.code),
    projects: Number(r.projects),
    participants: Number(r.participants),
    grantPence: Number(r.grant),
    organisations: Number(r.organisations),
    collaborativeProjects: Number(r.collaborative),
  }));
}

/**
 * The organisations bridging one area to each partner under the filter, from both ends of each link:
 * its own (rows of the area) and the partner's (rows whose partner is the area). At most `perPartner`
 * per partner, most linking projects first.
 */
export async function getBridges(
  db: Db,
  level: string,
  area: string,
  f: NetworkFilter,
  perPartner: number,
): Promise<BridgeRow[]> {
  const b = iukNetworkBridges;
  const o = iukOrganisations;
  const query = sql`with c as (
        select ${b.partnerCode} as partner, 'area' as side, ${b.orgId} as org_id, ${b.projects} as projects,
               ${b.leadProjects} as leads, ${b.grantPence} as gp
          from ${b} where ${b.level} = ${level} and ${b.areaCode} = ${area} and ${cellWhere(b, f)}
        union all
        select ${b.areaCode}, 'partner', ${b.orgId}, ${b.projects}, ${b.leadProjects}, ${b.grantPence}
          from ${b} where ${b.level} = ${level} and ${b.partnerCode} = ${area} and ${cellWhere(b, f)}),
      t as (select partner, side, org_id, sum(projects)::int as projects, sum(leads)::int as leads,
                   sum(gp)::text as grant,
                   row_number() over (partition by partner order by sum(projects) desc, sum(gp) desc, side, org_id) as n
              from c group by partner, side, org_id)
    select t.partner, t.side, t.org_id, org.name, t.projects, t.leads, t.grant
      from t left join ${o} org on org.id = t.org_id
     where t.n <= ${perPartner}
     order by t.partner, t.n`;
  return rowsOf(await db.execute(query)).map((r) => ({
    partner: String(r.partner),
    side: r.side === 'partner' ? 'partner' : 'area',
    orgId: String(r.org_id),
    name: (r.name as string | null) ?? null,
    projects: Number(r.projects),
    leadProjects: Number(r.leads),
    grantPence: Number(r.grant),
  }));
}
