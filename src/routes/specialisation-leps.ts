import { createRoute, z } from '@hono/zod-openapi';
import type { SpecCellRow } from '../db/spec-queries.ts';
import { DEFAULT_ADJACENT_DENSITY, PORTFOLIO_MORE_SPECIALISED } from '../domain/specialisation.ts';
import { type ExportColumn, exportResponse, formatQuery } from '../http/export.ts';
import { intQuery, LepCode, yearQuery } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { svgAnswer } from '../http/svg.ts';
import { heatmapSvg } from '../render/svg-heatmap.ts';
import {
  CATEGORY_SYSTEMS,
  type CategorySystem,
  MATRIX_MEASURES,
  type MatrixMeasure,
  portfolioAcrossLeps,
  relatednessDensityAcrossLeps,
  relatednessMatrix,
  specialisationAcrossLeps,
  trendsAcrossLeps,
} from '../services/specialisation.ts';
import { tableResponse } from './indicator-views.ts';
import {
  areaRef,
  basisFields,
  basisJson,
  basisTable,
  CATEGORY_WORDS,
  lepColumns,
  REFERENCE,
  Reference,
  specSources,
  toSource,
  UNIT_OF,
} from './specialisation-views.ts';

const measureQuery = z.enum(MATRIX_MEASURES).default('employment').openapi({
  description:
    'What x counts: employment (APS, by broad industry, 2018–2022), or Innovate UK grant (£ offered), participants or distinct projects.',
  example: 'employment',
});
const categoriesQuery = z.enum(CATEGORY_SYSTEMS).optional().openapi({
  description:
    'Category system: industry (employment only; the default there) or sector | programme (Innovate UK measures; default sector).',
  example: 'sector',
});
const specYear = yearQuery(
  'Year (employment 2018–2022; Innovate UK competition year). Default: the latest year for employment, all years pooled for Innovate UK.',
).optional();
/** What every LEP × category route is asked: which measure, by which categories. */
const basisQuery = { measure: measureQuery, categories: categoriesQuery };

const AreaRef = z.object({ code: z.string(), name: z.string(), href: z.string() }).openapi('SpecArea');

const SourceSchema = z
  .object({
    loaded: z.boolean(),
    synthetic: z.boolean().openapi({ description: 'True when serving generated stand-in Innovate UK data.' }),
    title: z.string(),
    licence: z.string(),
  })
  .openapi('SpecSource');

const Cell = z
  .object({
    area: AreaRef,
    category: z.string(),
    value: z
      .number()
      .nullable()
      .openapi({ description: 'x[r,s] in the stated unit; null when the source suppressed it.' }),
    areaTotal: z
      .number()
      .openapi({ description: 'x[r,.]: the LEP’s total over the categories (suppressed cells as 0).' }),
    referenceValue: z.number().openapi({ description: 'x[England,s]' }),
    referenceTotal: z.number().openapi({ description: 'x[England,.]' }),
    lq: z
      .number()
      .nullable()
      .openapi({ description: '(x[r,s]/x[r,.]) / (x[E,s]/x[E,.]); null when undefined or suppressed.' }),
    lqRank: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Rank of this LQ among the LEPs (1 = highest).' }),
    lqRanked: z
      .number()
      .int()
      .openapi({ description: 'LEPs with an LQ in this category (the rank’s denominator).' }),
    specialised: z.boolean().openapi({ description: 'LQ > 1 (M[r,s] = 1).' }),
    support: z
      .number()
      .nullable()
      .openapi({ description: 'Count behind the cell: participants (Innovate UK) or people (employment).' }),
    smallNumber: z
      .boolean()
      .openapi({ description: 'Support under minSupport, or suppressed: treat the LQ with care.' }),
    suppressed: z.boolean(),
  })
  .openapi('SpecCell');

const toCell = (c: SpecCellRow) => ({
  area: areaRef(c.areaCode, c.areaName),
  category: c.category,
  value: c.value,
  areaTotal: c.areaTotal,
  referenceValue: c.referenceValue,
  referenceTotal: c.referenceTotal,
  lq: c.lq,
  lqRank: c.lqRank,
  lqRanked: c.lqRanked,
  specialised: c.specialised,
  support: c.support,
  smallNumber: c.smallNumber,
  suppressed: c.suppressed,
});

