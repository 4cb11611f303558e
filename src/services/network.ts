import type { Db } from '../db/client.ts';
import { areaNames, listSectors, sectorExists } from '../db/investment-queries.ts';
import {
  type BridgeRow,
  type EdgeRow,
  getBridges,
  getNetworkEdges,
  getNetworkNodes,
  type NetworkFilter,
  type NodeRow,
} from '../db/network-queries.ts';
import { getAreasByCode } from '../db/queries.ts';
import { LEP_VINTAGE } from '../domain/geography.ts';
import { CENTRALITY_DEFINITION, type NetworkLevel, networkMeasures } from '../domain/network.ts';
import { ApiError, type IssueDetail } from '../http/problem.ts';
import { investmentSource } from './datasets.ts';

export { NETWORK_LEVELS, type NetworkLevel } from '../domain/network.ts';
export const NETWORK_MEASURES = ['projects', 'grant', 'organisations'] as const;
export type NetworkMeasure = (typeof NETWORK_MEASURES)[number];

export interface NetworkQuery extends NetworkFilter {
  level: NetworkLevel;
  measure: NetworkMeasure;
}

export const NETWORK_RULES = {
  link: 'Two areas are linked by every project with a counted participant placed in each (two distinct participants); weight = such projects, £ of those projects (each project’s whole grant offered), or distinct organisations whose participants make the link.',
  selfLink:
    'Within-area collaboration is the self-link: projects with two or more counted participants placed in the area.',
  overlap:
    'LEP level: a participant in a district shared by two LEPs is placed in both (overlap policy full) but never links them by itself.',
  counted: 'Counted participants only: withdrawn participants and withdrawn projects are excluded.',
  centrality: CENTRALITY_DEFINITION,
  degree:
    'Degree = number of partner areas; strength = sum of the chosen weight over partners (self-link excluded).',
};

const weightOf = (measure: NetworkMeasure, e: EdgeRow) =>
  measure === 'grant' ? e.grantPence : measure === 'organisations' ? e.organisations : e.projects;

/** Filters checked against the data: unknown sector, reversed years → 400 listing every issue. */
async function checkFilter(db: Db, f: NetworkFilter) {
  const errors: IssueDetail[] = [];
  if (f.yearFrom !== undefined && f.yearTo !== undefined && f.yearFrom > f.yearTo)
    errors.push({
      location: 'query.yearFrom',
      message: `yearFrom ${f.yearFrom} is after yearTo ${f.yearTo}`,
    });
  if (f.sector !== undefined && !(await sectorExists(db, f.sector)))
    errors.push({
      location: 'query.sector',
      message: `Unknown sector "${f.sector}". Known: ${(await listSectors(db)).join('; ')}`,
    });
  if (errors.length) throw new ApiError('bad_request', 'Some filters are invalid.', errors);
}

export interface NetworkNode extends NodeRow {
  name: string | null;
  withinArea: { projects: number; grantPence: number; organisations: number; share: number | null };
  collaborativeShare: number | null;
  degree: number;
  strength: number;
  eigenvector: number;
}

