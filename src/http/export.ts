import { z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';
import writeXlsxFile, {
  type Feature,
  type SheetData,
  type Cell as XlsxCell,
} from 'write-excel-file/universal';
import type { AppEnv } from '../deps.ts';
import { exportProvenance, type SourceRef } from '../services/provenance.ts';
import { markStreamed } from './cache.ts';
import { ApiError } from './problem.ts';
import {
  aboutRows,
  dispositionOf,
  labelsOf,
  PROVENANCE_COLUMNS,
  type Provenance,
  PUBLISHER,
  provenanceCells,
} from './provenance.ts';

/**
 * Table-shaped answers as files a person can use: CSV (streamed, UTF-8 with BOM so Excel reads £
 * and accents) and XLSX (About, Data, Definitions and Sources sheets). Both carry the dataset's
 * provenance inside the file (src/http/provenance.ts, docs/adr/0008-export-provenance.md).
 */

export const formatQuery = z.enum(['json', 'csv', 'xlsx']).default('json').openapi({
  description: 'json (default), csv, or xlsx (about + data + definitions + sources sheets).',
  example: 'json',
});

export type Cell = string | number | boolean | null;

/**
 * What a column holds, for XLSX cell types: `money` is pounds (a "12345.67" string or a number),
 * written as a number with a £ format; `date` an ISO date ("2021-04-01"), written as a date; any
 * other number is rounded to `decimals` places when given, else to 12 significant figures (more
 * than any source publishes, fewer than the binary noise of computed values).
 */
export type ColumnKind = 'money' | 'date';

export interface ExportColumn<T> {
  header: string;
  description: string;
  value: (row: T) => Cell;
  kind?: ColumnKind;
  /** Published precision of a numeric column, in decimal places. */
  decimals?: number;
}

export type ExportSource = SourceRef;

export interface ExportTable<T> {
  /** File name without extension or version, e.g. "ranking-gbp_research_income-2019". */
  filename: string;
  title: string;
  columns: ExportColumn<T>[];
  /** Rows, or batches of rows to stream (CSV) — every matching row, not one page. */
  rows: T[] | AsyncIterable<T[]>;
  /**
   * How many rows `rows` will yield, asked before any row is read so an XLSX over the cap is
   * refused without building anything. Needed only when `rows` is an async source.
   */
  count?: () => Promise<number>;
  notes?: string[];
  /**
   * Every source the table is built from: a dataset source id (innovate_uk, map_boundaries, …) is
   * described from the dataset and decides the SYNTHETIC label; other ids keep the text given.
   */
  sources: readonly ExportSource[];
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

async function* batches<T>(rows: T[] | AsyncIterable<T[]>): AsyncIterable<T[]> {
  if (Array.isArray(rows)) yield rows;
  else yield* rows;
}

/** The provenance of this request's file: the one place every export gets its stamp from. */
export function provenanceOf(c: Context<AppEnv>, sources: readonly ExportSource[]): Promise<Provenance> {
  return exportProvenance(c.var.deps.db, sources, c.req.url);
}

/** A CSV or XLSX answer for `table`, stamped with the current dataset's provenance. */
export async function exportResponse<T>(
  c: Context<AppEnv>,
  format: 'csv' | 'xlsx',
  table: ExportTable<T>,
): Promise<Response> {
  if (format === 'xlsx') await refuseLargeXlsx(table);
  const p = await provenanceOf(c, table.sources);
  return format === 'csv' ? csvResponse(table, p) : xlsxResponse(table, p);
}

function tooManyRows(): ApiError {
  return new ApiError(
    'bad_request',
    `More than ${MAX_XLSX_ROWS} rows match: ask for format=csv, which streams any number of rows.`,
    [
      {
        location: 'query.format',
        message: `Too many rows for xlsx (at most ${MAX_XLSX_ROWS}); use format=csv`,
      },
    ],
  );
}

/** Refuse before reading a row when the count is known up front. */
async function refuseLargeXlsx<T>(table: ExportTable<T>): Promise<void> {
  const n = Array.isArray(table.rows) ? table.rows.length : table.count ? await table.count() : null;
  if (n !== null && n > MAX_XLSX_ROWS) throw tooManyRows();
}

export function csvResponse<T>(table: ExportTable<T>, p: Provenance): Response {
  const encoder = new TextEncoder();
  const iterator = batches(table.rows)[Symbol.asyncIterator]();
  const stamp = provenanceCells(p);
  const cast = { cast: { boolean: (b: boolean) => (b ? 'true' : 'false') } };
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        const header = [
          ...table.columns.map((col) => col.header),
          ...PROVENANCE_COLUMNS.map((col) => col.header),
        ];
        controller.enqueue(encoder.encode(`\ufeff${stringify([header])}`));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      const lines = next.value.map((row) => [...table.columns.map((col) => col.value(row)), ...stamp]);
      if (lines.length) controller.enqueue(encoder.encode(stringify(lines, cast)));
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
        'Content-Disposition': dispositionOf(p, table.filename, 'csv', 'attachment'),
      },
    }),
  );
}

