import type { SourceInfo } from '../catalogue.ts';
import type { SourceReport } from '../report.ts';
import type { Geography } from '../sources/geography.ts';
import type { SqlRunner } from '../sql.ts';

/** Where a load reads from. */
export interface StageOptions {
  dataDir: string;
  /** Folder of Innovate UK releases; default `<dataDir>/innovate_uk`. */
  innovateUkDir?: string | undefined;
}

/** What earlier stages hand to later ones (e.g. the geography used to place grant postcodes). */
export interface StageContext extends StageOptions {
  log: (msg: string) => void;
  geography?: Geography;
  /** The dataset being built (version, build time, sample or not), for files that carry it. */
  dataset?: { version: string; builtAt: string; isSample: boolean };
}

/** A parsed part of the dataset, ready to be written into the staging schema. */
export interface PreparedStage {
  reports: SourceReport[];
  /** COPY rows into `"<schema>".<table>` for each of the stage's tables. */
  copy(run: SqlRunner, schema: string): Promise<void>;
  /** Set-based derivations and integrity checks on the staged tables (throw to stop the load). */
  derive?(run: SqlRunner, schema: string): Promise<void>;
}

/**
 * One part of the dataset: the tables it owns, the sources it reads (for the catalogue and the
 * content hash), and how to parse them. Stages run in order; all are swapped in together.
 */
export interface Stage {
  name: string;
  tables: readonly string[];
  sources(opts: StageOptions): Promise<SourceInfo[]> | SourceInfo[];
  prepare(ctx: StageContext): Promise<PreparedStage>;
}
