import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { cacheKey, cacheKeyOf, ifNoneMatchHits } from '../http/cache.ts';
import { policyFor, policyHeader, type RateLimiter, stateHeader } from '../http/rate-limit.ts';
import { REQUEST_ID_PATTERN } from '../http/request-id.ts';
import { compressResponse } from './compress.ts';
import type { DatasetVersionCell } from './dataset-version.ts';
import { acceptsEncoding, type CachedAnswer, type MemoryResponseCache } from './response-cache.ts';

/**
 * The Node entry's HTTP front: a repeated read is answered from the response cache straight onto
 * the socket, before Hono, routing, zod or any middleware; everything else goes to the app
 * (through @hono/node-server) and has its body compressed on the way out (./compress.ts).
 *
 * The front adds no behaviour of its own. It answers only what the app has already answered for
 * the same key (build, dataset version, origin, normalised URL — src/http/cache.ts), with the very
 * headers the app sent then (learned by the cache entry from that answer, every middleware's
 * CORS, security, frame-policy and route headers included), and fills in exactly the per-request
 * ones the app's middleware would: `X-Request-Id`, `RateLimit-Policy` / `RateLimit` (peeked, never
 * counted: cache hits do not count), `X-Cache: hit`, `Vary`, `Content-Encoding`, `Content-Length`,
 * and the same request log line. A matching `If-None-Match` is a 304 the same way. Whatever it
 * cannot answer like that — another method, an unknown key, a key whose 304 it has not seen yet,
 * a host or target Hono would reject or rewrite — it leaves to the app.
 */

export interface NodeFrontOptions {
  app: { fetch: (request: Request, env: HttpBindings) => Response | Promise<Response> };
  cache?: MemoryResponseCache;
  datasetVersion: DatasetVersionCell;
  /** As given to createApp (`dev` when absent there). */
  buildId: string;
  rateLimiter?: RateLimiter;
  /** The client a request counts against (see {@link nodeClientKey}). */
  clientOf: (incoming: IncomingMessage) => string;
  log: (line: Record<string, unknown>) => void;
  now: () => number;
  /** Compress the app's answers (default true). */
  compress?: boolean;
}

/** Hosts @hono/node-server takes as they are (anything else it parses and may rewrite or refuse). */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
/** Request targets it takes as they are: no dot segments, no backslash, nothing to re-encode. */
const PLAIN_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;

export function nodeFront(opts: NodeFrontOptions): RequestListener {
  const { cache, datasetVersion, buildId, rateLimiter, clientOf, log, now } = opts;
  const compress = opts.compress ?? true;
  const hono = getRequestListener(async (request, env) => {
    const res = await opts.app.fetch(request, env as HttpBindings);
    const key = cacheKeyOf(request);
    if (key !== undefined && cache) cache.learn(key, res.status, res.headers);
    return compress ? compressResponse(request, res) : res;
  });

  const fromCache = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!cache || req.method !== 'GET') return false;
    const version = datasetVersion.version;
    const host = req.headers.host;
    const target = req.url;
    if (version === null || !host || !target || !PLAIN_HOST.test(host) || !PLAIN_TARGET.test(target))
      return false;
    if (DOT_SEGMENT.test(target)) return false;
    const start = now();
    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    const url = new URL(`${scheme}://${host}${target}`);
    const key = cacheKey(buildId, version, url);
    const entry = cache.lookup(key);
    if (!entry) return false;
    const inm = req.headers['if-none-match'];
    let status = 200;
    if (inm !== undefined && ifNoneMatchHits(inm, entry.etag)) {
      if (!entry.front304) return false;
      status = 304;
    } else if (!entry.front200) return false;

    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    const headers = (status === 200 ? entry.front200 : entry.front304) as readonly string[];
    const out = headers.concat('x-request-id', id, 'vary', entry.vary);
    if (rateLimiter) {
      const policy = policyFor(rateLimiter.policies, url);
      const decision = rateLimiter.peek(clientOf(req), policy);
      out.push('ratelimit-policy', policyHeader(policy), 'ratelimit', stateHeader(policy, decision));
    }
    if (status === 304) {
      cache.stats.front++;
      res.writeHead(304, out);
      res.end();
    } else {
      cache.touch(key, entry);
      const body = encoded(entry, req.headers['accept-encoding'], out);
      out.push('x-cache', 'hit', 'content-length', String(body.byteLength));
      res.writeHead(200, out);
      res.end(body);
    }
    log({
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: url.pathname,
      status,
      duration_ms: Math.round((now() - start) * 10) / 10,
      request_id: id,
    });
    return true;
  };

  return (req, res) => {
    if (!fromCache(req, res)) void hono(req, res);
  };
}

/** The stored form the request accepts best (as MemoryResponseCache.match chooses). */
function encoded(entry: CachedAnswer, accept: string | undefined, out: string[]): Uint8Array {
  if (!accept) return entry.body;
  if (entry.br && acceptsEncoding(accept, 'br')) {
    out.push('content-encoding', 'br');
    return entry.br;
  }
  if (entry.gzip && acceptsEncoding(accept, 'gzip')) {
    out.push('content-encoding', 'gzip');
    return entry.gzip;
  }
  return entry.body;
}

/**
 * The client a request counts against: the named proxy header's first address, else the socket's.
 * `of` reads a Node request (the front); `forApp` is the app's `clientKey` (the same, from the
 * bindings @hono/node-server passes; the header alone when there are none, as in `app.request`).
 */
export function nodeClientKey(header: string | undefined) {
  const name = header?.toLowerCase();
  const first = (v: string | null | undefined) => v?.split(',')[0]?.trim() || undefined;
  const of = (incoming: IncomingMessage): string => {
    if (name) {
      const raw = incoming.headers[name];
      const v = first(Array.isArray(raw) ? raw.join(',') : raw);
      if (v) return v;
    }
    return incoming.socket.remoteAddress ?? 'unknown';
  };
  const forApp = (request: Request, env: unknown): string => {
    const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming) return of(incoming);
    return (name ? first(request.headers.get(name)) : undefined) ?? 'unknown';
  };
  return { of, forApp };
}
