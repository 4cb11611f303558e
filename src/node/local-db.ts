import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Db } from '../db/client.ts';
import { ensureDataset, isSampleDir, SAMPLE_DATA_DIR } from '../pipeline/load.ts';
import { pgliteRunner } from '../pipeline/sql.ts';
import { openPglite, PROJECT_ROOT } from './databases.ts';

export const EMBEDDED_DB_DIR = join(PROJECT_ROOT, '.data', 'pglite');

export interface EmbeddedDatabase {
  pglite: PGlite;
  db: Db;
  dataset: { version: string; isSample: boolean; label: string };
  /** True when the database already held this exact dataset and nothing was loaded. */
  reused: boolean;
  close(): Promise<void>;
}

export const datasetLabel = (isSample: boolean, dataDir: string) =>
  isSample
    ? `SAMPLE data (test/fixtures/sample: a small cut of the real sources, not the full dataset)`
    : `full data from ${dataDir}`;

/**
 * The zero-setup database: PGlite under .data/, built from `dataDir` (default: the shipped sample)
 * on first use and reused while the inputs and the pipeline are unchanged.
 */
export async function openEmbeddedDatabase(opts: {
  dataDir?: string | undefined;
  /** Folder of Innovate UK releases; default `<dataDir>/innovate_uk`. */
  innovateUkDir?: string | undefined;
  dir?: string;
  log: (msg: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = opts.dataDir ?? SAMPLE_DATA_DIR;
  const { pglite, db } = await openPglite(opts.dir ?? EMBEDDED_DB_DIR);
  const run = pgliteRunner(pglite);
  const { version, reused } = await ensureDataset(
    run,
    { dataDir, innovateUkDir: opts.innovateUkDir },
    opts.log,
  );
  const isSample = isSampleDir(dataDir);
  return {
    pglite,
    db,
    dataset: { version, isSample, label: datasetLabel(isSample, dataDir) },
    reused,
    close: () => pglite.close(),
  };
}
