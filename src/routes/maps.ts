import { createRoute, z } from '@hono/zod-openapi';
import { MAX_CLASSES, MIN_CLASSES } from '../domain/map-classes.ts';
import { INDICATOR_ID, intQuery, yearQuery } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { svgAnswer } from '../http/svg.ts';
import { INVESTMENT_MAP_TYPES, indicatorMapSvg, investmentMapSvg } from '../services/maps.ts';
import { filterQuery } from './investment-views.ts';

/** Server-rendered SVG choropleths: no JavaScript, embeddable as an <img>. */

export const IndicatorIdParam = z
  .string()
  .regex(INDICATOR_ID, 'Expected an indicator id such as university-research-income')
  .openapi({ description: 'Indicator id from /v1/indicators.', example: 'enterprise-birth-rate' });

export const mapQuery = {
  classes: z.enum(['quantile', 'jenks']).optional().openapi({
    description:
      'How values are grouped into colour classes: quantile (default; about equal numbers of areas per class) or jenks (natural breaks). Location quotients always use fixed breaks around 1.',
    example: 'quantile',
  }),
  k: intQuery({
    min: MIN_CLASSES,
    max: MAX_CLASSES,
    description: `Number of classes (${MIN_CLASSES}–${MAX_CLASSES}); default 5.`,
    example: 5,
  }).optional(),
};

const svgQuery = {
  ...mapQuery,
  shape: z.enum(['boundaries', 'hex']).default('boundaries').openapi({
    description: 'boundaries (generalised ONS outlines) or hex (one equal hexagon per area).',
    example: 'hex',
  }),
  width: intQuery({
    min: 320,
    max: 1600,
    description: 'Drawing width in pixels (320–1600); default 640. It scales to its container.',
    example: 640,
  }).optional(),
};

const svgResponse = (description: string) => ({
  description,
  content: {
    'image/svg+xml': {
      schema: z
        .string()
        .openapi({ description: 'A self-contained SVG document (no script, no external reference).' }),
    },
  },
});

const indicatorSvgRoute = createRoute({
  method: 'get',
  path: '/indicators/{id}/map.svg',
  operationId: 'getIndicatorMapSvg',
  tags: ['Maps'],
  summary: 'A choropleth of one indicator across the 38 LEPs, as SVG',
  description:
    'Title, legend (method and breaks), source line, dataset version, and a <title> per LEP naming its value and rank. ' +
    'Colours: viridis (colour-blind safe) light to dark for low to high; grey for no data.',
  request: {
    params: z.object({ id: IndicatorIdParam }),
    query: z.object({
      year: yearQuery('Default: the latest year on the 2021 LEP geography.').optional(),
      ...svgQuery,
    }),
  },
  responses: { 200: svgResponse('The map'), ...problemResponses('bad_request', 'not_found') },
});

const { area: _area, postcode: _postcode, ...mapFilters } = filterQuery;

const investmentSvgRoute = createRoute({
  method: 'get',
  path: '/investments/map.svg',
  operationId: 'getInvestmentMapSvg',
  tags: ['Maps'],
  summary: 'A choropleth of Innovate UK grant offered by LEP, district or 2024 constituency, as SVG',
  description:
    'Grant offered to counted participants (withdrawn excluded unless asked), under the stated LEP overlap policy. ' +
    'Built from SYNTHETIC data when that is what is loaded, and then says so on the map.',
  request: {
    query: z.object({
      groupBy: z.enum(INVESTMENT_MAP_TYPES).default('lep').openapi({
        description: 'Areas drawn: lep, lad (2023 districts) or pcon2024.',
        example: 'lep',
      }),
      ...mapFilters,
      ...svgQuery,
    }),
  },
  responses: { 200: svgResponse('The map'), ...problemResponses('bad_request', 'not_found') },
});

export function mapRoutes() {
  return createRouter()
    .openapi(indicatorSvgRoute, async (c) => {
      const q = c.req.valid('query');
      return svgAnswer(await indicatorMapSvg(c.var.deps.db, { id: c.req.valid('param').id, ...q }));
    })
    .openapi(investmentSvgRoute, async (c) => {
      const { groupBy, shape, classes, k, width, ...filters } = c.req.valid('query');
      return svgAnswer(await investmentMapSvg(c.var.deps.db, { filters, groupBy, shape, classes, k, width }));
    });
}
