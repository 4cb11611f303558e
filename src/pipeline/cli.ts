import { resolve } from 'node:path';
import { parseNodeEnv } from '../node/config.ts';
import { openPglite, openPostgres } from '../node/databases.ts';
import { EMBEDDED_DB_DIR } from '../node/local-db.ts';
import { loadDataset, SAMPLE_DATA_DIR } from './load.ts';
import { PipelineBusyError } from './lock.ts';
import { pgliteRunner, pgRunner } from './sql.ts';

/**
 * `npm run pipeline`: build the dataset from DATA_DIR (default: the shipped sample) into DATABASE_URL
 * (default: the embedded database under .data/). Applies migrations first; swaps atomically.
 */
async function main() {
  const env = parseNodeEnv(process.env);
  const dataDir = env.DATA_DIR ? resolve(env.DATA_DIR) : SAMPLE_DATA_DIR;
  const log = (m: string) => console.error(`[pipeline] ${m}`);
  const innovateUkDir = env.INNOVATE_UK_DIR ? resolve(env.INNOVATE_UK_DIR) : undefined;
  let result: Awaited<ReturnType<typeof loadDataset>>;
  if (env.DATABASE_URL) {
    const { pool } = await openPostgres(env.DATABASE_URL, { migrate: true, max: 2 });
    try {
      result = await loadDataset(pgRunner(pool), { dataDir, innovateUkDir, log });
    } finally {
      await pool.end();
    }
  } else {
    const { pglite } = await openPglite(env.PGLITE_DIR ? resolve(env.PGLITE_DIR) : EMBEDDED_DB_DIR);
    try {
      result = await loadDataset(pgliteRunner(pglite), { dataDir, innovateUkDir, log });
    } finally {
      await pglite.close();
    }
  }
  for (const r of result.reports) {
    log(
      `${r.source}: read ${r.rowsRead}, loaded ${r.rowsLoaded}, rejected ${r.rowsRejected}, skipped ${r.rowsSkipped}`,
    );
    for (const k of r.skipped) log(`    skipped ${k.rows}: ${k.reason}`);
    for (const j of r.rejects.slice(0, 5)) log(`    row ${j.row} ${j.column ?? ''}: ${j.reason}`);
  }
  log(`dataset ${result.version} is live${result.isSample ? ' (SAMPLE data)' : ''}`);
}

main().catch((err) => {
  if (err instanceof PipelineBusyError) {
    console.error(`[pipeline] ${err.message}`);
    process.exit(75); // EX_TEMPFAIL: try again later
  }
  console.error(
    `[pipeline] failed, previous dataset still serving: ${err instanceof Error ? err.stack : String(err)}`,
  );
  process.exit(1);
});
