import { LEP_VINTAGE } from '../../domain/geography.ts';
import { computeScoreboard, type ScoreboardPolarity } from '../../domain/scoreboard.ts';
import type { SqlRunner } from '../sql.ts';
import type { Stage } from './stage.ts';

/**
 * The composite innovation scoreboard (src/domain/scoreboard.ts), one document per year, built
 * from the indicator values the indicators stage left in staging. Which indicators take part, and
 * every setting, is stated in the document it serves.
 */

/** Size-free indicators only (a total mostly measures how big a LEP is), and only those with a direction. */
export const SCOREBOARD_MEASURES = ['rate', 'share', 'average', 'index'] as const;
export const SCOREBOARD_SETTINGS = {
  /** A LEP needs values for at least this share of the year's indicators to get an index. */
  minCoverage: 0.5,
  /** An indicator enters year Y with its latest year ≤ Y, if that is at most this many years before Y. */
  windowYears: 3,
  /** …and if that year has values for at least this many LEPs. */
  minAreas: 10,
  /** A year gets a scoreboard when at least this many indicators enter it. */
  minIndicators: 5,
  draws: 1000,
  seed: 20_240_401,
  dropProbability: 0.1,
} as const;

interface IndicatorRow {
  id: string;
  title: string;
  unit: string;
  measure: string;
  polarity: ScoreboardPolarity;
  /** The count this rate or share is made from (indicators.rate_of.numeratorId), if any. */
  numerator: string | null;
  /** That count's headline variant (its rate_variant_id): the one of the family that enters. */
  preferred: string | null;
}

/**
 * One indicator per family: variants of the same count (births per 1,000 enterprises and per 1,000
 * residents, a share and a per-head rate) measure one thing twice, so only one enters — the count's
 * headline variant when it has values in the window, else the first by id. The rest are listed as
 * excluded with the variant that stands for them.
 */
export function oneVariantPerCount<T extends { ind: IndicatorRow }>(chosen: readonly T[]) {
  const families = new Map<string, T[]>();
  for (const c of chosen)
    if (c.ind.numerator) families.set(c.ind.numerator, [...(families.get(c.ind.numerator) ?? []), c]);
  const keep = new Map<string, string>();
  for (const [numerator, members] of families) {
    const ids = members.map((m) => m.ind.id).sort();
    const preferred = members[0]?.ind.preferred;
    keep.set(numerator, preferred && ids.includes(preferred) ? preferred : (ids[0] as string));
  }
  const kept: T[] = [];
  const excluded: { id: string; numerator: string; keptInstead: string }[] = [];
  for (const c of chosen) {
    const k = c.ind.numerator ? keep.get(c.ind.numerator) : undefined;
    if (k === undefined || k === c.ind.id) kept.push(c);
    else excluded.push({ id: c.ind.id, numerator: c.ind.numerator as string, keptInstead: k });
  }
  return { kept, excluded };
}

interface ValueRow {
  indicator_id: string;
  year: number;
  area_code: string;
  value: number;
  england_value: number | null;
}

export interface ScoreboardInputs {
  leps: { code: string; name: string }[];
  indicators: IndicatorRow[];
  values: ValueRow[];
}

