import { describe, expect, it } from 'vitest';
import { bboxOf, centroidOf, normaliseGeometry, ringArea2 } from '../../src/domain/geometry.ts';

const cwSquare: [number, number][] = [
  [0, 0],
  [0, 1],
  [1, 1],
  [1, 0],
  [0, 0],
];

describe('normaliseGeometry', () => {
  it('winds exterior rings counter-clockwise and holes clockwise (RFC 7946 right-hand rule)', () => {
    const hole: [number, number][] = [
      [0.25, 0.25],
      [0.75, 0.25],
      [0.75, 0.75],
      [0.25, 0.75],
      [0.25, 0.25],
    ]; // counter-clockwise: must be reversed
    const out = normaliseGeometry({ type: 'Polygon', coordinates: [cwSquare, hole] });
    const [ext, inner] = (out.geometry?.coordinates ?? []) as [number, number][][];
    expect(ringArea2(ext ?? [])).toBeGreaterThan(0);
    expect(ringArea2(inner ?? [])).toBeLessThan(0);
    expect(out.issues).toEqual([]);
  });

  it('rounds to 5 decimals, drops repeats that rounding creates, and closes rings', () => {
    const out = normaliseGeometry({
      type: 'Polygon',
      coordinates: [
        [
          [-1.123456789, 52.000001],
          [-1.123456, 52.000004],
          [-1, 52],
          [-1, 53],
        ],
      ],
    });
    expect(out.geometry?.coordinates).toEqual([
      [
        [-1.12346, 52],
        [-1, 52],
        [-1, 53],
        [-1.12346, 52],
      ],
    ]);
  });

  it('drops a polygon that collapses, and reports it', () => {
    const out = normaliseGeometry({
      type: 'MultiPolygon',
      coordinates: [
        [cwSquare],
        [
          [
            [5, 5],
            [5.000001, 5],
            [5, 5.000001],
            [5, 5],
          ],
        ],
      ],
    });
    expect(out.geometry?.type).toBe('Polygon');
    expect(out.issues).toEqual(['polygon 2: exterior ring collapsed when rounded; polygon dropped']);
  });

  it('rejects positions that are not lon/lat (e.g. British National Grid metres)', () => {
    const out = normaliseGeometry({
      type: 'Polygon',
      coordinates: [
        [
          [397407, 292505],
          [397500, 292505],
          [397500, 292600],
          [397407, 292505],
        ],
      ],
    });
    expect(out.geometry).toBeNull();
    expect(out.issues[0]).toMatch(/not a lon\/lat pair/);
  });
});

describe('bbox and centroid', () => {
  it('of a unit square', () => {
    expect(bboxOf({ type: 'Polygon', coordinates: [cwSquare] })).toEqual([0, 0, 1, 1]);
    const [x, y] = centroidOf({ type: 'Polygon', coordinates: [cwSquare] });
    expect(x).toBeCloseTo(0.5, 12);
    expect(y).toBeCloseTo(0.5, 12);
  });

  it('weights parts by area: a 2×1 and a 1×1 square', () => {
    const big: [number, number][] = [
      [0, 0],
      [2, 0],
      [2, 1],
      [0, 1],
      [0, 0],
    ];
    const small: [number, number][] = [
      [10, 0],
      [11, 0],
      [11, 1],
      [10, 1],
      [10, 0],
    ];
    // Near the equator cos(lat) ≈ 1: x = (2 × 1 + 1 × 10.5) / 3.
    const [x] = centroidOf({ type: 'MultiPolygon', coordinates: [[big], [small]] });
    expect(x).toBeCloseTo((2 * 1 + 1 * 10.5) / 3, 6);
  });
});
