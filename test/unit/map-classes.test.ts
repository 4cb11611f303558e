import { describe, expect, it } from 'vitest';
import {
  classOf,
  contrastRatio,
  DIVERGING_COLOURS,
  fillOf,
  jenksBreaks,
  mapClasses,
  NO_DATA_COLOUR,
  quantile7,
  quantileBreaks,
  sequentialColours,
  textColourOn,
  viridis,
} from '../../src/domain/map-classes.ts';

/** Independent Jenks: the split of sorted values into k runs with the least within-run squared deviation. */
function bestPartition(sorted: number[], k: number): number[][] {
  const ssd = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return xs.reduce((a, b) => a + (b - m) ** 2, 0);
  };
  let best: { cost: number; parts: number[][] } = { cost: Infinity, parts: [] };
  const go = (start: number, left: number, parts: number[][]) => {
    if (left === 1) {
      const all = [...parts, sorted.slice(start)];
      const cost = all.reduce((s, p) => s + ssd(p), 0);
      if (cost < best.cost) best = { cost, parts: all };
      return;
    }
    for (let end = start + 1; end <= sorted.length - left + 1; end++)
      go(end, left - 1, [...parts, sorted.slice(start, end)]);
  };
  go(0, k, []);
  return best.parts;
}

describe('quantile breaks (type 7)', () => {
  it('are hand-worked on 1..9 with four classes: 1, 3, 5, 7, 9', () => {
    // h = (n − 1)p = 8 × 0.25 = 2 → the 3rd value; 0.5 → 5th; 0.75 → 7th.
    expect(quantileBreaks([9, 1, 8, 2, 7, 3, 6, 4, 5], 4)).toEqual([1, 3, 5, 7, 9]);
  });

  it('interpolate between order statistics', () => {
    // n = 4, p = 0.5: h = 1.5 → halfway between 20 and 30.
    expect(quantile7([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantileBreaks([10, 20, 30, 40], 2)).toEqual([10, 25, 40]);
  });

  it('ignore nulls and merge empty classes', () => {
    expect(quantileBreaks([null, 5, 5, 5, 5, 9], 4)).toEqual([5, 9]);
    expect(quantileBreaks([3, 3, 3], 5)).toEqual([3, 3]);
    expect(quantileBreaks([null], 5)).toEqual([]);
  });
});

describe('Jenks breaks', () => {
  it('give the documented example: 1, 7, 20, 20 for three classes', () => {
    expect(jenksBreaks([1, 2, 4, 5, 7, 9, 10, 20], 3)).toEqual([1, 7, 20, 20]);
  });

  it('match an exhaustive search of every partition', () => {
    const values = [2.1, 2.5, 3, 8, 8.4, 9.9, 15, 15.2, 16, 31, 40];
    for (const k of [2, 3, 4]) {
      const parts = bestPartition(values, k);
      expect(parts.length).toBe(k);
      const breaks = jenksBreaks(values, k);
      expect(breaks).toEqual([...parts.map((p) => p[0]), values.at(-1)]);
      // Each value's class is the run it belongs to in the optimum.
      parts.forEach((p, i) => {
        for (const v of p) expect(classOf(v, breaks)).toBe(i);
      });
    }
  });

  it('cope with fewer distinct values than classes', () => {
    expect(jenksBreaks([4, 4, 7], 5)).toEqual([4, 7, 7]);
    expect(jenksBreaks([4, 4], 5)).toEqual([4, 4]);
  });
});

describe('classOf', () => {
  const breaks = [0, 10, 20, 30];
  it('puts a value equal to a break in the class above it, and the maximum in the last class', () => {
    expect([0, 9.99, 10, 19, 20, 30].map((v) => classOf(v, breaks))).toEqual([0, 0, 1, 1, 2, 2]);
  });
  it('gives no class outside the breaks or without a value', () => {
    expect([-1, 31, null, Number.NaN].map((v) => classOf(v, breaks))).toEqual([null, null, null, null]);
  });
});

describe('colour scales', () => {
  it('are viridis from light (low) to dark (high)', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(0.5)).toBe('#21918c');
    const five = sequentialColours(5);
    expect(five[0]).toBe('#fde725');
    expect(five[4]).toBe('#440154');
    expect(five[2]).toBe('#21918c');
  });

  it('diverge around 1 for location quotients with fixed breaks', () => {
    const c = mapClasses([0.3, 0.9, 1, 1.1, 1.6, 2.4], 'diverging');
    expect(c.scale).toBe('diverging');
    expect(c.breaks).toEqual([0, 0.5, 0.8, 1.25, 2, 2.4]);
    expect(c.colours).toEqual([...DIVERGING_COLOURS]);
    // 1 is in the neutral middle class.
    expect(fillOf(1, c)).toEqual({ cls: 2, fill: DIVERGING_COLOURS[2] });
    expect(fillOf(0.3, c).cls).toBe(0);
    expect(fillOf(2.4, c).cls).toBe(4);
  });

  it('grey out missing values', () => {
    const c = mapClasses([1, 2, 3, 4, 5], 'quantile', 5);
    expect(fillOf(null, c)).toEqual({ cls: null, fill: NO_DATA_COLOUR });
  });

  it('label text in black or white, whichever contrasts more (≥ 4.5:1 on every class colour)', () => {
    expect(textColourOn('#440154')).toBe('#ffffff');
    expect(textColourOn('#fde725')).toBe('#000000');
    for (const fill of [...sequentialColours(7), ...DIVERGING_COLOURS]) {
      expect(contrastRatio(fill, textColourOn(fill))).toBeGreaterThanOrEqual(4.5);
    }
  });
});
