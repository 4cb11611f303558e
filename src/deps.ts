import type { Db } from './db/client.ts';
import type { DatasetVersionSource, ResponseStore } from './http/cache.ts';
import type { RateLimiter } from './http/rate-limit.ts';

/** Everything the app needs from its runtime; built by src/index.ts (Worker) or src/node/ (Node). */
export interface Deps {
  /** Database for this request. The Worker may hand out a fresh client per request. */
  db: Db;
  /** Which runtime built these deps, reported by /health. */
  runtime: 'workers' | 'node';
  /** Where request logs go; one JSON line per request. */
  log: (line: Record<string, unknown>) => void;
  /** Clock, injectable for tests. */
  now: () => number;
  /** Static files (landing page, widget.js, Swagger UI): the Workers assets binding or public/ on Node. */
  assets?: AssetStore;
  /**
   * The version of the dataset being served, for version-keyed ETags and caches. Node holds it in
   * memory (updated by LISTEN); the Worker memoises it. Default: read from the database per request.
   */
  datasetVersion?: DatasetVersionSource;
  /** What the running code is (cache keys and ETags change with it). Default "dev". */
  buildId?: string;
  /** Rendered responses by dataset version and URL: Node's memory cache, the Workers Cache API. */
  responseCache?: ResponseStore;
  /** Request quotas per client (src/http/rate-limit.ts); none = unlimited. */
  rateLimiter?: RateLimiter;
  /** Who the client is, for rate limits: the socket's address on Node, CF-Connecting-IP on Workers. */
  clientKey?: (request: Request, env: unknown) => string;
}

/** Reads a static file by URL path ("/widget.js"); null when there is none. */
export interface AssetStore {
  fetch(path: string): Promise<Response | null>;
}

/** How the versioned cache answered this request (set by src/http/cache.ts). */
export type CacheStatus = 'hit' | 'miss' | 'revalidated';

export type AppEnv = { Variables: { requestId: string; deps: Deps; cacheStatus?: CacheStatus } };
