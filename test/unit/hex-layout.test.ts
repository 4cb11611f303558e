import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  areHexNeighbours,
  type HexCell,
  hexCentre,
  hexNeighbours,
  hungarian,
  layoutHexes,
} from '../../src/domain/hex-layout.ts';
import { DATA_DIR } from '../db/harness.ts';

const ROW = Math.sqrt(3) / 2;

/** Independent check of the assignment: try every injective map of rows to columns. */
function bruteForce(cost: number[][]): number {
  const m = cost[0]?.length ?? 0;
  let best = Infinity;
  const go = (row: number, used: Set<number>, sum: number) => {
    if (row === cost.length) {
      best = Math.min(best, sum);
      return;
    }
    for (let j = 0; j < m; j++) {
      if (used.has(j)) continue;
      used.add(j);
      go(row + 1, used, sum + (cost[row]?.[j] ?? 0));
      used.delete(j);
    }
  };
  go(0, new Set(), 0);
  return best;
}

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('hungarian', () => {
  it('beats the greedy choice on a hand-worked 2×2 case', () => {
    // Greedy takes row 0 → col 0 (1) and leaves row 1 → col 1 (10): 11. The optimum is 2 + 1 = 3.
    expect(
      hungarian([
        [1, 2],
        [1, 10],
      ]),
    ).toEqual([1, 0]);
  });

  it('assigns fewer rows than columns (hand-worked 2×3)', () => {
    // (0→1, 1→0) costs 1 + 1 = 2; every other pairing costs at least 7.
    expect(
      hungarian([
        [5, 1, 9],
        [1, 2, 9],
      ]),
    ).toEqual([1, 0]);
  });

  it('finds the brute-force optimum on random rectangular matrices', () => {
    const rand = prng(7);
    for (let t = 0; t < 40; t++) {
      const n = 1 + Math.floor(rand() * 5);
      const m = n + Math.floor(rand() * 3);
      const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => Math.floor(rand() * 20)));
      const cols = hungarian(cost);
      expect(new Set(cols).size).toBe(n);
      const total = cols.reduce((s, c, i) => s + (cost[i]?.[c] ?? Infinity), 0);
      expect(total).toBe(bruteForce(cost));
    }
  });

  it('refuses more rows than columns', () => {
    expect(() => hungarian([[1], [2]])).toThrow(/rows/);
  });
});

describe('odd-r hex geometry', () => {
  it('shoves odd rows half a hex right, rows √3/2 apart', () => {
    expect(hexCentre({ q: 0, r: 0 })).toEqual([0, 0]);
    expect(hexCentre({ q: 0, r: 1 })[0]).toBe(0.5);
    expect(hexCentre({ q: 2, r: -1 })[0]).toBe(2.5);
    expect(hexCentre({ q: 0, r: 2 })[1]).toBeCloseTo(2 * ROW, 12);
  });

  it('has six neighbours, each exactly one hex width away', () => {
    for (const c of [
      { q: 0, r: 0 },
      { q: 3, r: 1 },
      { q: -2, r: -3 },
    ]) {
      const [x, y] = hexCentre(c);
      const nbs = hexNeighbours(c);
      expect(nbs).toHaveLength(6);
      for (const nb of nbs) {
        const [nx, ny] = hexCentre(nb);
        expect(Math.hypot(nx - x, ny - y)).toBeCloseTo(1, 12);
        expect(areHexNeighbours(nb, c)).toBe(true);
      }
    }
    expect(areHexNeighbours({ q: 0, r: 0 }, { q: 1, r: 1 })).toBe(false);
    expect(areHexNeighbours({ q: 0, r: 1 }, { q: 1, r: 0 })).toBe(true);
  });
});

