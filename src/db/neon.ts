import { neon, neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle as drizzleHttp } from 'drizzle-orm/neon-http';
import { drizzle as drizzleWs, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { Db } from './client.ts';
import * as schema from './schema.ts';

/**
 * The Neon driver in its two modes, for the Worker. Nothing here imports Node-only modules.
 *
 * - HTTP (`neon()` + drizzle-orm/neon-http): one HTTPS round trip per query and no connection to
 *   set up, so it is the read path for every request. It cannot hold a session or transaction.
 * - WebSocket (`Pool` + drizzle-orm/neon-serverless): a real Postgres session, for anything that
 *   needs one (transactions, SET LOCAL, advisory locks). workerd forbids sharing I/O objects
 *   between requests, so a Pool lives inside one request: see {@link withNeonSession}.
 */

/** Where a local stand-in for Neon's edge listens (src/node/neon-local.ts); unset in production. */
export interface NeonLocalEndpoints {
  /** SQL-over-HTTP endpoint, e.g. http://127.0.0.1:8788/sql. */
  fetchEndpoint?: string | undefined;
  /** WebSocket proxy as host:port/path without a scheme, e.g. 127.0.0.1:8788/v2. */
  wsProxy?: string | undefined;
}

/**
 * Point the driver at a local stand-in instead of Neon's edge. With no endpoints it changes
 * nothing, so production keeps the driver's defaults (HTTPS/WSS to the Neon host in the URL).
 * `neonConfig` is global to the isolate: call it before the first query, with the same values.
 */
export function configureNeonLocal(endpoints: NeonLocalEndpoints): void {
  if (endpoints.fetchEndpoint) neonConfig.fetchEndpoint = endpoints.fetchEndpoint;
  if (endpoints.wsProxy) {
    neonConfig.wsProxy = endpoints.wsProxy;
    // The local proxy speaks plain ws:// to a Postgres without TLS, and a Postgres that is not
    // Neon does not accept the pipelined start-up Neon's proxy allows.
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}

/** A Drizzle database over Neon's HTTP mode. Cheap to keep for the life of an isolate. */
export function createNeonHttpDb(databaseUrl: string): Db {
  // NeonHttpDatabase is a PgDatabase over its own result type; routes only use the common API.
  return drizzleHttp({ client: neon(databaseUrl), schema }) as unknown as Db;
}

/** A Drizzle database over one WebSocket Pool (drizzle-orm/neon-serverless); supports transactions. */
export type NeonSessionDb = NeonDatabase<typeof schema>;

/** Options for {@link withNeonSession}. */
export interface NeonSessionOptions {
  databaseUrl: string;
  /** The request's ExecutionContext: the Pool is closed after the response, not before it. */
  ctx: Pick<ExecutionContext, 'waitUntil'>;
  /** Errors of idle connections (e.g. the server closed one); without a listener they are uncaught. */
  onError?: (err: Error) => void;
}

/**
 * Run `fn` with a WebSocket-mode database whose Pool exists only for this request. Use it for
 * writes or reads that need one session (`db.transaction(…)`); plain reads belong on the HTTP db.
 */
export async function withNeonSession<T>(
  opts: NeonSessionOptions,
  fn: (db: NeonSessionDb) => Promise<T>,
): Promise<T> {
  const pool = new Pool({ connectionString: opts.databaseUrl });
  let ending = false;
  const report =
    opts.onError ??
    ((err: Error) =>
      console.error(JSON.stringify({ level: 'error', msg: 'neon pool error', error: err.message })));
  pool.on('error', (err: Error) => {
    // Once end() has sent Terminate the server drops the socket, which workerd reports as
    // "Network connection lost" on the ended client: expected, not worth a log line.
    if (!ending) report(err);
  });
  try {
    return await fn(drizzleWs({ client: pool, schema }));
  } finally {
    ending = true;
    opts.ctx.waitUntil(pool.end());
  }
}
