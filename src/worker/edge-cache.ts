import type { DatasetVersionSource, ResponseStore } from '../http/cache.ts';

/**
 * The Worker's caches, on Cloudflare's Cache API (`caches.default`, per data centre):
 *
 * - {@link EdgeDatasetVersion}: the dataset version, remembered per isolate for `ttlSeconds` and
 *   shared between isolates through the Cache API for as long, so a warm data centre asks Neon for
 *   it at most once per `ttlSeconds`. A newly swapped-in dataset is therefore served everywhere
 *   within 2 × `ttlSeconds` (default 30 s → within 60 s).
 * - {@link EdgeResponseCache}: rendered 200s keyed by (deployment, dataset version, URL), so a
 *   repeated read never reaches Neon. Entries of an old version or deployment are simply never
 *   asked for again and age out.
 */

/** A URL for a cache key (the Cache API keys by URL; this host is never fetched). */
const keyUrl = (key: string) => `https://observatory-cache.internal/${encodeURIComponent(key)}`;

const VERSION_KEY = keyUrl('dataset-version');

export class EdgeDatasetVersion implements DatasetVersionSource {
  private memo: { version: string | null; until: number } | undefined;
  private pending: Promise<string | null> | undefined;
  private readonly read: () => Promise<string | null>;
  private readonly now: () => number;
  private readonly ttlSeconds: number;
  private readonly cache: () => Cache | undefined;
  private readonly defer: (work: Promise<unknown>) => void;

  constructor(opts: {
    /** The database read (one indexed query). */
    read: () => Promise<string | null>;
    now: () => number;
    ttlSeconds?: number;
    cache?: () => Cache | undefined;
    /** Keeps the background cache write alive (ctx.waitUntil is per request; this is per isolate). */
    defer?: (work: Promise<unknown>) => void;
  }) {
    this.read = opts.read;
    this.now = opts.now;
    this.ttlSeconds = opts.ttlSeconds ?? 30;
    this.cache = opts.cache ?? defaultCache;
    this.defer = opts.defer ?? ((w) => void w.catch(() => {}));
  }

  current(): Promise<string | null> {
    const memo = this.memo;
    if (memo && this.now() < memo.until) return Promise.resolve(memo.version);
    // One lookup at a time per isolate, however many requests arrive meanwhile.
    this.pending ??= this.lookUp().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async lookUp(): Promise<string | null> {
    const cache = this.cache();
    const shared = await cache?.match(VERSION_KEY).catch(() => undefined);
    let version: string | null;
    if (shared) {
      version = ((await shared.json()) as { version: string | null }).version;
    } else {
      version = await this.read();
      if (cache) {
        const res = new Response(JSON.stringify({ version }), {
          headers: { 'Content-Type': 'application/json', 'Cache-Control': `max-age=${this.ttlSeconds}` },
        });
        this.defer(cache.put(VERSION_KEY, res));
      }
    }
    this.memo = { version, until: this.now() + this.ttlSeconds * 1000 };
    return version;
  }
}

/** Headers kept with a stored answer (the rest are added per request by the middleware). */
const KEPT = ['content-type', 'content-disposition', 'cache-control', 'etag', 'content-language'];

export class EdgeResponseCache implements ResponseStore {
  private readonly cache: () => Cache | undefined;

  constructor(cache: () => Cache | undefined = defaultCache) {
    this.cache = cache;
  }

  async match(key: string): Promise<Response | null> {
    const hit = await this.cache()
      ?.match(keyUrl(key))
      .catch(() => undefined);
    if (!hit) return null;
    const headers = new Headers();
    for (const name of KEPT) {
      const v = hit.headers.get(name);
      if (v !== null) headers.set(name, v);
    }
    return new Response(hit.body, { status: 200, headers });
  }

  async put(key: string, response: Response, defer: (work: Promise<unknown>) => void): Promise<Response> {
    const cache = this.cache();
    if (!cache || !response.body) return response;
    const [forClient, forCache] = response.body.tee();
    const headers = new Headers();
    for (const name of KEPT) {
      const v = response.headers.get(name);
      if (v !== null) headers.set(name, v);
    }
    defer(cache.put(keyUrl(key), new Response(forCache, { status: 200, headers })).catch(() => {}));
    return new Response(forClient, response);
  }
}

function defaultCache(): Cache | undefined {
  return typeof caches === 'undefined' ? undefined : (caches as unknown as { default: Cache }).default;
}
