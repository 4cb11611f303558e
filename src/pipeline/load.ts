import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASET_SWAP_CHANNEL } from '../db/queries.ts';
import type { SourceInfo } from './catalogue.ts';
import { withPipelineLock } from './lock.ts';
import { mergeReports, type SourceReport } from './report.ts';
import type { SqlRunner } from './sql.ts';
import { downloadStage } from './stages/downloads.ts';
import { geographyStage } from './stages/geography.ts';
import { indicatorStage } from './stages/indicators.ts';
import { investmentStage } from './stages/investments.ts';
import { mapStage } from './stages/maps.ts';
import { networkStage } from './stages/network.ts';
import { scoreboardStage } from './stages/scoreboard.ts';
import { searchStage } from './stages/search.ts';
import { specialisationStage } from './stages/specialisation.ts';
import type { PreparedStage, Stage, StageContext, StageOptions } from './stages/stage.ts';
import { analyzeStaged, buildIndexes, createStaging, dropLeftovers, swapIn } from './swap.ts';

/** The parts of the dataset, in the order they are built; later stages may use earlier ones' results. */
export const STAGES: readonly Stage[] = [
  geographyStage,
  mapStage,
  searchStage,
  indicatorStage,
  investmentStage,
  specialisationStage,
  networkStage,
  scoreboardStage,
  // Last: built from the tables the stages above staged.
  downloadStage,
];

/** Tables the pipeline rebuilds and swaps in as one dataset. */
export const DATASET_TABLES: readonly string[] = STAGES.flatMap((s) => s.tables);

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The sample shipped for development; its folder carries a SAMPLE.md marker. */
export const SAMPLE_DATA_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'sample');

export const isSampleDir = (dataDir: string) => existsSync(join(dataDir, 'SAMPLE.md'));

export interface LoadResult {
  version: string;
  contentHash: string;
  builtAt: string;
  isSample: boolean;
  reports: SourceReport[];
}

async function hashFile(hash: ReturnType<typeof createHash>, path: string) {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

async function listFiles(dir: string, ext: RegExp): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && ext.test(entry.name)) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/**
 * Identity of a dataset: every input file (path and bytes) plus the pipeline's own code and the
 * migrations, so a changed source or a changed loader both produce a new version.
 */
export async function fingerprint(dataDir: string, sources: readonly SourceInfo[]): Promise<string> {
  const hash = createHash('sha256');
  for (const f of sources.flatMap((x) => x.files)) {
    const path = resolve(dataDir, f);
    hash.update(`\0input:${f}\0`);
    if (existsSync(path)) await hashFile(hash, path);
    else hash.update('(missing)');
  }
  const code = [
    ...(await listFiles(join(PROJECT_ROOT, 'src', 'pipeline'), /\.ts$/)),
    ...(await listFiles(join(PROJECT_ROOT, 'src', 'domain'), /\.ts$/)),
    ...(await listFiles(join(PROJECT_ROOT, 'drizzle'), /\.sql$/)),
  ];
  for (const path of code) {
    hash.update(`\0code:${relative(PROJECT_ROOT, path)}\0`);
    await hashFile(hash, path);
  }
  return hash.digest('hex');
}

/** All sources this pipeline reads (the catalogue served by /v1/meta), without duplicates. */
export async function datasetSources(opts: StageOptions): Promise<SourceInfo[]> {
  const all = (await Promise.all(STAGES.map((s) => s.sources(opts)))).flat();
  return all.filter((s, i) => all.findIndex((o) => o.id === s.id) === i);
}

export async function currentDataset(run: SqlRunner) {
  const rows = await run.query<{ version: string; content_hash: string; is_sample: boolean }>(
    'select version, content_hash, is_sample from datasets where is_current limit 1',
  );
  return rows[0];
}

/**
 * Make sure `run` serves the dataset `where` describes: reuse it when its fingerprint (inputs,
 * pipeline code, migrations) matches the current one, else build and swap it in.
 */
