import { createRoute, z } from '@hono/zod-openapi';
import { AreaCode, intQuery, LepCode, yearQuery } from '../http/params.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { embedPolicy } from '../render/embed.ts';
import { areaInvestmentsEmbed, indicatorMapEmbed, lepCard, oembedFor } from '../services/embeds.ts';
import { filterQuery } from './investment-views.ts';
import { IndicatorIdParam, mapQuery } from './maps.ts';

/**
 * Widgets for LEP and council sites: self-contained HTML pages made to be framed (the only pages
 * that may be: Content-Security-Policy frame-ancestors *), and oEmbed for CMSs that embed by URL.
 */

const htmlResponse = (description: string) => ({
  description,
  content: {
    'text/html': {
      schema: z.string().openapi({
        description:
          'A self-contained page: inline CSS and one small inline script that posts its height to the parent window.',
      }),
    },
  },
});

const lepRoute = createRoute({
  method: 'get',
  path: '/embed/leps/{code}',
  operationId: 'embedLepCard',
  tags: ['Embeds'],
  summary: 'A LEP profile card to frame on another site',
  description:
    'Headline figures of one of the 38 LEPs with rank of 38, the source and the dataset version. ' +
    'Posts {type: "innovation-observatory:height", height} to the parent so it can size the iframe.',
  request: { params: z.object({ code: LepCode }) },
  responses: { 200: htmlResponse('The card'), ...problemResponses('bad_request', 'not_found') },
});

const mapRoute = createRoute({
  method: 'get',
  path: '/embed/indicators/{id}/map',
  operationId: 'embedIndicatorMap',
  tags: ['Embeds'],
  summary: 'An indicator map to frame on another site',
  description:
    'The LEP choropleth (boundaries or hexes) inline, each area focusable with its name, value and rank, ' +
    'with the figures as a list for readers who cannot use the map.',
  request: {
    params: z.object({ id: IndicatorIdParam }),
    query: z.object({
      year: yearQuery('Default: the latest year on the 2021 LEP geography.').optional(),
      shape: z.enum(['boundaries', 'hex']).default('hex').openapi({
        description: 'hex (default: one equal hexagon per LEP, readable when small) or boundaries.',
        example: 'hex',
      }),
      ...mapQuery,
    }),
  },
  responses: { 200: htmlResponse('The map'), ...problemResponses('bad_request', 'not_found') },
});

const investmentsRoute = createRoute({
  method: 'get',
  path: '/embed/areas/{code}/investments',
  operationId: 'embedAreaInvestments',
  tags: ['Embeds'],
  summary: 'The Innovate UK headline for an area, to frame on another site',
  description:
    'Grant offered, projects, organisations, share of England, top sectors and the trend by year. ' +
    'Marked SYNTHETIC when the loaded Innovate UK data is the generated stand-in.',
  request: { params: z.object({ code: AreaCode }), query: z.object({ overlap: filterQuery.overlap }) },
  responses: { 200: htmlResponse('The widget'), ...problemResponses('bad_request', 'not_found') },
});

const OEmbedSchema = z
  .object({
    version: z.literal('1.0'),
    type: z.literal('rich'),
    title: z.string().openapi({ example: 'LEP profile card' }),
    provider_name: z.string().openapi({ example: 'innovation-observatory' }),
    provider_url: z.string().openapi({ example: 'https://observatory.example' }),
    html: z.string().openapi({ description: 'An <iframe> of the embed page.' }),
    width: z.number().int().openapi({ example: 480 }),
    height: z.number().int().openapi({ example: 460 }),
    cache_age: z.number().int().openapi({ description: 'Seconds the answer may be cached.', example: 3600 }),
  })
  .openapi('OEmbed');

const oembedRoute = createRoute({
  method: 'get',
  path: '/oembed',
  operationId: 'getOEmbed',
  tags: ['Embeds'],
  summary: 'oEmbed 1.0 for the embed pages, so a CMS can embed them by URL',
  description:
    'Answers for URLs of this service’s /embed/ pages only (404 for any other). JSON only: format=xml is 501, as the oEmbed spec asks.',
  request: {
    query: z.object({
      url: z.string().max(2000).openapi({
        description: 'Absolute URL of an /embed/ page of this service.',
        example: 'https://observatory.example/embed/leps/E37000015',
      }),
      maxwidth: intQuery({
        min: 100,
        max: 4000,
        description: 'Largest width the consumer can show, in pixels.',
        example: 600,
      }).optional(),
      maxheight: intQuery({
        min: 100,
        max: 4000,
        description: 'Largest height the consumer can show, in pixels.',
        example: 800,
      }).optional(),
      format: z.enum(['json', 'xml']).default('json').openapi({
        description: 'json (the only format served; xml answers 501).',
        example: 'json',
      }),
    }),
  },
  responses: {
    200: { description: 'The oEmbed answer', content: { 'application/json': { schema: OEmbedSchema } } },
    ...problemResponses('bad_request', 'not_found', 'not_implemented'),
  },
});

async function html(text: string) {
  return new Response(text, {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': await embedPolicy() },
  });
}

export function embedRoutes() {
  return createRouter()
    .openapi(lepRoute, async (c) => html(await lepCard(c.var.deps.db, c.req.valid('param').code)))
    .openapi(mapRoute, async (c) =>
      html(await indicatorMapEmbed(c.var.deps.db, { id: c.req.valid('param').id, ...c.req.valid('query') })),
    )
    .openapi(investmentsRoute, async (c) =>
      html(
        await areaInvestmentsEmbed(c.var.deps.db, c.req.valid('param').code, c.req.valid('query').overlap),
      ),
    )
    .openapi(oembedRoute, (c) => {
      const q = c.req.valid('query');
      if (q.format === 'xml')
        throw new ApiError('not_implemented', 'oEmbed is served as JSON only; use format=json.');
      return c.json(oembedFor(q, new URL(c.req.url).origin), 200);
    });
}
