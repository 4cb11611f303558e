import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  chooseTransform,
  computeScoreboard,
  dirichletOnes,
  monteCarloRanks,
  normalise,
  percentileOf,
  performanceGroup,
  ranksOf,
  type ScoreboardIndicatorInput,
  seededRandom,
  skewness,
} from '../../src/domain/scoreboard.ts';

describe('RIS normalisation', () => {
  // Ten 0s, nine 2s and one 50: mean 3.4, population sd √115.24 = 10.735, so mean + 3 sd = 35.6 and
  // 50 is left out when finding the bounds: min 0, max 2.
  const history = [...Array(10).fill(0), ...Array(9).fill(2), 50];

  it('excludes values beyond mean ± 3 sd from min and max, then caps', () => {
    const b = boundsOf(history, 'none');
    expect(b).toEqual({ transform: 'none', min: 0, max: 2, outliersExcluded: 1 });
    expect(normalise(50, b, 'higher_is_better')).toBe(1);
    expect(normalise(1, b, 'higher_is_better')).toBe(0.5);
    expect(normalise(-3, b, 'higher_is_better')).toBe(0);
    expect(normalise(0, b, 'lower_is_better')).toBe(1);
    expect(normalise(1.5, b, 'lower_is_better')).toBe(0.25);
  });

  it('takes the square root of skewed indicators (skewness > 1)', () => {
    // [1,2,3,10]: mean 4, m2 = 12.5, m3 = 45, g1 = 45 / 12.5^1.5 = 1.018234, G1 = √12 / 2 · g1 = 1.763633.
    expect(skewness([1, 2, 3, 10])).toBeCloseTo(1.763633, 5);
    expect(chooseTransform([1, 2, 3, 10])).toBe('sqrt');
    expect(chooseTransform([1, 2, 3, 4])).toBe('none');
    expect(chooseTransform([-10, 2, 3, 40])).toBe('none'); // negative values: no square root
    const b = boundsOf([0, 4, 16], 'sqrt');
    expect([b.min, b.max]).toEqual([0, 4]);
    expect(normalise(4, b, 'higher_is_better')).toBe(0.5);
  });

  it('performance groups at the RIS thresholds', () => {
    expect(performanceGroup(125.01)).toBe('leader');
    expect(performanceGroup(125)).toBe('strong');
    expect(performanceGroup(100)).toBe('strong');
    expect(performanceGroup(99.99)).toBe('moderate');
    expect(performanceGroup(70)).toBe('moderate');
    expect(performanceGroup(69.99)).toBe('emerging');
  });
});

describe('composite index (worked by hand)', () => {
  // Indicator 1 (higher is better): A 10, B 0, C 5 over bounds 0..10 → 1, 0, 0.5; England 5 → 0.5.
  // Indicator 2 (lower is better): A 2, B 4, C missing over bounds 0..4 → 0.5, 0, –; England 2 → 0.5.
  // Composites A 0.75, B 0, C 0.5; England 0.5 → index 150 (leader), 0 (emerging), 100 (strong).
  const inputs = [
    {
      id: 'one',
      polarity: 'higher_is_better' as const,
      history: [0, 5, 10],
      values: [10, 0, 5],
      reference: 5,
    },
    {
      id: 'two',
      polarity: 'lower_is_better' as const,
      history: [0, 2, 4],
      values: [2, 4, null],
      reference: 2,
    },
  ];
  const mc = { draws: 200, seed: 7, dropProbability: 0.1 };

  it('unweighted mean of the available indicators, relative to England = 100', () => {
    const s = computeScoreboard(inputs, 3, { ...mc, minCoverage: 0.5 });
    expect(s.reference.composite).toBe(0.5);
    expect(s.areas.map((a) => a.composite)).toEqual([0.75, 0, 0.5]);
    expect(s.areas.map((a) => a.index)).toEqual([150, 0, 100]);
    expect(s.areas.map((a) => a.group)).toEqual(['leader', 'emerging', 'strong']);
    expect(s.areas.map((a) => a.rank)).toEqual([1, 3, 2]);
    expect(s.areas.map((a) => a.available)).toEqual([2, 2, 1]);
  });

  it('an area below the minimum coverage gets no index', () => {
    const s = computeScoreboard(inputs, 3, { ...mc, minCoverage: 1 });
    expect(s.areas[2]).toMatchObject({
      composite: null,
      index: null,
      group: null,
      rank: null,
      monteCarlo: null,
    });
    expect(s.areas.map((a) => a.rank)).toEqual([1, 2, null]);
  });

  it('a missing England value is imputed by the median area and flagged', () => {
    const s = computeScoreboard([{ ...(inputs[0] as ScoreboardIndicatorInput), reference: null }], 3, {
      ...mc,
      minCoverage: 1,
    });
    expect(s.indicators[0]).toMatchObject({ referenceImputed: true, referenceNormalised: 0.5 });
  });
});

describe('Monte Carlo rank intervals', () => {
  it('are reproducible under a seed and bracket the median', () => {
    const m = [
      [0.9, 0.2, 0.5],
      [0.5, 0.5, 0.5],
      [0.2, 0.9, 0.4],
      [0.1, 0.1, 0.1],
    ];
    const opts = { draws: 500, seed: 42, dropProbability: 0.1 };
    const a = monteCarloRanks(m, [0.5, 0.5, 0.5], [true, true, true, true], opts);
    const b = monteCarloRanks(m, [0.5, 0.5, 0.5], [true, true, true, true], opts);
    expect(a).toEqual(b);
    expect(a).not.toEqual(
      monteCarloRanks(m, [0.5, 0.5, 0.5], [true, true, true, true], { ...opts, seed: 43 }),
    );
    expect(a).toHaveLength(m.length);
    for (const r of a) {
      expect(r).not.toBeNull();
      expect(r?.p5).toBeLessThanOrEqual(r?.median as number);
      expect(r?.median).toBeLessThanOrEqual(r?.p95 as number);
    }
    // The last area is worst on every indicator: last in every draw.
    expect(a[3]).toMatchObject({ median: 4, p5: 4, p95: 4 });
    // The first and third trade places depending on the weights: a wide interval.
    expect((a[0]?.p95 as number) - (a[0]?.p5 as number)).toBeGreaterThan(0);
  });

  it('Dirichlet(1,…,1) weights are positive and sum to 1; ranks and percentiles', () => {
    const r = seededRandom(1);
    for (let i = 0; i < 50; i++) {
      const w = dirichletOnes(5, r);
      expect(w).toHaveLength(5);
      expect(w.filter((x) => !(x > 0))).toEqual([]);
      expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    }
    expect(ranksOf([3, null, 5, 3])).toEqual([2, null, 1, 2]);
    expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)).toBe(1);
    expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});
