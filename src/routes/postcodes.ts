import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { lookupPostcode } from '../services/postcodes.ts';

const Named = z.object({ code: z.string(), name: z.string().nullable() });
const Area = Named.extend({
  href: z.string().openapi({ description: 'The area in this API.', example: '/v1/areas/E08000003' }),
});
const Placed = Area.extend({
  method: z.enum(['ward', 'point-in-polygon']).openapi({
    description:
      'How the constituency was found: from the ward lookup, or by testing the point against boundaries.',
  }),
});

const Postcode = z
  .object({
    postcode: z.string().openapi({ description: 'Normalised postcode.', example: 'M1 1AE' }),
    location: z
      .object({
        lat: z.number().openapi({ example: 53.480759 }),
        lng: z.number().openapi({ example: -2.237502 }),
        quality: z.number().int().nullable().openapi({
          description: 'Code-Point positional quality: 10 within a building … 60 approximate.',
          example: 10,
        }),
      })
      .nullable()
      .openapi({ description: 'WGS84 position; null where Code-Point gives no coordinates.' }),
    country: Area.nullable(),
    region: Area.nullable().openapi({ description: 'English region; null outside England.' }),
    lad: Area.nullable().openapi({ description: 'Local authority district (2023 districts).' }),
    ward: Named.nullable(),
    pcon: Placed.nullable().openapi({ description: 'Constituency on 2010–2024 boundaries.' }),
    pcon2024: Placed.nullable().openapi({ description: 'Constituency on 2024 boundaries.' }),
    leps: z.array(Area.extend({ name: z.string() })).openapi({
      description:
        'The 2021 LEP(s) of the district: two where a district sat in two LEPs, none outside England.',
    }),
    source: z.string().openapi({ example: 'OS Code-Point Open' }),
  })
  .openapi('Postcode');

const route = createRoute({
  method: 'get',
  path: '/postcodes/{postcode}',
  operationId: 'getPostcode',
  description:
    'Where a postcode falls: district, ward, constituencies (2010 and 2024), LEP(s) of 2021, region and WGS84 position. A postcode in a district shared by two LEPs belongs to both. Spaces and case do not matter.',
  tags: ['Geography'],
  summary: 'Where a postcode falls: district, ward, constituencies, LEP(s), region, position',
  request: {
    params: z.object({
      postcode: z
        .string()
        .max(16)
        .openapi({ description: 'Any spacing or case: "m11ae", "M1 1AE".', example: 'M1 1AE' }),
    }),
  },
  responses: {
    200: { description: 'The postcode', content: { 'application/json': { schema: Postcode } } },
    ...problemResponses('bad_request', 'not_found'),
  },
});

export function postcodeRoutes() {
  return createRouter().openapi(route, async (c) => {
    // The pipeline built this exact text (src/domain/postcode-json.ts); nothing is joined or encoded here.
    const body = await lookupPostcode(c.var.deps.db, c.req.valid('param').postcode);
    return c.body(body, 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<
      z.infer<typeof Postcode>,
      200,
      'json'
    >;
  });
}
