import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';
import { nodeAssets } from '../../src/node/assets.ts';
import { openPglite, openPostgres } from '../../src/node/databases.ts';
import { loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import { pgliteRunner, pgRunner, type SqlRunner } from '../../src/pipeline/sql.ts';
import { SYNTHETIC_MARKER } from '../../src/pipeline/stages/investments.ts';
import {
  generateInnovateUkRows,
  releaseFileName,
  type SynthRelease,
  type SynthRow,
} from '../../src/pipeline/synth/innovate-uk.ts';
import { loadSynthPlaces } from '../../src/pipeline/synth/places.ts';
import { writeInnovateUkCsv, writeInnovateUkXlsx } from '../../src/pipeline/synth/write.ts';
import { contractChecked } from '../support/contract.ts';

/** Which data the suite loads: the full data when DATA_DIR is set (CI), otherwise the shipped sample. */
export const DATA_DIR = process.env.DATA_DIR ?? SAMPLE_DATA_DIR;
export const FULL_DATA = Boolean(process.env.DATA_DIR);
/**
 * Whether the default dataset has Innovate UK releases: the sample ships a synthetic one, the full
 * data none. Tests of the default dataset's grants run or skip on this, visibly in the report.
 */
export const DEFAULT_HAS_INNOVATE_UK = existsSync(join(DATA_DIR, 'innovate_uk'));

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

export interface GeneratedRelease {
  /** Rows the generator writes, and places it draws postcodes from (DATA_DIR's). */
  rows: number;
  seed: number;
  places: { sample: number; seed: number };
  /** Releases, oldest first; each is written as a file of the matching format (default csv). */
  formats?: readonly ('csv' | 'xlsx')[];
  /** Write the marker that makes the dataset call the source SYNTHETIC (as npm run data:synth). */
  synthetic?: boolean;
}

/**
 * A database serving DATA_DIR plus a generated Innovate UK release, loaded by the real pipeline.
 * The full data has no Innovate UK file, so every test about grants brings its own rows; the
 * generator's record of each row (`truth`) is what the tests recompute from.
 */
export async function generatedReleaseDatabase(
  opts: GeneratedRelease,
): Promise<{ tdb: TestDatabase; releases: SynthRelease[]; close(): Promise<void> }> {
  const formats = opts.formats ?? ['csv'];
  const places = await loadSynthPlaces(DATA_DIR, opts.places);
  const { releases } = generateInnovateUkRows({
    rows: opts.rows,
    seed: opts.seed,
    places,
    releases: formats.length,
  });
  const dir = mkdtempSync(join(tmpdir(), 'obs-iuk-'));
  try {
    for (const [i, r] of releases.entries()) {
      const file = join(dir, releaseFileName(r.releaseDate, formats[i] as 'csv' | 'xlsx'));
      if (formats[i] === 'xlsx') await writeInnovateUkXlsx(file, r.columns, r.rows, r.releaseDate);
      else await writeInnovateUkCsv(file, r.columns, r.rows);
    }
    if (opts.synthetic) writeFileSync(join(dir, SYNTHETIC_MARKER), 'Generated by a db test.\n');
    const tdb = await createTestDatabase();
    await loadDataset(tdb.run, { dataDir: DATA_DIR, innovateUkDir: dir });
    return { tdb, releases, close: () => tdb.close() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A generated row the pipeline counts (the stated rule: not malformed, not withdrawn). */
export const countedRow = (r: SynthRow) =>
  !r.truth.malformed && !r.truth.participantWithdrawn && r.truth.projectStatus !== 'Withdrawn';

/** Live LEP codes by name, from the API (the generator records LEP names). */
export async function lepCodesByName(app: ReturnType<typeof appFor>): Promise<Map<string, string>> {
  const leps = await getJson(app, '/v1/areas?type=lep&limit=500');
  return new Map(
    leps.body.data
      .filter((a: { status: string }) => a.status === 'live')
      .map((a: { name: string; code: string }) => [a.name, a.code]),
  );
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