/** Every scoreboard document the inputs allow, by year. */
export function scoreboardDocuments(
  input: ScoreboardInputs,
): { year: number; body: Record<string, unknown> }[] {
  const s = SCOREBOARD_SETTINGS;
  const lepIndex = new Map(input.leps.map((l, i) => [l.code, i]));
  const byIndicator = new Map<string, Map<number, ValueRow[]>>();
  for (const v of input.values) {
    if (!lepIndex.has(v.area_code) || !Number.isFinite(v.value)) continue;
    const years = byIndicator.get(v.indicator_id) ?? new Map<number, ValueRow[]>();
    years.set(v.year, [...(years.get(v.year) ?? []), v]);
    byIndicator.set(v.indicator_id, years);
  }
  const allYears = [...new Set(input.values.map((v) => v.year))].sort((a, b) => a - b);
  const docs: { year: number; body: Record<string, unknown> }[] = [];
  for (const year of allYears) {
    const candidates = input.indicators.flatMap((ind) => {
      const years = byIndicator.get(ind.id);
      if (!years) return [];
      const usable = [...years.keys()]
        .filter((y) => y <= year && y >= year - s.windowYears && (years.get(y)?.length ?? 0) >= s.minAreas)
        .sort((a, b) => b - a);
      const used = usable[0];
      if (used === undefined) return [];
      const rows = years.get(used) ?? [];
      const values: (number | null)[] = input.leps.map(() => null);
      for (const r of rows) values[lepIndex.get(r.area_code) as number] = r.value;
      const england = rows.find((r) => r.england_value !== null)?.england_value ?? null;
      const history = [...years.values()].flat().map((r) => r.value);
      return [{ ind, used, values, england, history, areasWithValue: rows.length }];
    });
    const { kept: chosen, excluded } = oneVariantPerCount(candidates);
    if (chosen.length < s.minIndicators) continue;
    const result = computeScoreboard(
      chosen.map((c) => ({
        id: c.ind.id,
        polarity: c.ind.polarity,
        history: c.history,
        values: c.values,
        reference: c.england,
      })),
      input.leps.length,
      { minCoverage: s.minCoverage, draws: s.draws, seed: s.seed + year, dropProbability: s.dropProbability },
    );
    docs.push({
      year,
      body: {
        year,
        settings: { ...s, seed: s.seed + year, measures: SCOREBOARD_MEASURES },
        reference: { code: 'E92000001', label: 'England', composite: result.reference.composite },
        indicators: chosen.map((c, i) => {
          const r = result.indicators[i] as (typeof result.indicators)[number];
          return {
            id: c.ind.id,
            title: c.ind.title,
            unit: c.ind.unit,
            measure: c.ind.measure,
            polarity: c.ind.polarity,
            yearUsed: c.used,
            areasWithValue: c.areasWithValue,
            transform: r.transform,
            min: r.min,
            max: r.max,
            historyValues: c.history.length,
            outliersExcluded: r.outliersExcluded,
            englandValue: c.england,
            englandNormalised: r.referenceNormalised,
            englandImputed: r.referenceImputed,
          };
        }),
        excluded,
        leps: input.leps.map((l, a) => {
          const r = result.areas[a] as (typeof result.areas)[number];
          return {
            code: l.code,
            name: l.name,
            index: r.index,
            composite: r.composite,
            group: r.group,
            rank: r.rank,
            monteCarlo: r.monteCarlo,
            coverage: { available: r.available, of: chosen.length, share: r.available / chosen.length },
            inputs: chosen.map((c, i) => ({
              indicator: c.ind.id,
              year: c.used,
              value: c.values[a] ?? null,
              normalised: r.normalised[i] ?? null,
            })),
          };
        }),
      },
    });
  }
  return docs;
}

async function deriveScoreboards(run: SqlRunner, schema: string) {
  const s = `"${schema}"`;
  const leps = await run.query<{ code: string; name: string }>(
    `select code, name from ${s}.areas where type = 'lep' and status = 'live' order by code`,
  );
  const indicators = await run.query<IndicatorRow>(
    `select i.id, i.title, i.unit, i.measure, i.polarity, i.rate_of->>'numeratorId' as numerator,
            (select n.rate_variant_id from ${s}.indicators n where n.id = i.rate_of->>'numeratorId') as preferred
       from ${s}.indicators i
      where i.measure = any($1) and i.polarity in ('higher_is_better', 'lower_is_better') order by i.id`,
    [SCOREBOARD_MEASURES],
  );
  const values = await run.query<ValueRow>(
    `select indicator_id, year, area_code, value, england_value from ${s}.indicator_values
      where area_vintage = $1 and value is not null and not suppressed and indicator_id = any($2)`,
    [LEP_VINTAGE, indicators.map((i) => i.id)],
  );
  const docs = scoreboardDocuments({
    leps,
    indicators,
    values: values.map((v) => ({
      ...v,
      value: Number(v.value),
      england_value: v.england_value === null ? null : Number(v.england_value),
    })),
  });
  await run.copyRows(
    `${s}.scoreboards`,
    ['year', 'body'],
    docs.map((d) => [d.year, d.body]),
  );
}

/** Runs after the indicators stage (and needs the geography's LEPs). */
export const scoreboardStage: Stage = {
  name: 'scoreboard',
  tables: ['scoreboards'],
  sources: () => [],
  async prepare() {
    return { reports: [], copy: async () => {}, derive: deriveScoreboards };
  },
};