/** The whole network of a level: nodes with totals and measures, and every weighted link. */
export async function getNetwork(db: Db, q: NetworkQuery) {
  await checkFilter(db, q);
  const [edges, nodeRows, source] = await Promise.all([
    getNetworkEdges(db, q.level, q),
    getNetworkNodes(db, q.level, q),
    investmentSource(db),
  ]);
  const codes = nodeRows.map((n) => n.code).sort();
  const names = await areaNames(db, q.level, codes);
  const measures = networkMeasures(
    codes,
    edges.filter((e) => e.a !== e.b).map((e) => ({ a: e.a, b: e.b, weight: weightOf(q.measure, e) })),
  );
  const selfOf = new Map(edges.filter((e) => e.a === e.b).map((e) => [e.a, e]));
  const nodes: NetworkNode[] = nodeRows
    .map((n) => {
      const self = selfOf.get(n.code);
      const m = measures.get(n.code) ?? { degree: 0, strength: 0, eigenvector: 0 };
      return {
        ...n,
        name: names.get(n.code) ?? null,
        withinArea: {
          projects: self?.projects ?? 0,
          grantPence: self?.grantPence ?? 0,
          organisations: self?.organisations ?? 0,
          share: n.projects > 0 ? (self?.projects ?? 0) / n.projects : null,
        },
        collaborativeShare: n.projects > 0 ? n.collaborativeProjects / n.projects : null,
        ...m,
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  const links = edges
    .map((e) => ({
      ...e,
      weight: weightOf(q.measure, e),
      self: e.a === e.b,
      aName: names.get(e.a) ?? null,
      bName: names.get(e.b) ?? null,
    }))
    .sort((x, y) => y.weight - x.weight || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  return { nodes, edges: links, source };
}

/** A live LEP of the current geography, or a 404. */
async function liveLepOr404(db: Db, code: string) {
  const lep = (await getAreasByCode(db, code)).find((a) => a.type === 'lep' && a.status === 'live');
  if (!lep) throw new ApiError('not_found', `No ${LEP_VINTAGE} LEP has code ${code}.`);
  return lep;
}

export interface CollaborationQuery extends NetworkFilter {
  limit: number;
}

/**
 * One LEP's collaborations: partners ranked by shared projects (then £), the share of its projects
 * that involve another LEP, its within-LEP collaboration, its place in the LEP network, and per
 * partner the organisations that carry the link, from either end (its own and the partner's).
 */
export async function lepCollaborations(db: Db, code: string, q: CollaborationQuery) {
  const lep = await liveLepOr404(db, code);
  await checkFilter(db, q);
  const [edges, nodes, bridges, allEdges, source] = await Promise.all([
    getNetworkEdges(db, 'lep', q, lep.code),
    getNetworkNodes(db, 'lep', q, lep.code),
    getBridges(db, 'lep', lep.code, q, q.limit),
    getNetworkEdges(db, 'lep', q),
    investmentSource(db),
  ]);
  const node = nodes[0] ?? {
    code: lep.code,
    projects: 0,
    participants: 0,
    grantPence: 0,
    organisations: 0,
    collaborativeProjects: 0,
  };
  const partnerEdges = edges.filter((e) => e.a !== e.b);
  const self = edges.find((e) => e.a === e.b);
  const names = await areaNames(db, 'lep', [...new Set(partnerEdges.flatMap((e) => [e.a, e.b]))]);
  const bridgesOf = new Map<string, BridgeRow[]>();
  for (const b of bridges) bridgesOf.set(b.partner, [...(bridgesOf.get(b.partner) ?? []), b]);
  const byGrant = [...partnerEdges].sort((x, y) => y.grantPence - x.grantPence);
  const grantRank = new Map(byGrant.map((e, i) => [e, i + 1]));
  const partners = partnerEdges
    .sort((x, y) => y.projects - x.projects || y.grantPence - x.grantPence || x.a.localeCompare(y.a))
    .map((e, i) => {
      const other = e.a === lep.code ? e.b : e.a;
      return {
        code: other,
        name: names.get(other) ?? null,
        projects: e.projects,
        grantPence: e.grantPence,
        organisations: e.organisations,
        shareOfProjects: node.projects > 0 ? e.projects / node.projects : null,
        rankByProjects: i + 1,
        rankByGrant: grantRank.get(e) ?? 0,
        bridges: bridgesOf.get(other) ?? [],
      };
    });
  const codes = [...new Set(allEdges.flatMap((e) => [e.a, e.b]))].sort();
  if (!codes.includes(lep.code)) codes.push(lep.code);
  const measure = networkMeasures(
    codes,
    allEdges.filter((e) => e.a !== e.b).map((e) => ({ a: e.a, b: e.b, weight: e.projects })),
  ).get(lep.code) ?? { degree: 0, strength: 0, eigenvector: 0 };
  return {
    lep,
    source,
    totals: {
      projects: node.projects,
      participants: node.participants,
      grantPence: node.grantPence,
      organisations: node.organisations,
      withOtherLeps: node.collaborativeProjects,
      shareWithOtherLeps: node.projects > 0 ? node.collaborativeProjects / node.projects : null,
      withinLep: self?.projects ?? 0,
      shareWithinLep: node.projects > 0 ? (self?.projects ?? 0) / node.projects : null,
    },
    network: measure,
    partners,
  };
}
