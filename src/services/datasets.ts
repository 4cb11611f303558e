import type { Db } from '../db/client.ts';
import { type DatasetRow, getCurrentDataset, ping } from '../db/queries.ts';
import { ApiError } from '../http/problem.ts';

/** The dataset being served, and whether the database answers at all. */

/** The current dataset, or a 503 when none has been loaded. */
export async function currentDataset(db: Db): Promise<DatasetRow> {
  const ds = await getCurrentDataset(db);
  if (!ds) throw new ApiError('unavailable', 'No dataset has been loaded yet. Run `npm run pipeline`.');
  return ds;
}

/** Readiness: a 503 when the database does not answer. */
export async function checkDatabase(db: Db): Promise<void> {
  try {
    await ping(db);
  } catch {
    throw new ApiError('unavailable', 'The database did not answer.');
  }
}

/** Which Innovate UK data is being served (real or synthetic), and the dataset it belongs to. */
export function investmentSource(db: Db) {
  return datasetSource(db, 'innovate_uk', 'Innovate UK funded projects (not loaded)');
}

export type InvestmentSource = Awaited<ReturnType<typeof investmentSource>>;

/** One source of the current dataset by its catalogue id (e.g. the APS employment file), and the dataset. */
export async function datasetSource(db: Db, id: string, missing = `${id} (not loaded)`) {
  const ds = await getCurrentDataset(db);
  const src = ds?.sources.find((s) => s.id === id);
  return {
    loaded: Boolean(src && src.files.length > 0),
    synthetic: Boolean(src?.synthetic),
    title: src?.title ?? missing,
    licence: src?.licence ?? '',
    /** The dataset's version and build time: what a report reproducing these figures cites. */
    dataset: ds
      ? { version: ds.version, builtAt: new Date(ds.builtAt).toISOString(), isSample: ds.isSample }
      : null,
  };
}
