/**
 * The collaboration network of Innovate UK co-participation (METHODS.md, "Collaboration network").
 *
 * Nodes are areas (LEPs or districts). A project links areas A ≠ B when it has a counted
 * participant placed in A and another participant placed in B; a project links A to itself (the
 * within-area self-link) when it has two or more participants placed in A. A participant placed in
 * two areas at once (a district in two LEPs) never links those areas by itself: every link needs
 * two distinct participants.
 */

/** The area types the network is built for. */
export const NETWORK_LEVELS = ['lep', 'lad'] as const;
export type NetworkLevel = (typeof NETWORK_LEVELS)[number];

/** One counted participant of a project, with every area of the level it is placed in. */
export interface Participation {
  project: string;
  /** Distinguishes two rows of the same project (the participant row id). */
  participant: string | number;
  org: string;
  /** Areas of one level (e.g. its LEPs under the `full` overlap policy); empty when unplaced. */
  areas: readonly string[];
}

/** One project's contribution to one link: `a <= b`; `a === b` is the within-area self-link. */
export interface ProjectLink {
  project: string;
  a: string;
  b: string;
  /** Organisations of the participants that make the link (sorted, distinct). */
  orgs: string[];
}

/** Every link each project makes, one entry per (project, a, b). */
export function projectLinks(participations: readonly Participation[]): ProjectLink[] {
  const byProject = new Map<string, Participation[]>();
  for (const p of participations) {
    if (p.areas.length === 0) continue;
    const list = byProject.get(p.project);
    if (list) list.push(p);
    else byProject.set(p.project, [p]);
  }
  const out: ProjectLink[] = [];
  for (const [project, parts] of byProject) {
    if (parts.length < 2) continue;
    const links = new Map<string, { a: string; b: string; orgs: Set<string> }>();
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as Participation;
      for (let j = i + 1; j < parts.length; j++) {
        const q = parts[j] as Participation;
        if (p.participant === q.participant) continue;
        for (const x of p.areas) {
          for (const y of q.areas) {
            const [a, b] = x <= y ? [x, y] : [y, x];
            const key = `${a}\u0000${b}`;
            let link = links.get(key);
            if (!link) {
              link = { a, b, orgs: new Set() };
              links.set(key, link);
            }
            link.orgs.add(p.org);
            link.orgs.add(q.org);
          }
        }
      }
    }
    for (const l of links.values()) out.push({ project, a: l.a, b: l.b, orgs: [...l.orgs].sort() });
  }
  return out;
}

/** An undirected weighted edge between two distinct nodes. */
export interface WeightedEdge {
  a: string;
  b: string;
  weight: number;
}

export interface NodeMeasures {
  /** Number of distinct partners (self-links excluded). */
  degree: number;
  /** Sum of the weights of the node's edges (self-links excluded). */
  strength: number;
  /** Eigenvector centrality, the most central node = 1 (see `networkMeasures`). */
  eigenvector: number;
}

/** What `eigenvector` means, said wherever it is served. */
export const CENTRALITY_DEFINITION =
  'Eigenvector centrality of the weighted adjacency matrix (self-links excluded): the principal eigenvector of W, ' +
  'found by power iteration on W + I, scaled so the most central area = 1. Areas outside the dominant connected component score 0.';

/**
 * Degree, strength and eigenvector centrality of every node. Self-links (a === b) and edges of
 * weight ≤ 0 are ignored; nodes with no edges get 0 throughout. Power iteration runs on W + I,
 * which has the same eigenvectors as W but cannot oscillate on bipartite graphs.
 */
export function networkMeasures(
  nodes: readonly string[],
  edges: readonly WeightedEdge[],
  opts: { tolerance?: number; maxIterations?: number } = {},
): Map<string, NodeMeasures> {
  const index = new Map(nodes.map((n, i) => [n, i]));
  const adj: [number, number][][] = nodes.map(() => []);
  const partners = nodes.map(() => new Set<number>());
  const strength = nodes.map(() => 0);
  for (const e of edges) {
    if (e.a === e.b || !(e.weight > 0)) continue;
    const i = index.get(e.a);
    const j = index.get(e.b);
    if (i === undefined || j === undefined)
      throw new Error(`edge ${e.a}–${e.b} names a node not in the list`);
    adj[i]?.push([j, e.weight]);
    adj[j]?.push([i, e.weight]);
    partners[i]?.add(j);
    partners[j]?.add(i);
    strength[i] = (strength[i] ?? 0) + e.weight;
    strength[j] = (strength[j] ?? 0) + e.weight;
  }
  const tolerance = opts.tolerance ?? 1e-11;
  const maxIterations = opts.maxIterations ?? 3_000;
  // Start from strength so isolated nodes stay at 0 and the iteration begins close to the answer.
  let x = strength.map((s) => (s > 0 ? s : 0));
  const norm0 = Math.max(...x, 0);
  if (norm0 > 0) {
    x = x.map((v) => v / norm0);
    for (let it = 0; it < maxIterations; it++) {
      const next = x.map((v, i) => v + (adj[i] ?? []).reduce((sum, [j, w]) => sum + w * (x[j] ?? 0), 0));
      const max = Math.max(...next);
      const scaled = next.map((v) => v / max);
      const delta = scaled.reduce((d, v, i) => Math.max(d, Math.abs(v - (x[i] ?? 0))), 0);
      x = scaled;
      if (delta < tolerance) break;
    }
  }
  const out = new Map<string, NodeMeasures>();
  nodes.forEach((n, i) => {
    const e = x[i] ?? 0;
    out.set(n, {
      degree: partners[i]?.size ?? 0,
      strength: strength[i] ?? 0,
      // Below the iteration's precision: a smaller component decaying towards 0.
      eigenvector: e < 1e-9 ? 0 : e,
    });
  });
  return out;
}
