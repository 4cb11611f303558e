import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { readCsv } from '../../csv.ts';
import { SourceError, type SourceReport, SourceReporter } from '../../report.ts';
import { type ColumnMap, mapColumns } from './columns.ts';
import {
  type InnovateUkParticipantRow,
  parseParticipantRow,
  participantKey,
  type RowNotes,
} from './parse-row.ts';
import { type CellValue, plainCell } from './values.ts';
import { Utf8SafeWorkbookReader } from './xlsx-reader.ts';

/** A data row as read from either format: the sheet row / CSV line and its cells. */
interface RawRow {
  rowNumber: number;
  cells: CellValue[];
}

/** Rows scanned at the top of a sheet for the header (some releases put a title above it). */
const HEADER_SCAN_ROWS = 20;

function isBlank(cells: readonly CellValue[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

/**
 * Stream an XLSX workbook's rows, sheet by sheet, starting after the first row that carries the
 * required columns. Sheets without such a header (notes, pivots) are skipped.
 */
async function* xlsxRows(
  path: string,
  onHeader: (headers: string[], sheet: string) => void,
): AsyncGenerator<RawRow> {
  // Styles are cached so date-formatted cells arrive as Dates rather than bare serials.
  const reader = new Utf8SafeWorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const sheet of reader) {
    let inData = false;
    const sheetName = (sheet as unknown as { name?: string }).name ?? '';
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const cells: CellValue[] = [];
      for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
      if (inData) {
        if (!isBlank(cells)) yield { rowNumber: row.number, cells };
      } else if (row.number <= HEADER_SCAN_ROWS) {
        const headers = cells.map((c) => (c === null ? '' : String(c)));
        if (mapColumns(headers).missingRequired.length === 0) {
          inData = true;
          onHeader(headers, sheetName);
        }
      }
    }
  }
}

/** Stream a CSV's records as cell arrays in header order (csv.ts parses; header is line 1). */
async function* csvRows(
  path: string,
  label: string,
  onHeader: (headers: string[]) => void,
): AsyncGenerator<RawRow> {
  let headers: string[] | null = null;
  for await (const rec of readCsv(path, label)) {
    if (!headers) {
      headers = Object.keys(rec.values);
      onHeader(headers);
    }
    const cells = headers.map((h) => rec.values[h] ?? null);
    if (!isBlank(cells)) yield { rowNumber: rec.line, cells };
  }
}

export interface InnovateUkRelease {
  /** File name within the folder. */
  file: string;
  releaseDate: string;
  /** Where the release date came from. */
  releaseDateSource: 'file_name' | 'mtime';
  /** Rows kept from this file after rejects and supersession. */
  rows: number;
  rowsRead: number;
  rejected: number;
  superseded: number;
}

export interface InnovateUkLoad {
  rows: InnovateUkParticipantRow[];
  /** One report per file. */
  reports: SourceReport[];
  /** Newest first: the order in which they take precedence. */
  releases: InnovateUkRelease[];
  /** Rows dropped because a newer release re-published the same participant. */
  superseded: number;
}

/**
 * Release date from a file name: "…-2026-10-01.xlsx", "…_2026_10_01…" or "20200801_Innovate_UK…".
 * Null when the name carries no valid date.
 */
export function releaseDateFromName(name: string): string | null {
  const patterns = [/(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)/, /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/];
  for (const re of patterns) {
    const m = re.exec(name);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (y >= 2000 && y <= 2100 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) {
      return date.toISOString().slice(0, 10);
    }
  }
  return null;
}

interface FileInfo {
  name: string;
  path: string;
  format: 'xlsx' | 'csv';
  releaseDate: string;
  releaseDateSource: 'file_name' | 'mtime';
  /** Sort key: release date from the name, else modification time (ms). */
  order: number;
}

/** Counters for the per-file report notes. */
interface FileTally {
  unknownSizes: Map<string, number>;
  unusablePostcodes: number;
  unusableCrns: number;
  roundedMoney: number;
  repeatedKeys: number;
  supersededBy: Map<string, number>;
}

