import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';
import { nodeAssets } from '../../src/node/assets.ts';
import { openPglite, openPostgres } from '../../src/node/databases.ts';
import { loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import { pgliteRunner, pgRunner, type SqlRunner } from '../../src/pipeline/sql.ts';
import { contractChecked } from '../support/contract.ts';

/** Which data the suite loads: the full data when DATA_DIR is set (CI), otherwise the shipped sample. */
export const DATA_DIR = process.env.DATA_DIR ?? SAMPLE_DATA_DIR;
export const FULL_DATA = Boolean(process.env.DATA_DIR);

export interface TestDatabase {
  db: Db;
  run: SqlRunner;
  kind: 'postgres' | 'pglite';
  /** The connection string (Postgres only). */
  url?: string;
  /** The embedded database (PGlite only). */
  pglite?: PGlite;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database: a new database on TEST_DATABASE_URL's server when set (CI uses the
 * machine's PostgreSQL), otherwise in-memory PGlite, so the suite needs no server to pass.
 */
export async function createTestDatabase(opts: { template?: string } = {}): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const { pglite, db } = await openPglite(undefined);
    return {
      db,
      run: pgliteRunner(pglite as PGlite),
      kind: 'pglite',
      pglite: pglite as PGlite,
      close: () => pglite.close(),
    };
  }
  const name = `obs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}${opts.template ? ` template ${opts.template}` : ''}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const { pool, db } = await openPostgres(target.toString(), { migrate: !opts.template, max: 4 });
  return {
    db,
    run: pgRunner(pool),
    kind: 'postgres',
    url: target.toString(),
    close: async () => {
      await pool.end();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * A database serving the default dataset (DATA_DIR, or the sample) as the real pipeline loads it.
 * On Postgres it is a copy of the template the `db` project's global setup loaded once per run;
 * on PGlite the sample is loaded into a fresh in-memory database. Each caller gets its own copy.
 */
export async function loadedTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDb');
  if (template) return createTestDatabase({ template });
  const tdb = await createTestDatabase();
  await loadDataset(tdb.run, { dataDir: DATA_DIR });
  return tdb;
}

export const silentLog = () => {};

/**
 * The app under test. Its `request()` checks every response against the published contract
 * (test/support/contract.ts: the status and content type are documented for the operation, and a
 * JSON body matches its schema strictly, no undocumented field) and throws when it does not, so
 * every test through the harness enforces the spec. `unchecked` is the raw app, for the tests
 * of the contract check itself.
 */
export function appFor(db: Db, log: (line: Record<string, unknown>) => void = silentLog) {
  const app = createApp({ db, runtime: 'node', log, now: () => performance.now(), assets: nodeAssets() });
  const raw = app.request.bind(app);
  return Object.assign(app, {
    request: contractChecked((input, init) => Promise.resolve(raw(input, init))) as typeof app.request,
    unchecked: raw,
  });
}

export async function getJson(app: ReturnType<typeof appFor>, path: string, init?: RequestInit) {
  const res = await app.request(path, init);
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are checked field by field
  return { res, status: res.status, body: body as any };
}
