import { describe, expect, it } from 'vitest';
import {
  associationStrength,
  binarySpecialisation,
  competitionRanks,
  cooccurrence,
  cosineRelatedness,
  DEFAULT_ADJACENT_DENSITY,
  hachmanIndex,
  herfindahlIndex,
  hooverIndex,
  isAdjacentOpportunity,
  isSmallNumber,
  krugmanIndex,
  locationQuotient,
  locationQuotients,
  lqTrend,
  PORTFOLIO_MORE_SPECIALISED,
  portfolioMeasures,
  rcaIncidence,
  referenceFromMatrix,
  relatednessDensity,
  shannonEntropy,
} from '../../src/domain/specialisation.ts';

describe('location quotient', () => {
  it('matches the REAT locq test vector', () => {
    expect(locationQuotient(1714, 79006, 879213, 15593224)).toBeCloseTo(0.3847623, 7);
  });
  it('is null, not infinite, when a denominator is 0', () => {
    expect(locationQuotient(1, 0, 1, 1)).toBeNull();
    expect(locationQuotient(1, 1, 0, 1)).toBeNull();
  });

  const x = [
    [10, 30],
    [30, 30],
  ];
  it('builds the matrix against a reference, with counts and flags', () => {
    const ref = referenceFromMatrix(x, 'sum of areas');
    expect(ref).toEqual({ label: 'sum of areas', categoryTotals: [40, 60], total: 100 });
    const m = locationQuotients(x, ref, {
      support: [
        [3, 40],
        [5, 6],
      ],
    });
    expect(m.cells.map((r) => r.map((c) => c.lq))).toEqual([
      [0.625, 1.25],
      [1.25, expect.closeTo(5 / 6, 12)],
    ]);
    expect(m.cells[0]?.[0]).toEqual({
      value: 10,
      areaTotal: 40,
      support: 3,
      lq: 0.625,
      specialised: false,
      smallNumber: true,
    });
    expect(m.cells[1]?.[0]?.smallNumber).toBe(false);
    expect(binarySpecialisation(m)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(m.reference.label).toBe('sum of areas');
    expect(m.minSupport).toBe(5);
  });
  it('flags small numbers on the value when no support is given', () => {
    const m = locationQuotients([[4, 6]], { label: 'England', categoryTotals: [50, 50], total: 100 });
    expect(m.cells[0]?.map((c) => c.smallNumber)).toEqual([true, false]);
    expect(isSmallNumber(5)).toBe(false);
    expect(isSmallNumber(2, 3)).toBe(true);
  });
});

describe('portfolio measures', () => {
  it('Krugman, Hoover, Herfindahl, entropy and Hachman on a two-category case', () => {
    expect(krugmanIndex([10, 30], [40, 60])).toBeCloseTo(0.3, 12);
    expect(hooverIndex([10, 30], [40, 60])).toBeCloseTo(0.15, 12);
    expect(herfindahlIndex([10, 30])).toBeCloseTo(0.625, 12);
    expect(shannonEntropy([10, 30])).toBeCloseTo(0.5 + 0.75 * Math.log2(4 / 3), 12);
    // Σ LQ·p = 0.625·0.25 + 1.25·0.75 = 1.09375.
    expect(hachmanIndex([10, 30], [40, 60])).toBeCloseTo(1 / 1.09375, 12);
  });
  it('hits the bounds', () => {
    expect(krugmanIndex([5, 0], [0, 5])).toBe(2);
    expect(krugmanIndex([1, 3], [2, 6])).toBe(0);
    expect(shannonEntropy([1, 1, 1, 1])).toBe(2);
    expect(shannonEntropy([7, 0, 0])).toBe(0);
    expect(herfindahlIndex([1, 1, 1, 1])).toBe(0.25);
    expect(hachmanIndex([1, 3], [2, 6])).toBeCloseTo(1, 12);
  });
  it('Hachman is undefined when the reference lacks a category the area has, or the area is empty', () => {
    expect(hachmanIndex([1, 1], [1, 0])).toBeNull();
    expect(hachmanIndex([0, 0], [1, 1])).toBeNull();
  });
});

describe('relatedness', () => {
  const B = [
    [1, 1, 0],
    [1, 1, 1],
    [0, 1, 1],
    [1, 0, 0],
  ];
  const C = cooccurrence(B);
  it('C = BᵀB with a zero diagonal', () => {
    expect(C).toEqual([
      [0, 2, 1],
      [2, 0, 2],
      [1, 2, 0],
    ]);
  });
  it('association strength φ = C·T / (S_i S_j) with S = [3, 4, 3], T = 10', () => {
    const phi = associationStrength(C);
    expect(phi[0]?.[1]).toBeCloseTo(20 / 12, 12);
    expect(phi[0]?.[2]).toBeCloseTo(10 / 9, 12);
    expect(phi[1]?.[2]).toBeCloseTo(20 / 12, 12);
    expect(phi[1]?.[0]).toBe(phi[0]?.[1]);
    expect([phi[0]?.[0], phi[1]?.[1], phi[2]?.[2]]).toEqual([0, 0, 0]);
  });
  it('cosine C / √(S_i S_j)', () => {
    const cos = cosineRelatedness(C);
    expect(cos[0]?.[1]).toBeCloseTo(2 / Math.sqrt(12), 12);
    expect(cos[0]?.[2]).toBeCloseTo(1 / 3, 12);
  });
  it('relatedness density is the share of a category’s relatedness held by the area’s specialisations', () => {
    const phi = associationStrength(C);
    const rd = relatednessDensity([[1, 0, 0]], phi);
    expect(rd[0]?.[0]).toBe(0);
    expect(rd[0]?.[1]).toBeCloseTo(50, 10);
    // φ02 / (φ02 + φ12) = (10/9) / (10/9 + 20/12) = 0.4.
    expect(rd[0]?.[2]).toBeCloseTo(40, 10);
  });
  it('categories with no co-occurrence get 0 relatedness and null density', () => {
    const Cz = cooccurrence([
      [1, 0],
      [0, 1],
    ]);
    expect(associationStrength(Cz)).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(cosineRelatedness(Cz)).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(relatednessDensity([[1, 1]], associationStrength(Cz))).toEqual([[null, null]]);
  });
});

describe('METHODS.md worked example (checked by hand)', () => {
  const B = [
    [1, 1, 0],
    [1, 1, 0],
    [0, 1, 1],
    [1, 0, 1],
  ];
  const C = cooccurrence(B);
  const phi = associationStrength(C);
  it('C, φ and cosine', () => {
    expect(C).toEqual([
      [0, 2, 1],
      [2, 0, 1],
      [1, 1, 0],
    ]);
    // S = [3, 3, 2], T = 8: φ01 = 2·8/9, φ02 = φ12 = 1·8/6.
    const expected = [
      [0, 1.7778, 1.3333],
      [1.7778, 0, 1.3333],
      [1.3333, 1.3333, 0],
    ];
    expected.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(phi[i]?.[j]).toBeCloseTo(v, 4);
      });
    });
    const cos = cosineRelatedness(C);
    const expectedCos = [
      [0, 0.6667, 0.4082],
      [0.6667, 0, 0.4082],
      [0.4082, 0.4082, 0],
    ];
    expectedCos.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(cos[i]?.[j]).toBeCloseTo(v, 4);
      });
    });
  });
  it('relatedness density of two areas', () => {
    const rd = relatednessDensity(
      [
        [1, 0, 0],
        [0, 1, 1],
      ],
      phi,
    );
    const expected = [
      [0, 57.1429, 50],
      [100, 42.8571, 50],
    ];
    expected.forEach((row, r) => {
      row.forEach((v, i) => {
        expect(rd[r]?.[i]).toBeCloseTo(v, 4);
      });
    });
  });
  it('adjacent opportunity: high density where not specialised, threshold stated', () => {
    expect(DEFAULT_ADJACENT_DENSITY).toBe(50);
    // Area 1 (M = [1,0,0]): sector 1 has RD 57.1 and is not specialised → adjacent; sector 0 is held.
    expect(isAdjacentOpportunity(false, 57.1429)).toBe(true);
    expect(isAdjacentOpportunity(true, 100)).toBe(false);
    expect(isAdjacentOpportunity(false, 42.8571)).toBe(false);
    expect(isAdjacentOpportunity(false, 42.8571, 40)).toBe(true);
    expect(isAdjacentOpportunity(false, null, 0)).toBe(false);
  });
});