function tally(t: FileTally, notes: RowNotes) {
  if (notes.unknownEnterpriseSize !== null) {
    t.unknownSizes.set(
      notes.unknownEnterpriseSize,
      (t.unknownSizes.get(notes.unknownEnterpriseSize) ?? 0) + 1,
    );
  }
  if (notes.unusablePostcode) t.unusablePostcodes += 1;
  if (notes.unusableCrn) t.unusableCrns += 1;
  if (notes.roundedMoney) t.roundedMoney += 1;
}

function describeColumns(reporter: SourceReporter, columns: ColumnMap, where: string) {
  if (columns.unrecognised.length)
    reporter.note(`${where}unrecognised columns ignored: ${columns.unrecognised.join(', ')}`);
  if (columns.duplicates.length) {
    reporter.note(
      `${where}columns repeating a field already read (ignored): ${columns.duplicates.join(', ')}`,
    );
  }
  const absent = [
    'competitionYear',
    'addressLocalAuthority',
    'startDate',
    'totalCosts',
    'actualSpend',
    'enterpriseSize',
    'postcode',
  ]
    .filter((f) => columns.index[f as keyof ColumnMap['index']] === undefined)
    .join(', ');
  if (absent) reporter.note(`${where}optional fields absent: ${absent}`);
}

/**
 * Read every `.xlsx` and `.csv` in `dir` (an Innovate UK "funded projects" folder) into normalised
 * participant rows. Releases re-publish everything before them, so rows are de-duplicated on
 * Project Number + (CRN, else normalised participant name): the newest release wins, by the date
 * in its file name, else its modification time (ties: the later file name). A key repeated within
 * one file is kept as that many distinct participants, matched occurrence by occurrence. Rows that
 * cannot be used are rejected into the file's report with row, column and reason.
 *
 * Throws SourceError when the folder is missing or a file has no sheet with the required columns.
 */
