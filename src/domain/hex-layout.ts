/**
 * A hex-cartogram layout for areas that have no published one (the 38 LEPs), in the Open
 * Innovations HexJSON convention: pointy-topped hexes, "odd-r" offset coordinates (odd rows shoved
 * half a hex right), r growing northwards, q eastwards.
 *
 * Method (METHODS.md "Maps"): project each area's centroid, and for each of a fixed ladder of grid
 * spacings assign areas to grid cells by the Hungarian algorithm so that the total squared
 * displacement is minimal; then improve that assignment by single moves and pairwise swaps that
 * lower displacement + a penalty per pair of geographic neighbours left non-adjacent. The spacing
 * whose result keeps the most neighbour pairs adjacent wins (ties: less displacement, then the
 * smaller index in the ladder). Every step is deterministic: same input, same layout.
 */

export const HEX_LAYOUT = 'odd-r';

export interface HexSite {
  code: string;
  /** Projected position: x east, y north, in any consistent unit (e.g. degrees × cos(lat₀)). */
  x: number;
  y: number;
}

export interface HexCell {
  q: number;
  r: number;
}

/** Row pitch of pointy-topped hexes one unit wide: rows are √3/2 apart. */
const ROW = Math.sqrt(3) / 2;

const isOdd = (r: number) => Math.abs(r) % 2 === 1;

/** Centre of cell (q, r) for hexes one unit wide, y north. */
export function hexCentre({ q, r }: HexCell): [number, number] {
  return [q + (isOdd(r) ? 0.5 : 0), r * ROW];
}

/** The six cells touching (q, r) in an odd-r layout. */
export function hexNeighbours({ q, r }: HexCell): HexCell[] {
  const d = isOdd(r) ? 0 : -1;
  return [
    { q: q - 1, r },
    { q: q + 1, r },
    { q: q + d, r: r - 1 },
    { q: q + d + 1, r: r - 1 },
    { q: q + d, r: r + 1 },
    { q: q + d + 1, r: r + 1 },
  ];
}

export const areHexNeighbours = (a: HexCell, b: HexCell) =>
  hexNeighbours(a).some((n) => n.q === b.q && n.r === b.r);

/**
 * Minimum-cost assignment of every row to a distinct column (rows ≤ columns): the Hungarian
 * algorithm with potentials (Kuhn–Munkres, O(n²m)). Returns the column chosen for each row.
 */
export function hungarian(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  const m = cost[0]?.length ?? 0;
  if (n === 0) return [];
  if (n > m) throw new Error(`hungarian: ${n} rows but only ${m} columns`);
  // 1-based arrays as in the textbook formulation; column 0 is the virtual start.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row assigned to column j (0 = none)
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Infinity;
      let j1 = 0;
      const row = cost[i0 - 1] as readonly number[];
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = (row[j - 1] as number) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j] as number] = (u[p[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if ((p[j] as number) > 0) out[(p[j] as number) - 1] = j - 1;
  return out;
}

export interface HexLayoutOptions {
  /** Penalty, in squared hex widths, for each pair of geographic neighbours left non-adjacent. */
  adjacencyPenalty?: number;
  /** Spacings tried, as factors of the base spacing (one hex per area of the sites' bounding box). */
  spacingFactors?: readonly number[];
  /** One fixed spacing (projected units per hex width) instead of the ladder. */
  spacing?: number;
}

export interface HexLayout {
  layout: typeof HEX_LAYOUT;
  hexes: Map<string, HexCell>;
  /** Geographic neighbour pairs that are hex neighbours, and how many pairs there are. */
  neighboursKept: number;
  neighbourPairs: number;
  /** Mean distance from an area's scaled centroid to its hex centre, in hex widths. */
  meanDisplacement: number;
  /** Grid spacing chosen, in the sites' projected units per hex width. */
  spacing: number;
}

const DEFAULT_FACTORS = [0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2, 1.3] as const;

/**
 * Lay `sites` out on a hex grid, keeping as many of the geographic `neighbours` pairs (by code)
 * adjacent as the method can. Codes in `neighbours` that are not sites are ignored.
 */
export function layoutHexes(
  sites: readonly HexSite[],
  neighbours: readonly (readonly [string, string])[],
  opts: HexLayoutOptions = {},
): HexLayout {
  const penalty = opts.adjacencyPenalty ?? 2;
  const n = sites.length;
  if (n === 0) {
    return {
      layout: HEX_LAYOUT,
      hexes: new Map(),
      neighboursKept: 0,
      neighbourPairs: 0,
      meanDisplacement: 0,
      spacing: 1,
    };
  }
  const seen = new Set<string>();
  for (const s of sites) {
    if (seen.has(s.code)) throw new Error(`layoutHexes: duplicate site ${s.code}`);
    seen.add(s.code);
  }
  const index = new Map(sites.map((s, i) => [s.code, i]));
  const adj: number[][] = sites.map(() => []);
  const pairs: [number, number][] = [];
  const pairKeys = new Set<string>();
  for (const [a, b] of neighbours) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) continue;
    const key = i < j ? `${i}|${j}` : `${j}|${i}`;
    if (pairKeys.has(key)) continue;
    pairKeys.add(key);
    pairs.push([Math.min(i, j), Math.max(i, j)]);
    (adj[i] as number[]).push(j);
    (adj[j] as number[]).push(i);
  }

  const minX = Math.min(...sites.map((s) => s.x));
  const minY = Math.min(...sites.map((s) => s.y));
  const maxX = Math.max(...sites.map((s) => s.x));
  const maxY = Math.max(...sites.map((s) => s.y));
  // One hex (area √3/2 w²) per site's share of the bounding box.
  const base = Math.sqrt(Math.max((maxX - minX) * (maxY - minY), 1e-12) / n / ROW) || 1;

  let best: (HexLayout & { score: [number, number] }) | undefined;
  const spacings = opts.spacing
    ? [opts.spacing]
    : (opts.spacingFactors ?? DEFAULT_FACTORS).map((f) => base * f);
  for (const spacing of spacings) {
    // Cell (0, 0) is centred on the projection's origin, so the grid does not move with the data.
    const pts = sites.map((s) => [s.x / spacing, s.y / spacing] as [number, number]);
    const cells = candidateCells(pts);
    const d2 = pts.map(([x, y]) =>
      cells.map((c) => {
        const [cx, cy] = hexCentre(c);
        return (x - cx) ** 2 + (y - cy) ** 2;
      }),
    );
    const assigned = hungarian(d2);
    improve(assigned, d2, cells, adj, penalty);
    const kept = pairs.filter(([i, j]) =>
      areHexNeighbours(cells[assigned[i] as number] as HexCell, cells[assigned[j] as number] as HexCell),
    ).length;
    const meanDisplacement =
      assigned.reduce((s, c, i) => s + Math.sqrt((d2[i] as number[])[c] as number), 0) / n;
    const score: [number, number] = [kept, -meanDisplacement];
    if (
      !best ||
      score[0] > best.score[0] ||
      (score[0] === best.score[0] && score[1] > best.score[1] + 1e-12)
    ) {
      best = {
        layout: HEX_LAYOUT,
        hexes: new Map(sites.map((s, i) => [s.code, cells[assigned[i] as number] as HexCell])),
        neighboursKept: kept,
        neighbourPairs: pairs.length,
        meanDisplacement,
        spacing,
        score,
      };
    }
  }
  const { score: _score, ...layout } = best as HexLayout & { score: [number, number] };
  layout.hexes = normaliseOrigin(layout.hexes);
  return layout;
}

