import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_XLSX_ROWS } from '../../src/http/export.ts';
import { isSampleDir } from '../../src/pipeline/load.ts';
import type { SynthCell, SynthRelease } from '../../src/pipeline/synth/innovate-uk.ts';
import { appFor, countedRow as counted, DATA_DIR, generatedReleaseDatabase, getJson } from './harness.ts';

/**
 * Exports through the routes, over a generated Innovate UK release of more than MAX_XLSX_ROWS
 * counted rows: the XLSX cap, typed XLSX cells checked against the generator's own record of
 * each row, and the provenance every file carries (version, SYNTHETIC, SAMPLE, sources).
 */

let db: Awaited<ReturnType<typeof generatedReleaseDatabase>>;
let app: ReturnType<typeof appFor>;
let release: SynthRelease;
let version: string;
const sample = isSampleDir(DATA_DIR);

beforeAll(async () => {
  db = await generatedReleaseDatabase({
    rows: 11_500,
    seed: 23,
    places: { sample: 300, seed: 7 },
    synthetic: true,
  });
  [release] = db.releases as [SynthRelease];
  app = appFor(db.tdb.db);
  version = (await getJson(app, '/v1/meta')).body.dataset.version;
}, 900_000);
afterAll(async () => db?.close());

const tags = (synthetic: boolean) => `${synthetic ? '_SYNTHETIC' : ''}${sample ? '_SAMPLE' : ''}`;

/** A generated date cell (a Date, an Excel serial, dd/mm/yyyy or ISO text) as an ISO date. */
function isoOf(cell: SynthCell): string | null {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'number')
    return new Date(Date.UTC(1899, 11, 30) + cell * 86_400_000).toISOString().slice(0, 10);
  if (typeof cell !== 'string') return null;
  const dmy = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(cell);
  if (dmy) return `${dmy[3]}-${dmy[2]}-${dmy[1]}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(cell) ? cell : null;
}

describe('XLSX is capped; CSV is not', () => {
  it('more than MAX_XLSX_ROWS matching rows: a 400 problem naming format and pointing to CSV', async () => {
    const expected = release.rows.filter(counted).length;
    expect(expected).toBeGreaterThan(MAX_XLSX_ROWS);
    const r = await getJson(app, '/v1/investments?format=xlsx');
    expect(r.status).toBe(400);
    expect(r.res.headers.get('content-type')).toBe('application/problem+json');
    expect(r.body.detail).toContain('format=csv');
    expect(r.body.errors.map((e: { location: string }) => e.location)).toEqual(['query.format']);
    // The same query as CSV streams every row, each stamped with the dataset's provenance.
    const csv = await app.request('/v1/investments?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="innovate-uk-investments_${version}${tags(true)}.csv"`,
    );
    const rows = parse((await csv.text()).replace(/^\ufeff/, ''), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows).toHaveLength(expected);
    for (const row of rows) {
      expect(row.dataset_version).toBe(version);
      expect(row.synthetic).toBe('true');
      expect(row.sample).toBe(String(sample));
      expect(row.sources).toBe('innovate_uk');
    }
  });
});

