import { describe, expect, it } from 'vitest';
import {
  associationStrength,
  binarySpecialisation,
  cooccurrence,
  cosineRelatedness,
  hachmanIndex,
  herfindahlIndex,
  hooverIndex,
  isSmallNumber,
  krugmanIndex,
  locationQuotient,
  locationQuotients,
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
