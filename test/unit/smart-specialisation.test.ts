import { describe, expect, it } from 'vitest';
import {
  adjacentOpportunities,
  DEFAULT_SMART_CRITERIA,
  goodAt,
  growing,
} from '../../src/domain/smart-specialisation.ts';

const cell = (
  category: string,
  lq: number | null,
  extra: Partial<{ smallNumber: boolean; density: number | null }> = {},
) => ({
  category,
  lq,
  smallNumber: extra.smallNumber ?? false,
  specialised: lq !== null && lq > 1,
  density: extra.density ?? null,
  lqRank: null,
});

describe('what we are good at', () => {
  it('keeps LQ ≥ 1.25 with enough support, highest first', () => {
    expect(DEFAULT_SMART_CRITERIA.lqThreshold).toBe(1.25);
    const cells = [
      cell('a', 1.3),
      cell('b', 2.0, { smallNumber: true }),
      cell('c', 1.25),
      cell('d', 1.24),
      cell('e', null),
      cell('f', 3.1),
    ];
    expect(goodAt(cells).map((c) => c.category)).toEqual(['f', 'a', 'c']);
    expect(goodAt(cells, { ...DEFAULT_SMART_CRITERIA, lqThreshold: 1 }).map((c) => c.category)).toEqual([
      'f',
      'a',
      'c',
      'd',
    ]);
  });
});

describe('where we might lead', () => {
  const t = (
    category: string,
    lqFirst: number,
    lqLast: number,
    slope: number | null,
    years: number,
    rankFirst: number | null,
    rankLast: number | null,
    smallNumberLast = false,
  ) => ({
    category,
    lqFirst,
    lqLast,
    change: lqLast - lqFirst,
    slope,
    years,
    rankFirst,
    rankLast,
    smallNumberLast,
  });
  it('rising LQ, positive slope, rank not falling, ending near parity or above, over ≥ 3 years', () => {
    const trends = [
      t('up', 0.8, 1.4, 0.15, 5, 20, 6),
      t('small-rise', 1.0, 1.05, 0.01, 5, 10, 10),
      t('falling', 1.5, 1.2, -0.1, 5, 3, 5),
      t('up-but-rank-worse', 1.0, 1.1, 0.02, 5, 4, 7),
      t('too-few-years', 0.9, 1.5, 0.3, 2, 9, 2),
      t('still-low', 0.3, 0.6, 0.07, 5, 30, 25),
      t('slope-negative', 0.9, 1.0, -0.01, 5, 12, 11),
    ];
    expect(growing(trends).map((x) => x.category)).toEqual(['up', 'small-rise']);
  });
  it('a rise that ends on too little support (a small-number or missing last-year cell) does not count', () => {
    const trends = [
      t('supported', 0.9, 1.3, 0.1, 5, 10, 4, false),
      t('tiny-counts', 0.5, 3.2, 0.6, 5, 30, 1, true),
    ];
    expect(growing(trends).map((x) => x.category)).toEqual(['supported']);
  });
});

describe('what could get us there', () => {
  it('unspecialised categories with density ≥ 50, densest first', () => {
    const cells = [
      cell('held', 1.5, { density: 90 }),
      cell('near', 0.9, { density: 57.1 }),
      cell('nearer', 0.7, { density: 75 }),
      cell('far', 0.5, { density: 42.9 }),
      cell('unrelated', 0.5, { density: null }),
    ];
    expect(adjacentOpportunities(cells).map((c) => c.category)).toEqual(['nearer', 'near']);
    expect(
      adjacentOpportunities(cells, { ...DEFAULT_SMART_CRITERIA, densityThreshold: 40 }).map(
        (c) => c.category,
      ),
    ).toEqual(['nearer', 'near', 'far']);
  });
});