const CELL_COLUMNS: ExportColumn<SpecCellRow>[] = [
  { header: 'lep_code', description: '2021 LEP code', value: (r) => r.areaCode },
  { header: 'lep_name', description: 'LEP name', value: (r) => r.areaName },
  { header: 'category', description: 'Category', value: (r) => r.category },
  { header: 'value', description: 'x[r,s] (blank = suppressed)', value: (r) => r.value },
  { header: 'area_total', description: 'x[r,.]', value: (r) => r.areaTotal },
  { header: 'england_value', description: 'x[England,s]', value: (r) => r.referenceValue },
  { header: 'england_total', description: 'x[England,.]', value: (r) => r.referenceTotal },
  { header: 'lq', description: 'Location quotient against England', value: (r) => r.lq },
  { header: 'lq_rank', description: 'Rank among the LEPs (1 = highest LQ)', value: (r) => r.lqRank },
  {
    header: 'support',
    description: 'Participants (Innovate UK) or people (employment)',
    value: (r) => r.support,
  },
  {
    header: 'small_number',
    description: 'Under the minimum support or suppressed',
    value: (r) => r.smallNumber,
  },
  { header: 'suppressed', description: 'Suppressed by the source', value: (r) => r.suppressed },
];

const commonNotes = (measure: MatrixMeasure, categories: CategorySystem, minSupport: number) => [
  `x = ${UNIT_OF[measure]} by ${CATEGORY_WORDS[categories]}; reference: England (its own totals, not the sum of LEPs).`,
  measure === 'employment'
    ? 'Employment: DfE’s LEP sums of APS district estimates; cells the source suppressed ("c", "low", "x") are flagged and count as 0 in the LEP total.'
    : `Innovate UK: counted participants only (withdrawn excluded); a participant in a district that lies in two LEPs counts in both (overlap policy "full"). Small number: fewer than ${minSupport} participants.`,
];