describe('portfolio measures on three categories (by hand)', () => {
  // p = [0.2, 0.3, 0.5], reference q = [0.5, 0.3, 0.2], LQ = [0.4, 1, 2.5].
  const m = portfolioMeasures([2, 3, 5], [50, 30, 20]);
  it('Krugman 0.6, Hoover 0.3, Herfindahl 0.38, entropy 1.485475 bits, Hachman 1/1.63', () => {
    expect(m.krugman).toBeCloseTo(0.6, 12);
    expect(m.hoover).toBeCloseTo(0.3, 12);
    expect(m.herfindahl).toBeCloseTo(0.38, 12);
    expect(m.entropy).toBeCloseTo(1.485475, 6);
    expect(m.hachman).toBeCloseTo(0.613497, 6);
  });
  it('ranks put the most specialised first in each measure’s direction', () => {
    expect(PORTFOLIO_MORE_SPECIALISED.entropy).toBe('low');
    expect(competitionRanks([0.6, 0.2, null, 0.6, 0.1], 'high')).toEqual([1, 3, null, 1, 4]);
    expect(competitionRanks([0.6, 0.2, null, 0.6, 0.1], 'low')).toEqual([3, 2, null, 3, 1]);
  });
});

describe('LQ over time', () => {
  it('first, last, change and the OLS slope over the years with an LQ', () => {
    const t = lqTrend([
      { year: 2021, lq: 1.5 },
      { year: 2018, lq: 1.0 },
      { year: 2019, lq: 1.2 },
      { year: 2020, lq: null },
    ]);
    // Years 2018, 2019, 2021: Σ(dx·dy) = 0.76667, Σdx² = 4.66667 → slope 23/140.
    expect(t).toMatchObject({ firstYear: 2018, lastYear: 2021, first: 1, last: 1.5, years: 3 });
    expect(t?.change).toBeCloseTo(0.5, 12);
    expect(t?.slope).toBeCloseTo(23 / 140, 12);
  });
  it('one point has no slope; none has no trend', () => {
    expect(lqTrend([{ year: 2020, lq: 2 }])).toMatchObject({ change: 0, slope: null, years: 1 });
    expect(lqTrend([{ year: 2020, lq: null }])).toBeNull();
  });
});

describe('co-location incidence', () => {
  it('B = 1 where an item’s LQ against the matrix’s own totals exceeds 1', () => {
    // LQ = [[0.625, 1.25], [1.25, 0.833]].
    expect(
      rcaIncidence([
        [10, 30],
        [30, 30],
      ]),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
});
