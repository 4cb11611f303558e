import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';

/**
 * Version-keyed caching for every route, written once here so a new route gets it without any
 * work of its own. Every answer is a pure function of (code build, dataset version, URL), so:
 *
 * - the ETag is derived from exactly that (weak: the same data, not necessarily the same bytes),
 *   never from the body, so nothing has to buffer a stream to hash it;
 * - a matching `If-None-Match` is answered 304 **before** the handler runs: no database read;
 * - a runtime may plug in a {@link ResponseStore} (Node: bytes in memory; Workers: the Cache API)
 *   that answers repeated reads without running the handler at all.
 *
 * Not cached and given no ETag: non-200 answers, `Cache-Control: no-store` answers (/health,
 * /ready), and anything before a dataset is loaded.
 */

/** Where the version of the dataset being served comes from (cheap: called on every request). */
export interface DatasetVersionSource {
  /** The current dataset's version, or null when none is loaded. */
  current(): Promise<string | null>;
}

/** A store of rendered responses, keyed by {@link cacheKey}. */
export interface ResponseStore {
  /** A stored response for this key (its body in the best encoding the request accepts), or null. */
  match(key: string, request: Request): Promise<Response | null>;
  /**
   * Offer a fresh 200 for storing. Returns the response to send (the store may have read the body,
   * so it hands back one that can still be sent). `defer` keeps background work alive (Workers).
   */
  put(key: string, response: Response, defer: (work: Promise<unknown>) => void): Promise<Response>;
}

/** The Cache-Control of every cacheable 200 and every 304 (the data only changes with a reload). */
export const DEFAULT_CACHE_CONTROL = 'public, max-age=3600, stale-while-revalidate=86400';

/**
 * Bodies that are streams of unknown length (exports): never buffered by a store. The body stream
 * is marked, not the Response, because middleware re-wraps responses to set headers
 * (`new Response(res.body, res)` keeps the stream).
 */
const streamed = new WeakSet<ReadableStream>();

/** Mark a response as streamed, so no cache reads it into memory (its first byte leaves at once). */
export function markStreamed<R extends Response>(res: R): R {
  if (res.body) streamed.add(res.body);
  return res;
}

export const isStreamed = (res: Response) => res.body !== null && streamed.has(res.body);

/**
 * The request as the cache sees it: path plus query parameters sorted by name (values of a
 * repeated name keep their order, which can matter), re-encoded one way. `?b=2&a=1` and
 * `?a=1&b=2` are one entry; the handler still sees what was sent.
 */
export function normalisedUrl(url: URL): string {
  const params = [...url.searchParams];
  if (params.length === 0) return url.pathname;
  params.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

/**
 * Everything an answer depends on, as one string. The origin is part of it: some answers print
 * absolute URLs of the host that served them (the PDF report's reproduce link, oEmbed's `html`),
 * so one host's answer is never served to another (nor a forged `Host` header's to anyone).
 */
export const cacheKey = (build: string, version: string, url: URL) =>
  `${build}|${version}|${url.origin}${normalisedUrl(url)}`;

/** The key each request was looked up under, for a runtime's own front (src/node/fast-path.ts). */
const keys = new WeakMap<Request, string>();
export const cacheKeyOf = (request: Request): string | undefined => keys.get(request);

/**
 * A weak ETag for a cache key: 96 bits of a fast, synchronous hash (three 32-bit lanes of a
 * MurmurHash-style mix over the key's UTF-16 code units). Not a cryptographic digest, and it need
 * not be one: a tag is only ever compared with tags of the same URL, and the key's other parts
 * (build, dataset version) are not the client's to choose. It replaced SHA-256 through WebCrypto,
 * which cost more than the rest of a cache miss on Node.
 */
export function weakEtagFor(key: string): string {
  let a = 0x9e3779b9 ^ key.length;
  let b = 0x85ebca6b ^ key.length;
  let c = 0xc2b2ae35 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    a = Math.imul(a ^ k, 0x5bd1e995);
    a ^= a >>> 15;
    b = Math.imul(b ^ k, 0x27d4eb2f);
    b ^= b >>> 13;
    c = Math.imul(c ^ k, 0x165667b1);
    c ^= c >>> 16;
  }
  const fin = (h: number, m: number) => {
    h = Math.imul(h ^ (h >>> 16), m);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0');
  };
  // Each lane also takes in the others, so a collision needs all three at once.
  return `W/"${fin(a ^ Math.imul(b, 31), 0x85ebca6b)}${fin(b ^ Math.imul(c, 37), 0xcc9e2d51)}${fin(c ^ Math.imul(a, 41), 0x1b873593)}"`;
}

/** RFC 9110 §13.1.2: weak comparison, a list of tags, or `*`. */
export function ifNoneMatchHits(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  const want = bare(etag);
  return header.split(',').some((t) => bare(t) === want);
}

/** Paths whose answers are about the service, not the dataset: never cached, never ETagged. */
const UNCACHED = new Set(['/health', '/ready']);

/**
 * The version-keyed cache middleware (see the module comment). Everything inside it — rate limits
 * included — runs only when the answer is not already known.
 */
export function versionedCache(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' || UNCACHED.has(c.req.path)) return next();
    const { datasetVersion, buildId, responseCache } = c.var.deps;
    const version = datasetVersion ? await datasetVersion.current() : null;
    if (version === null) return next();
    const key = cacheKey(buildId ?? 'dev', version, new URL(c.req.url));
    keys.set(c.req.raw, key);
    let etag: string | undefined;
    const inm = c.req.header('If-None-Match');
    if (inm) {
      etag = weakEtagFor(key);
      if (ifNoneMatchHits(inm, etag)) {
        c.set('cacheStatus', 'revalidated');
        return notModified(etag);
      }
    }
    if (responseCache) {
      const hit = await responseCache.match(key, c.req.raw);
      if (hit) {
        c.set('cacheStatus', 'hit');
        hit.headers.set('X-Cache', 'hit');
        return hit;
      }
    }
    c.set('cacheStatus', 'miss');
    await next();
    const res = c.res;
    if (res.status !== 200 || /no-store|private/.test(res.headers.get('Cache-Control') ?? '')) return;
    res.headers.set('ETag', etag ?? weakEtagFor(key));
    res.headers.set('X-Cache', 'miss');
    if (!res.headers.has('Cache-Control')) res.headers.set('Cache-Control', DEFAULT_CACHE_CONTROL);
    if (responseCache && !isStreamed(res)) c.res = await responseCache.put(key, res, deferrer(c));
  };
}

function notModified(etag: string): Response {
  return new Response(null, {
    status: 304,
    headers: { ETag: etag, 'Cache-Control': DEFAULT_CACHE_CONTROL, Vary: 'Accept-Encoding' },
  });
}

/** Background work: `waitUntil` on Workers; on Node the promise simply runs (errors are the store's). */
function deferrer(c: Context): (work: Promise<unknown>) => void {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context (Node, app.request in tests): the work runs on its own.
      void work.catch(() => {});
    }
  };
}
