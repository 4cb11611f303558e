import { describe, expect, it } from 'vitest';
import { rankValues } from '../../src/domain/ranking.ts';
import { assessStrengths, type RankedIndicator } from '../../src/domain/strengths.ts';

const ind = (
  indicatorId: string,
  polarity: RankedIndicator['polarity'],
  percentile: number,
  z: number,
  extra: Partial<RankedIndicator> = {},
): RankedIndicator => ({
  indicatorId,
  year: 2020,
  polarity,
  value: 1,
  rank: 1,
  n: 38,
  percentile,
  z,
  median: 0.5,
  ...extra,
});

describe('assessStrengths', () => {
  const profile = assessStrengths([
    ind('top-and-z', 'higher_is_better', 90, 1.5),
    ind('low-is-good', 'lower_is_better', 80, -0.5),
    ind('z-only', 'higher_is_better', 50, 1.2),
    ind('bottom', 'higher_is_better', 10, -1.3),
    ind('high-bad', 'lower_is_better', 60, 1.1),
    ind('skewed', 'higher_is_better', 80, -1.2),
    ind('size', 'neutral', 95, 2),
    ind('hidden', 'higher_is_better', 99, 3, { suppressed: true, value: null }),
    ind('tiny-cohort', 'higher_is_better', 100, 2, { n: 5 }),
    ind('no-data', 'higher_is_better', 0, 0, { value: null, rank: null, percentile: null, z: null }),
    ind('middling', 'higher_is_better', 50, 0),
  ]);

  it('classifies by quartile or |oriented z| ≥ 1, respecting polarity', () => {
    expect(profile.strengths.map((s) => [s.indicatorId, s.reasons])).toEqual([
      ['top-and-z', ['top_quartile', 'z_above']],
      ['z-only', ['z_above']],
      ['low-is-good', ['top_quartile']],
      ['skewed', ['top_quartile', 'z_below']],
    ]);
    expect(profile.weaknesses.map((s) => [s.indicatorId, s.reasons])).toEqual([
      ['bottom', ['bottom_quartile', 'z_below']],
      ['high-bad', ['z_below']],
    ]);
  });

  it('carries the evidence with an oriented z', () => {
    const w = profile.weaknesses.find((s) => s.indicatorId === 'high-bad');
    expect(w?.evidence).toEqual({
      value: 1,
      rank: 1,
      n: 38,
      percentile: 60,
      z: 1.1,
      orientedZ: -1.1,
      median: 0.5,
      mean: null,
      englandValue: null,
    });
  });

  it('keeps neutral indicators out of strengths and weaknesses', () => {
    expect(profile.distinctive.map((d) => [d.indicatorId, d.direction])).toEqual([['size', 'high']]);
    const directional = profile.strengths.concat(profile.weaknesses);
    expect(directional.length).toBeGreaterThan(0);
    expect(directional.filter((a) => a.polarity === 'neutral')).toEqual([]);
  });

  it('names a neutral indicator’s reasons by value, not by better or worse', () => {
    expect(profile.distinctive[0]?.reasons).toEqual(['highest_quartile', 'z_high']);
  });

  it('lists what it could not assess and why', () => {
    expect(profile.notAssessed).toEqual([
      { indicatorId: 'hidden', year: 2020, reason: 'value suppressed in the source' },
      { indicatorId: 'tiny-cohort', year: 2020, reason: 'only 5 areas ranked (minimum 10)' },
      { indicatorId: 'no-data', year: 2020, reason: 'no value for this year' },
    ]);
  });

  it('accepts other thresholds', () => {
    const p = assessStrengths([ind('a', 'higher_is_better', 70, 0.2)], { topPercentile: 60 });
    expect(p.strengths.map((s) => s.indicatorId)).toEqual(['a']);
    expect(p.criteria.topPercentile).toBe(60);
  });

  it('works on the output of rankValues', () => {
    const values = Array.from({ length: 12 }, (_, i) => ({ areaCode: `A${i}`, value: i }));
    const ranked = rankValues(values, 'lower_is_better');
    const top = ranked.values.find((v) => v.areaCode === 'A0');
    const p = assessStrengths([
      {
        indicatorId: 'pm10',
        year: 2018,
        polarity: 'lower_is_better',
        n: ranked.n,
        median: ranked.stats?.median ?? null,
        ...(top as NonNullable<typeof top>),
      },
    ]);
    expect(p.strengths[0]?.evidence).toMatchObject({ rank: 1, percentile: 100, value: 0, median: 5.5 });
    expect(p.strengths[0]?.evidence.orientedZ).toBeGreaterThan(1);
  });
});