describe('layoutHexes', () => {
  it('keeps sites that already sit on hex centres where they are', () => {
    const sites = [
      { code: 'A', x: 0, y: 0 },
      { code: 'B', x: 1, y: 0 },
      { code: 'C', x: 0.5, y: ROW },
    ];
    const out = layoutHexes(sites, [['A', 'B']], { spacing: 1 });
    expect(Object.fromEntries(out.hexes)).toEqual({
      A: { q: 0, r: 0 },
      B: { q: 1, r: 0 },
      C: { q: 0, r: 1 },
    });
    expect(out.meanDisplacement).toBeCloseTo(0, 12);
    expect([out.neighboursKept, out.neighbourPairs]).toEqual([1, 1]);
  });

  it('sends the site that loses least to the next cell (hand-worked)', () => {
    // A (0.1, 0) and B (0.2, 0) both want cell (0,0). Options: A→(0,0) 0.01 + B→(1,0) 0.64 = 0.65;
    // B→(0,0) 0.04 + A→(1,0) 0.81 = 0.85; A→(0,0) + B→(0,1) (centre 0.5, 0.866) 0.01 + 0.84 = 0.85.
    const out = layoutHexes(
      [
        { code: 'A', x: 0.1, y: 0 },
        { code: 'B', x: 0.2, y: 0 },
      ],
      [],
      { spacing: 1, adjacencyPenalty: 0 },
    );
    expect(Object.fromEntries(out.hexes)).toEqual({ A: { q: 0, r: 0 }, B: { q: 1, r: 0 } });
  });

  it('rejects duplicate codes', () => {
    expect(() =>
      layoutHexes(
        [
          { code: 'A', x: 0, y: 0 },
          { code: 'A', x: 1, y: 0 },
        ],
        [],
      ),
    ).toThrow(/duplicate/);
  });
});

/**
 * The real 2021 LEP boundaries (in the sample and the full data alike). Adjacency is computed here
 * independently of the product: two LEPs are neighbours when their outlines share at least two
 * vertices (rounded to 4 dp), which is how the generalised ONS boundaries meet.
 */
describe('the 38 LEPs of 2021', () => {
  type Geo = { type: string; coordinates: unknown };
  const file = join(DATA_DIR, 'geo_boundaries', 'Local_Enterprise_Partnerships_May_2021_EN_BUC.geojson');
  const fc = JSON.parse(readFileSync(file, 'utf8')) as {
    features: { properties: { LEP21CD: string }; geometry: Geo }[];
  };
  const rings = (g: Geo) =>
    (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as [number, number][][][];
  const vertices = fc.features.map(
    (f) =>
      new Set(rings(f.geometry).flatMap((p) => p.flat().map(([x, y]) => `${x.toFixed(4)},${y.toFixed(4)}`))),
  );
  const pairs: [string, string][] = [];
  for (let i = 0; i < fc.features.length; i++) {
    for (let j = i + 1; j < fc.features.length; j++) {
      let shared = 0;
      for (const v of vertices[i] ?? []) if (vertices[j]?.has(v)) shared++;
      if (shared >= 2)
        pairs.push([fc.features[i]?.properties.LEP21CD ?? '', fc.features[j]?.properties.LEP21CD ?? '']);
    }
  }
  // Plain mean of the outline's vertices, projected with cos(53°): a different centroid from the product's.
  const sites = fc.features.map((f) => {
    const pts = rings(f.geometry).flatMap((p) => p[0] ?? []);
    const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    return { code: f.properties.LEP21CD, x: lon * Math.cos((53 * Math.PI) / 180), y: lat };
  });

  it('gives 38 distinct cells and keeps at least 70% of neighbouring LEPs adjacent', () => {
    expect(sites).toHaveLength(38);
    expect(pairs.length).toBeGreaterThan(80);
    const out = layoutHexes(sites, pairs);
    const cells = [...out.hexes.values()];
    expect(cells).toHaveLength(38);
    expect(new Set(cells.map((c) => `${c.q},${c.r}`)).size).toBe(38);
    const kept = pairs.filter(([a, b]) =>
      areHexNeighbours(out.hexes.get(a) as HexCell, out.hexes.get(b) as HexCell),
    );
    expect(kept.length).toBe(out.neighboursKept);
    expect(kept.length / pairs.length).toBeGreaterThanOrEqual(0.7);
  });

  it('is deterministic', () => {
    const a = layoutHexes(sites, pairs);
    const b = layoutHexes([...sites].reverse().reverse(), [...pairs]);
    expect(Object.fromEntries(b.hexes)).toEqual(Object.fromEntries(a.hexes));
  });

  it('keeps the layout recognisable: Cornwall south-west of Greater Manchester, the North East north of London', () => {
    const out = layoutHexes(sites, pairs);
    const at = (code: string) => hexCentre(out.hexes.get(code) as HexCell);
    const cornwall = at('E37000005');
    const manchester = at('E37000015');
    expect(cornwall[0]).toBeLessThan(manchester[0]);
    expect(cornwall[1]).toBeLessThan(manchester[1]);
    expect(at('E37000025')[1]).toBeGreaterThan(at('E37000051')[1]);
  });
});
