import { OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';
import { ApiError, type IssueDetail, issuesFrom, problemResponses } from './problem.ts';
import { RATE_POLICIES } from './rate-limit.ts';

/**
 * Every route module builds its routes on this router, so every route — today's and tomorrow's —
 * gets the same input rules without writing them:
 *
 * - a query parameter the route does not declare is a 400 naming it (`?secotr=` is not ignored);
 * - a parameter given twice where the schema takes one value is a 400 naming it;
 * - control characters (NUL and the rest of Unicode's Cc) in any query or path value, and values
 *   longer than any route needs, are a 400 naming the parameter, so they never reach SQL;
 * - schema failures become one 400 problem listing every issue with its location;
 * - the 400 is added to the route's OpenAPI responses (from the one problem table), so the spec
 *   lists every 400 the route can answer; so are the 304 every 200 can become (the ETag
 *   middleware answers `If-None-Match`) and the 500 any route may answer when something fails
 *   on our side.
 */

/** Longer than any value a route accepts (the longest lists are ~2,000 characters). */
export const MAX_QUERY_VALUE_LENGTH = 4_000;
export const MAX_PATH_VALUE_LENGTH = 256;
/** Unicode control characters (C0, DEL, C1): never meaningful in a parameter. */
const CONTROL = /\p{Cc}/u;

/** Issues the guard found, kept until the schema validation adds its own (one 400 lists both). */
const pending = new WeakMap<Request, IssueDetail[]>();

const defaultHook = (
  result: {
    success: boolean;
    target: string;
    error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
  },
  c: Context,
) => {
  if (result.success) return;
  const guarded = pending.get(c.req.raw) ?? [];
  const seen = new Set(guarded.map((i) => i.location));
  const errors = [
    ...guarded,
    ...issuesFrom(result.target, result.error?.issues ?? []).filter((i) => !seen.has(i.location)),
  ];
  pending.delete(c.req.raw);
  throw new ApiError('bad_request', 'The request is invalid.', errors);
};

/**
 * @param opts.readsDatabase false for routers none of whose routes touch the database (liveness,
 *   static pages); every other route gets the 503 the app answers when the database is away.
 */
export function createRouter(opts: { readsDatabase?: boolean } = {}) {
  const readsDatabase = opts.readsDatabase ?? true;
  const router = new OpenAPIHono<AppEnv>({ defaultHook: defaultHook as never });
  const register = router.openapi;
  // Wrap registration: every route gets the guard before its validators, its 400 documented, and
  // a check that nothing the guard found is left unreported when the schemas themselves pass.
  router.openapi = ((
    route: RouteConfig,
    handler: (c: Context, next: () => Promise<void>) => unknown,
    hook?: unknown,
  ) =>
    register(
      hardened(route, readsDatabase) as never,
      ((c: Context, next: () => Promise<void>) => {
        const issues = pending.get(c.req.raw);
        if (issues?.length) {
          pending.delete(c.req.raw);
          throw new ApiError('bad_request', 'The request is invalid.', issues);
        }
        return handler(c, next);
      }) as never,
      hook as never,
    )) as unknown as typeof router.openapi;
  return router;
}

interface QueryParam {
  /** The schema takes a list (z.array): the name may repeat. */
  repeatable: boolean;
}

/** Peel optional/default/pipe wrappers to see what a parameter finally is. */
function innermost(schema: z.ZodType): z.ZodType {
  let s = schema as z.ZodType & { def?: { type?: string; innerType?: z.ZodType; in?: z.ZodType } };
  for (;;) {
    const def = s.def;
    if (def?.innerType) s = def.innerType as typeof s;
    else if (def?.type === 'pipe' && def.in) s = def.in as typeof s;
    else return s;
  }
}

/** The query names a route declares, from its schema (never from a hand-kept list). */
export function declaredQuery(route: RouteConfig): Map<string, QueryParam> {
  const query = route.request?.query as z.ZodType | undefined;
  const names = new Map<string, QueryParam>();
  if (!query) return names;
  if (!(query instanceof z.ZodObject)) {
    throw new Error(`${route.method} ${route.path}: declare the query as a z.object so its names are known`);
  }
  for (const [name, schema] of Object.entries(query.shape as Record<string, z.ZodType>)) {
    names.set(name, { repeatable: innermost(schema) instanceof z.ZodArray });
  }
  return names;
}

const shown = (name: string) => JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);

