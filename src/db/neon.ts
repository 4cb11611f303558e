import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle as drizzleHttp } from 'drizzle-orm/neon-http';
import { apiDbTimeouts, DEFAULT_DB_TIMEOUT_MS } from './availability.ts';
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

/** Local endpoints by the `host:port` of the connection string that should use them. */
const localEndpoints = new Map<string, string>();
const hostPort = (host: string, port: string | number) => `${host.toLowerCase()}:${port}`;

/**
 * Send queries for `databaseUrl` to a local stand-in instead of Neon's edge. With no endpoint it
 * changes nothing, so production keeps the driver's defaults (HTTPS to the Neon host in the URL).
 * `neonConfig` is global to the isolate, so the choice is keyed by the connection string's host
 * and port: two apps in one isolate (a test's) can use different endpoints.
 */
export function configureNeonLocal(databaseUrl: string, endpoints: NeonLocalEndpoints): void {
  if (!endpoints.fetchEndpoint) return;
  const { hostname, port } = new URL(databaseUrl);
  if (localEndpoints.size === 0) {
    const neonDefault = neonConfig.fetchEndpoint;
    neonConfig.fetchEndpoint = (host, p, opts) =>
      localEndpoints.get(hostPort(host, p)) ??
      (typeof neonDefault === 'function' ? neonDefault(host, p, opts) : neonDefault);
  }
  localEndpoints.set(hostPort(hostname, port), endpoints.fetchEndpoint);
}

/** How long a query's round trip may take before it is abandoned (DB_TIMEOUT_MS + 0.5 s). */
let answerMs = apiDbTimeouts(DEFAULT_DB_TIMEOUT_MS).queryMs;

/**
 * Every query's fetch carries a deadline: an edge or database that accepts the request and never
 * answers must not hold the request open (the TimeoutError becomes a 503, src/db/availability.ts).
 * Set once per isolate (it is driver-global), from the DB_TIMEOUT_MS binding.
 */
export function configureNeonTimeout(timeoutMs: number): void {
  answerMs = apiDbTimeouts(timeoutMs).queryMs;
  neonConfig.fetchFunction = (url: string, init: RequestInit) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(answerMs) });
}

/** A Drizzle database over Neon's HTTP mode. Cheap to keep for the life of an isolate. */
export function createNeonHttpDb(databaseUrl: string): Db {
  // NeonHttpDatabase is a PgDatabase over its own result type; routes only use the common API.
  return drizzleHttp({ client: neon(databaseUrl), schema }) as unknown as Db;
}
