import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import {
  appFor,
  createTestDatabase,
  DATA_DIR,
  FULL_DATA,
  getJson,
  loadedTestDatabase,
  type TestDatabase,
} from './harness.ts';

// The load report served at /v1/meta must account for every row of every source file: read =
// loaded + rejected + skipped, with the skipped rows' reasons and counts, and each file listed
// once. Checked on the default dataset (the full data in CI) and on the shipped sample; the
// skipped counts of the DfE files are recounted here from the CSVs themselves.

interface Report {
  source: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsSkipped: number;
  skipped: { reason: string; rows: number }[];
  rejects: unknown[];
}
interface Meta {
  sources: { id: string; files: string[] }[];
  report: Report[];
}

const DFE_UBC = 'dfe_lsip_lep_business/enterprise_counts_by_size_UBC_2018_2022.csv';

/** Rows of a DfE file per geographic_level, counted from the file. */
function levels(dataDir: string, file: string): Map<string, number> {
  const rows = parse(readFileSync(join(dataDir, file)), { columns: true, bom: true }) as Record<
    string,
    string
  >[];
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.geographic_level ?? '', (out.get(r.geographic_level ?? '') ?? 0) + 1);
  return out;
}

function checkBalanced(meta: Meta, dataDir: string) {
  const report = meta.report;
  expect(report.length).toBeGreaterThan(20);
  for (const r of report) {
    expect(r.rowsRead, r.source).toBe(r.rowsLoaded + r.rowsRejected + r.rowsSkipped);
    expect(
      r.skipped.reduce((a, s) => a + s.rows, 0),
      r.source,
    ).toBe(r.rowsSkipped);
    for (const s of r.skipped) {
      expect(s.reason.length, r.source).toBeGreaterThan(10);
      expect(s.rows, `${r.source}: ${s.reason}`).toBeGreaterThan(0);
    }
    expect(r.rejects.length).toBeLessThanOrEqual(r.rowsRejected);
  }
  // Each file once.
  const sources = report.map((r) => r.source);
  expect(sources.filter((s, i) => sources.indexOf(s) !== i)).toEqual([]);
  // Every catalogued data file has its entry (SYNTHETIC.md marks a generated folder: no rows).
  const files = meta.sources.flatMap((s) => s.files).filter((f) => !f.endsWith('.md'));
  expect(files.length).toBeGreaterThan(20);
  expect(files.filter((f) => !sources.includes(f))).toEqual([]);

  // Recount the DfE business counts file: only LEP and COUNTRY rows are used; the others are skipped.
  const counted = levels(dataDir, DFE_UBC);
  const ubc = report.find((r) => r.source === DFE_UBC);
  expect(ubc).toBeDefined();
  const other = [...counted].filter(([l]) => l !== 'LEP' && l !== 'COUNTRY');
  expect(other.length).toBeGreaterThan(0);
  for (const [level, n] of other) {
    expect(ubc?.skipped.find((s) => s.reason.startsWith(`${level} row`))?.rows, level).toBe(n);
  }
  expect(ubc?.rowsRead).toBe([...counted.values()].reduce((a, b) => a + b, 0));
}

describe('load report balances', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await loadedTestDatabase();
  });
  afterAll(async () => tdb?.close());

  it(`for every source of the default dataset (${FULL_DATA ? 'full data' : 'the sample'})`, async () => {
    const r = await getJson(appFor(tdb.db), '/v1/meta');
    expect(r.status).toBe(200);
    checkBalanced(r.body as Meta, DATA_DIR);
  });

  it.runIf(FULL_DATA)('for every source of the shipped sample', async () => {
    const sample = await createTestDatabase();
    try {
      await loadDataset(sample.run, { dataDir: SAMPLE_DATA_DIR });
      const r = await getJson(appFor(sample.db), '/v1/meta');
      checkBalanced(r.body as Meta, SAMPLE_DATA_DIR);
    } finally {
      await sample.close();
    }
  });
});
