import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { LEP_VINTAGE } from '../../domain/geography.ts';
import { VALUE_METHODS } from '../../domain/lep-rebuild.ts';
import { aboutRows, PROVENANCE_COLUMNS, type Provenance, provenanceCells } from '../../http/provenance.ts';
import { POPULATION_ID } from '../rebuild/per-head.ts';
import type { IndicatorSource } from '../sources/indicator-model.ts';
import type { SqlRunner } from '../sql.ts';
import type { Stage } from './stage.ts';

/**
 * The whole-dataset download (GET /v1/download): every indicator × live LEP × year with value,
 * unit, how it was obtained, rank and per-head variant, as one long CSV (with CSVW metadata) and
 * one XLSX (About, data, definitions, columns, sources). Built once per dataset from the staged
 * tables the API serves, so the file and the API cannot disagree and a request only streams
 * stored parts (no workbook is built on the request path).
 */

export const DOWNLOAD_BASENAME = 'lep-indicators';
/** Text per stored part: small enough to hold one at a time while streaming. */
export const PART_CHARS = 512 * 1024;

export interface DatasetStamp {
  version: string;
  builtAt: string;
  isSample: boolean;
}

/** One row of the long table, as read from the staged tables. */
interface DownloadRow {
  indicator_id: string;
  indicator_title: string;
  area_code: string;
  area_name: string;
  year: number;
  value: number | null;
  unit: string;
  method: string;
  rate_of: { numeratorId: string; denominatorId: string | null; denominator: string; per: number } | null;
  suppressed: boolean;
  suppression_marker: string | null;
  value_lower: number | null;
  value_upper: number | null;
  polarity: string;
  rank: number | null;
  cohort_size: number;
  cohort_complete: boolean;
  percentile: number | null;
  england_value: number | null;
  per_head_id: string | null;
  per_head_value: number | null;
  per_head_unit: string | null;
  source_id: string;
}

type Cell = string | number | boolean | null;
type CsvwType = 'string' | 'integer' | 'double' | 'boolean';

interface Column {
  name: string;
  description: string;
  datatype: CsvwType;
  value: (r: DownloadRow, stamp: DatasetStamp) => Cell;
}

/** The fields of a row that are a cell as they stand. */
type CellField = { [K in keyof DownloadRow]: DownloadRow[K] extends Cell ? K : never }[keyof DownloadRow];

/** A column of the long table: its name, CSVW datatype, the row field it shows or how its cell is made, and what it means. */
type ColumnRow = readonly [
  name: string,
  datatype: CsvwType,
  from: CellField | ((r: DownloadRow) => Cell),
  description: string,
];

const methodOf = (r: DownloadRow) => (r.rate_of ? 'derived' : r.method);
const neutral = (r: DownloadRow) => r.polarity === 'neutral';

