import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Db } from '../src/db/client.ts';
import * as schema from '../src/db/schema.ts';
import { openPostgres, PROJECT_ROOT } from '../src/node/databases.ts';
import { openEmbeddedDatabase } from '../src/node/local-db.ts';
import { ensureDataset, isSampleDir } from '../src/pipeline/load.ts';
import { pgliteRunner, pgRunner, type SqlRunner } from '../src/pipeline/sql.ts';

/** The bench's own embedded database, apart from `npm start`'s .data/pglite (git-ignored like it). */
export const BENCH_PGLITE_DIR = join(PROJECT_ROOT, '.data', 'bench-pglite');

/** The database the benchmark serves from, opened in the bench process for setup and query plans. */
export interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  /** The server child: a script run by node and its env, opening this same database. */
  server: { script: string; env: Record<string, string> };
  run: SqlRunner;
  dataset: { version: string; isSample: boolean };
  /** How the dataset got there: reused (content hash matched) or loaded now, and how long that took. */
  setup: { reused: boolean; seconds: number };
  /** A Drizzle handle that reports every statement it sends, for capturing the app's SQL. */
  recordingDb(onQuery: (text: string, params: unknown[]) => void): Db;
  /** PGlite allows one process per data directory: close before the server child opens it. */
  close(): Promise<void>;
}

/**
 * Create the scratch database named in `url` when the server lacks it (connects to `postgres`);
 * with `fresh`, drop it first.
 */
async function ensureDatabase(url: string, fresh: boolean) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error('BENCH_DATABASE_URL must name a database, e.g. …/obs_bench');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    if (fresh) await client.query(`drop database if exists ${quoted} with (force)`);
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${quoted}`);
  } finally {
    await client.end();
  }
}

export async function openBenchDatabase(opts: {
  url: string | undefined;
  dataDir: string;
  /** Innovate UK releases folder when not `<dataDir>/innovate_uk` (INNOVATE_UK_DIR). */
  innovateUkDir: string | undefined;
  /** Start from an empty database: drop the scratch database, or delete the bench's PGlite folder. */
  fresh: boolean;
  say: (msg: string) => void;
}): Promise<BenchDatabase> {
  const where = { dataDir: opts.dataDir, innovateUkDir: opts.innovateUkDir };
  const dirEnv: Record<string, string> = opts.innovateUkDir ? { INNOVATE_UK_DIR: opts.innovateUkDir } : {};
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  if (opts.url) {
    await ensureDatabase(opts.url, opts.fresh);
    const { pool } = await openPostgres(opts.url, { migrate: true, max: 4 }).catch((err: unknown) => {
      throw migrationHint(err, `the database ${redact(opts.url as string)}`);
    });
    const run = pgRunner(pool);
    const { version, reused } = await ensureDataset(run, where, opts.say);
    return {
      kind: 'postgres',
      server: {
        script: join(PROJECT_ROOT, 'src', 'node', 'main.ts'),
        env: { DATABASE_URL: opts.url, ...dirEnv },
      },
      run,
      dataset: { version, isSample: isSampleDir(opts.dataDir) },
      setup: { reused, seconds: seconds() },
      recordingDb: (onQuery) => drizzlePg(pool, { schema, logger: { logQuery: onQuery } }) as unknown as Db,
      close: () => pool.end(),
    };
  }
  if (opts.fresh) rmSync(BENCH_PGLITE_DIR, { recursive: true, force: true });
  const embedded = await openEmbeddedDatabase({ ...where, dir: BENCH_PGLITE_DIR, log: opts.say }).catch(
    (err: unknown) => {
      throw migrationHint(err, BENCH_PGLITE_DIR);
    },
  );
  const pglite: PGlite = embedded.pglite;
  return {
    kind: 'pglite',
    server: {
      // npm start's own entry, pointed at the bench's PGlite folder (never npm start's).
      script: join(PROJECT_ROOT, 'src', 'node', 'main.ts'),
      env: { DATA_DIR: opts.dataDir, PGLITE_DIR: BENCH_PGLITE_DIR, ...dirEnv },
    },
    run: pgliteRunner(pglite),
    dataset: { version: embedded.dataset.version, isSample: embedded.dataset.isSample },
    setup: { reused: embedded.reused, seconds: seconds() },
    recordingDb: (onQuery) =>
      drizzlePglite(pglite, { schema, logger: { logQuery: onQuery } }) as unknown as Db,
    close: () => embedded.close(),
  };
}

/**
 * Migrations fail on a scratch database when a migration it already applied was since regenerated;
 * say so, and how to start again, instead of only the failed CREATE.
 */
function migrationHint(err: unknown, where: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? ` ${err.cause.message}` : '';
  return new Error(
    `opening ${where} failed: ${message.split('\n')[0]?.trim()}${cause}\n` +
      'If drizzle/ changed since this database was built (e.g. a regenerated migration), run again with ' +
      '--fresh to rebuild the bench database from scratch.',
    { cause: err },
  );
}

/** A connection string without its password, for log lines. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Real postcodes spread over the whole table (deterministic, so runs are comparable), so the
 * rotating postcode run reads rows all over the index rather than one hot page.
 */
export async function samplePostcodes(run: SqlRunner, n: number): Promise<string[]> {
  const rows = await run.query<{ postcode: string }>(
    'select postcode from postcodes order by md5(key) limit $1',
    [n],
  );
  return rows.map((r) => r.postcode);
}

/** Real project numbers, organisation ids and a name word, spread over the tables (rotating requests). */
export async function sampleInvestments(run: SqlRunner, n: number) {
  const projects = await run.query<{ project_number: string }>(
    'select project_number from iuk_projects order by md5(project_number) limit $1',
    [n],
  );
  const orgs = await run.query<{ id: string; search_name: string }>(
    'select id, search_name from iuk_organisations order by md5(id) limit $1',
    [n],
  );
  return {
    projects: projects.map((r) => r.project_number),
    organisations: orgs.map((r) => r.id),
    nameWords: orgs.map((r) => r.search_name.split(' ')[0] ?? '').filter((w) => w.length > 2),
  };
}
