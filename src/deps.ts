import type { Db } from './db/client.ts';

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
}

/** Reads a static file by URL path ("/widget.js"); null when there is none. */
export interface AssetStore {
  fetch(path: string): Promise<Response | null>;
}

export type AppEnv = { Variables: { requestId: string; deps: Deps } };
