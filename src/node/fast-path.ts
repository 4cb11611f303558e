import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { cacheKey, cacheKeyOf, ifNoneMatchHits, weakEtagFor } from '../http/cache.ts';
import { policyFor, policyHeader, type RateLimiter, stateHeader } from '../http/rate-limit.ts';
import { REQUEST_ID_PATTERN } from '../http/request-id.ts';
import { compressResponse } from './compress.ts';
import type { DatasetVersionCell } from './dataset-version.ts';
import {
  acceptsEncoding,
  type CachedAnswer,
  type MemoryResponseCache,
  MIN_COMPRESS_BYTES,
  PER_REQUEST_HEADERS,
  varyWithEncoding,
} from './response-cache.ts';
import type { StoredAnswerRoute } from './stored-answers.ts';

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
 *
 * A stored answer (./stored-answers.ts: a postcode's JSON, which the pipeline built whole) is read
 * straight from the database the same way: the headers are those the app sent with a 200 of the
 * same route (learned from its first one in this dataset version), plus the same per-request ones
 * and the ETag the app would give that URL. It is counted against the rate limit, as the app
 * counts it. Whatever the front cannot answer like the app — no such row, a database error, a
 * query string, `If-None-Match`, a spent limit, a body the app would compress — goes to the app.
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
  /** A route whose answers are stored whole, read without the app (see ./stored-answers.ts). */
  stored?: StoredAnswerRoute;
}

/** The headers of the app's 200 on the stored route, for one dataset version. */
interface StoredTemplate {
  version: string;
  headers: readonly string[];
  vary: string;
  xCache: string | null;
}

/** Hosts @hono/node-server takes as they are (anything else it parses and may rewrite or refuse). */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
/** Request targets it takes as they are: no dot segments, no backslash, nothing to re-encode. */
const PLAIN_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
/** The same, and encoded spaces (`/v1/postcodes/M1%201AE`), which it also keeps as they are. */
const PLAIN_TARGET_WITH_SPACES = /^\/(?:[!#$&-;=?-[\]_a-z~]|%20)*$/;

export function nodeFront(opts: NodeFrontOptions): RequestListener {
  const { cache, datasetVersion, buildId, rateLimiter, clientOf, log, now, stored } = opts;
  const compress = opts.compress ?? true;
  let template: StoredTemplate | null = null;
  const learnStored = (request: Request, res: Response) => {
    const version = datasetVersion.version;
    if (template?.version === version || version === null || res.status !== 200) return;
    if (request.method !== 'GET' || res.headers.has('content-encoding')) return;
    const xCache = res.headers.get('x-cache');
    if (xCache === 'hit') return;
    if (stored?.keyOf(new URL(request.url).pathname) === undefined) return;
    const headers: string[] = [];
    res.headers.forEach((v, name) => {
      if (!PER_REQUEST_HEADERS.has(name) && name !== 'etag') headers.push(name, v);
    });
    template = { version, headers, vary: varyWithEncoding(res.headers.get('vary')), xCache };
  };
  const hono = getRequestListener(async (request, env) => {
    const res = await opts.app.fetch(request, env as HttpBindings);
    const key = cacheKeyOf(request);
    if (key !== undefined && cache) cache.learn(key, res.status, res.headers);
    if (stored) learnStored(request, res);
    return compress ? compressResponse(request, res) : res;
  });

  /** The request's URL when the front may answer it (GET, a host and target Hono takes as they are). */
  const plainUrl = (req: IncomingMessage, target = PLAIN_TARGET): URL | undefined => {
    const host = req.headers.host;
    const url = req.url;
    if (req.method !== 'GET' || !host || !url || !PLAIN_HOST.test(host) || !target.test(url))
      return undefined;
    if (DOT_SEGMENT.test(url)) return undefined;
    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    return new URL(`${scheme}://${host}${url}`);
  };
  const requestId = (req: IncomingMessage) => {
    const given = req.headers['x-request-id'];
    return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  };

  const fromCache = (req: IncomingMessage, res: ServerResponse, url: URL | undefined): boolean => {
    const version = datasetVersion.version;
    if (!cache || !url || version === null) return false;
    const start = now();
    const key = cacheKey(buildId, version, url);
    const entry = cache.lookup(key);
    if (!entry) return false;
    const inm = req.headers['if-none-match'];
    let status = 200;
    if (inm !== undefined && ifNoneMatchHits(inm, entry.etag)) {
      if (!entry.front304) return false;
      status = 304;
    } else if (!entry.front200) return false;

    const id = requestId(req);
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

  /** Answer a stored route's request from its row, or hand it to the app. */
  const fromStore = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    key: string,
    known: StoredTemplate,
  ): Promise<void> => {
    const start = now();
    let body: string | undefined;
    try {
      body = await (stored as StoredAnswerRoute).read(key);
    } catch {
      body = undefined; // the app answers the failure (503 problem+json)
    }
    if (!body || datasetVersion.version !== known.version) return void hono(req, res);
    const bytes = Buffer.from(body);
    if (bytes.byteLength >= MIN_COMPRESS_BYTES && req.headers['accept-encoding']) return void hono(req, res);
    const id = requestId(req);
    const etag = weakEtagFor(cacheKey(buildId, known.version, url));
    const out = known.headers.concat('etag', etag, 'x-request-id', id, 'vary', known.vary);
    if (rateLimiter) {
      const policy = policyFor(rateLimiter.policies, url);
      const decision = await rateLimiter.take(clientOf(req), policy);
      // A refused take counts nothing: the app takes again, is refused, and answers its 429.
      if (!decision.allowed) return void hono(req, res);
      out.push('ratelimit-policy', policyHeader(policy), 'ratelimit', stateHeader(policy, decision));
    }
    if (known.xCache !== null) out.push('x-cache', known.xCache);
    out.push('content-length', String(bytes.byteLength));
    res.writeHead(200, out);
    res.end(bytes);
    log({
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: url.pathname,
      status: 200,
      duration_ms: Math.round((now() - start) * 10) / 10,
      request_id: id,
    });
  };

  return (req, res) => {
    if (fromCache(req, res, plainUrl(req))) return;
    const known = template;
    const url = stored && known ? plainUrl(req, PLAIN_TARGET_WITH_SPACES) : undefined;
    if (stored && url && known && url.search === '' && req.headers['if-none-match'] === undefined) {
      const key = stored.keyOf(url.pathname);
      if (key !== undefined && known.version === datasetVersion.version) {
        void fromStore(req, res, url, key, known);
        return;
      }
    }
    void hono(req, res);
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
