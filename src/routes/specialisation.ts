import { createRoute, z } from '@hono/zod-openapi';
import { rulesOf } from '../domain/investment-rules.ts';
import { DEFAULT_MIN_SUPPORT } from '../domain/specialisation.ts';
import { exportResponse, formatQuery } from '../http/export.ts';
import { AreaCode } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import {
  ADJACENT_DENSITY,
  areaSpecialisation,
  SPECIALISATION_MEASURES,
  type SpecialisationMeasure,
} from '../services/specialisation.ts';
import { tableResponse } from './indicator-views.ts';
import { DataSourceSchema, filterQuery, RulesSchema, toDataSource } from './investment-views.ts';

const SectorLq = z
  .object({
    sector: z.string(),
    value: z.number().openapi({ description: 'x[r,s]: the area’s amount in the sector (pence for grant).' }),
    areaTotal: z.number().openapi({ description: 'x[r,.]' }),
    referenceValue: z.number().openapi({ description: 'x[.,s] in the reference' }),
    referenceTotal: z.number().openapi({ description: 'x[.,.] in the reference' }),
    lq: z
      .number()
      .nullable()
      .openapi({ description: '(x[r,s]/x[r,.]) / (x[.,s]/x[.,.]); null when undefined.' }),
    specialised: z.boolean().openapi({ description: 'LQ > 1.' }),
    participants: z
      .number()
      .openapi({ description: 'Participants behind the cell (the small-number support).' }),
    smallNumber: z
      .boolean()
      .openapi({ description: `Fewer than ${DEFAULT_MIN_SUPPORT} participants: treat the LQ as noise.` }),
    relatednessDensity: z.number().nullable().openapi({
      description:
        'Relatedness density 0–100: share of this sector’s relatedness (association strength over organisations winning in both sectors) lying in sectors the area is specialised in; null when the sector is related to none.',
      example: 62.5,
    }),
    adjacentOpportunity: z.boolean().openapi({
      description: `Not specialised (LQ ≤ 1) but relatedness density ≥ ${ADJACENT_DENSITY}: a sector close to the area’s strengths.`,
    }),
  })
  .openapi('SectorLocationQuotient');

const route = createRoute({
  method: 'get',
  path: '/areas/{code}/specialisation',
  operationId: 'getAreaSpecialisation',
  description:
    'Location quotients of Innovate UK activity by sector for an area against England (by grant, participants or projects), relatedness density beside each, and the portfolio measures. JSON, CSV or XLSX.',
  tags: ['Smart specialisation'],
  summary:
    'Where an area is strong: location quotients of Innovate UK activity by sector, and portfolio measures',
  request: {
    params: z.object({ code: AreaCode }),
    query: z.object({
      measure: z.enum(SPECIALISATION_MEASURES).default('grant').openapi({
        description: 'What x counts: £ offered, participants, or distinct projects.',
        example: 'grant',
      }),
      overlap: filterQuery.overlap,
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          area: z.object({ code: z.string(), name: z.string(), type: z.string(), href: z.string() }),
          measure: z.enum(SPECIALISATION_MEASURES),
          reference: z.object({ code: z.string(), label: z.string() }),
          rules: RulesSchema,
          source: DataSourceSchema,
          minSupport: z.number().int(),
          sectors: z.array(SectorLq),
          portfolio: z.object({
            krugman: z.number().openapi({ description: 'Σ|p[r,s] − p[ref,s]|, 0 (same mix) to 2.' }),
            hoover: z
              .number()
              .openapi({ description: 'Krugman / 2: share of activity that would have to move.' }),
            herfindahl: z.number().openapi({ description: 'Σ p², concentration.' }),
            entropy: z.number().openapi({ description: '−Σ p log2 p, diversity in bits.' }),
            hachman: z
              .number()
              .nullable()
              .openapi({ description: '1 / Σ LQ·p; 1 = same mix as the reference.' }),
          }),
          notes: z.array(z.string()),
        })
        .openapi('Specialisation'),
      'Location quotients by sector',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const MEASURE_WORDS: Record<SpecialisationMeasure, string> = {
  grant: '£ offered (pence)',
  participants: 'participant rows',
  projects: 'distinct projects',
};

export function specialisationRoutes() {
  return createRouter().openapi(route, async (c) => {
    const { code } = c.req.valid('param');
    const q = c.req.valid('query');
    const s = await areaSpecialisation(c.var.deps.db, code, q);
    const notes = [
      `x = ${MEASURE_WORDS[q.measure]} by Innovate UK sector; reference: ${s.reference.label}.`,
      'Sectors are those the spreadsheet names (Innovate UK’s own sector column), not SIC codes.',
      'Relatedness: association strength φ over C = BᵀB, B = organisation × sector (organisations that won in both sectors); density = 100·Σ M·φ / Σ φ.',
    ];
    if (q.format !== 'json') {
      return exportResponse(c, q.format, {
        filename: `specialisation-${s.area.code}-${q.measure}`,
        title: `${s.area.name}: location quotients by sector`,
        rows: s.sectors,
        columns: [
          { header: 'sector', description: 'Innovate UK sector', value: (r) => r.sector },
          { header: 'value', description: 'x[r,s]', value: (r) => r.value },
          { header: 'area_total', description: 'x[r,.]', value: (r) => r.areaTotal },
          {
            header: 'reference_value',
            description: `x[.,s] in ${s.reference.label}`,
            value: (r) => r.referenceValue,
          },
          {
            header: 'reference_total',
            description: `x[.,.] in ${s.reference.label}`,
            value: (r) => r.referenceTotal,
          },
          { header: 'lq', description: 'Location quotient', value: (r) => r.lq },
          {
            header: 'participants',
            description: 'Participants behind the cell',
            value: (r) => r.participants,
          },
          {
            header: 'small_number',
            description: `Fewer than ${DEFAULT_MIN_SUPPORT} participants`,
            value: (r) => r.smallNumber,
          },
        ],
        notes,
        sources: [{ id: 'innovate_uk' }, { id: 'geo_lookups' }],
      });
    }
    return c.json(
      {
        area: { code: s.area.code, name: s.area.name, type: s.area.type, href: `/v1/areas/${s.area.code}` },
        measure: q.measure,
        reference: s.reference,
        rules: rulesOf(s.filters),
        source: toDataSource(s.source),
        minSupport: s.minSupport,
        sectors: s.sectors,
        portfolio: s.portfolio,
        notes,
      },
      200,
    );
  });
}
