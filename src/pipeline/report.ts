/**
 * Load report for one source file: what was read, and for every row read whether it was loaded,
 * rejected (bad: file, row, column, reason) or skipped (good but deliberately not used, with the
 * reason and a count). It always balances: rowsRead = rowsLoaded + rowsRejected + rowsSkipped.
 */

export interface Reject {
  file: string;
  /** 1-based line number in the file; the header is line 1. For XLSX, the sheet row number. */
  row: number;
  column: string | null;
  reason: string;
}

export interface SourceReport {
  source: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsSkipped: number;
  /** Why rows were skipped, with how many each; the counts sum to rowsSkipped. */
  skipped: SkipReason[];
  rejects: Reject[];
  notes: string[];
}

export interface SkipReason {
  reason: string;
  rows: number;
}

/** Keep this many rejects per source in the report; all are counted. */
export const MAX_REJECTS_LISTED = 100;

export class SourceReporter {
  readonly report: SourceReport;
  constructor(source: string) {
    this.report = {
      source,
      rowsRead: 0,
      rowsLoaded: 0,
      rowsRejected: 0,
      rowsSkipped: 0,
      skipped: [],
      rejects: [],
      notes: [],
    };
  }
  read(n = 1) {
    this.report.rowsRead += n;
  }
  loaded(n = 1) {
    this.report.rowsLoaded += n;
  }
  reject(row: number, column: string | null, reason: string) {
    this.report.rowsRejected += 1;
    if (this.report.rejects.length < MAX_REJECTS_LISTED) {
      this.report.rejects.push({ file: this.report.source, row, column, reason });
    }
  }
  /** `n` rows that were read and are fine, but are deliberately not loaded, for `reason`. */
  skip(reason: string, n = 1) {
    if (n <= 0) return;
    this.report.rowsSkipped += n;
    const entry = this.report.skipped.find((s) => s.reason === reason);
    if (entry) entry.rows += n;
    else this.report.skipped.push({ reason, rows: n });
  }
  note(text: string) {
    this.report.notes.push(text);
  }
}

/** Rows read that are neither loaded, rejected nor skipped (0 when the report balances). */
export const unaccounted = (r: SourceReport) => r.rowsRead - r.rowsLoaded - r.rowsRejected - r.rowsSkipped;

/**
 * One entry per source file. When several stages read the same file (the LEP list feeds the
 * geography and the indicators), the first stage's entry stands for the file — its counts are
 * how the file's rows entered the dataset — and the later stages' notes are added to it, with
 * their own counts when those differ. Every report must balance: the pipeline refuses to publish
 * a report with unaccounted rows (a loader bug), naming the file.
 */
export function mergeReports(uses: readonly { stage: string; report: SourceReport }[]): SourceReport[] {
  const merged = new Map<string, { stage: string; report: SourceReport }>();
  for (const { stage, report } of uses) {
    const gap = unaccounted(report);
    if (gap !== 0) {
      throw new Error(
        `load report for ${report.source} (${stage}) does not balance: read ${report.rowsRead}, loaded ${report.rowsLoaded}, rejected ${report.rowsRejected}, skipped ${report.rowsSkipped} (${gap} unaccounted)`,
      );
    }
    const first = merged.get(report.source);
    if (!first) {
      merged.set(report.source, {
        stage,
        report: {
          ...report,
          skipped: [...report.skipped],
          rejects: [...report.rejects],
          notes: [...report.notes],
        },
      });
      continue;
    }
    const a = first.report;
    const same =
      a.rowsRead === report.rowsRead &&
      a.rowsLoaded === report.rowsLoaded &&
      a.rowsRejected === report.rowsRejected &&
      a.rowsSkipped === report.rowsSkipped;
    if (!same) {
      a.notes.push(
        `Also read by the ${stage} stage: read ${report.rowsRead}, used ${report.rowsLoaded}, rejected ${report.rowsRejected}, skipped ${report.rowsSkipped} (counts above are the ${first.stage} stage's).`,
      );
    }
    for (const n of report.notes) if (!a.notes.includes(n)) a.notes.push(n);
  }
  return [...merged.values()].map((m) => m.report);
}

/** Thrown when a source cannot be used at all (missing file, missing columns): the load stops. */
export class SourceError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.file = file;
  }
}