describe('XLSX cells', () => {
  it('money is a number with a £ format equal to the generated pence; dates are dates', async () => {
    const year = 2019;
    const truth = release.rows.filter((r) => counted(r) && r.truth.competitionYear === year);
    expect(truth.length).toBeGreaterThan(100);
    expect(truth.length).toBeLessThanOrEqual(MAX_XLSX_ROWS);
    const res = await app.request(`/v1/investments?yearFrom=${year}&yearTo=${year}&format=xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Data', 'Definitions', 'Sources']);
    const data = wb.getWorksheet('Data') as ExcelJS.Worksheet;
    const header = (data.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (name: string) => header.indexOf(name) + 1;
    expect(data.rowCount - 1).toBe(truth.length);
    // Expected, from the generator's record: grant per project (pence) and each project's start date.
    const pence = new Map<string, number>();
    const starts = new Map<string, string>();
    for (const t of truth) {
      const p = t.truth.projectNumber;
      pence.set(p, (pence.get(p) ?? 0) + t.truth.grantOfferedPence);
      const iso = isoOf(t.cells['Project Start Date'] ?? null);
      if (iso) starts.set(p, iso);
    }
    const served = new Map<string, number>();
    let dates = 0;
    for (let i = 2; i <= data.rowCount; i++) {
      const r = data.getRow(i);
      const project = String(r.getCell(col('project_number')).value);
      const grant = r.getCell(col('grant_offered_gbp'));
      expect(grant.type).toBe(ExcelJS.ValueType.Number);
      expect(grant.numFmt).toBe('#,##0.00');
      served.set(project, (served.get(project) ?? 0) + Math.round((grant.value as number) * 100));
      const start = r.getCell(col('start_date'));
      const iso = starts.get(project);
      if (iso) {
        expect(start.type).toBe(ExcelJS.ValueType.Date);
        expect(start.numFmt).toBe('yyyy-mm-dd');
        expect((start.value as Date).toISOString().slice(0, 10)).toBe(iso);
        dates++;
      }
      expect(r.getCell(col('dataset_version')).value).toBe(version);
      expect(r.getCell(col('synthetic')).value).toBe(true);
    }
    expect(served).toEqual(pence);
    expect(dates).toBeGreaterThan(truth.length / 2);
    expect(wb.keywords).toContain(version);
    expect(wb.keywords).toContain('SYNTHETIC');
    expect(wb.created?.toISOString().slice(0, 19)).toBe(
      (await getJson(app, '/v1/meta')).body.dataset.builtAt.slice(0, 19),
    );
  });
});

describe('provenance in every export', () => {
  it('indicator tables: version, not synthetic, SAMPLE only on the sample, the indicator’s source', async () => {
    const res = await app.request('/v1/indicators/enterprises/ranking?format=csv');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="ranking-enterprises-2022_${version}${tags(false)}.csv"`,
    );
    const rows = parse((await res.text()).replace(/^\ufeff/, ''), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.length).toBe(38);
    const indicator = (await getJson(app, '/v1/indicators/enterprises')).body;
    for (const r of rows) {
      expect(r.dataset_version).toBe(version);
      expect(r.synthetic).toBe('false');
      expect(r.sample).toBe(String(sample));
      expect(r.sources).toBe(indicator.source.id);
    }
  });

  it('GeoJSON, TopoJSON and HexJSON carry a provenance member and a versioned file name', async () => {
    const cases = [
      ['/v1/investments?yearFrom=2019&yearTo=2019&format=geojson', true, 'geojson'],
      ['/v1/investments/summary?groupBy=lep&format=hexjson', true, 'hexjson'],
      ['/v1/areas?type=lep&format=geojson', false, 'geojson'],
      ['/v1/areas?type=lep&format=topojson', false, 'topojson'],
      ['/v1/areas/E37000015?format=geojson', false, 'geojson'],
      ['/v1/indicators/enterprises/ranking?format=hexjson', false, 'hexjson'],
    ] as const;
    for (const [url, synthetic, ext] of cases) {
      const r = await getJson(app, url);
      expect(r.status, url).toBe(200);
      const p = r.body.provenance;
      expect(p.datasetVersion, url).toBe(version);
      expect(p.synthetic, url).toBe(synthetic);
      expect(p.sample, url).toBe(sample);
      expect(p.labels, url).toEqual([...(synthetic ? ['SYNTHETIC'] : []), ...(sample ? ['SAMPLE'] : [])]);
      expect(p.url, url).toBe(`http://localhost${url}`);
      expect(p.sources.length, url).toBeGreaterThan(0);
      // Loud when synthetic; otherwise at most the SAMPLE warning.
      if (synthetic) expect(p.warning, url).toMatch(/SYNTHETIC DATA/);
      else expect(p.warning ?? '', url).not.toMatch(/SYNTHETIC/);
      expect(r.res.headers.get('content-disposition'), url).toMatch(
        new RegExp(`^inline; filename="[A-Za-z0-9._-]+_${version}${tags(synthetic)}\\.${ext}"$`),
      );
    }
  });
});
