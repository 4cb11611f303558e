import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/deps.ts';
import {
  csvResponse,
  type ExportTable,
  exportResponse,
  MAX_XLSX_ROWS,
  xlsxResponse,
} from '../../src/http/export.ts';
import { type FeatureText, featureCollectionResponse } from '../../src/http/geojson.ts';
import { ApiError } from '../../src/http/problem.ts';
import type { Provenance } from '../../src/http/provenance.ts';

// The export writers: streamed (the first bytes leave before the row source is done), bounded
// (an XLSX over its cap is refused before one row is read), typed XLSX cells, and provenance in
// every file.

const PROV: Provenance = {
  version: '20260101T000000Z-abcdef012345',
  builtAt: '2026-01-01T00:00:00.000Z',
  sample: false,
  synthetic: true,
  sources: [
    {
      id: 'innovate_uk',
      title: 'Generated rows',
      licence: 'OGL v3',
      provenance: 'npm run data:synth',
      synthetic: true,
    },
  ],
  url: 'https://api.example.org/v1/investments?format=csv',
};

interface Row {
  id: number;
  pounds: string;
  start: string | null;
  ratio: number;
}

const COLUMNS: ExportTable<Row>['columns'] = [
  { header: 'id', description: 'Row id', value: (r) => r.id },
  { header: 'grant_gbp', description: '£', value: (r) => r.pounds, kind: 'money' },
  { header: 'start_date', description: 'Start', value: (r) => r.start, kind: 'date' },
  { header: 'ratio', description: 'A computed ratio', value: (r) => r.ratio },
];

/** A row source that reports what it has been asked for and holds its last batch until released. */
function gatedSource(batches: Row[][]) {
  const state = { pulled: 0, finished: false };
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  async function* rows() {
    for (const [i, b] of batches.entries()) {
      if (i === batches.length - 1) await gate;
      state.pulled++;
      yield b;
    }
    state.finished = true;
  }
  return { rows: rows(), state, release };
}

const row = (id: number): Row => ({ id, pounds: `${id}.25`, start: '2021-04-01', ratio: 0.1 + 0.2 });

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string): Promise<string> {
  const decoder = new TextDecoder();
  let seen = '';
  while (!seen.includes(text)) {
    const next = await reader.read();
    if (next.done) break;
    seen += decoder.decode(next.value, { stream: true });
  }
  return seen;
}

