import { describe, expect, it } from 'vitest';
import { boundedShare } from '../../src/domain/suppressed-shares.ts';

describe('boundedShare', () => {
  const parts = [
    { key: 'a', value: null, ceiling: 1000 },
    { key: 'b', value: 3000, ceiling: null },
    { key: 'c', value: 6000, ceiling: null },
  ];

  it('bounds a published part’s share with the suppressed part at 0 and at its ceiling; value = midpoint', () => {
    const s = boundedShare('b', parts, 100);
    // at 0: 3000 / 9000; at 1000: 3000 / 10000.
    expect(s?.upper).toBeCloseTo(100 / 3, 12);
    expect(s?.lower).toBeCloseTo(30, 12);
    expect(s?.value).toBeCloseTo((100 / 3 + 30) / 2, 12);
    expect(s?.suppressed).toEqual([{ key: 'a', ceiling: 1000 }]);
  });

  it('gives the suppressed part itself bounds from 0 to its ceiling’s share, and no value', () => {
    const s = boundedShare('a', parts, 100);
    expect(s).toEqual({ value: null, lower: 0, upper: 10, suppressed: [{ key: 'a', ceiling: 1000 }] });
  });

  it('adds every ceiling for the lower bound when several parts are suppressed', () => {
    const s = boundedShare('c', [...parts, { key: 'd', value: null, ceiling: 2000 }], 1);
    expect(s?.upper).toBeCloseTo(6000 / 9000, 12);
    expect(s?.lower).toBeCloseTo(6000 / 12000, 12);
  });

  it('declines when nothing is suppressed, a ceiling is unknown, or the whole is 0', () => {
    expect(boundedShare('b', [{ key: 'b', value: 1, ceiling: null }], 100)).toBeNull();
    expect(
      boundedShare(
        'b',
        [
          { key: 'a', value: null, ceiling: null },
          { key: 'b', value: 1, ceiling: null },
        ],
        100,
      ),
    ).toBeNull();
    expect(
      boundedShare(
        'b',
        [
          { key: 'a', value: null, ceiling: 5 },
          { key: 'b', value: 0, ceiling: null },
        ],
        100,
      ),
    ).toBeNull();
    expect(() => boundedShare('z', parts, 100)).toThrow();
  });
});