function guard(route: RouteConfig): MiddlewareHandler {
  const declared = declaredQuery(route);
  const accepted = [...declared.keys()].join(', ') || 'none';
  return async (c, next) => {
    const issues: IssueDetail[] = [];
    for (const [name, values] of Object.entries(c.req.queries())) {
      const location = `query.${name}`;
      const param = declared.get(name);
      if (!param) {
        issues.push({ location, message: `Unknown parameter ${shown(name)}. Accepted: ${accepted}` });
        continue;
      }
      if (values.length > 1 && !param.repeatable) {
        issues.push({ location, message: `Given ${values.length} times; give it once` });
        continue;
      }
      const bad = valueProblem(values, MAX_QUERY_VALUE_LENGTH);
      if (bad) issues.push({ location, message: bad });
    }
    for (const [name, value] of Object.entries(c.req.param() as Record<string, string>)) {
      const bad = valueProblem([value], MAX_PATH_VALUE_LENGTH);
      if (bad) issues.push({ location: `path.${name}`, message: bad });
    }
    if (issues.length) pending.set(c.req.raw, issues);
    await next();
  };
}

function valueProblem(values: readonly string[], maxLength: number): string | undefined {
  if (values.some((v) => CONTROL.test(v))) return 'Contains a control character (such as NUL); remove it';
  if (values.some((v) => v.length > maxLength)) return `Longer than ${maxLength} characters`;
  return undefined;
}

/** Every 200 carries an ETag; a request whose If-None-Match still matches gets this instead. */
const NOT_MODIFIED = {
  304: {
    description:
      'Not modified: the ETag given in If-None-Match still matches, so the copy the client holds is current. No body.',
    headers: {
      ETag: { description: 'The current entity tag.', schema: { type: 'string' as const } },
    },
  },
};

/** Every route can answer 429 (src/http/rate-limit.ts): documented once, here. */
function rateLimited() {
  const [entry] = Object.values(problemResponses('rate_limited'));
  return {
    429: {
      ...entry,
      headers: {
        'Retry-After': {
          description: 'Seconds until the window resets.',
          schema: { type: 'integer' as const },
        },
        RateLimit: {
          description: 'Quota left in this window: `"<policy>";r=<remaining>;t=<seconds to reset>`.',
          schema: { type: 'string' as const },
        },
        'RateLimit-Policy': {
          description: `The policy that applies: ${Object.values(RATE_POLICIES)
            .map((p) => `\`"${p.name}";q=${p.quota};w=${p.window}\``)
            .join(' or ')}.`,
          schema: { type: 'string' as const },
        },
      },
    },
  };
}

function hardened<R extends RouteConfig>(route: R, readsDatabase: boolean): R {
  const own = route.middleware
    ? Array.isArray(route.middleware)
      ? route.middleware
      : [route.middleware]
    : [];
  return {
    ...route,
    middleware: [guard(route), ...own],
    responses: {
      ...route.responses,
      ...(route.responses[304] || !route.responses[200] ? {} : NOT_MODIFIED),
      ...(route.responses[400] ? {} : problemResponses('bad_request')),
      ...(route.responses[429] ? {} : rateLimited()),
      ...(route.responses[500] ? {} : problemResponses('internal')),
      // The database refused, dropped or did not answer in time (app.ts onError).
      ...(readsDatabase && !route.responses[503] ? problemResponses('unavailable') : {}),
    },
  };
}