const matrixRoute = createRoute({
  method: 'get',
  path: '/specialisation',
  operationId: 'getSpecialisationMatrix',
  tags: ['Smart specialisation'],
  summary: 'LEP × category location quotients against England, for employment or Innovate UK activity',
  description:
    'Every 2021 LEP × category: the value, the LEP and England totals, LQ, its rank among the LEPs, the count behind it and a small-number flag. ' +
    'Precomputed by the pipeline. LQ over time: /v1/specialisation/trends; portfolio measures: /v1/specialisation/portfolio; heatmap: /v1/specialisation.svg.',
  request: {
    query: z.object({
      ...basisQuery,
      year: specYear,
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          ...basisFields,
          period: basisFields.period.openapi({
            description:
              'The year served, "all" (Innovate UK, every year pooled), or null when nothing is loaded.',
          }),
          periods: basisFields.periods.openapi({ description: 'Every period this measure has.' }),
          minSupport: z.number().int(),
          source: SourceSchema,
          categoryList: z.array(z.string()),
          cells: z.array(Cell),
          notes: z.array(z.string()),
        })
        .openapi('SpecialisationMatrix'),
      'The matrix',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const svgRoute = createRoute({
  method: 'get',
  path: '/specialisation.svg',
  operationId: 'getSpecialisationHeatmap',
  tags: ['Smart specialisation'],
  summary: 'The LEP × category LQ matrix as an SVG heatmap',
  description:
    'Diverging colours around 1 (ColorBrewer PuOr, colour-blind safe: orange below 1, purple above; breaks 0.5, 0.8, 1.25, 2), the LQ in each cell, * for small numbers, a <title> per cell.',
  request: { query: z.object({ ...basisQuery, year: specYear }) },
  responses: {
    200: {
      description: 'The heatmap',
      content: {
        'image/svg+xml': { schema: z.string().openapi({ description: 'A self-contained SVG document.' }) },
      },
    },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const PORTFOLIO_KEYS = Object.keys(PORTFOLIO_MORE_SPECIALISED) as (keyof typeof PORTFOLIO_MORE_SPECIALISED)[];
const Ranks = z.object({
  krugman: z.number().int().nullable(),
  hoover: z.number().int().nullable(),
  herfindahl: z.number().int().nullable(),
  entropy: z.number().int().nullable(),
  hachman: z.number().int().nullable(),
});

const portfolioRoute = createRoute({
  method: 'get',
  path: '/specialisation/portfolio',
  operationId: 'getSpecialisationPortfolio',
  tags: ['Smart specialisation'],
  summary:
    'Whole-portfolio specialisation of every LEP (Krugman, Hoover, Herfindahl, entropy, Hachman), ranked',
  description:
    'Krugman Σ|p[r,s] − p[E,s]| (0–2), Hoover = K/2, Herfindahl Σp², Shannon entropy −Σ p log2 p (bits), Hachman 1/Σ LQ·p (1 = England’s mix). ' +
    'Rank 1 = most specialised: highest Krugman, Hoover and Herfindahl; lowest entropy and Hachman. Sorted by rankBy.',
  request: {
    query: z.object({
      ...basisQuery,
      year: specYear,
      rankBy: z
        .enum(PORTFOLIO_KEYS as [string, ...string[]])
        .default('krugman')
        .openapi({ description: 'Which measure orders the list (default krugman).', example: 'krugman' }),
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          ...basisFields,
          rankBy: z.string(),
          source: SourceSchema,
          leps: z.array(
            z.object({
              area: AreaRef,
              total: z.number().openapi({ description: 'x[r,.] in the stated unit.' }),
              krugman: z.number().nullable(),
              hoover: z.number().nullable(),
              herfindahl: z.number().nullable(),
              entropy: z.number().nullable(),
              hachman: z.number().nullable(),
              ranks: Ranks,
            }),
          ),
          notes: z.array(z.string()),
        })
        .openapi('SpecialisationPortfolio'),
      'Portfolio measures, ranked',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const Trend = z
  .object({
    area: AreaRef,
    category: z.string(),
    firstYear: z.number().int(),
    lastYear: z.number().int(),
    lqFirst: z.number(),
    lqLast: z.number(),
    change: z.number().openapi({ description: 'lqLast − lqFirst.' }),
    slope: z
      .number()
      .nullable()
      .openapi({ description: 'OLS slope of LQ on year over every year with an LQ (per year).' }),
    years: z.number().int().openapi({ description: 'Years with an LQ behind the slope.' }),
    rankFirst: z.number().int().nullable(),
    rankLast: z.number().int().nullable(),
  })
  .openapi('SpecTrend');

const trendsRoute = createRoute({
  method: 'get',
  path: '/specialisation/trends',
  operationId: 'getSpecialisationTrends',
  tags: ['Smart specialisation'],
  summary: 'LQ over time: how each LEP × category LQ and its rank moved across the years the source has',
  description:
    '"Becoming specialised": change from the first to the last year with an LQ, the OLS slope, and the LQ rank at both ends. Sorted by change, largest rise first.',
  request: {
    query: z.object({
      ...basisQuery,
      area: LepCode.optional(),
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          measure: z.enum(MATRIX_MEASURES),
          categories: z.enum(CATEGORY_SYSTEMS),
          reference: Reference,
          source: SourceSchema,
          trends: z.array(Trend),
          notes: z.array(z.string()),
        })
        .openapi('SpecialisationTrends'),
      'LQ trends',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const relatednessRoute = createRoute({
  method: 'get',
  path: '/relatedness',
  operationId: 'getRelatedness',
  tags: ['Smart specialisation'],
  summary: 'Relatedness between categories from co-occurrence (association strength and cosine)',
  description:
    'C = BᵀB with a zero diagonal. Innovate UK: B = organisation × sector (or programme) — organisations that won in both (the same for grant, participants and projects). ' +
    'Employment: B = district × industry with B = 1 where the district’s LQ > 1 (co-location), APS 2018–2022 pooled. φ = (C_ij/T)/((S_i/T)(S_j/T)); cosine = C_ij/√(S_i S_j).',
  request: { query: z.object({ ...basisQuery, format: formatQuery }) },
  responses: {
    200: tableResponse(
      z
        .object({
          measure: z.enum(MATRIX_MEASURES),
          categories: z.enum(CATEGORY_SYSTEMS),
          source: SourceSchema,
          categoryList: z.array(z.string()).openapi({ description: 'Row and column order of the matrices.' }),
          association: z.array(z.array(z.number())).openapi({ description: 'φ[i][j], zero diagonal.' }),
          cosine: z.array(z.array(z.number())),
          cooccurrence: z
            .array(z.array(z.number().int()))
            .openapi({ description: 'C[i][j]: items active in both.' }),
          notes: z.array(z.string()),
        })
        .openapi('Relatedness'),
      'The relatedness matrices',
    ),
    ...problemResponses('bad_request'),
  },
});

const DensityCell = Cell.extend({
  density: z.number().nullable().openapi({
    description:
      'RD = 100 · Σ_j M[r,j]·φ[j,i] / Σ_j φ[j,i] (association strength); null when the category is related to none.',
  }),
  densityCosine: z.number().nullable().openapi({ description: 'The same density with cosine relatedness.' }),
  adjacentOpportunity: z
    .boolean()
    .openapi({ description: 'Not specialised (LQ ≤ 1) and density ≥ threshold.' }),
}).openapi('DensityCell');

const densityRoute = createRoute({
  method: 'get',
  path: '/relatedness/density',
  operationId: 'getRelatednessDensity',
  tags: ['Smart specialisation'],
  summary: 'Relatedness density of every LEP × category, with adjacent opportunities',
  description: `An adjacent opportunity is a category where the LEP is not specialised (LQ ≤ 1) but its relatedness density is at least threshold (default ${DEFAULT_ADJACENT_DENSITY}).`,
  request: {
    query: z.object({
      ...basisQuery,
      year: specYear,
      area: LepCode.optional(),
      threshold: intQuery({
        min: 0,
        max: 100,
        description: `Density (0–100) from which a category is an adjacent opportunity; default ${DEFAULT_ADJACENT_DENSITY}.`,
        example: DEFAULT_ADJACENT_DENSITY,
      }).optional(),
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          ...basisFields,
          threshold: z.number().int(),
          minSupport: z.number().int(),
          source: SourceSchema,
          cells: z.array(DensityCell),
          notes: z.array(z.string()),
        })
        .openapi('RelatednessDensity'),
      'Densities and adjacent opportunities',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const fmt = (v: number | null, d = 2) => (v === null ? 'n/a' : v.toFixed(d));

export function specialisationLepRoutes() {
  return createRouter()
    .openapi(matrixRoute, async (c) => {
      const q = c.req.valid('query');
      const m = await specialisationAcrossLeps(c.var.deps.db, q);
      const notes = commonNotes(m.measure, m.categories, m.minSupport);
      if (q.format !== 'json') {
        return exportResponse(
          c,
          q.format,
          basisTable({ file: 'specialisation', title: 'Location quotients by LEP' }, m, {
            rows: m.cells,
            columns: CELL_COLUMNS,
            notes,
          }),
        );
      }
      return c.json(
        {
          ...basisJson(m),
          minSupport: m.minSupport,
          source: toSource(m.source),
          categoryList: [...new Set(m.cells.map((x) => x.category))],
          cells: m.cells.map(toCell),
          notes,
        },
        200,
      );
    })
    .openapi(svgRoute, async (c) => {
      const q = c.req.valid('query');
      const m = await specialisationAcrossLeps(c.var.deps.db, q);
      const rows = [...new Map(m.cells.map((x) => [x.areaCode, x.areaName])).entries()];
      const cols = [...new Set(m.cells.map((x) => x.category))];
      const rowOf = new Map(rows.map(([code], i) => [code, i]));
      const colOf = new Map(cols.map((cat, j) => [cat, j]));
      return svgAnswer(
        heatmapSvg({
          title: `Location quotients by LEP: ${m.measure}, by ${m.categories} (${m.period ?? 'no data'})`,
          subtitle: `x = ${UNIT_OF[m.measure]}; LQ against England. ${m.source.synthetic ? 'SYNTHETIC Innovate UK data. ' : ''}`,
          rows: rows.map(([, name]) => name),
          cols,
          cells: m.cells.map((x) => ({
            row: rowOf.get(x.areaCode) as number,
            col: colOf.get(x.category) as number,
            lq: x.lq,
            smallNumber: x.smallNumber,
            title: `${x.areaName} · ${x.category}: LQ ${fmt(x.lq)} (rank ${x.lqRank ?? 'n/a'} of ${x.lqRanked}); value ${x.value ?? 'suppressed'} of ${x.areaTotal}; support ${x.support ?? 'n/a'}${x.smallNumber ? ' (small number)' : ''}`,
          })),
          footer: [
            `Source: ${m.source.title}. ${m.source.licence}`,
            `Dataset ${m.source.dataset?.version ?? 'n/a'}`,
          ],
        }),
      );
    })
    .openapi(portfolioRoute, async (c) => {
      const q = c.req.valid('query');
      const p = await portfolioAcrossLeps(c.var.deps.db, q);
      const key = q.rankBy as keyof typeof PORTFOLIO_MORE_SPECIALISED;
      const leps = p.rows
        .map((r) => ({
          area: areaRef(r.areaCode, r.areaName),
          total: r.total,
          krugman: r.krugman,
          hoover: r.hoover,
          herfindahl: r.herfindahl,
          entropy: r.entropy,
          hachman: r.hachman,
          ranks: {
            krugman: r.ranks.krugman ?? null,
            hoover: r.ranks.hoover ?? null,
            herfindahl: r.ranks.herfindahl ?? null,
            entropy: r.ranks.entropy ?? null,
            hachman: r.ranks.hachman ?? null,
          },
        }))
        .sort(
          (a, b) => (a.ranks[key] ?? 999) - (b.ranks[key] ?? 999) || a.area.code.localeCompare(b.area.code),
        );
      const notes = [
        `x = ${UNIT_OF[p.measure]} by ${CATEGORY_WORDS[p.categories]}; shares against England.`,
        'Rank 1 = most specialised: highest Krugman, Hoover, Herfindahl; lowest entropy and Hachman. Ties share a rank; LEPs with no activity have no measures.',
      ];
      if (q.format !== 'json') {
        type Lep = (typeof leps)[number];
        return exportResponse(
          c,
          q.format,
          basisTable({ file: 'specialisation-portfolio', title: 'Portfolio specialisation by LEP' }, p, {
            rows: leps,
            columns: [
              ...lepColumns<Lep>(),
              { header: 'total', description: 'x[r,.]', value: (r) => r.total },
              ...PORTFOLIO_KEYS.flatMap((k): ExportColumn<Lep>[] => [
                { header: k, description: `${k} index`, value: (r) => r[k] },
                {
                  header: `${k}_rank`,
                  description: `Rank by ${k} (1 = most specialised)`,
                  value: (r) => r.ranks[k],
                },
              ]),
            ],
            notes,
          }),
        );
      }
      return c.json({ ...basisJson(p), rankBy: key, source: toSource(p.source), leps, notes }, 200);
    })
    .openapi(trendsRoute, async (c) => {
      const q = c.req.valid('query');
      const t = await trendsAcrossLeps(c.var.deps.db, q);
      const trends = t.rows
        .map((r) => ({
          area: areaRef(r.areaCode, r.areaName),
          category: r.category,
          firstYear: r.firstYear,
          lastYear: r.lastYear,
          lqFirst: r.lqFirst,
          lqLast: r.lqLast,
          change: r.change,
          slope: r.slope,
          years: r.years,
          rankFirst: r.rankFirst,
          rankLast: r.rankLast,
        }))
        .sort(
          (a, b) =>
            b.change - a.change ||
            a.area.code.localeCompare(b.area.code) ||
            a.category.localeCompare(b.category),
        );
      const notes = [
        `LQ of ${UNIT_OF[t.measure]} by ${CATEGORY_WORDS[t.categories]} against England, year by year; years where the LQ is undefined are skipped.`,
      ];
      if (q.format !== 'json') {
        return exportResponse(c, q.format, {
          filename: `specialisation-trends-${t.measure}-${t.categories}`,
          title: `LQ trends by LEP: ${t.measure} by ${t.categories}`,
          rows: trends,
          columns: [
            ...lepColumns<(typeof trends)[number]>(),
            { header: 'category', description: 'Category', value: (r) => r.category },
            { header: 'first_year', description: 'First year with an LQ', value: (r) => r.firstYear },
            { header: 'last_year', description: 'Last year with an LQ', value: (r) => r.lastYear },
            { header: 'lq_first', description: 'LQ in the first year', value: (r) => r.lqFirst },
            { header: 'lq_last', description: 'LQ in the last year', value: (r) => r.lqLast },
            { header: 'change', description: 'lq_last − lq_first', value: (r) => r.change },
            { header: 'slope', description: 'OLS slope per year', value: (r) => r.slope },
            { header: 'rank_first', description: 'LQ rank in the first year', value: (r) => r.rankFirst },
            { header: 'rank_last', description: 'LQ rank in the last year', value: (r) => r.rankLast },
          ],
          notes,
          sources: specSources(t.measure),
        });
      }
      return c.json(
        {
          measure: t.measure,
          categories: t.categories,
          reference: REFERENCE,
          source: toSource(t.source),
          trends,
          notes,
        },
        200,
      );
    })
    .openapi(relatednessRoute, async (c) => {
      const q = c.req.valid('query');
      const r = await relatednessMatrix(c.var.deps.db, q);
      const at = new Map(r.pairs.map((p) => [`${p.categoryA}\u0000${p.categoryB}`, p]));
      const grid = <K extends 'association' | 'cosine' | 'cooccurrence'>(k: K) =>
        r.names.map((a) => r.names.map((b) => (a === b ? 0 : (at.get(`${a}\u0000${b}`)?.[k] ?? 0))));
      const notes = [
        r.categories === 'industry'
          ? 'Co-location: B = district × industry, 1 where the district’s employment LQ > 1 (APS 2018–2022 summed per district).'
          : `Co-occurrence: B = organisation × ${r.categories}, 1 where the organisation has a counted participation in it; the same matrix serves grant, participants and projects.`,
        'Association strength φ > 1: the pair co-occurs more than the categories’ sizes alone predict.',
      ];
      if (q.format !== 'json') {
        return exportResponse(c, q.format, {
          filename: `relatedness-${r.categories}`,
          title: `Relatedness between ${r.categories} categories`,
          rows: r.pairs,
          columns: [
            { header: 'category_a', description: 'Category i', value: (p) => p.categoryA },
            { header: 'category_b', description: 'Category j', value: (p) => p.categoryB },
            { header: 'cooccurrence', description: 'C[i][j]', value: (p) => p.cooccurrence },
            { header: 'association', description: 'φ[i][j]', value: (p) => p.association },
            { header: 'cosine', description: 'cosine[i][j]', value: (p) => p.cosine },
          ],
          notes,
          sources: specSources(r.categories === 'industry' ? 'employment' : 'participants'),
        });
      }
      return c.json(
        {
          measure: r.measure,
          categories: r.categories,
          source: toSource(r.source),
          categoryList: r.names,
          association: grid('association'),
          cosine: grid('cosine'),
          cooccurrence: grid('cooccurrence'),
          notes,
        },
        200,
      );
    })
    .openapi(densityRoute, async (c) => {
      const q = c.req.valid('query');
      const d = await relatednessDensityAcrossLeps(c.var.deps.db, {
        ...q,
        threshold: q.threshold ?? DEFAULT_ADJACENT_DENSITY,
      });
      const notes = [
        ...commonNotes(d.measure, d.categories, d.minSupport),
        `Density uses the pooled relatedness of /v1/relatedness?measure=${d.measure}&categories=${d.categories} and M = LQ > 1 in the period served. Adjacent opportunity: not specialised and density ≥ ${d.threshold}.`,
      ];
      if (q.format !== 'json') {
        return exportResponse(
          c,
          q.format,
          basisTable({ file: 'relatedness-density', title: 'Relatedness density by LEP' }, d, {
            rows: d.cells,
            columns: [
              ...CELL_COLUMNS.map((col) => col as ExportColumn<(typeof d.cells)[number]>),
              {
                header: 'density',
                description: 'Relatedness density (association strength), 0–100',
                value: (r) => r.density,
              },
              {
                header: 'density_cosine',
                description: 'Relatedness density (cosine), 0–100',
                value: (r) => r.densityCosine,
              },
              {
                header: 'adjacent_opportunity',
                description: `Not specialised and density ≥ ${d.threshold}`,
                value: (r) => r.adjacentOpportunity,
              },
            ],
            notes,
          }),
        );
      }
      return c.json(
        {
          ...basisJson(d),
          threshold: d.threshold,
          minSupport: d.minSupport,
          source: toSource(d.source),
          cells: d.cells.map((x) => ({
            ...toCell(x),
            density: x.density,
            densityCosine: x.densityCosine,
            adjacentOpportunity: x.adjacentOpportunity,
          })),
          notes,
        },
        200,
      );
    });
}
