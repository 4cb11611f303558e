import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { type DbTimeouts, PIPELINE_DB_TIMEOUTS } from '../db/availability.ts';
import type { Db } from '../db/client.ts';
import * as schema from '../db/schema.ts';

/** Node-side database handles: PGlite (embedded) or a Postgres server, both migrated from drizzle/. */

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIGRATIONS_FOLDER = join(PROJECT_ROOT, 'drizzle');

export async function openPglite(dir: string | undefined): Promise<{ pglite: PGlite; db: Db }> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pglite = await createPglite(dir);
  const db = drizzlePglite(pglite, { schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { pglite, db: db as unknown as Db };
}

/** PGlite with the extensions the migrations need (pg_trgm for organisation search). */
export function createPglite(dir?: string): Promise<PGlite> {
  return PGlite.create({ ...(dir ? { dataDir: dir } : {}), extensions: { pg_trgm } });
}

/**
 * A node-postgres pool with every timeout set, so no query can hang for ever: connecting (and
 * waiting for a free client) gives up after `connectMs`, Postgres cancels statements running past
 * `statementMs`, and an answer that never comes is given up on after `queryMs` (the client is then
 * discarded, so a wedged connection never returns to the pool). TCP keep-alive notices a dead
 * peer on idle connections. Defaults to the pipeline's generous timeouts; the server passes
 * API_DB_TIMEOUTS.
 */
export async function openPostgres(
  url: string,
  opts: { migrate?: boolean; max?: number; timeouts?: DbTimeouts } = {},
) {
  const t = opts.timeouts ?? PIPELINE_DB_TIMEOUTS;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: t.connectMs,
    statement_timeout: t.statementMs,
    query_timeout: t.queryMs,
    // A transaction left open by a dead client must not hold locks for ever.
    idle_in_transaction_session_timeout: Math.max(t.statementMs, 60_000),
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema });
  if (opts.migrate ?? true) await migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { pool, db: db as unknown as Db };
}
