import { createRoute, z } from '@hono/zod-openapi';
import { PERFORMANCE_GROUPS } from '../domain/scoreboard.ts';
import { exportResponse, formatQuery } from '../http/export.ts';
import { yearQuery } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { type ScoreboardBody, scoreboardFor } from '../services/scoreboard.ts';
import { INDICATOR_CATALOGUE_SOURCE, tableResponse } from './indicator-views.ts';

const METHOD = [
  'EU Regional Innovation Scoreboard method: each size-free indicator (rate, share, average or index with a direction) is square-root transformed when skewed (sample skewness > 1), min–max normalised over all 38 LEPs and all years with values beyond mean ± 3 sd left out of the min and max, capped to 0..1 and turned round when lower is better.',
  'Composite = unweighted mean of a LEP’s available normalised indicators (a LEP needs at least settings.minCoverage of them); index = 100 × composite ÷ England’s composite (England’s published value; where the source gives none, the median LEP stands in, flagged englandImputed).',
  'Performance groups as the RIS: leader > 125, strong 100–125, moderate 70–100, emerging < 70.',
  'Beyond the RIS: settings.draws Monte Carlo draws (seeded) with indicator weights from Dirichlet(1,…,1) and each indicator left out with probability settings.dropProbability; rank intervals are the 5th–95th percentiles of the drawn ranks (nearest rank). Overlapping intervals mean the rank difference is not robust — mid-table ranks under equal weights are unstable.',
  'An indicator enters year Y with its latest year ≤ Y no more than settings.windowYears before Y (yearUsed).',
  'One variant per count: rates and shares of the same count (e.g. enterprise births per 1,000 enterprises and per 1,000 residents) would count it twice, so only the count’s headline variant enters (or, without values in the window, the first by id); the others are listed in excluded. Totals never enter (they mostly measure size), nor indicators without a direction.',
];

const Interval = z
  .object({
    median: z.number().int(),
    p5: z.number().int(),
    p95: z.number().int(),
    indexP5: z.number(),
    indexP95: z.number(),
  })
  .openapi('RankInterval');

const ScoreboardLep = z
  .object({
    code: z.string().openapi({ example: 'E37000015' }),
    name: z.string(),
    href: z.string(),
    index: z.number().nullable().openapi({ description: 'England = 100; null below the minimum coverage.' }),
    composite: z.number().nullable().openapi({ description: 'Mean normalised score, 0..1.' }),
    group: z.enum(PERFORMANCE_GROUPS).nullable(),
    rank: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Rank by index under equal weights, 1 = best.' }),
    monteCarlo: Interval.nullable().openapi({
      description: 'Median rank and 5–95% rank and index intervals.',
    }),
    coverage: z.object({ available: z.number().int(), of: z.number().int(), share: z.number() }),
    inputs: z.array(
      z.object({
        indicator: z.string(),
        year: z.number().int(),
        value: z.number().nullable(),
        normalised: z.number().nullable(),
      }),
    ),
  })
  .openapi('ScoreboardLep');

const ScoreboardIndicator = z
  .object({
    id: z.string(),
    title: z.string(),
    unit: z.string(),
    measure: z.string(),
    polarity: z.enum(['higher_is_better', 'lower_is_better']),
    yearUsed: z.number().int(),
    areasWithValue: z.number().int(),
    transform: z.enum(['none', 'sqrt']),
    min: z.number().openapi({ description: 'Normalisation minimum (transformed scale), outliers excluded.' }),
    max: z.number().openapi({ description: 'Normalisation maximum (transformed scale), outliers excluded.' }),
    historyValues: z
      .number()
      .int()
      .openapi({ description: 'Values (all LEPs, all years) the bounds come from.' }),
    outliersExcluded: z.number().int(),
    englandValue: z.number().nullable(),
    englandNormalised: z.number(),
    englandImputed: z.boolean(),
  })
  .openapi('ScoreboardIndicator');

