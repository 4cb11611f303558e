import { describe, expect, it } from 'vitest';
import { indicatorScales, nearestNeighbours } from '../../src/domain/peers.ts';

// x: mean 1, population sd √1.5; y (A, B, C only): mean 2/3, sd √(8/9).
const areas = [
  { areaCode: 'A', values: { x: 0, y: 0 } },
  { areaCode: 'B', values: { x: 1, y: 0 } },
  { areaCode: 'C', values: { x: 0, y: 2 } },
  { areaCode: 'D', values: { x: 3, y: null } },
];

describe('nearestNeighbours', () => {
  it('orders peers by Euclidean distance on z-scores', () => {
    const r = nearestNeighbours('A', areas, { k: 3, indicators: ['x', 'y'] });
    expect(r.peers.map((p) => p.areaCode)).toEqual(['B', 'C', 'D']);
    expect(r.peers[0]?.distance).toBeCloseTo(Math.sqrt(1 / 1.5), 12);
    expect(r.peers[1]?.distance).toBeCloseTo(Math.sqrt(4 / (8 / 9)), 12);
    expect(r.scales).toEqual([
      { indicatorId: 'x', n: 4, mean: 1, sd: Math.sqrt(1.5) },
      { indicatorId: 'y', n: 3, mean: 2 / 3, sd: expect.closeTo(Math.sqrt(8 / 9), 12) },
    ]);
  });

  it('reports per-indicator contributions as shares of the squared distance', () => {
    const r = nearestNeighbours('A', areas, { k: 2, indicators: ['x', 'y'] });
    const b = r.peers[0];
    expect(b?.indicatorsUsed).toBe(2);
    expect(b?.contributions.map((c) => [c.indicatorId, c.share])).toEqual([
      ['x', 1],
      ['y', 0],
    ]);
    expect(b?.contributions[0]).toMatchObject({ targetValue: 0, peerValue: 1 });
    expect(b?.contributions[0]?.squaredDiff).toBeCloseTo(1 / 1.5, 12);
  });

  it('uses only shared indicators and rescales the distance to the full set', () => {
    const r = nearestNeighbours('A', areas, { k: 3, indicators: ['x', 'y'] });
    const d = r.peers.find((p) => p.areaCode === 'D');
    expect(d?.indicatorsUsed).toBe(1);
    // (0 − 3)² / 1.5 = 6 on one of two indicators → √(6 × 2 / 1).
    expect(d?.distance).toBeCloseTo(Math.sqrt(12), 12);
  });

  it('excludes candidates below the minimum overlap and says how many they shared', () => {
    const r = nearestNeighbours('A', areas, { k: 5, indicators: ['x', 'y'], minOverlap: 2 });
    expect(r.peers.map((p) => p.areaCode)).toEqual(['B', 'C']);
    expect(r.excluded).toEqual([{ areaCode: 'D', indicatorsShared: 1 }]);
  });

  it('returns at most k and breaks distance ties by code', () => {
    const tied = [
      { areaCode: 'T', values: { x: 0 } },
      { areaCode: 'Q', values: { x: 1 } },
      { areaCode: 'P', values: { x: -1 } },
    ];
    const r = nearestNeighbours('T', tied, { k: 1, indicators: ['x'] });
    expect(r.peers.map((p) => p.areaCode)).toEqual(['P']);
  });

  it('drops indicators that cannot be standardised and rejects bad requests', () => {
    const withFlat = areas.map((a) => ({ ...a, values: { ...a.values, flat: 7 } }));
    const r = nearestNeighbours('A', withFlat, { k: 1, indicators: ['x', 'flat'] });
    expect(r.unusableIndicators).toEqual([{ indicatorId: 'flat', reason: 'every area has the same value' }]);
    expect(() => nearestNeighbours('Z', areas, { k: 1, indicators: ['x'] })).toThrow(RangeError);
    expect(() => nearestNeighbours('A', areas, { k: 0, indicators: ['x'] })).toThrow(/k must/);
    expect(() => nearestNeighbours('A', areas, { k: 1, indicators: ['nothing'] })).toThrow(/standardised/);
    expect(() => nearestNeighbours('D', areas, { k: 1, indicators: ['x', 'y'], minOverlap: 2 })).toThrow(
      /has 1 of the 2/,
    );
  });

  it('indicatorScales needs two values', () => {
    expect(indicatorScales([{ areaCode: 'A', values: { x: 1 } }], ['x']).unusable).toEqual([
      { indicatorId: 'x', reason: 'only 1 area(s) have a value' },
    ]);
  });
});
