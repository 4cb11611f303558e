/** Load report for one source file: what was read, loaded and rejected, and why. */

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
  rejects: Reject[];
  notes: string[];
}

/** Keep this many rejects per source in the report; all are counted. */
export const MAX_REJECTS_LISTED = 100;

export class SourceReporter {
  readonly report: SourceReport;
  constructor(source: string) {
    this.report = { source, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rejects: [], notes: [] };
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
  note(text: string) {
    this.report.notes.push(text);
  }
}

/** Thrown when a source cannot be used at all (missing file, missing columns): the load stops. */
export class SourceError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.file = file;
  }
}