const route = createRoute({
  method: 'get',
  path: '/scoreboard',
  operationId: 'getScoreboard',
  description:
    'A composite innovation index for the 38 LEPs of 2021, built the EU Regional Innovation Scoreboard way (size-free indicators min–max normalised and averaged, indexed to England), with 5–95% rank intervals from seeded reweighting draws. JSON, CSV or XLSX.',
  tags: ['LEP profiles'],
  summary:
    'A composite innovation index for the 38 LEPs (Regional Innovation Scoreboard method) with rank intervals',
  request: {
    query: z.object({
      year: yearQuery('Scoreboard year. Default: the latest.').optional(),
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          year: z.number().int(),
          years: z.array(z.number().int()).openapi({ description: 'Every year with a scoreboard.' }),
          method: z.array(z.string()),
          settings: z.object({
            minCoverage: z.number(),
            windowYears: z.number().int(),
            minAreas: z.number().int(),
            minIndicators: z.number().int(),
            draws: z.number().int(),
            seed: z.number().int(),
            dropProbability: z.number(),
            measures: z.array(z.string()),
          }),
          reference: z.object({ code: z.string(), label: z.string(), composite: z.number() }),
          indicators: z.array(ScoreboardIndicator),
          excluded: z
            .array(
              z.object({
                id: z.string(),
                numerator: z.string().openapi({ description: 'The count both variants are made from.' }),
                keptInstead: z.string().openapi({ description: 'The variant of that count that entered.' }),
              }),
            )
            .openapi({ description: 'Variants left out so no count enters twice.' }),
          leps: z.array(ScoreboardLep),
        })
        .openapi('Scoreboard'),
      'The scoreboard, best first (LEPs without an index last)',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

type Lep = ScoreboardBody['leps'][number];

export function scoreboardRoutes() {
  return createRouter().openapi(route, async (c) => {
    const q = c.req.valid('query');
    const s = await scoreboardFor(c.var.deps.db, q);
    const leps = [...s.body.leps].sort(
      (a, b) =>
        (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
        a.code.localeCompare(b.code),
    );
    if (q.format !== 'json') {
      const columns = [
        { header: 'code', description: 'LEP code', value: (l: Lep) => l.code },
        { header: 'name', description: 'LEP', value: (l: Lep) => l.name },
        { header: 'index', description: 'England = 100', value: (l: Lep) => l.index },
        { header: 'group', description: 'RIS performance group', value: (l: Lep) => l.group },
        { header: 'rank', description: 'Rank under equal weights', value: (l: Lep) => l.rank },
        {
          header: 'rank_median',
          description: 'Monte Carlo median rank',
          value: (l: Lep) => l.monteCarlo?.median ?? null,
        },
        {
          header: 'rank_p5',
          description: '5th percentile rank',
          value: (l: Lep) => l.monteCarlo?.p5 ?? null,
        },
        {
          header: 'rank_p95',
          description: '95th percentile rank',
          value: (l: Lep) => l.monteCarlo?.p95 ?? null,
        },
        {
          header: 'coverage',
          description: 'Indicators with a value',
          value: (l: Lep) => l.coverage.available,
        },
        ...s.body.indicators.map((ind, i) => ({
          header: ind.id,
          description: `${ind.title} (${ind.unit}, ${ind.yearUsed}), normalised 0..1`,
          value: (l: Lep) => l.inputs[i]?.normalised ?? null,
        })),
      ];
      return exportResponse(c, q.format, {
        filename: `scoreboard-${s.year}`,
        title: `Innovation scoreboard ${s.year} (England = 100)`,
        rows: leps,
        columns,
        notes: METHOD,
        sources: [INDICATOR_CATALOGUE_SOURCE],
      });
    }
    const settings = s.body.settings as Record<string, unknown>;
    return c.json(
      {
        year: s.year,
        years: s.years,
        method: METHOD,
        settings: {
          minCoverage: Number(settings.minCoverage),
          windowYears: Number(settings.windowYears),
          minAreas: Number(settings.minAreas),
          minIndicators: Number(settings.minIndicators),
          draws: Number(settings.draws),
          seed: Number(settings.seed),
          dropProbability: Number(settings.dropProbability),
          measures: (settings.measures as string[]) ?? [],
        },
        reference: s.body.reference,
        indicators: s.body.indicators.map((i) => ({ ...i, polarity: i.polarity as 'higher_is_better' })),
        excluded: s.body.excluded ?? [],
        leps: leps.map((l) => ({
          code: l.code,
          name: l.name,
          href: `/v1/leps/${l.code}/profile`,
          index: l.index,
          composite: l.composite,
          group: l.group as (typeof PERFORMANCE_GROUPS)[number] | null,
          rank: l.rank,
          monteCarlo: l.monteCarlo,
          coverage: l.coverage,
          inputs: l.inputs,
        })),
      },
      200,
    );
  });
}
