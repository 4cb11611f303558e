import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';
import { ApiError } from './problem.ts';

/** One JSON line per request, written after the response is ready. */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { log, now } = c.var.deps;
    const start = now();
    await next();
    log({
      level: c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((now() - start) * 10) / 10,
      request_id: c.var.requestId,
    });
  };
}

/** The API is read-only: anything but GET/HEAD/OPTIONS is a 405 problem. */
export function readOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    c.header('Allow', 'GET, HEAD, OPTIONS');
    throw new ApiError('method_not_allowed', `${c.req.method} is not supported; this API is read-only.`);
  };
}

/**
 * Data only changes when a new dataset is loaded, so successful reads may be cached for an hour
 * and then revalidated cheaply with the ETag (a 304 costs no body).
 */
export function cacheControl(
  value = 'public, max-age=3600, stale-while-revalidate=86400',
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', value);
  };
}
