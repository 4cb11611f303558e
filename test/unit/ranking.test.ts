import { describe, expect, it } from 'vitest';
import {
  changeSincePrevious,
  describe as describeStats,
  median,
  populationSd,
  rankValues,
} from '../../src/domain/ranking.ts';

const sample = [
  { areaCode: 'A', value: 10 },
  { areaCode: 'B', value: 20 },
  { areaCode: 'C', value: 20 },
  { areaCode: 'D', value: 5 },
  { areaCode: 'E', value: null },
  { areaCode: 'F', value: 30, suppressed: true },
];

describe('rankValues', () => {
  it('ranks higher-is-better with competition ties (1, 1, 3, 4) and percentiles of others beaten or equalled', () => {
    const r = rankValues(sample, 'higher_is_better');
    const by = Object.fromEntries(r.values.map((v) => [v.areaCode, v]));
    expect([by.B?.rank, by.C?.rank, by.A?.rank, by.D?.rank]).toEqual([1, 1, 3, 4]);
    expect(by.B?.percentile).toBe(100);
    expect(by.C?.percentile).toBe(100);
    expect(by.A?.percentile).toBeCloseTo(100 / 3, 10);
    expect(by.D?.percentile).toBe(0);
    expect(r.n).toBe(4);
    expect(r.missing).toBe(2);
  });

  it('reverses the order for lower-is-better', () => {
    const r = rankValues(sample, 'lower_is_better');
    const by = Object.fromEntries(r.values.map((v) => [v.areaCode, v]));
    expect([by.D?.rank, by.A?.rank, by.B?.rank, by.C?.rank]).toEqual([1, 2, 3, 3]);
    expect(by.D?.percentile).toBe(100);
    expect(by.A?.percentile).toBeCloseTo(200 / 3, 10);
    expect(by.B?.percentile).toBeCloseTo(100 / 3, 10);
  });

  it('gives 1, 2, 2, 4 for a tie in second place', () => {
    const r = rankValues(
      [9, 7, 7, 5].map((value, i) => ({ areaCode: `X${i}`, value })),
      'higher_is_better',
    );
    expect(r.values.map((v) => v.rank)).toEqual([1, 2, 2, 4]);
  });

  it('computes mean, median and population-sd z-scores on valid values only', () => {
    const r = rankValues(sample, 'higher_is_better');
    expect(r.stats?.mean).toBe(13.75);
    expect(r.stats?.median).toBe(15);
    // Σ(x − 13.75)² = 168.75; ÷ n = 42.1875.
    expect(r.stats?.sd).toBeCloseTo(Math.sqrt(42.1875), 12);
    const a = r.values.find((v) => v.areaCode === 'A');
    expect(a?.z).toBeCloseTo(-3.75 / Math.sqrt(42.1875), 12);
    // z is not flipped for polarity.
    const low = rankValues(sample, 'lower_is_better').values.find((v) => v.areaCode === 'A');
    expect(low?.z).toBeCloseTo(a?.z as number, 12);
  });

  it('returns missing and suppressed values with null rank, percentile and z', () => {
    const r = rankValues(sample, 'higher_is_better');
    const e = r.values.find((v) => v.areaCode === 'E');
    const f = r.values.find((v) => v.areaCode === 'F');
    expect(e).toEqual({
      areaCode: 'E',
      value: null,
      suppressed: false,
      rank: null,
      percentile: null,
      z: null,
    });
    expect(f).toEqual({
      areaCode: 'F',
      value: null,
      suppressed: true,
      rank: null,
      percentile: null,
      z: null,
    });
  });

  it('handles one value, all-equal values and no values', () => {
    const one = rankValues([{ areaCode: 'A', value: 3 }], 'higher_is_better');
    expect(one.values[0]).toMatchObject({ rank: 1, percentile: 100, z: 0 });
    const flat = rankValues(
      [1, 2, 3].map((i) => ({ areaCode: `A${i}`, value: 4 })),
      'lower_is_better',
    );
    expect(flat.values.map((v) => [v.rank, v.percentile, v.z])).toEqual([
      [1, 100, 0],
      [1, 100, 0],
      [1, 100, 0],
    ]);
    const none = rankValues([{ areaCode: 'A', value: null }], 'neutral');
    expect(none.stats).toBeNull();
    expect(none.n).toBe(0);
  });

  it('ranks neutral indicators highest first', () => {
    const r = rankValues(
      [
        { areaCode: 'A', value: 1 },
        { areaCode: 'B', value: 2 },
      ],
      'neutral',
    );
    expect(r.values.map((v) => v.rank)).toEqual([2, 1]);
  });

  it('ignores non-finite numbers', () => {
    const r = rankValues(
      [
        { areaCode: 'A', value: Number.NaN },
        { areaCode: 'B', value: 2 },
      ],
      'higher_is_better',
    );
    expect(r.n).toBe(1);
    expect(r.values[0]?.rank).toBeNull();
  });
});

describe('summary helpers', () => {
  it('median of odd and even counts, population sd', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(populationSd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(describeStats([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({
      n: 8,
      mean: 5,
      median: 4.5,
      sd: 2,
      min: 2,
      max: 9,
    });
  });
});

describe('changeSincePrevious', () => {
  const series = [
    { year: 2014, value: 100 },
    { year: 2015, value: null },
    { year: 2016, value: 999, suppressed: true },
    { year: 2017, value: 110 },
  ];
  it('compares with the latest earlier year that has a valid value', () => {
    expect(changeSincePrevious(series, 2017)).toEqual({
      year: 2017,
      value: 110,
      previousYear: 2014,
      previousValue: 100,
      absolute: 10,
      percent: 10,
    });
  });
  it('is null without a current or previous value', () => {
    expect(changeSincePrevious(series, 2014)).toBeNull();
    expect(changeSincePrevious(series, 2016)).toBeNull();
    expect(changeSincePrevious(series, 2020)).toBeNull();
  });
  it('has no percent from zero and uses |previous| for negative values', () => {
    expect(
      changeSincePrevious(
        [
          { year: 1, value: 0 },
          { year: 2, value: 5 },
        ],
        2,
      )?.percent,
    ).toBeNull();
    const neg = changeSincePrevious(
      [
        { year: 1, value: -2 },
        { year: 2, value: -1 },
      ],
      2,
    );
    expect(neg).toMatchObject({ absolute: 1, percent: 50 });
  });
  it('does not depend on input order', () => {
    expect(changeSincePrevious([...series].reverse(), 2017)?.previousYear).toBe(2014);
  });
});
