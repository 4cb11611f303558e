import { createRoute, z } from '@hono/zod-openapi';
import { ApiError, PROBLEMS, type ProblemCode, problemResponses, problemType } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';

const ProblemTypeDoc = z
  .object({
    type: z.string().openapi({ example: '/problems/not-found' }),
    title: z.string().openapi({ example: 'Not found' }),
    status: z.number().int().openapi({ example: 404 }),
    description: z.string().openapi({ example: 'No resource exists at this address.' }),
  })
  .openapi('ProblemType');

const route = createRoute({
  method: 'get',
  path: '/problems/{slug}',
  operationId: 'getProblemType',
  description:
    'What a problem `type` URI in an error body means: its title, HTTP status and when it is answered.',
  tags: ['Service'],
  summary: 'What a problem `type` means',
  request: {
    params: z.object({
      slug: z
        .string()
        .openapi({ description: 'The last part of a problem `type`, e.g. not-found.', example: 'not-found' }),
    }),
  },
  responses: {
    200: { description: 'The problem type', content: { 'application/json': { schema: ProblemTypeDoc } } },
    ...problemResponses('not_found'),
  },
});

export function problemRoutes() {
  return createRouter({ readsDatabase: false }).openapi(route, (c) => {
    const code = c.req.valid('param').slug.replaceAll('-', '_') as ProblemCode;
    if (!Object.hasOwn(PROBLEMS, code))
      throw new ApiError('not_found', `No problem type is called ${c.req.valid('param').slug}.`);
    const p = PROBLEMS[code];
    return c.json(
      { type: problemType(code), title: p.title, status: p.status, description: p.description },
      200,
    );
  });
}
