import { join } from 'node:path';
import { readCsv } from '../csv.ts';
import type { SourceReporter } from '../report.ts';
import { parseCell, parseYear } from './indicator-model.ts';

/**
 * One reader for the long indicator files, one value a row named by indicator, year, area code and
 * area vintage: Nesta's LEP and NUTS3 files and the GtR total per LEP. Each file states what differs:
 * its columns, which codes and vintages it takes, which good rows it skips, what makes two rows
 * duplicates, and the order of its checks — the first check a row fails is the column and reason
 * the load report gives for it.
 */

export type Field = 'indicator' | 'year' | 'code' | 'spec' | 'value';

/** A row that passed every check. */
export interface IndicatorRow {
  line: number;
  indicator: string;
  year: number;
  code: string;
  spec: string;
  value: number;
}

/** A row as its checks see it: text trimmed; year and value are null until their own check has parsed them. */
export type RowCells = Omit<IndicatorRow, 'year' | 'value'> & { year: number | null; value: number | null };

/** What a check says: nothing (go on), reject (a bad row: its column and this reason) or skip (good, not used). */
export type Verdict = { reject: string } | { skip: string } | undefined;

export interface IndicatorFile {
  /** Path under DATA_DIR, as the load report names it. */
  file: string;
  /** The file's column of each field; a file of one indicator has no indicator column and names it. */
  columns: Record<Exclude<Field, 'indicator'>, string> & ({ indicator: string } | { indicator?: never });
  /** For a file without an indicator column: the indicator every row is of. */
  indicator?: string;
  /**
   * The fields in the order they are checked, each with its file's own check. `year` is first parsed
   * ("not a year"), `value` first read as a number with no suppression markers (Nesta publishes none).
   */
  checks: readonly (readonly [Field, ((row: RowCells) => Verdict)?])[];
  /** Rows with the same key are duplicates: the later one is rejected in `field`'s column. */
  duplicate: { key: (row: IndicatorRow) => string; field: Field; of: (row: IndicatorRow) => string };
}

/**
 * The rows of `f` that pass its checks, each counted read; the rows that fail are reported rejected
 * or skipped. The caller counts a yielded row loaded (or rejects it for a reason of its own).
 */
export async function* readIndicatorRows(
  dataDir: string,
  f: IndicatorFile,
  rep: SourceReporter,
): AsyncGenerator<IndicatorRow> {
  const { columns } = f;
  const seen = new Set<string>();
  const required = [columns.indicator, columns.year, columns.code, columns.spec, columns.value];
  rows: for await (const { line, values: v } of readCsv(
    join(dataDir, f.file),
    f.file,
    required.filter((c) => c !== undefined),
  )) {
    rep.read();
    const row: RowCells = {
      line,
      indicator: columns.indicator ? (v[columns.indicator]?.trim() ?? '') : (f.indicator ?? ''),
      year: null,
      code: v[columns.code]?.trim() ?? '',
      spec: v[columns.spec]?.trim() ?? '',
      value: null,
    };
    for (const [field, check] of f.checks) {
      let verdict: Verdict;
      if (field === 'year') {
        row.year = parseYear(v[columns.year]);
        if (row.year === null) verdict = { reject: `not a year: "${v[columns.year] ?? ''}"` };
      } else if (field === 'value') {
        const cell = parseCell(v[columns.value], []);
        if (cell.ok) row.value = cell.value;
        else verdict = { reject: cell.reason };
      }
      verdict ??= check?.(row);
      if (verdict && 'reject' in verdict) rep.reject(line, columnOf(f, field), verdict.reject);
      else if (verdict) rep.skip(verdict.skip);
      if (verdict) continue rows;
    }
    const { year, value } = row;
    if (year === null || value === null) throw new Error(`${f.file}: the checks must parse year and value`);
    const ok: IndicatorRow = { ...row, year, value };
    const key = f.duplicate.key(ok);
    if (seen.has(key)) {
      rep.reject(
        line,
        columnOf(f, f.duplicate.field),
        `duplicate of an earlier row for ${f.duplicate.of(ok)}`,
      );
      continue;
    }
    seen.add(key);
    yield ok;
  }
}

const columnOf = (f: IndicatorFile, field: Field): string =>
  field === 'indicator' ? (f.columns.indicator ?? 'indicator') : f.columns[field];