// biome-ignore format: one column per line reads as a table
const LONG_TABLE: readonly ColumnRow[] = [
  ['indicator_id', 'string', 'indicator_id', 'Indicator id (see the definitions sheet, /v1/indicators/{id})'],
  ['indicator', 'string', 'indicator_title', 'Indicator title'],
  ['area_code', 'string', 'area_code', `${LEP_VINTAGE} LEP code (GSS)`],
  ['area_name', 'string', 'area_name', 'LEP name'],
  ['year', 'integer', 'year', 'Year of the value as the source labels it'],
  ['value', 'double', 'value', 'The value; empty when suppressed'],
  ['unit', 'string', 'unit', 'Unit of value'],
  ['method', 'string', methodOf, `How the value was obtained: ${VALUE_METHODS.join(', ')} (as-published: the source's own LEP value on an unchanged footprint; nuts3-sum / nuts3-weighted: rebuilt from whole NUTS3 areas, summed or population-weighted; apportioned: a NUTS3 area cut by the LEP boundary counted with its population share; derived: a rate we compute from two served values, see derived_from)`],
  ['derived_from', 'string', (r) => (r.rate_of ? `${r.rate_of.numeratorId} ÷ ${r.rate_of.denominatorId ?? r.rate_of.denominator} × ${r.rate_of.per}` : null), 'For a derived rate: numerator indicator ÷ denominator (× scale)'],
  ['suppressed', 'boolean', 'suppressed', 'true when the source suppressed the cell (or an input of a derived rate)'],
  ['suppression_marker', 'string', 'suppression_marker', 'The marker published in place of the number (c, low, x)'],
  ['value_lower', 'double', 'value_lower', 'Lower bound when a suppressed input makes the value uncertain'],
  ['value_upper', 'double', 'value_upper', 'Upper bound when a suppressed input makes the value uncertain'],
  ['rank', 'integer', (r) => (neutral(r) ? null : r.rank), 'Rank among the LEPs that year (1 = best given the polarity); empty for neutral indicators (see order), when the cohort is incomplete or the value suppressed'],
  ['order', 'integer', (r) => (neutral(r) ? r.rank : null), 'Neutral indicators only: position by value, highest first (ties share), in place of a rank: a size or structure is neither good nor bad'],
  ['of', 'integer', 'cohort_size', 'LEPs with a value that year (the cohort ranked)'],
  ['cohort_complete', 'boolean', 'cohort_complete', `true when every ${LEP_VINTAGE} LEP has a value that year (only then are ranks given)`],
  ['percentile', 'double', (r) => (neutral(r) ? null : r.percentile), 'Percentile within the cohort (100 = best); empty for neutral indicators'],
  ['england_value', 'double', 'england_value', 'England value of the same indicator and year'],
  ['per_head_indicator_id', 'string', 'per_head_id', 'For a total: its per-head variant (value ÷ resident population)'],
  ['per_head_value', 'double', 'per_head_value', 'For a total: the per-head variant’s value for the same LEP and year'],
  ['per_head_unit', 'string', 'per_head_unit', 'Unit of per_head_value'],
  ['source_id', 'string', 'source_id', 'Source the value was read or rebuilt from (see the sources sheet, /v1/meta)'],
];

/** The columns of the long table, in order (CSV header, XLSX data sheet, CSVW tableSchema). */
export const DOWNLOAD_COLUMNS: readonly Column[] = [
  ...LONG_TABLE.map(
    ([name, datatype, from, description]): Column => ({
      name,
      description,
      datatype,
      value: typeof from === 'function' ? from : (r) => r[from],
    }),
  ),
  // The provenance columns every export ends with (src/http/provenance.ts), filled from the dataset.
  ...PROVENANCE_COLUMNS.map(
    (p, i): Column => ({
      name: p.header,
      description: p.description,
      datatype: i === 1 || i === 2 ? 'boolean' : 'string',
      value: (_r, s) => provenanceCells(provenanceFor(s))[i] as Cell,
    }),
  ),
];

/** The dataset sources the indicator tables are built from (the ids /v1/meta lists). */
export const DOWNLOAD_SOURCE_IDS = [
  'nesta_beis_indicators',
  'dfe_lsip_lep_business',
  'nesta_gtr_total_ukri_funding',
];

/**
 * The file's provenance, as every export states it (indicator sources are never synthetic: only
 * Innovate UK data is ever generated). `url` is the path that fetches the file again.
 */
export function provenanceFor(s: DatasetStamp, url = '/v1/download'): Provenance {
  return {
    version: s.version,
    builtAt: s.builtAt,
    sample: s.isSample,
    synthetic: false,
    sources: DOWNLOAD_SOURCE_IDS.map((id) => ({
      id,
      title: id,
      licence: '',
      provenance: '',
      synthetic: false,
    })),
    url,
  };
}

