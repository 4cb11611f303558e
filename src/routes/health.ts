import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { checkDatabase } from '../services/datasets.ts';

const Health = z
  .object({
    status: z.literal('ok').openapi({ description: 'Always "ok" when the process answers.' }),
    runtime: z.enum(['workers', 'node']).openapi({ description: 'Which runtime served the request.' }),
  })
  .openapi('Health');

const Ready = z
  .object({ status: z.literal('ready').openapi({ description: '"ready" when the database answered.' }) })
  .openapi('Ready');

const health = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  description:
    'Liveness: answers 200 as long as the process runs. Never touches the database, so it says nothing about data; use /ready for that.',
  tags: ['Service'],
  summary: 'Liveness: the process answers (no database call)',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } },
});

const ready = createRoute({
  method: 'get',
  path: '/ready',
  operationId: 'getReady',
  description:
    'Readiness: runs a trivial query against the database and answers 200 when it replies; 503 problem+json when the database cannot be reached.',
  tags: ['Service'],
  summary: 'Readiness: the database answers',
  responses: {
    200: { description: 'Database reachable', content: { 'application/json': { schema: Ready } } },
    ...problemResponses('unavailable'),
  },
});

export function healthRoutes() {
  return createRouter({ readsDatabase: false })
    .openapi(health, (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'ok' as const, runtime: c.var.deps.runtime }, 200);
    })
    .openapi(ready, async (c) => {
      c.header('Cache-Control', 'no-store');
      await checkDatabase(c.var.deps.db);
      return c.json({ status: 'ready' as const }, 200);
    });
}