export async function readInnovateUkFolder(dir: string): Promise<InnovateUkLoad> {
  if (!existsSync(dir)) throw new SourceError(dir, 'Innovate UK folder not found');
  const files: FileInfo[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const ext = extname(name).toLowerCase();
    // "~$…" are Excel lock files, not releases.
    if ((ext !== '.xlsx' && ext !== '.csv') || name.startsWith('~$') || name.startsWith('.')) continue;
    const path = join(dir, name);
    const info = await stat(path);
    if (!info.isFile()) continue;
    const fromName = releaseDateFromName(basename(name, ext));
    files.push({
      name,
      path,
      format: ext === '.xlsx' ? 'xlsx' : 'csv',
      releaseDate: fromName ?? info.mtime.toISOString().slice(0, 10),
      releaseDateSource: fromName ? 'file_name' : 'mtime',
      order: fromName ? Date.parse(fromName) : info.mtimeMs,
    });
  }
  // Newest first, so a row already seen was seen in a release that takes precedence.
  files.sort((a, b) => b.order - a.order || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));

  const rows: InnovateUkParticipantRow[] = [];
  const reports: SourceReport[] = [];
  const releases: InnovateUkRelease[] = [];
  /** Occurrence key → the file that supplied it. */
  const seen = new Map<string, string>();
  let superseded = 0;
  const strings = new Map<string, string>();
  const intern = (text: string): string => {
    const shared = strings.get(text);
    if (shared !== undefined) return shared;
    strings.set(text, text);
    return text;
  };

  for (const file of files) {
    const reporter = new SourceReporter(`innovate_uk/${file.name}`);
    reporter.note(
      `release ${file.releaseDate} (from the ${file.releaseDateSource === 'file_name' ? 'file name' : 'file modification time'})`,
    );
    const t: FileTally = {
      unknownSizes: new Map(),
      unusablePostcodes: 0,
      unusableCrns: 0,
      roundedMoney: 0,
      repeatedKeys: 0,
      supersededBy: new Map(),
    };
    // Set by the reader when it meets a header (once per sheet for XLSX).
    const state: { columns: ColumnMap | null } = { columns: null };
    const onHeader = (headers: string[], sheet?: string) => {
      const columns = mapColumns(headers);
      if (columns.missingRequired.length) {
        throw new SourceError(file.name, `missing column(s) for: ${columns.missingRequired.join(', ')}`);
      }
      describeColumns(reporter, columns, sheet ? `sheet "${sheet}": ` : '');
      state.columns = columns;
    };
    const source =
      file.format === 'xlsx' ? xlsxRows(file.path, onHeader) : csvRows(file.path, file.name, onHeader);
    const occurrences = new Map<string, number>();
    let kept = 0;
    let fileSuperseded = 0;
    for await (const raw of source) {
      const cols = state.columns;
      if (!cols) continue;
      reporter.read();
      const result = parseParticipantRow(raw.cells, raw.rowNumber, {
        columns: cols,
        sourceFile: file.name,
        releaseDate: file.releaseDate,
        intern,
      });
      if (!result.ok) {
        // One reject per row (the count is of rows), naming every problem found in it.
        const first = result.problems[0];
        const reason = result.problems
          .map((p) => (p.column ? `${p.column}: ${p.reason}` : p.reason))
          .join('; ');
        reporter.reject(raw.rowNumber, result.problems.length === 1 ? (first?.column ?? null) : null, reason);
        continue;
      }
      tally(t, result.notes);
      const key = participantKey(result.row);
      const n = (occurrences.get(key) ?? 0) + 1;
      occurrences.set(key, n);
      if (n > 1) t.repeatedKeys += 1;
      const occurrenceKey = `${key}#${n}`;
      const newer = seen.get(occurrenceKey);
      if (newer !== undefined) {
        fileSuperseded += 1;
        t.supersededBy.set(newer, (t.supersededBy.get(newer) ?? 0) + 1);
        continue;
      }
      seen.set(occurrenceKey, file.name);
      rows.push(result.row);
      kept += 1;
    }
    if (!state.columns) {
      throw new SourceError(
        file.name,
        'no sheet has a header with Project Number, Participant Name and Grant/Award Offered',
      );
    }
    reporter.loaded(kept);
    for (const [newer, n] of t.supersededBy) reporter.skip(`superseded by the newer release ${newer}`, n);
    superseded += fileSuperseded;
    if (fileSuperseded > 0) {
      const by = [...t.supersededBy].map(([f, n]) => `${n} by ${f}`).join(', ');
      reporter.note(`${fileSuperseded} rows superseded by newer releases (${by})`);
    }
    if (t.repeatedKeys > 0) {
      reporter.note(
        `${t.repeatedKeys} rows repeat a participant (project + CRN/name) already in this file; kept as distinct`,
      );
    }
    if (t.unknownSizes.size > 0) {
      const list = [...t.unknownSizes]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([s, n]) => `"${s}" ×${n}`)
        .join(', ');
      reporter.note(`Enterprise Size spellings not in the table, read as 'other': ${list}`);
    }
    if (t.unusablePostcodes > 0) {
      reporter.note(
        `${t.unusablePostcodes} rows have a postcode that is not a full UK postcode (kept; Address columns remain)`,
      );
    }
    if (t.unusableCrns > 0)
      reporter.note(`${t.unusableCrns} rows have a CRN not shaped like a company number (matched by name)`);
    if (t.roundedMoney > 0)
      reporter.note(`${t.roundedMoney} rows had amounts below a penny, rounded half away from zero`);
    reports.push(reporter.report);
    releases.push({
      file: file.name,
      releaseDate: file.releaseDate,
      releaseDateSource: file.releaseDateSource,
      rows: kept,
      rowsRead: reporter.report.rowsRead,
      rejected: reporter.report.rowsRejected,
      superseded: fileSuperseded,
    });
  }
  return { rows, reports, releases, superseded };
}
