import { z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import writeXlsxFile, { type SheetData } from 'write-excel-file/universal';
import { markStreamed } from './cache.ts';
import { ApiError } from './problem.ts';

/**
 * Table-shaped answers as files a person can use: CSV (streamed, UTF-8 with BOM so Excel reads £
 * and accents) and XLSX (a data sheet, a sheet defining every column, and a sheet of sources).
 */

export const formatQuery = z.enum(['json', 'csv', 'xlsx']).default('json').openapi({
  description: 'json (default), csv, or xlsx (data + definitions + sources sheets).',
  example: 'json',
});

export type Cell = string | number | boolean | null;

export interface ExportColumn<T> {
  header: string;
  description: string;
  value: (row: T) => Cell;
}

export interface ExportSource {
  title: string;
  licence: string;
  provenance: string;
}

export interface ExportTable<T> {
  /** File name without extension, e.g. "ranking-gbp_research_income-2019". */
  filename: string;
  title: string;
  columns: ExportColumn<T>[];
  /** Rows, or batches of rows to stream (CSV) — every matching row, not one page. */
  rows: T[] | AsyncIterable<T[]>;
  notes?: string[];
  sources?: ExportSource[];
}

/**
 * XLSX is built in memory; beyond this many rows ask for CSV, which streams. Measured: 95k
 * investment rows took 770 MB (~8 KB a row), so 10k (~80 MB) fits a Worker's 128 MB.
 */
export const MAX_XLSX_ROWS = 10_000;

export const EXPORT_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 120);

function disposition(filename: string, ext: string) {
  return `attachment; filename="${safeName(filename)}.${ext}"`;
}

async function* batches<T>(rows: T[] | AsyncIterable<T[]>): AsyncIterable<T[]> {
  if (Array.isArray(rows)) yield rows;
  else yield* rows;
}

export async function exportResponse<T>(format: 'csv' | 'xlsx', table: ExportTable<T>): Promise<Response> {
  return format === 'csv' ? csvResponse(table) : xlsxResponse(table);
}

function csvResponse<T>(table: ExportTable<T>): Response {
  const encoder = new TextEncoder();
  const iterator = batches(table.rows)[Symbol.asyncIterator]();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\ufeff${stringify([table.columns.map((c) => c.header)])}`));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      const lines = next.value.map((row) => table.columns.map((c) => c.value(row)));
      if (lines.length)
        controller.enqueue(
          encoder.encode(stringify(lines, { cast: { boolean: (b) => (b ? 'true' : 'false') } })),
        );
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return markStreamed(
    new Response(body, {
      status: 200,
      headers: {
        'Content-Type': EXPORT_CONTENT_TYPES.csv,
        'Content-Disposition': disposition(table.filename, 'csv'),
      },
    }),
  );
}

async function xlsxResponse<T>(table: ExportTable<T>): Promise<Response> {
  const header = table.columns.map((c) => ({ value: c.header, fontWeight: 'bold' as const }));
  const data: SheetData = [header];
  for await (const batch of batches(table.rows)) {
    if (data.length - 1 + batch.length > MAX_XLSX_ROWS) {
      throw new ApiError(
        'bad_request',
        `More than ${MAX_XLSX_ROWS} rows match: ask for format=csv, which streams any number of rows.`,
        [{ location: 'query.format', message: 'Too many rows for xlsx' }],
      );
    }
    for (const row of batch) data.push(table.columns.map((c) => c.value(row)));
  }
  const definitions: SheetData = [
    [
      { value: 'Column', fontWeight: 'bold' as const },
      { value: 'Definition', fontWeight: 'bold' as const },
    ],
    ...table.columns.map((c) => [c.header, c.description]),
    ...(table.notes?.length ? [[null, null], ['Notes', null], ...table.notes.map((n) => [null, n])] : []),
  ];
  const sources: SheetData = [
    ['Source', 'Licence', 'Provenance'].map((value) => ({ value, fontWeight: 'bold' as const })),
    ...(table.sources ?? []).map((s) => [s.title, s.licence, s.provenance]),
  ];
  const blob = await writeXlsxFile([
    { data, sheet: 'Data', stickyRowsCount: 1 },
    { data: definitions, sheet: 'Definitions', columns: [{ width: 28 }, { width: 100 }] },
    { data: sources, sheet: 'Sources', columns: [{ width: 40 }, { width: 60 }, { width: 100 }] },
  ]).toBlob();
  return new Response(blob, {
    status: 200,
    headers: {
      'Content-Type': EXPORT_CONTENT_TYPES.xlsx,
      'Content-Disposition': disposition(table.filename, 'xlsx'),
    },
  });
}
