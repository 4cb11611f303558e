import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentDataset, loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

let tdb: TestDatabase;
let dir: string;

/** A private copy of the sample to damage. */
function copySample(): string {
  const d = mkdtempSync(join(tmpdir(), 'obs-sample-'));
  cpSync(SAMPLE_DATA_DIR, d, { recursive: true });
  return d;
}

const count = async (table: string) =>
  (await tdb.run.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]?.n;

beforeAll(async () => {
  tdb = await createTestDatabase();
  // A dataset already serving, so each test about "the previous dataset" has one whatever runs first.
  await loadDataset(tdb.run, { dataDir: SAMPLE_DATA_DIR });
  dir = copySample();
});

/** The dataset serving now; there always is one (loaded in beforeAll, or by a test since). */
async function serving() {
  const current = await currentDataset(tdb.run);
  expect(current?.version).toEqual(expect.any(String));
  return current;
}
afterAll(async () => {
  await tdb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pipeline', () => {
  it('reports every rejected row with file, row, column and reason, and loads the good rows', async () => {
    const leps = join(dir, 'geo_lookups/dfe_leps.csv');
    writeFileSync(
      leps,
      `${readFileSync(leps, 'utf8')}E3700BAD,Nowhere,,,live\nE37000099,Somewhere,31/02/20x,,live\n`,
    );
    const pcFile = join(dir, 'postcodes/codepoint_open_postcode_lad_ward_latlong.csv.gz');
    const pcText = gunzipSync(readFileSync(pcFile)).toString('utf8');
    writeFileSync(
      pcFile,
      gzipSync(
        `${pcText}NOT A POSTCODE,10,0,0,E92000001,E08000003,E05011376,53.4,-2.2\nM1 9ZZ,10,0,0,E92000001,E08000003,E05011376,12.0,-2.2\n`,
      ),
    );

    const result = await loadDataset(tdb.run, { dataDir: dir });
    const lepReport = result.reports.find((r) => r.source === 'geo_lookups/dfe_leps.csv');
    expect(lepReport?.rowsRejected).toBe(2);
    const lines = readFileSync(leps, 'utf8').trimEnd().split('\n').length;
    expect(lepReport?.rejects).toEqual([
      {
        file: 'geo_lookups/dfe_leps.csv',
        row: lines - 1,
        column: 'local_enterprise_partnership_code',
        reason: 'not a GSS code: "E3700BAD"',
      },
      {
        file: 'geo_lookups/dfe_leps.csv',
        row: lines,
        column: 'date_of_introduction',
        reason: 'unreadable date',
      },
    ]);
    const pcReport = result.reports.find((r) => r.source.startsWith('postcodes/'));
    expect(pcReport?.rowsRejected).toBe(2);
    expect(pcReport?.rejects.map((r) => r.column)).toEqual(['postcode', 'lat']);
    expect(pcReport?.rowsRead).toBe((pcReport?.rowsLoaded ?? 0) + 2);
    expect(await count(`areas where code = 'E3700BAD'`)).toBe(0);
    expect(await count(`postcodes where key = 'M19ZZ'`)).toBe(0);
    expect(await count('postcodes')).toBe(pcReport?.rowsLoaded);
    // The report is what /v1/meta serves.
    const [row] = await tdb.run.query<{ report: { source: string; rowsRejected: number }[] }>(
      'select report from datasets where is_current',
    );
    expect(row?.report.find((r) => r.source === 'geo_lookups/dfe_leps.csv')?.rowsRejected).toBe(2);
  });

  it('a load that fails part-way leaves the previous dataset serving, unchanged', async () => {
    const before = await serving();
    const areasBefore = await count('areas');
    expect(areasBefore).toBeGreaterThan(0);
    let seenDuringLoad: number | undefined;
    await expect(
      loadDataset(tdb.run, {
        dataDir: SAMPLE_DATA_DIR,
        afterStage: async (schema) => {
          // Staged and indexed, not yet swapped: readers still see the old tables.
          seenDuringLoad = await count('areas');
          expect(await count(`"${schema}".areas`)).toBeGreaterThan(0);
          throw new Error('simulated crash before the swap');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect(seenDuringLoad).toBe(areasBefore);
    expect((await currentDataset(tdb.run))?.version).toBe(before?.version);
    expect(await count('areas')).toBe(areasBefore);
    const leftovers = await tdb.run.query(`select 1 from pg_namespace where nspname like 'staging_%'`);
    expect(leftovers).toHaveLength(0);
  });

  it('a source missing a column stops the load before anything changes', async () => {
    const before = await serving();
    const broken = copySample();
    const f = join(broken, 'geo_lookups/ons_list_rgn22.csv');
    writeFileSync(f, readFileSync(f, 'utf8').replace('areanm', 'region_name'));
    await expect(loadDataset(tdb.run, { dataDir: broken })).rejects.toThrow(
      /ons_list_rgn22.csv: missing column\(s\): areanm/,
    );
    expect((await currentDataset(tdb.run))?.version).toBe(before?.version);
    rmSync(broken, { recursive: true, force: true });
  });

  it('a successful reload swaps atomically: new version current, indexes named as the migrations name them, old schema gone', async () => {
    const before = await serving();
    await tdb.run.exec('create schema staging_leftover_from_a_crash');
    const result = await loadDataset(tdb.run, { dataDir: SAMPLE_DATA_DIR });
    expect(result.version).not.toBe(before?.version);
    const current = await tdb.run.query<{ version: string }>('select version from datasets where is_current');
    expect(current.map((r) => r.version)).toEqual([result.version]);
    const indexes = await tdb.run.query<{ indexname: string }>(
      `select indexname from pg_indexes where schemaname = 'public' and tablename in ('areas', 'area_links', 'postcodes') order by 1`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'area_links_child_idx',
      'area_links_pkey',
      'areas_code_idx',
      'areas_pkey',
      'postcodes_pkey',
    ]);
    const schemas = await tdb.run.query(
      `select nspname from pg_namespace where nspname like 'staging_%' or nspname like 'retired_%'`,
    );
    expect(schemas).toHaveLength(0);
    expect(await count(`areas where code = 'E3700BAD'`)).toBe(0);
  });
});