describe('CSV export', () => {
  it('sends the header and the first rows before the row source has produced its last batch', async () => {
    const src = gatedSource([[row(1), row(2)], [row(3)]]);
    const res = csvResponse(
      { filename: 'x', title: 'X', columns: COLUMNS, rows: src.rows, sources: [] },
      PROV,
    );
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await readUntil(reader, '\n2,');
    expect(first).toContain('id,grant_gbp,start_date,ratio,dataset_version,synthetic,sample,sources');
    expect(first).toContain(`2,2.25,2021-04-01,0.30000000000000004,${PROV.version},true,false,innovate_uk`);
    // The last batch has not been read yet: the bytes above left while the source was still producing.
    expect(src.state.finished).toBe(false);
    expect(src.state.pulled).toBe(1);
    src.release();
    const rest = await readUntil(reader, '\n3,');
    expect(rest).toContain(`3,3.25,2021-04-01`);
    expect((await reader.read()).done).toBe(true);
    expect(src.state.finished).toBe(true);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="x_${PROV.version}_SYNTHETIC.csv"`,
    );
  });
});

describe('GeoJSON export', () => {
  it('writes the collection head and the first features before the source is done', async () => {
    const state = { finished: false };
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const f = (id: number): FeatureText => ({
      id,
      properties: { id },
      geometry: '{"type":"Point","coordinates":[0,51]}',
    });
    async function* features() {
      yield [f(1), f(2)];
      await gate;
      yield [f(3)];
      state.finished = true;
    }
    const res = featureCollectionResponse({ provenance: { datasetVersion: PROV.version } }, features());
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const head = await readUntil(reader, '"id":2');
    expect(
      head.startsWith(
        `{"type":"FeatureCollection","provenance":{"datasetVersion":"${PROV.version}"},"features":[`,
      ),
    ).toBe(true);
    expect(state.finished).toBe(false);
    release();
    let all = head;
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      all += new TextDecoder().decode(next.value);
    }
    expect(JSON.parse(all).features.map((x: { id: number }) => x.id)).toEqual([1, 2, 3]);
    expect(state.finished).toBe(true);
  });
});

describe('XLSX export', () => {
  it('over the cap: a 400 pointing to CSV before one row is read or the database is touched', async () => {
    let pulled = 0;
    async function* rows() {
      pulled++;
      yield [row(1)];
    }
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error('the database was touched');
        },
      },
    );
    const c = { var: { deps: { db: untouchable } }, req: { url: 'http://x/v1/investments?format=xlsx' } };
    const table: ExportTable<Row> = {
      filename: 'x',
      title: 'X',
      columns: COLUMNS,
      rows: rows(),
      count: async () => MAX_XLSX_ROWS + 1,
      sources: [{ id: 'innovate_uk' }],
    };
    const err = await exportResponse(c as unknown as Context<AppEnv>, 'xlsx', table).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('bad_request');
    expect((err as ApiError).message).toContain('format=csv');
    expect((err as ApiError).errors?.[0]?.location).toBe('query.format');
    expect(pulled).toBe(0);
  });

  it('an uncounted source is still refused as soon as it passes the cap', async () => {
    let pulled = 0;
    async function* rows() {
      for (;;) {
        pulled++;
        yield Array.from({ length: 4_000 }, (_, i) => row(i));
      }
    }
    const err = await xlsxResponse(
      { filename: 'x', title: 'X', columns: COLUMNS, rows: rows(), sources: [] },
      PROV,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(pulled).toBe(Math.ceil((MAX_XLSX_ROWS + 1) / 4_000));
  });

  it('money and dates are typed cells with formats, floats rounded; About sheet and workbook properties carry the provenance', async () => {
    const rows: Row[] = [
      { id: 1, pounds: '1234567.89', start: '2021-04-01', ratio: 0.1 + 0.2 },
      { id: 2, pounds: '-0.50', start: null, ratio: 2 / 3 },
    ];
    const res = await xlsxResponse(
      { filename: 'x', title: 'Test table', columns: COLUMNS, rows, sources: [], notes: ['A note'] },
      PROV,
    );
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="x_${PROV.version}_SYNTHETIC.xlsx"`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Data', 'Definitions', 'Sources']);
    const data = wb.getWorksheet('Data') as ExcelJS.Worksheet;
    expect(data.getRow(1).values).toEqual([
      undefined,
      'id',
      'grant_gbp',
      'start_date',
      'ratio',
      'dataset_version',
      'synthetic',
      'sample',
      'sources',
    ]);
    const money = data.getCell('B2');
    expect(money.type).toBe(ExcelJS.ValueType.Number);
    expect(money.value).toBe(1234567.89);
    expect(money.numFmt).toBe('#,##0.00');
    expect(data.getCell('B3').value).toBe(-0.5);
    const date = data.getCell('C2');
    expect(date.type).toBe(ExcelJS.ValueType.Date);
    expect((date.value as Date).toISOString()).toBe('2021-04-01T00:00:00.000Z');
    expect(date.numFmt).toBe('yyyy-mm-dd');
    expect(data.getCell('C3').type).toBe(ExcelJS.ValueType.Null);
    expect(data.getCell('D2').value).toBe(0.3);
    expect(data.getCell('D3').value).toBe(0.666666666667);
    expect(data.getCell('E2').value).toBe(PROV.version);
    expect(data.getCell('F2').value).toBe(true);
    expect(data.getCell('G2').value).toBe(false);
    expect(data.getCell('H2').value).toBe('innovate_uk');

    const about = wb.getWorksheet('About') as ExcelJS.Worksheet;
    const pairs = new Map<string, string[]>();
    about.eachRow((r) => {
      const k = String(r.getCell(1).value);
      pairs.set(k, [...(pairs.get(k) ?? []), String(r.getCell(2).value)]);
    });
    expect(pairs.get('Dataset version')).toEqual([PROV.version]);
    expect(pairs.get('Labels')).toEqual(['SYNTHETIC']);
    expect(pairs.get('Fetched from')).toEqual([PROV.url]);
    expect(pairs.get('Warning')?.[0]).toMatch(/^SYNTHETIC DATA/);
    expect(pairs.get('Source')?.[0]).toContain('Generated rows [SYNTHETIC] (innovate_uk)');

    expect(wb.creator).toBe('innovation-observatory');
    expect(wb.title).toBe('Test table — SYNTHETIC');
    expect(wb.subject).toContain(PROV.version);
    expect(wb.keywords).toBe(`${PROV.version} SYNTHETIC innovate_uk`);
    expect(wb.created?.toISOString()).toBe(PROV.builtAt);
  });
});
