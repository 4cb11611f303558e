import { NETWORK_LEVELS, type NetworkLevel, type Participation, projectLinks } from '../../domain/network.ts';
import type { SqlRunner } from '../sql.ts';
import type { Stage } from './stage.ts';

/**
 * The collaboration network of Innovate UK co-participation, built from the placed, counted
 * participants the investments stage left in staging: links per LEP (every LEP a participant is
 * placed in: the `full` overlap policy) and per district, for all years and sectors and per
 * competition year × sector cell (see iuk_network_edges in src/db/schema.ts).
 */

interface StagedParticipant {
  id: number;
  project_number: string;
  org_id: string;
  lad_code: string | null;
  lep_codes: string[];
  grant_pence: string | null;
  is_lead: boolean;
  year: number | null;
  sector: string | null;
  project_grant: string;
}

interface Cell {
  year: number;
  sector: string;
}

const cellKey = (c: Cell) => `${c.year}\u0000${c.sector}`;

class Tally {
  projects = new Set<string>();
  orgs = new Set<string>();
  participants = 0;
  grant = 0;
  collaborative = new Set<string>();
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/** Rows for the three network tables at one level. */
export function networkRows(level: NetworkLevel, rows: readonly StagedParticipant[]) {
  const areasOf = (r: StagedParticipant): string[] =>
    level === 'lep' ? r.lep_codes : r.lad_code ? [r.lad_code] : [];
  const cellOf = new Map<string, Cell>();
  const projectGrant = new Map<string, number>();
  const participations: Participation[] = [];
  for (const r of rows) {
    cellOf.set(r.project_number, { year: r.year ?? 0, sector: r.sector ?? '' });
    projectGrant.set(r.project_number, Number(r.project_grant));
    participations.push({ project: r.project_number, participant: r.id, org: r.org_id, areas: areasOf(r) });
  }
  const links = projectLinks(participations);

  // Edges: scope "all" and per cell.
  const edgeAll = new Map<string, { a: string; b: string; t: Tally }>();
  const edgeCell = new Map<string, { a: string; b: string; cell: Cell; t: Tally }>();
  const partnersOf = new Map<string, Set<string>>(); // project|area → partner areas
  for (const l of links) {
    const cell = cellOf.get(l.project) as Cell;
    const grant = projectGrant.get(l.project) ?? 0;
    const add = (t: Tally) => {
      if (!t.projects.has(l.project)) t.grant += grant;
      t.projects.add(l.project);
      for (const o of l.orgs) t.orgs.add(o);
    };
    add(getOr(edgeAll, `${l.a}\u0000${l.b}`, () => ({ a: l.a, b: l.b, t: new Tally() })).t);
    add(
      getOr(edgeCell, `${l.a}\u0000${l.b}\u0000${cellKey(cell)}`, () => ({
        a: l.a,
        b: l.b,
        cell,
        t: new Tally(),
      })).t,
    );
    if (l.a !== l.b) {
      getOr(partnersOf, `${l.project}\u0000${l.a}`, () => new Set()).add(l.b);
      getOr(partnersOf, `${l.project}\u0000${l.b}`, () => new Set()).add(l.a);
    }
  }

  // Nodes: every area with a counted participant placed in it.
  const nodeAll = new Map<string, Tally>();
  const nodeCell = new Map<string, { area: string; cell: Cell; t: Tally }>();
  for (const r of rows) {
    const cell = cellOf.get(r.project_number) as Cell;
    for (const area of areasOf(r)) {
      const collaborative = partnersOf.has(`${r.project_number}\u0000${area}`);
      for (const t of [
        getOr(nodeAll, area, () => new Tally()),
        getOr(nodeCell, `${area}\u0000${cellKey(cell)}`, () => ({ area, cell, t: new Tally() })).t,
      ]) {
        t.projects.add(r.project_number);
        t.orgs.add(r.org_id);
        t.participants += 1;
        t.grant += Number(r.grant_pence ?? 0);
        if (collaborative) t.collaborative.add(r.project_number);
      }
    }
  }

  // Bridges: per link A–B, the organisations carrying it on A's side — a participant of theirs placed
  // in A, in a project where another, distinct participant sits in B (the edges' own rule, so a
  // participant in two LEPs does not bridge them on its own). Both orientations are kept, so B's
  // side of the same link is the rows with area B.
  const byProject = new Map<string, StagedParticipant[]>();
  for (const r of rows) getOr(byProject, r.project_number, () => []).push(r);
  const bridges = new Map<
    string,
    {
      area: string;
      partner: string;
      org: string;
      cell: Cell;
      projects: Set<string>;
      leads: Set<string>;
      grant: number;
    }
  >();
  for (const [project, parts] of byProject) {
    if (parts.length < 2) continue;
    const cell = cellOf.get(project) as Cell;
    for (const p of parts) {
      const elsewhere = new Set<string>();
      for (const q of parts) if (q.id !== p.id) for (const b of areasOf(q)) elsewhere.add(b);
      for (const area of areasOf(p)) {
        for (const partner of elsewhere) {
          if (partner === area) continue;
          const key = `${area}\u0000${partner}\u0000${p.org_id}\u0000${cellKey(cell)}`;
          const b = getOr(bridges, key, () => ({
            area,
            partner,
            org: p.org_id,
            cell,
            projects: new Set<string>(),
            leads: new Set<string>(),
            grant: 0,
          }));
          b.projects.add(project);
          if (p.is_lead) b.leads.add(project);
          b.grant += Number(p.grant_pence ?? 0);
        }
      }
    }
  }

  const sorted = (s: Set<string>) => [...s].sort();
  return {
    edges: [
      ...[...edgeAll.values()].map(({ a, b, t }) => [
        level,
        'all',
        a,
        b,
        0,
        '',
        t.projects.size,
        t.grant,
        t.orgs.size,
        [],
      ]),
      ...[...edgeCell.values()].map(({ a, b, cell, t }) => [
        level,
        'cell',
        a,
        b,
        cell.year,
        cell.sector,
        t.projects.size,
        t.grant,
        t.orgs.size,
        sorted(t.orgs),
      ]),
    ],
    nodes: [
      ...[...nodeAll].map(([area, t]) => [
        level,
        'all',
        area,
        0,
        '',
        t.projects.size,
        t.participants,
        t.grant,
        t.orgs.size,
        t.collaborative.size,
        [],
      ]),
      ...[...nodeCell.values()].map(({ area, cell, t }) => [
        level,
        'cell',
        area,
        cell.year,
        cell.sector,
        t.projects.size,
        t.participants,
        t.grant,
        t.orgs.size,
        t.collaborative.size,
        sorted(t.orgs),
      ]),
    ],
    bridges: [...bridges.values()].map((b) => [
      level,
      b.area,
      b.partner,
      b.org,
      b.cell.year,
      b.cell.sector,
      b.projects.size,
      b.leads.size,
      b.grant,
    ]),
  };
}

const EDGE_COLUMNS = [
  'level',
  'scope',
  'area_a',
  'area_b',
  'year',
  'sector',
  'projects',
  'grant_pence',
  'organisations',
  'org_ids',
] as const;
const NODE_COLUMNS = [
  'level',
  'scope',
  'area_code',
  'year',
  'sector',
  'projects',
  'participants',
  'grant_pence',
  'organisations',
  'collaborative_projects',
  'org_ids',
] as const;
const BRIDGE_COLUMNS = [
  'level',
  'area_code',
  'partner_code',
  'org_id',
  'year',
  'sector',
  'projects',
  'lead_projects',
  'grant_pence',
] as const;

async function deriveNetwork(run: SqlRunner, schema: string) {
  const s = `"${schema}"`;
  // Year and sector are the project's (from its lead row), so every project sits in one cell.
  const rows = await run.query<StagedParticipant>(`
    select p.id, p.project_number, p.org_id, p.lad_code, p.lep_codes, p.grant_pence, p.is_lead,
           pr.year, pr.sector, pr.grant_pence as project_grant
      from ${s}.iuk_participants p join ${s}.iuk_projects pr on pr.project_number = p.project_number
     where p.counted
     order by p.id`);
  for (const level of NETWORK_LEVELS) {
    const out = networkRows(level, rows);
    await run.copyRows(`${s}.iuk_network_edges`, EDGE_COLUMNS, out.edges);
    await run.copyRows(`${s}.iuk_network_nodes`, NODE_COLUMNS, out.nodes);
    await run.copyRows(`${s}.iuk_network_bridges`, BRIDGE_COLUMNS, out.bridges);
  }
}

/** Runs after the investments stage, from its staged (placed) participants. */
export const networkStage: Stage = {
  name: 'network',
  tables: ['iuk_network_edges', 'iuk_network_nodes', 'iuk_network_bridges'],
  sources: () => [],
  async prepare() {
    return { reports: [], copy: async () => {}, derive: deriveNetwork };
  },
};
