import { describe, expect, it } from 'vitest';
import {
  type CoverageIndicator,
  type CoverageValue,
  coverageCounts,
  coverageRows,
} from '../../src/domain/coverage.ts';

const ind = (id: string, years: number[], extra: Partial<CoverageIndicator> = {}): CoverageIndicator => ({
  id,
  years,
  sourceKey: 'nesta',
  derivedFrom: null,
  aggregatable: true,
  ...extra,
});
const val = (
  indicatorId: string,
  year: number,
  areaCode: string,
  o: Partial<CoverageValue> = {},
): CoverageValue => ({
  indicatorId,
  year,
  areaCode,
  areaVintage: '2021',
  value: 1,
  suppressed: false,
  method: 'as-published',
  sourceVintage: '2017',
  ...o,
});

describe('coverageRows', () => {
  // A: footprint unchanged since 2014; B: a new 2021 footprint.
  const lepSpecs = new Map([['A', new Set(['-2014', '2014', '2017', '2020'])]]);
  const indicators = [
    ind('income', [2012, 2013, 2014, 2015, 2016]),
    ind('eci', [2014, 2015], { aggregatable: false }),
    ind('later', [2015, 2016]),
    ind('income-per-head', [2015, 2016], {
      derivedFrom: { numeratorId: 'income', denominatorId: 'population' },
    }),
  ];
  const values: CoverageValue[] = [
    // 2012: published on the 2014 vintage only (B's footprint is not on it), not rebuilt.
    val('income', 2012, 'A', { sourceVintage: '-2014' }),
    val('income', 2012, 'OLD', { areaVintage: '2014', sourceVintage: '-2014' }),
    // 2013: nobody has a value.
    // 2014: A suppressed; B published on neither.
    val('income', 2014, 'A', { value: null, suppressed: true, sourceVintage: '2014' }),
    val('income', 2014, 'OLD', { areaVintage: '2014', sourceVintage: '2014' }),
    // 2015, 2016: rebuilt for both.
    val('income', 2015, 'A', { method: 'nuts3-sum', sourceVintage: 'NUTS3' }),
    val('income', 2015, 'B', { method: 'apportioned', sourceVintage: 'NUTS3' }),
    val('income', 2016, 'A', { method: 'nuts3-sum', sourceVintage: 'NUTS3' }),
    val('eci', 2014, 'A', { sourceVintage: '2014' }),
    val('eci', 2014, 'OLD', { areaVintage: '2014', sourceVintage: '2014' }),
    val('eci', 2015, 'OLD', { areaVintage: '2014', sourceVintage: '2014' }),
    val('later', 2015, 'A', { sourceVintage: '2020' }),
    val('later', 2016, 'A', { sourceVintage: '2020' }),
    val('income-per-head', 2015, 'A', { method: 'nuts3-sum' }),
    val('income-per-head', 2015, 'B', { method: 'apportioned' }),
    val('income-per-head', 2016, 'A', { method: 'nuts3-sum' }),
  ];
  const rows = coverageRows({ indicators, values, liveLeps: ['A', 'B'], lepSpecs });
  const at = (id: string, lep: string, year: number) =>
    rows.find((r) => r.indicatorId === id && r.areaCode === lep && r.year === year);

  it('spans the source (2012–2016) for every indicator and LEP', () => {
    expect(rows).toHaveLength(4 * 2 * 5);
  });
  it('states how a value was obtained; a rate of ours is derived', () => {
    expect(at('income', 'A', 2012)).toMatchObject({ status: 'value', method: 'as-published' });
    expect(at('income', 'B', 2015)).toMatchObject({ status: 'value', method: 'apportioned' });
    expect(at('income-per-head', 'A', 2015)).toMatchObject({ status: 'value', method: 'derived' });
  });
  it('says why a year is missing', () => {
    expect(at('income', 'B', 2012)).toMatchObject({ status: 'missing', reason: 'footprint-changed' });
    expect(at('income', 'A', 2013)).toMatchObject({ status: 'missing', reason: 'source-gap' });
    expect(at('income', 'A', 2014)).toMatchObject({ status: 'missing', reason: 'suppressed' });
    expect(at('income', 'B', 2016)).toMatchObject({ status: 'missing', reason: 'not-published' });
    expect(at('eci', 'B', 2014)).toMatchObject({ status: 'missing', reason: 'not-aggregatable' });
    expect(at('eci', 'A', 2015)).toMatchObject({ status: 'missing', reason: 'not-published' });
    expect(at('later', 'A', 2012)).toMatchObject({ status: 'outside', reason: 'not-yet-published' });
    expect(at('eci', 'A', 2016)).toMatchObject({ status: 'outside', reason: 'source-ends' });
  });
  it('a derived rate inherits the reason of its missing input', () => {
    expect(at('income-per-head', 'B', 2016)).toMatchObject({ status: 'missing', reason: 'not-published' });
  });
  it('counts only the years of the indicator’s series as expected', () => {
    const a = rows.filter((r) => r.indicatorId === 'income' && r.areaCode === 'A');
    expect(coverageCounts(a)).toEqual({ withValue: 3, expected: 5, missing: 2 });
    const later = rows.filter((r) => r.indicatorId === 'later' && r.areaCode === 'B');
    expect(coverageCounts(later)).toEqual({ withValue: 0, expected: 2, missing: 2 });
  });
});