/** Every cell whose centre lies within two hex widths of the points' bounding box. */
function candidateCells(pts: readonly [number, number][]): HexCell[] {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const cells: HexCell[] = [];
  const r0 = Math.floor(Math.min(...ys) / ROW) - 2;
  const r1 = Math.ceil(Math.max(...ys) / ROW) + 2;
  const q0 = Math.floor(Math.min(...xs)) - 2;
  const q1 = Math.ceil(Math.max(...xs)) + 2;
  for (let r = r0; r <= r1; r++) for (let q = q0; q <= q1; q++) cells.push({ q, r });
  return cells;
}

/**
 * Local search from the Hungarian assignment: repeatedly apply the best single move (to a free
 * cell) or swap that lowers displacement² + penalty × broken neighbour pairs, in a fixed order,
 * until none helps. Mutates `assigned`.
 */
function improve(
  assigned: number[],
  d2: readonly (readonly number[])[],
  cells: readonly HexCell[],
  adj: readonly (readonly number[])[],
  penalty: number,
) {
  if (penalty <= 0) return;
  const key = (c: HexCell) => `${c.q},${c.r}`;
  const cellIndex = new Map(cells.map((c, i) => [key(c), i]));
  const neighbourCells = cells.map((c) =>
    hexNeighbours(c).flatMap((nb) => {
      const i = cellIndex.get(key(nb));
      return i === undefined ? [] : [i];
    }),
  );
  const isNb = (a: number, b: number) => (neighbourCells[a] as number[]).includes(b);
  const occupant = new Map<number, number>();
  assigned.forEach((c, i) => {
    occupant.set(c, i);
  });
  /** Cost of site i sitting in cell c, given where everyone else is (others may be overridden). */
  const local = (i: number, c: number, moved?: Map<number, number>) => {
    let broken = 0;
    for (const j of adj[i] as number[]) {
      const cj = moved?.get(j) ?? (assigned[j] as number);
      if (!isNb(c, cj)) broken++;
    }
    return ((d2[i] as number[])[c] as number) + penalty * broken;
  };
  for (let pass = 0; pass < 200; pass++) {
    let bestGain = 1e-9;
    let bestMove: (() => void) | undefined;
    for (let i = 0; i < assigned.length; i++) {
      const ci = assigned[i] as number;
      const before = local(i, ci);
      for (let c = 0; c < cells.length; c++) {
        if (c === ci) continue;
        const j = occupant.get(c);
        if (j === undefined) {
          const gain = before - local(i, c);
          if (gain > bestGain) {
            bestGain = gain;
            bestMove = () => {
              occupant.delete(ci);
              occupant.set(c, i);
              assigned[i] = c;
            };
          }
        } else if (j > i) {
          const moved = new Map([
            [i, c],
            [j, ci],
          ]);
          // The pair's own link (if any) is counted from both ends in both sums, so it cancels fairly.
          const gain = before + local(j, c) - local(i, c, moved) - local(j, ci, moved);
          if (gain > bestGain) {
            bestGain = gain;
            bestMove = () => {
              occupant.set(c, i);
              occupant.set(ci, j);
              assigned[i] = c;
              assigned[j] = ci;
            };
          }
        }
      }
    }
    if (!bestMove) return;
    bestMove();
  }
}

/** Shift so the smallest q is 0 and the smallest r is 0 or 1 (r moves by an even step, keeping row parity). */
function normaliseOrigin(hexes: Map<string, HexCell>): Map<string, HexCell> {
  const cells = [...hexes.values()];
  const minQ = Math.min(...cells.map((c) => c.q));
  const minR = Math.min(...cells.map((c) => c.r));
  const dr = minR - (Math.abs(minR) % 2);
  return new Map([...hexes].map(([code, c]) => [code, { q: c.q - minQ, r: c.r - dr }]));
}
