import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR, FULL_DATA, loadedTestDatabase, type TestDatabase } from './harness.ts';

/**
 * What the pipeline stores for the coverage report (indicator_coverage) and the all-data download
 * (dataset_downloads), checked against the DfE source files read here and counts taken in SQL.
 */

let tdb: TestDatabase;
type Row = Record<string, string>;
const csv = (file: string) =>
  parse(readFileSync(join(DATA_DIR, file)), { columns: true, bom: true }) as Row[];

beforeAll(async () => {
  tdb = await loadedTestDatabase();
}, 600_000);
afterAll(async () => {
  await tdb?.close();
});

const file = async (format: string) => {
  const [f] = await tdb.run.query<{
    filename: string;
    bytes: number;
    rows: number;
    sha256: string;
    parts: number;
  }>('select filename, bytes, rows, sha256, parts from dataset_downloads where format = $1', [format]);
  const parts = await tdb.run.query<{ body: string }>(
    'select body from dataset_download_parts where format = $1 order by part',
    [format],
  );
  return { f, bytes: Buffer.concat(parts.map((p) => Buffer.from(p.body, 'base64'))) };
};

describe('indicator_coverage', () => {
  it('counts the DfE years with a value per live LEP exactly as the source file has them', async () => {
    const byName = new Map(
      csv('geo_lookups/dfe_leps.csv')
        .filter((r) => r.status === 'live')
        .map((r) => [r.local_enterprise_partnership_name, r.local_enterprise_partnership_code as string]),
    );
    const want = new Map<string, number>();
    for (const r of csv('dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv')) {
      const code = byName.get(r.area);
      if (r.geographic_level !== 'LEP' || !code) continue;
      if (/^\d+$/.test((r['Agriculture and Fishing'] ?? '').trim()))
        want.set(code, (want.get(code) ?? 0) + 1);
    }
    const got = await tdb.run.query<{ area_code: string; n: number; all: number }>(
      `select area_code, (count(*) filter (where status = 'value'))::int as n, count(*)::int as all
         from indicator_coverage where indicator_id = 'employment-agriculture-fishing' group by area_code`,
    );
    // The LEP register lists all 38 live LEPs in the sample too; some have DfE values in every dataset.
    expect(byName.size).toBe(38);
    expect(got.length).toBe(byName.size);
    expect(want.size).toBeGreaterThan(0);
    for (const g of got) {
      expect(g.n, g.area_code).toBe(want.get(g.area_code) ?? 0);
      expect(g.all).toBe(5);
    }
  });
});

describe('dataset_downloads', () => {
  it('stores a CSV with one row per indicator × live LEP × year, its CSVW metadata and an XLSX', async () => {
    const [{ n }] = (await tdb.run.query<{ n: number }>(
      `select count(*)::int as n from indicator_values v
         join areas a on a.type = 'lep' and a.status = 'live' and a.code = v.area_code
        where v.area_vintage = '2021'`,
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(1000);
    const c = await file('csv');
    expect(c.bytes.length).toBe(c.f?.bytes);
    expect(createHash('sha256').update(c.bytes).digest('hex')).toBe(c.f?.sha256);
    const rows = parse(c.bytes, { columns: true, bom: true }) as Row[];
    expect(rows.length).toBe(n);
    expect(c.f?.filename.endsWith(FULL_DATA ? '.csv' : '_SAMPLE.csv')).toBe(true);
    const m = JSON.parse((await file('csvw')).bytes.toString('utf8'));
    const header = (parse(c.bytes, { bom: true, to_line: 1 }) as string[][])[0];
    expect(m.tableSchema.columns.map((x: { name: string }) => x.name)).toEqual(header);
    expect(m['schema:sha256']).toBe(c.f?.sha256);
    const x = await file('xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'data', 'definitions', 'columns', 'sources']);
    expect((wb.getWorksheet('data') as ExcelJS.Worksheet).actualRowCount - 1).toBe(n);
  });
});
