import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';

/**
 * The request id: the client's `X-Request-Id` when it is a safe token, otherwise a fresh UUID.
 * It is echoed in the response header, every problem body and every log line, so a client value
 * is only taken when it cannot forge or break any of those: at most 128 characters of
 * `A-Z a-z 0-9 . _ : -` (enough for UUIDs, W3C trace ids and most proxies' ids; no spaces,
 * quotes, slashes, control characters or non-ASCII).
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(generate: () => string = () => crypto.randomUUID()): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header('X-Request-Id');
    const id = given !== undefined && REQUEST_ID_PATTERN.test(given) ? given : generate();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
  };
}
