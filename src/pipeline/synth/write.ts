import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { SynthCell, SynthRow } from './innovate-uk.ts';

/** Date cells get a visible UK date format; bare serials are left as plain numbers on purpose. */
const DATE_FORMAT = 'dd/mm/yyyy';

/**
 * Stream rows to an XLSX file with exceljs's WorkbookWriter, committing each row as it goes so
 * memory stays flat however many rows there are.
 */
export async function writeInnovateUkXlsx(
  path: string,
  columns: readonly string[],
  rows: Iterable<SynthRow>,
  releaseDate: string,
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useStyles: true,
    useSharedStrings: false,
  });
  // Fixed document dates keep the workbook's metadata the same from run to run.
  const stamp = new Date(`${releaseDate}T00:00:00Z`);
  workbook.created = stamp;
  workbook.modified = stamp;
  workbook.creator = 'innovation-observatory synthetic data';
  const sheet = workbook.addWorksheet('Innovate UK funded projects');
  sheet.addRow([...columns]).commit();
  let n = 0;
  for (const row of rows) {
    const values = columns.map((c) => row.cells[c] ?? null);
    const xrow = sheet.addRow(values);
    values.forEach((v, i) => {
      if (v instanceof Date) xrow.getCell(i + 1).numFmt = DATE_FORMAT;
    });
    xrow.commit();
    n += 1;
  }
  sheet.commit();
  await workbook.commit();
  return n;
}

/** How a cell reads in a CSV export: dates as dd/mm/yyyy, numbers in plain decimal. */
export function csvText(value: SynthCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const dd = String(value.getUTCDate()).padStart(2, '0');
    const mm = String(value.getUTCMonth() + 1).padStart(2, '0');
    return `${dd}/${mm}/${value.getUTCFullYear()}`;
  }
  return String(value);
}

/** Stream rows to a CSV file (UTF-8, header row, RFC 4180 quoting). */
export async function writeInnovateUkCsv(
  path: string,
  columns: readonly string[],
  rows: Iterable<SynthRow>,
): Promise<number> {
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: [...columns] });
  csv.pipe(out);
  let n = 0;
  for (const row of rows) {
    // Respect back-pressure so a large file never buffers whole in memory.
    if (!csv.write(columns.map((c) => csvText(row.cells[c])))) await once(csv, 'drain');
    n += 1;
  }
  csv.end();
  await finished(out);
  return n;
}
