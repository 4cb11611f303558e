/**
 * Planar geometry on WGS84 lon/lat polygons, as RFC 7946 wants them served: positions rounded to a
 * stated number of decimals, rings closed, exterior rings counter-clockwise and holes clockwise
 * (the right-hand rule). Pure; used by the pipeline to normalise boundaries once per dataset.
 */

export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: PolygonCoords;
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: PolygonCoords[];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/**
 * Decimals kept in served coordinates: 5 dp is about 1.1 m of longitude at UK latitudes, far finer
 * than the 500 m generalisation of the BUC boundaries, so rounding loses nothing that is there.
 */
export const COORDINATE_DECIMALS = 5;

const roundTo = (v: number, dp: number) => {
  const f = 10 ** dp;
  // + 0 turns -0 into 0, so a rounded coordinate never prints as "-0".
  return Math.round(v * f) / f + 0;
};

/** Twice the signed planar area of a closed ring: positive when counter-clockwise (lon east, lat north). */
export function ringArea2(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s;
}

export const polygonsOf = (g: AreaGeometry): PolygonCoords[] =>
  g.type === 'Polygon' ? [g.coordinates] : g.coordinates;

export interface NormalisedGeometry {
  geometry: AreaGeometry | null;
  /** What had to change or be dropped, in words (for the load report). */
  issues: string[];
  positions: number;
}

/**
 * Round every position to `dp` decimals, drop repeated positions that rounding creates, close each
 * ring, drop rings left with fewer than four positions (or no area), and wind exteriors
 * counter-clockwise and holes clockwise. Out-of-range positions are reported and the geometry
 * rejected (null) because no rounding can make them right.
 */
export function normaliseGeometry(g: AreaGeometry, dp = COORDINATE_DECIMALS): NormalisedGeometry {
  const issues: string[] = [];
  let positions = 0;
  const polygons: PolygonCoords[] = [];
  for (const [pi, poly] of polygonsOf(g).entries()) {
    const rings: Ring[] = [];
    for (const [ri, ring] of poly.entries()) {
      const out: Ring = [];
      for (const p of ring) {
        const [x, y] = p;
        if (!Number.isFinite(x) || !Number.isFinite(y) || x < -180 || x > 180 || y < -90 || y > 90) {
          return {
            geometry: null,
            issues: [`position ${JSON.stringify(p)} is not a lon/lat pair`],
            positions,
          };
        }
        const q: Position = [roundTo(x, dp), roundTo(y, dp)];
        const last = out.at(-1);
        if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
      }
      const first = out[0];
      const last = out.at(-1);
      if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
      const area = ringArea2(out);
      if (out.length < 4 || area === 0) {
        if (ri === 0) {
          issues.push(`polygon ${pi + 1}: exterior ring collapsed when rounded; polygon dropped`);
          break;
        }
        issues.push(`polygon ${pi + 1}, ring ${ri + 1}: hole collapsed when rounded; dropped`);
        continue;
      }
      const wantCcw = ri === 0;
      if (area > 0 !== wantCcw) out.reverse();
      positions += out.length;
      rings.push(out);
    }
    if (rings.length) polygons.push(rings);
  }
  if (polygons.length === 0) return { geometry: null, issues: [...issues, 'no polygon left'], positions };
  const geometry: AreaGeometry =
    polygons.length === 1
      ? { type: 'Polygon', coordinates: polygons[0] as PolygonCoords }
      : { type: 'MultiPolygon', coordinates: polygons };
  return { geometry, issues, positions };
}

/** [west, south, east, north] of every position. */
export function bboxOf(g: AreaGeometry): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygonsOf(g)) {
    for (const [x, y] of poly[0] ?? []) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  }
  return b;
}

/**
 * Area-weighted centroid of the polygons (holes subtracted), with longitude scaled by cos(latitude)
 * so east–west and north–south distances count alike at UK latitudes. It may fall outside a
 * concave area; it is a position for layouts and labels, not a point-in-area guarantee.
 */
export function centroidOf(g: AreaGeometry): Position {
  const [, south, , north] = bboxOf(g);
  const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i] as Position;
        const [x1, y1] = ring[i + 1] as Position;
        const cross = x0 * k * y1 - x1 * k * y0;
        a += cross;
        cx += (x0 * k + x1 * k) * cross;
        cy += (y0 + y1) * cross;
      }
    }
  }
  if (a === 0) {
    const first = polygonsOf(g)[0]?.[0]?.[0];
    return first ? [first[0], first[1]] : [0, 0];
  }
  return [cx / (3 * a) / k, cy / (3 * a)];
}
