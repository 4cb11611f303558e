import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

/**
 * The one error table. Behaviour (ApiError → status/body) and the OpenAPI error responses are both
 * generated from it, so the docs cannot drift from what the API does.
 */
export const PROBLEMS = {
  bad_request: { status: 400, title: 'Bad request', description: 'A parameter is missing or malformed.' },
  not_found: { status: 404, title: 'Not found', description: 'No resource exists at this address.' },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    description: 'This public API is read-only: only GET, HEAD and OPTIONS are accepted.',
  },
  not_acceptable: {
    status: 406,
    title: 'Not acceptable',
    description: 'The requested format is not offered for this resource.',
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    description:
      'This client has used its quota for the current window (RateLimit-Policy says which). Retry after Retry-After seconds.',
  },
  not_implemented: {
    status: 501,
    title: 'Not implemented',
    description: 'The server does not offer this (e.g. oEmbed in XML: only JSON is served).',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'Something failed on our side. Quote the requestId when reporting it.',
  },
  unavailable: {
    status: 503,
    title: 'Service unavailable',
    description:
      'The database cannot be reached or did not answer in time, or no dataset is loaded yet. Retry after the Retry-After seconds.',
  },
} as const;

/** What a 503 tells clients to wait before retrying (`Retry-After`, seconds). */
export const RETRY_AFTER_SECONDS = 5;

const RETRY_AFTER_HEADER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer' as const, example: RETRY_AFTER_SECONDS },
  },
};

export type ProblemCode = keyof typeof PROBLEMS;
export type Status = (typeof PROBLEMS)[ProblemCode]['status'];

export interface IssueDetail {
  /** Where the problem is, e.g. "query.type" or "path.code". */
  location: string;
  message: string;
}

/** The single error class every handler throws; `onError` renders it as problem+json. */
export class ApiError extends Error {
  readonly code: ProblemCode;
  readonly errors: IssueDetail[] | undefined;
  constructor(code: ProblemCode, detail: string, errors?: IssueDetail[]) {
    super(detail);
    this.code = code;
    this.errors = errors;
  }
  get status(): Status {
    return PROBLEMS[this.code].status;
  }
}

export const problemType = (code: ProblemCode) => `/problems/${code.replaceAll('_', '-')}`;

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description: 'URI reference identifying the problem type.',
      example: '/problems/not-found',
    }),
    title: z.string().openapi({ description: 'Short summary of the problem type.', example: 'Not found' }),
    status: z.number().int().openapi({ description: 'HTTP status code.', example: 404 }),
    detail: z
      .string()
      .openapi({ description: 'What went wrong with this request.', example: 'No area has code E37999999.' }),
    requestId: z
      .string()
      .openapi({ description: 'Echoes the X-Request-Id header; quote it when reporting.', example: '3f2c…' }),
    errors: z
      .array(
        z.object({
          location: z.string().openapi({
            description: 'Where: query.<name>, path.<name> or header.<name>.',
            example: 'query.type',
          }),
          message: z.string().openapi({
            description: 'What is wrong there.',
            example: 'Invalid option: expected one of "lep"|"lad"',
          }),
        }),
      )
      .optional()
      .openapi({ description: 'Every validation issue, when the request failed validation.' }),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof ProblemSchema>;

export function problemBody(
  code: ProblemCode,
  detail: string,
  requestId: string,
  errors?: IssueDetail[],
): Problem {
  const p = PROBLEMS[code];
  return {
    type: problemType(code),
    title: p.title,
    status: p.status,
    detail,
    requestId,
    ...(errors ? { errors } : {}),
  };
}

export function problemResponse(
  c: Context,
  code: ProblemCode,
  detail: string,
  errors?: IssueDetail[],
): Response {
  const requestId = (c.get('requestId') as string | undefined) ?? 'unknown';
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
  };
  // A 503 is temporary (the database is away or no dataset is loaded yet): say when to retry.
  if (PROBLEMS[code].status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
  return new Response(JSON.stringify(problemBody(code, detail, requestId, errors)), {
    status: PROBLEMS[code].status,
    headers,
  });
}

/** OpenAPI `responses` entries for the given problem codes, generated from the same table. */
export function problemResponses(...codes: ProblemCode[]) {
  const out: Record<
    number,
    {
      description: string;
      headers?: typeof RETRY_AFTER_HEADER;
      content: { 'application/problem+json': { schema: typeof ProblemSchema } };
    }
  > = {};
  for (const code of codes) {
    const p = PROBLEMS[code];
    out[p.status] = {
      description: `${p.title}: ${p.description}`,
      ...(p.status === 503 ? { headers: RETRY_AFTER_HEADER } : {}),
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  }
  return out;
}

/** Turn zod issues from a request target into located issue details. */
export function issuesFrom(
  target: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): IssueDetail[] {
  const prefix = target === 'param' ? 'path' : target;
  return issues.map((i) => ({
    location: [prefix, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}