const MONEY_FORMAT = '#,##0.00';
const DATE_FORMAT = 'yyyy-mm-dd';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Round to `decimals` places, or to 12 significant figures (see {@link ColumnKind}). */
export function roundPublished(v: number, decimals?: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  if (decimals !== undefined) {
    const f = 10 ** decimals;
    return Math.round(v * f) / f;
  }
  return Number(v.toPrecision(12));
}

/** One XLSX cell: money and dates typed and formatted, floats at their published precision. */
export function xlsxCell<T>(col: ExportColumn<T>, v: Cell): XlsxCell {
  if (v === null || v === '') return null;
  if (col.kind === 'money') {
    const n = typeof v === 'number' ? v : Number(v);
    if (typeof v === 'boolean' || !Number.isFinite(n)) return String(v);
    return { value: roundPublished(n, col.decimals ?? 2), type: Number, format: MONEY_FORMAT };
  }
  if (col.kind === 'date' && typeof v === 'string') {
    const m = ISO_DATE.exec(v);
    if (!m) return v;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return { value: d, type: Date, format: DATE_FORMAT };
  }
  if (typeof v === 'number') return roundPublished(v, col.decimals);
  return v;
}

const bold = (value: string) => ({ value, fontWeight: 'bold' as const });

const xmlText = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);

/**
 * The workbook's document properties (docProps/core.xml: title, subject, keywords, creator and
 * dates from the dataset build), which Excel shows under File → Info and keeps in every copy.
 */
function coreProperties(p: Provenance, title: string): Feature<Blob> {
  const labels = labelsOf(p);
  const keywords = [p.version, ...labels, ...p.sources.map((s) => s.id)].join(' ');
  const subject = `Dataset ${p.version}${labels.length ? ` (${labels.join(', ')})` : ''}; ${p.url}`;
  const date = p.builtAt.replace(/\.\d+Z$/, 'Z');
  const core =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlText(`${title}${labels.length ? ` — ${labels.join(', ')}` : ''}`)}</dc:title>` +
    `<dc:subject>${xmlText(subject)}</dc:subject>` +
    `<dc:creator>${PUBLISHER}</dc:creator>` +
    `<cp:keywords>${xmlText(keywords)}</cp:keywords>` +
    `<dc:description>${xmlText(p.sources.map((s) => `${s.title}${s.synthetic ? ' [SYNTHETIC]' : ''}`).join('; '))}</dc:description>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${date}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${date}</dcterms:modified>` +
    '</cp:coreProperties>';
  return {
    files: {
      transform: {
        '[Content_Types].xml': {
          insert: () =>
            '<Override ContentType="application/vnd.openxmlformats-package.core-properties+xml" PartName="/docProps/core.xml"/>',
        },
        '_rels/.rels': {
          insert: () =>
            '<Relationship Id="rId-observatory-core" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>',
        },
      },
      write: { files: () => ({ 'docProps/core.xml': core }) },
    },
  };
}

export async function xlsxResponse<T>(table: ExportTable<T>, p: Provenance): Promise<Response> {
  const stamp = provenanceCells(p);
  const header = [
    ...table.columns.map((col) => col.header),
    ...PROVENANCE_COLUMNS.map((col) => col.header),
  ].map(bold);
  const data: SheetData = [header];
  for await (const batch of batches(table.rows)) {
    // An async source without a count is still bounded: refuse as soon as the cap is passed.
    if (data.length - 1 + batch.length > MAX_XLSX_ROWS) throw tooManyRows();
    for (const row of batch)
      data.push([...table.columns.map((col) => xlsxCell(col, col.value(row))), ...stamp]);
  }
  const about: SheetData = [
    [bold(table.title), null],
    ...aboutRows(p, table.title).map(([k, v]) => [bold(k), v]),
  ];
  const definitions: SheetData = [
    [bold('Column'), bold('Definition')],
    ...table.columns.map((col) => [col.header, col.description]),
    ...PROVENANCE_COLUMNS.map((col) => [col.header, col.description]),
    ...(table.notes?.length ? [[null, null], ['Notes', null], ...table.notes.map((n) => [null, n])] : []),
  ];
  const sources: SheetData = [
    ['Source', 'Licence', 'Provenance', 'Synthetic'].map(bold),
    ...p.sources.map((s) => [`${s.title} (${s.id})`, s.licence, s.provenance, s.synthetic]),
  ];
  const blob = await writeXlsxFile(
    [
      { data: about, sheet: 'About', columns: [{ width: 18 }, { width: 110 }] },
      { data, sheet: 'Data', stickyRowsCount: 1 },
      { data: definitions, sheet: 'Definitions', columns: [{ width: 28 }, { width: 100 }] },
      {
        data: sources,
        sheet: 'Sources',
        columns: [{ width: 50 }, { width: 60 }, { width: 100 }, { width: 10 }],
      },
    ],
    { features: [coreProperties(p, table.title)] },
  ).toBlob();
  return new Response(blob, {
    status: 200,
    headers: {
      'Content-Type': EXPORT_CONTENT_TYPES.xlsx,
      'Content-Disposition': dispositionOf(p, table.filename, 'xlsx', 'attachment'),
    },
  });
}
