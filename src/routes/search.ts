import { createRoute, z } from '@hono/zod-openapi';
import { intQuery } from '../http/params.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { search } from '../services/search.ts';

const SEARCH_TYPES = ['lep', 'region', 'country', 'lad', 'pcon', 'pcon2024', 'postcode'] as const;

const LepRef = z
  .object({
    code: z.string().openapi({ example: 'E37000015' }),
    name: z.string().openapi({ example: 'Greater Manchester' }),
    href: z.string().openapi({ example: '/v1/areas/E37000015' }),
    share: z
      .number()
      .nullable()
      .openapi({ description: 'Share (0–1) of the place’s postcodes in this LEP.', example: 1 }),
  })
  .openapi('SearchLep');

const SearchResult = z
  .object({
    kind: z.enum(['area', 'postcode', 'outcode']).openapi({
      description:
        'area (matched by name), postcode (a full postcode) or outcode (a postcode district such as M1).',
      example: 'area',
    }),
    type: z.string().openapi({
      description: 'Area type (lep, region, country, lad, pcon, pcon2024), or postcode / outcode.',
      example: 'lad',
    }),
    code: z.string().openapi({ description: 'GSS code, postcode or outward code.', example: 'E08000003' }),
    name: z.string().openapi({ example: 'Manchester' }),
    matchedName: z.string().nullable().openapi({
      description: 'The former name that matched, when it was not the current one.',
      example: null,
    }),
    status: z
      .enum(['live', 'terminated'])
      .openapi({ description: 'Whether the code is current.', example: 'live' }),
    score: z.number().openapi({
      description:
        '1 exact, 0.9 prefix, 0.8 word prefix, 0.6 substring, below 0.5 similar spelling (pg_trgm).',
      example: 1,
    }),
    href: z.string().openapi({
      description: 'The resource: the area, the postcode, or for an outcode the district holding most of it.',
      example: '/v1/areas/E08000003',
    }),
    centroid: z
      .object({ lat: z.number(), lng: z.number() })
      .nullable()
      .openapi({ description: 'A representative point (mean of its postcodes, else of its boundary).' }),
    leps: z
      .array(LepRef)
      .openapi({ description: 'The 2021 LEPs the place’s postcodes fall in, largest share first.' }),
  })
  .openapi('SearchResult');

const route = createRoute({
  method: 'get',
  path: '/search',
  operationId: 'searchPlaces',
  tags: ['Geography'],
  summary: 'Find a LEP, district, region, constituency, postcode or postcode district by name or code',
  description:
    'Names are matched forgiving case, accents, punctuation and "and"/"&"; similar spellings are found with ' +
    'trigram similarity. A full postcode or an outward code (e.g. "M1") answers with that place and its LEP(s).',
  request: {
    query: z.object({
      q: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .openapi({ description: 'What to look for.', example: 'stoke & staffs' }),
      types: z
        .string()
        .max(200)
        .optional()
        .openapi({
          description: `Comma-separated types to include: ${SEARCH_TYPES.join(', ')}. Default: all.`,
          example: 'lep,lad',
        }),
      limit: intQuery({
        min: 1,
        max: 50,
        description: 'Most results to return (1–50).',
        example: 10,
      }).default(10),
    }),
  },
  responses: {
    200: {
      description: 'Results, best first',
      content: {
        'application/json': {
          schema: z
            .object({
              query: z
                .string()
                .openapi({ description: 'The query as received (trimmed).', example: 'stoke & staffs' }),
              key: z.string().openapi({ description: 'The query as matched.', example: 'stoke staffs' }),
              results: z.array(SearchResult),
            })
            .openapi('SearchResults'),
        },
      },
    },
    ...problemResponses('bad_request'),
  },
});

export function searchRoutes() {
  return createRouter().openapi(route, async (c) => {
    const q = c.req.valid('query');
    const types = q.types
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const bad = types?.filter((t) => !(SEARCH_TYPES as readonly string[]).includes(t)) ?? [];
    if (bad.length) {
      throw new ApiError('bad_request', `Unknown type(s): ${bad.join(', ')}.`, [
        { location: 'query.types', message: `Expected some of: ${SEARCH_TYPES.join(', ')}` },
      ]);
    }
    return c.json(await search(c.var.deps.db, { q: q.q, types, limit: q.limit }), 200);
  });
}