export async function ensureDataset(
  run: SqlRunner,
  where: StageOptions,
  log: (msg: string) => void,
): Promise<{ version: string; reused: boolean }> {
  const wanted = await fingerprint(where.dataDir, await datasetSources(where));
  const current = await currentDataset(run);
  if (current && current.content_hash === wanted) return { version: current.version, reused: true };
  log(`building the dataset from ${where.dataDir} (first run or changed inputs)…`);
  const { version } = await loadDataset(run, { ...where, log: (m) => log(`  ${m}`) });
  return { version, reused: false };
}

/**
 * Build a complete dataset from `dataDir` into staging tables and swap it in atomically.
 * Any failure before the swap leaves the previous dataset serving and the error propagates. Holds
 * the pipeline lock throughout: while another run holds it, this one throws PipelineBusyError
 * before reading anything.
 */
export async function loadDataset(
  target: SqlRunner,
  opts: {
    dataDir: string;
    innovateUkDir?: string | undefined;
    log?: (msg: string) => void;
    now?: () => Date;
    afterStage?: (schema: string) => Promise<void>;
  },
): Promise<LoadResult> {
  // One run at a time per database (src/pipeline/lock.ts); everything below runs on its session.
  return withPipelineLock(target, (run) => loadLocked(run, opts));
}

async function loadLocked(run: SqlRunner, opts: Parameters<typeof loadDataset>[1]): Promise<LoadResult> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const step = (msg: string) => log(`${msg} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const sources = await datasetSources(opts);
  const missing = sources.flatMap((s) => s.files).filter((f) => !existsSync(resolve(opts.dataDir, f)));
  if (missing.length) throw new Error(`DATA_DIR ${opts.dataDir} lacks: ${missing.join(', ')}`);

  const contentHash = await fingerprint(opts.dataDir, sources);
  const builtAt = (opts.now?.() ?? new Date()).toISOString();
  const version = `${builtAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${contentHash.slice(0, 12)}`;
  const isSample = isSampleDir(opts.dataDir);

  const ctx: StageContext = {
    dataDir: opts.dataDir,
    innovateUkDir: opts.innovateUkDir,
    log: step,
    dataset: { version, builtAt, isSample },
  };
  const prepared: PreparedStage[] = [];
  for (const stage of STAGES) prepared.push(await stage.prepare(ctx));
  const reports = mergeReports(
    prepared.flatMap((p, i) => p.reports.map((report) => ({ stage: STAGES[i]?.name ?? '?', report }))),
  );

  const dropped = await dropLeftovers(run);
  if (dropped.length) log(`dropped leftovers of an interrupted load: ${dropped.join(', ')}`);
  const stamp = `${Date.now().toString(36)}_${contentHash.slice(0, 8)}`;
  const schema = await createStaging(run, DATASET_TABLES, stamp);
  try {
    for (const p of prepared) await p.copy(run, schema);
    step('copied into staging');
    await analyzeStaged(run, schema, DATASET_TABLES);
    step('analysed');
    for (const p of prepared) await p.derive?.(run, schema);
    step('derived');
    await buildIndexes(run, schema, DATASET_TABLES);
    step('indexed');
    await opts.afterStage?.(schema);
    await swapIn(run, schema, DATASET_TABLES, async (tx) => {
      await tx.query('update datasets set is_current = false where is_current');
      await tx.query(
        'insert into datasets (version, content_hash, built_at, is_sample, is_current, sources, report) values ($1, $2, $3, $4, true, $5, $6)',
        [version, contentHash, builtAt, isSample, JSON.stringify(sources), JSON.stringify(reports)],
      );
      // Delivered at commit, so a listening server drops its cache exactly when the new data is visible.
      await tx.query('select pg_notify($1, $2)', [DATASET_SWAP_CHANNEL, version]);
    });
    step(`swapped in dataset ${version}`);
  } catch (err) {
    await run.exec(`drop schema if exists "${schema}" cascade`).catch(() => {});
    throw err;
  }
  return { version, contentHash, builtAt, isSample, reports };
}
