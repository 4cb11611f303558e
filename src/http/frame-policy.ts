import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';

/** Paths made to be framed by other sites: the embed widgets. */
export const isEmbedPath = (path: string) => path.startsWith('/embed/');

/**
 * Who may frame what. Every page keeps `X-Frame-Options: SAMEORIGIN` except the /embed/ widgets,
 * which carry `Content-Security-Policy: frame-ancestors *` (set by their routes) and no
 * X-Frame-Options, since a browser honouring both would refuse the frame.
 */
export function framePolicy(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (isEmbedPath(c.req.path)) {
      c.res.headers.delete('X-Frame-Options');
      const csp = c.res.headers.get('Content-Security-Policy');
      if (!csp?.includes('frame-ancestors')) {
        c.res.headers.set('Content-Security-Policy', csp ? `${csp}; frame-ancestors *` : 'frame-ancestors *');
      }
    } else {
      c.res.headers.set('X-Frame-Options', 'SAMEORIGIN');
    }
  };
}
