import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GEOGRAPHY_SOURCES, type SourceInfo } from './catalogue.ts';
import type { SourceReport } from './report.ts';
import { readGeography } from './sources/geography.ts';
import { POSTCODE_COLUMNS, readPostcodes } from './sources/postcodes.ts';
import type { SqlRunner } from './sql.ts';
import { buildIndexes, createStaging, dropLeftovers, swapIn } from './swap.ts';

/** Tables the pipeline rebuilds and swaps in as one dataset. */
export const DATASET_TABLES = ['areas', 'area_links', 'postcodes'] as const;

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
  const inputs = sources.flatMap((s) => s.files).map((f) => join(dataDir, f));
  const code = [
    ...(await listFiles(join(PROJECT_ROOT, 'src', 'pipeline'), /\.ts$/)),
    ...(await listFiles(join(PROJECT_ROOT, 'src', 'domain'), /\.ts$/)),
    ...(await listFiles(join(PROJECT_ROOT, 'drizzle'), /\.sql$/)),
  ];
  for (const path of [...inputs, ...code]) {
    hash.update(`\0${relative(PROJECT_ROOT, path)}\0`);
    if (existsSync(path)) await hashFile(hash, path);
    else hash.update('(missing)');
  }
  return hash.digest('hex');
}

/** All sources this pipeline reads (the catalogue served by /v1/meta). */
export function datasetSources(): SourceInfo[] {
  return [...GEOGRAPHY_SOURCES];
}

export async function currentDataset(run: SqlRunner) {
  const rows = await run.query<{ version: string; content_hash: string; is_sample: boolean }>(
    'select version, content_hash, is_sample from datasets where is_current limit 1',
  );
  return rows[0];
}

/**
 * Build a complete dataset from `dataDir` into staging tables and swap it in atomically.
 * Any failure before the swap leaves the previous dataset serving and the error propagates.
 */
export async function loadDataset(
  run: SqlRunner,
  opts: {
    dataDir: string;
    log?: (msg: string) => void;
    now?: () => Date;
    afterStage?: (schema: string) => Promise<void>;
  },
): Promise<LoadResult> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const step = (msg: string) => log(`${msg} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const sources = datasetSources();
  const missing = sources.flatMap((s) => s.files).filter((f) => !existsSync(join(opts.dataDir, f)));
  if (missing.length) throw new Error(`DATA_DIR ${opts.dataDir} lacks: ${missing.join(', ')}`);

  const contentHash = await fingerprint(opts.dataDir, sources);
  const builtAt = (opts.now?.() ?? new Date()).toISOString();
  const version = `${builtAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${contentHash.slice(0, 12)}`;
  const isSample = isSampleDir(opts.dataDir);

  const geo = await readGeography(opts.dataDir);
  step(`geography: ${geo.areas.length} areas, ${geo.links.length} links`);
  const pcs = await readPostcodes(opts.dataDir, geo);
  step(`postcodes: ${pcs.rows.length} placed`);
  const reports = [...geo.reports, ...pcs.reports].map((r) => r.report);

  const dropped = await dropLeftovers(run);
  if (dropped.length) log(`dropped leftovers of an interrupted load: ${dropped.join(', ')}`);
  const stamp = `${Date.now().toString(36)}_${contentHash.slice(0, 8)}`;
  const schema = await createStaging(run, DATASET_TABLES, stamp);
  try {
    await run.copyRows(
      `"${schema}".areas`,
      ['type', 'code', 'name', 'vintage', 'status', 'valid_from', 'valid_to', 'former_names'],
      geo.areas.map((a) => [
        a.type,
        a.code,
        a.name,
        a.vintage,
        a.status,
        a.validFrom,
        a.validTo,
        a.formerNames,
      ]),
    );
    await run.copyRows(
      `"${schema}".area_links`,
      ['parent_type', 'parent_code', 'child_type', 'child_code', 'relation', 'vintage', 'share'],
      geo.links.map((l) => [
        l.parentType,
        l.parentCode,
        l.childType,
        l.childCode,
        l.relation,
        l.vintage,
        l.share,
      ]),
    );
    await run.copyRows(`"${schema}".postcodes`, POSTCODE_COLUMNS, pcs.rows);
    step('copied into staging');
    await deriveGeography(run, schema);
    step('derived centroids and child counts');
    await buildIndexes(run, schema, DATASET_TABLES);
    step('indexed');
    await opts.afterStage?.(schema);
    await swapIn(run, schema, DATASET_TABLES, async (tx) => {
      await tx.query('update datasets set is_current = false where is_current');
      await tx.query(
        'insert into datasets (version, content_hash, built_at, is_sample, is_current, sources, report) values ($1, $2, $3, $4, true, $5, $6)',
        [version, contentHash, builtAt, isSample, JSON.stringify(sources), JSON.stringify(reports)],
      );
    });
    step(`swapped in dataset ${version}`);
  } catch (err) {
    await run.exec(`drop schema if exists "${schema}" cascade`).catch(() => {});
    throw err;
  }
  return { version, contentHash, builtAt, isSample, reports };
}

/** Set-based derivations on the staged tables, plus integrity checks that stop a bad load. */
async function deriveGeography(run: SqlRunner, schema: string) {
  const s = `"${schema}"`;
  const [orphans] = await run.query<{ n: number }>(
    `select count(*)::int as n from ${s}.area_links l
      where not exists (select 1 from ${s}.areas a where a.type = l.parent_type and a.code = l.parent_code)
         or not exists (select 1 from ${s}.areas a where a.type = l.child_type and a.code = l.child_code)`,
  );
  if (orphans && orphans.n > 0)
    throw new Error(`${orphans.n} area links point at areas that were not loaded`);
  await run.exec(`
    update ${s}.areas a set postcode_count = p.n, centroid_lat = round(p.lat::numeric, 6), centroid_lng = round(p.lng::numeric, 6)
    from (
      select type, code, count(*)::int as n, avg(lat) as lat, avg(lng) as lng from (
        select 'country' as type, country_code as code, lat, lng from ${s}.postcodes
        union all select 'region', region_code, lat, lng from ${s}.postcodes
        union all select 'lad', lad_code, lat, lng from ${s}.postcodes
        union all select 'pcon', pcon_code, lat, lng from ${s}.postcodes
        union all select 'pcon2024', pcon2024_code, lat, lng from ${s}.postcodes
        union all select 'lep', unnest(lep_codes), lat, lng from ${s}.postcodes
      ) pts where code is not null group by type, code
    ) p
    where a.type = p.type and a.code = p.code;

    update ${s}.areas a set child_counts = c.counts
    from (
      select parent_type, parent_code, jsonb_object_agg(child_type, by_vintage) as counts from (
        select parent_type, parent_code, child_type, jsonb_object_agg(vintage, n) as by_vintage from (
          select parent_type, parent_code, child_type, vintage, count(*)::int as n
          from ${s}.area_links group by 1, 2, 3, 4
        ) v group by 1, 2, 3
      ) t group by 1, 2
    ) c
    where a.type = c.parent_type and a.code = c.parent_code;
  `);
}
