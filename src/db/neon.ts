import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle as drizzleHttp } from 'drizzle-orm/neon-http';
import type { Db } from './client.ts';
import * as schema from './schema.ts';

/**
 * The Neon driver for the Worker, in HTTP mode (`neon()` + drizzle-orm/neon-http): one HTTPS
 * round trip per query and no connection to set up. The Worker only reads, one statement at a
 * time, so it needs no session; writes (the pipeline) run on Node over the Postgres protocol.
 * Nothing here imports Node-only modules.
 */

/** Where a local stand-in for Neon's edge listens (src/node/neon-local.ts); unset in production. */
export interface NeonLocalEndpoints {
  /** SQL-over-HTTP endpoint, e.g. http://127.0.0.1:8788/sql. */
  fetchEndpoint?: string | undefined;
}

/**
 * Point the driver at a local stand-in instead of Neon's edge. With no endpoints it changes
 * nothing, so production keeps the driver's defaults (HTTPS to the Neon host in the URL).
 * `neonConfig` is global to the isolate: call it before the first query, with the same values.
 */
export function configureNeonLocal(endpoints: NeonLocalEndpoints): void {
  if (endpoints.fetchEndpoint) neonConfig.fetchEndpoint = endpoints.fetchEndpoint;
}

/** A Drizzle database over Neon's HTTP mode. Cheap to keep for the life of an isolate. */
export function createNeonHttpDb(databaseUrl: string): Db {
  // NeonHttpDatabase is a PgDatabase over its own result type; routes only use the common API.
  return drizzleHttp({ client: neon(databaseUrl), schema }) as unknown as Db;
}