/** `lep-indicators_<version>[_SAMPLE].<ext>`: the name alone says which data the file holds. */
export function downloadFilename(stamp: DatasetStamp, ext: string) {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${DOWNLOAD_BASENAME}_${safe(stamp.version)}${stamp.isSample ? '_SAMPLE' : ''}.${ext}`;
}

const rowsSql = (s: string) => `
  select v.indicator_id, i.title as indicator_title, v.area_code, a.name as area_name, v.year, v.value,
         i.unit, v.method, i.rate_of, i.polarity, v.suppressed, v.suppression_marker, v.value_lower, v.value_upper,
         v.rank, v.cohort_size, v.cohort_complete, v.percentile, v.england_value,
         phi.id as per_head_id, ph.value as per_head_value, phi.unit as per_head_unit, v.source_id
    from "${s}".indicator_values v
    join "${s}".indicators i on i.id = v.indicator_id
    join "${s}".areas a on a.type = 'lep' and a.code = v.area_code and a.status = 'live'
    left join "${s}".indicators phi
      on phi.rate_of->>'numeratorId' = i.id and phi.rate_of->>'denominatorId' = '${POPULATION_ID}'
    left join "${s}".indicator_values ph
      on ph.indicator_id = phi.id and ph.year = v.year and ph.area_vintage = v.area_vintage and ph.area_code = v.area_code
   where v.area_vintage = '${LEP_VINTAGE}'
   order by v.indicator_id, v.year, v.area_code`;

interface IndicatorDefRow {
  id: string;
  title: string;
  description: string;
  unit: string;
  measure: string;
  polarity: string;
  source: IndicatorSource;
  rate_of: DownloadRow['rate_of'];
  caveats: string[];
}

/** What an indicator's values in the file were obtained by, stated per indicator. */
function methodNote(d: IndicatorDefRow, methods: ReadonlyMap<string, number>) {
  const parts = [...methods].sort(([a], [b]) => a.localeCompare(b)).map(([m, n]) => `${n} ${m}`);
  const how = d.rate_of
    ? `Derived: ${d.rate_of.numeratorId} ÷ ${d.rate_of.denominatorId ?? d.rate_of.denominator} × ${d.rate_of.per} (${d.rate_of.denominator}).`
    : '';
  return [how, parts.length ? `Values: ${parts.join(', ')}.` : 'No values on the 2021 LEPs.', ...d.caveats]
    .filter(Boolean)
    .join(' ');
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function csvText(rows: readonly DownloadRow[], stamp: DatasetStamp) {
  const cast = { boolean: (b: boolean) => (b ? 'true' : 'false') };
  const lines = [
    `\ufeff${stringify([DOWNLOAD_COLUMNS.map((c) => c.name)])}`,
    ...chunked(rows, 2000).map((batch) =>
      stringify(
        batch.map((r) => DOWNLOAD_COLUMNS.map((c) => c.value(r, stamp))),
        { cast },
      ),
    ),
  ];
  return lines.join('');
}

function chunked<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const LABEL = (stamp: DatasetStamp) =>
  stamp.isSample
    ? 'SAMPLE DATA: a small cut of the real sources (test/fixtures/sample), not the full dataset.'
    : null;

const TITLE = `Every indicator for every ${LEP_VINTAGE} LEP and year (innovation-observatory)`;

/** The CSVW metadata document (W3C "Metadata Vocabulary for Tabular Data") describing the CSV. */
export function csvwMetadata(stamp: DatasetStamp, rows: number, csvSha: string) {
  const label = LABEL(stamp);
  return {
    '@context': 'http://www.w3.org/ns/csvw',
    url: 'download?format=csv',
    'dc:title': `${TITLE}${stamp.isSample ? ' — SAMPLE' : ''}`,
    'dc:description':
      'One long table: value, unit, how it was obtained, rank and per-head variant of every indicator for every LEP and year. Methods and their limits: /v1/coverage and the README.',
    'dc:publisher': 'innovation-observatory',
    'dc:created': stamp.builtAt,
    'schema:version': stamp.version,
    'dc:identifier': downloadFilename(stamp, 'csv'),
    ...(label ? { 'rdfs:comment': label } : {}),
    'dc:extent': `${rows} rows`,
    'schema:sha256': csvSha,
    dialect: { header: true, encoding: 'utf-8', delimiter: ',', doubleQuote: true },
    tableSchema: {
      columns: DOWNLOAD_COLUMNS.map((c) => ({
        name: c.name,
        titles: c.name,
        datatype: c.datatype,
        'dc:description': c.description,
        ...(c.name === 'indicator_id' || c.name === 'area_code' || c.name === 'year'
          ? { required: true }
          : {}),
      })),
      primaryKey: ['indicator_id', 'area_code', 'year'],
    },
  };
}

async function xlsxBytes(
  rows: readonly DownloadRow[],
  defs: readonly IndicatorDefRow[],
  methods: ReadonlyMap<string, Map<string, number>>,
  stamp: DatasetStamp,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'innovation-observatory';
  wb.title = `${TITLE}${stamp.isSample ? ' — SAMPLE' : ''}`;
  wb.subject = `Dataset ${stamp.version}`;
  wb.keywords = stamp.isSample ? 'SAMPLE' : '';
  wb.created = new Date(stamp.builtAt);
  wb.modified = new Date(stamp.builtAt);

  const about = wb.addWorksheet('About');
  about.columns = [{ width: 22 }, { width: 120 }];
  const aboutLines: [string, string][] = [
    ...aboutRows(provenanceFor(stamp, '/v1/download?format=xlsx'), TITLE).filter(([k]) => k !== 'Source'),
    ['Rows', String(rows.length)],
    [
      'Sheets',
      'data (the long table), definitions (one row per indicator), columns (what each data column means), sources',
    ],
    ['Coverage', 'Which LEP-years lack a value and why: GET /v1/coverage and /v1/leps/{code}/coverage.'],
    [
      'Limits',
      'Values rebuilt from NUTS3 areas differ from what the source would publish for the 2021 footprint: apportioning by population is crude for institution-located counts, and population weights are not survey denominators (see method, and the README).',
    ],
  ];
  for (const [k, v] of aboutLines) {
    const r = about.addRow([k, v]);
    r.getCell(1).font = { bold: true };
    if (k === 'Warning') r.getCell(2).font = { bold: true, color: { argb: 'FFC00000' } };
    r.commit();
  }
  about.commit();

  addSheet(
    wb,
    'data',
    DOWNLOAD_COLUMNS.map((c) => ({
      header: c.name,
      width: c.name === 'indicator' || c.name === 'method' ? 30 : Math.max(10, c.name.length + 2),
      value: (r: DownloadRow) => c.value(r, stamp),
    })),
    rows,
    { frozen: true },
  );
  // biome-ignore format: one column per line reads as a table
  addSheet<IndicatorDefRow>(wb, 'definitions', [
    { header: 'indicator_id', width: 40, value: (d) => d.id },
    { header: 'name', width: 50, value: (d) => d.title },
    { header: 'unit', width: 20, value: (d) => d.unit },
    { header: 'measure', width: 10, value: (d) => d.measure },
    { header: 'polarity', width: 18, value: (d) => d.polarity },
    { header: 'source_id', width: 30, value: (d) => d.source.id },
    { header: 'source', width: 50, value: (d) => `${d.source.title} (${d.source.publisher})` },
    { header: 'description', width: 80, value: (d) => d.description },
    { header: 'method_notes', width: 100, value: (d) => methodNote(d, methods.get(d.id) ?? new Map()) },
  ], defs, { frozen: true });
  // biome-ignore format: one column per line reads as a table
  addSheet<Column>(wb, 'columns', [
    { header: 'column', width: 24, value: (c) => c.name },
    { header: 'type', width: 10, value: (c) => c.datatype },
    { header: 'definition', width: 120, value: (c) => c.description },
  ], DOWNLOAD_COLUMNS);
  // biome-ignore format: one column per line reads as a table
  addSheet<IndicatorSource>(wb, 'sources', [
    { header: 'source_id', width: 30, value: (s) => s.id },
    { header: 'title', width: 50, value: (s) => s.title },
    { header: 'publisher', width: 40, value: (s) => s.publisher },
    { header: 'licence', width: 50, value: (s) => s.licence },
    { header: 'url', width: 50, value: (s) => s.url },
    { header: 'files', width: 50, value: (s) => s.files.join(' ') },
    { header: 'provenance', width: 100, value: (s) => s.provenance },
  ], distinctSources(defs));

  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

/** A column of an XLSX sheet: its header, its width in characters, and its cell for an item. */
interface SheetColumn<T> {
  header: string;
  width: number;
  value: (item: T) => Cell;
}

/** A sheet of one row per item under a bold header row (frozen when asked), written as it goes. */
function addSheet<T>(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: readonly SheetColumn<T>[],
  items: readonly T[],
  opts: { frozen?: boolean } = {},
): void {
  const sheet = wb.addWorksheet(name, opts.frozen ? { views: [{ state: 'frozen', ySplit: 1 }] } : undefined);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const item of items) sheet.addRow(columns.map((c) => c.value(item))).commit();
  sheet.commit();
}

function distinctSources(defs: readonly IndicatorDefRow[]) {
  const seen = new Map<string, IndicatorDefRow['source']>();
  for (const d of defs) {
    const key = `${d.source.id}|${d.source.title}|${d.source.publisher}|${d.source.licence}|${d.source.url}`;
    if (!seen.has(key)) seen.set(key, d.source);
  }
  return [...seen.values()].sort(
    (a, b) => a.id.localeCompare(b.id) || a.files.join().localeCompare(b.files.join()),
  );
}

/** Bytes as base64 parts (each a whole number of 3-byte groups, so each decodes on its own). */
export function base64Parts(bytes: Buffer, size = PART_CHARS): string[] {
  const step = Math.floor(((size / 4) * 3) / 3) * 3;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += step) parts.push(bytes.subarray(i, i + step).toString('base64'));
  return parts;
}

/** Build the three files from the staged tables and store them in the staged download tables. */
export async function buildDownloads(run: SqlRunner, schema: string, stamp: DatasetStamp) {
  const rows = await run.query<DownloadRow>(rowsSql(schema));
  const defs = await run.query<IndicatorDefRow>(
    `select id, title, description, unit, measure, polarity, source, rate_of, caveats from "${schema}".indicators order by id`,
  );
  const methods = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = methods.get(r.indicator_id) ?? new Map<string, number>();
    if (r.value !== null) m.set(methodOf(r), (m.get(methodOf(r)) ?? 0) + 1);
    methods.set(r.indicator_id, m);
  }
  const csv = csvText(rows, stamp);
  const csvBytes = Buffer.from(csv, 'utf8');
  const xlsx = await xlsxBytes(rows, defs, methods, stamp);
  const meta = JSON.stringify(csvwMetadata(stamp, rows.length, sha256(csvBytes)), null, 2);
  const files = [
    {
      format: 'csv',
      filename: downloadFilename(stamp, 'csv'),
      type: 'text/csv; charset=utf-8',
      encoding: 'base64',
      bytes: csvBytes.length,
      rows: rows.length,
      sha: sha256(csvBytes),
      parts: base64Parts(csvBytes),
    },
    {
      format: 'xlsx',
      filename: downloadFilename(stamp, 'xlsx'),
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      encoding: 'base64',
      bytes: xlsx.length,
      rows: rows.length,
      sha: sha256(xlsx),
      parts: base64Parts(xlsx),
    },
    {
      format: 'csvw',
      filename: downloadFilename(stamp, 'csv-metadata.json'),
      type: 'application/csvm+json',
      encoding: 'base64',
      bytes: Buffer.byteLength(meta),
      rows: 0,
      sha: sha256(Buffer.from(meta)),
      parts: base64Parts(Buffer.from(meta)),
    },
  ];
  await run.copyRows(
    `"${schema}".dataset_downloads`,
    ['format', 'filename', 'content_type', 'encoding', 'bytes', 'rows', 'sha256', 'parts'],
    files.map((f) => [f.format, f.filename, f.type, f.encoding, f.bytes, f.rows, f.sha, f.parts.length]),
  );
  for (const f of files)
    await run.copyRows(
      `"${schema}".dataset_download_parts`,
      ['format', 'part', 'body'],
      f.parts.map((body, i) => [f.format, i, body]),
    );
  return files.map(({ parts: _p, ...f }) => f);
}

/** Runs after every other stage has copied: the download is built from what the API will serve. */
export const downloadStage: Stage = {
  name: 'downloads',
  tables: ['dataset_downloads', 'dataset_download_parts'],
  sources: () => [],
  async prepare(ctx) {
    const stamp = ctx.dataset;
    if (!stamp) throw new Error('the downloads stage needs the dataset version (StageContext.dataset)');
    return {
      reports: [],
      async copy() {},
      async derive(run, schema) {
        const files = await buildDownloads(run, schema, stamp);
        ctx.log(
          `downloads: ${files.map((f) => `${f.format} ${(f.bytes / 1e6).toFixed(1)} MB`).join(', ')} (${files[0]?.rows ?? 0} rows)`,
        );
      },
    };
  },
};
