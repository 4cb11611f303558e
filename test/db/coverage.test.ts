import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, DATA_DIR, FULL_DATA, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

/**
 * The coverage report and the all-data download, checked against the source files read here
 * (not through the pipeline) and against counts taken straight from the database tables.
 */

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

type Row = Record<string, string>;
const csv = (file: string) => {
  const buf = readFileSync(join(DATA_DIR, file));
  return parse(file.endsWith('.gz') ? gunzipSync(buf) : buf, { columns: true, bom: true }) as Row[];
};

// The live 2021 LEPs, from the LEP register itself.
const liveLeps = new Map<string, string>(); // code → name
const byName = new Map<string, string>(); // name → code
// Years with a number (not a suppression marker) per (indicator, LEP code), read from the DfE files.
const dfeYears = new Map<string, Set<number>>();
const dfeSuppressed = new Map<string, Set<number>>();
// NUTS3 years on the 2013/2016 geography of Nesta's gbp_research_income.
const nuts3Years = new Set<number>();
// LEP codes the Nesta LEP file publishes research income for at all (any vintage).
const nestaLepCodes = new Set<string>();
// LEPs with a 2021 district placed in an ITL3 area (all 38 on the full data; a few in the sample).
const placed = new Set<string>();

const DFE_CASES = [
  {
    id: 'employment-agriculture-fishing',
    file: 'employment_by_industry_APS_2018_2022.csv',
    column: 'Agriculture and Fishing',
  },
  {
    id: 'employment-manufacturing',
    file: 'employment_by_industry_APS_2018_2022.csv',
    column: 'Manufacturing',
  },
  { id: 'active-enterprises', file: 'enterprise_demography_2016_2021.csv', column: 'active' },
] as const;

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
  for (const r of csv('geo_lookups/dfe_leps.csv')) {
    if (r.status !== 'live') continue;
    liveLeps.set(
      r.local_enterprise_partnership_code as string,
      r.local_enterprise_partnership_name as string,
    );
    byName.set(r.local_enterprise_partnership_name as string, r.local_enterprise_partnership_code as string);
  }
  for (const c of DFE_CASES) {
    for (const r of csv(`dfe_lsip_lep_business/${c.file}`)) {
      if (r.geographic_level !== 'LEP') continue;
      const code = byName.get(r.area as string);
      if (!code) continue;
      const cell = (r[c.column] ?? '').trim();
      const target = /^-?\d+(\.\d+)?$/.test(cell)
        ? dfeYears
        : ['c', 'low', 'x'].includes(cell.toLowerCase())
          ? dfeSuppressed
          : null;
      if (!target) continue;
      const k = `${c.id}|${code}`;
      target.set(k, (target.get(k) ?? new Set()).add(Number(r.year)));
    }
  }
  for (const r of csv('nesta_beis_indicators/beis_indicators_nuts3_long.csv.gz')) {
    if (
      r.indicator === 'gbp_research_income' &&
      ['2013', '2016'].includes(r.region_year_spec ?? '') &&
      r.value !== ''
    )
      nuts3Years.add(Number(r.year));
  }
  const inItl3 = new Set(
    csv('geo_lookups/derived_lad21_itl3.csv')
      .filter((r) => /^TL/.test(r.itl321_code ?? ''))
      .map((r) => r.lad21_code),
  );
  for (const r of csv('geo_lookups/derived_lad_region_lep_2021_2023.csv')) {
    if (r.year !== '2021' || !inItl3.has(r.lad_code)) continue;
    for (const lep of [r.lep_code_a, r.lep_code_b]) if (lep && liveLeps.has(lep)) placed.add(lep);
  }
  // Every test loops over these; the register has all 38 live LEPs in both datasets, the sample
  // places only five on districts.
  expect(liveLeps.size).toBe(38);
  expect(placed.size).toBe(FULL_DATA ? 38 : 5);
  for (const r of csv('nesta_beis_indicators/beis_indicators_lep_long.csv')) {
    if (r.indicator === 'gbp_research_income' && r.value !== '') nestaLepCodes.add(r.region_id as string);
  }
}, 600_000);

afterAll(async () => {
  await tdb?.close();
});

const yearsWith = (ind: { values: { year: number }[] }) => new Set(ind.values.map((v) => v.year));

describe('GET /v1/leps/{code}/coverage', () => {
  it('answers for every live LEP, every indicator, with counts that add up', async () => {
    for (const [code, name] of liveLeps) {
      const { status, body } = await getJson(app, `/v1/leps/${code}/coverage`);
      expect(status, code).toBe(200);
      expect(body.lep.name).toBe(name);
      expect(body.indicators.length).toBeGreaterThan(40);
      let withValue = 0;
      let expected = 0;
      for (const ind of body.indicators) {
        expect(ind.counts.withValue).toBe(ind.values.length);
        expect(ind.counts.missing).toBe(ind.missing.filter((m: { inSeries: boolean }) => m.inSeries).length);
        expect(ind.counts.expected).toBe(ind.counts.withValue + ind.counts.missing);
        // A series runs from its first year to its last; an indicator never valued expects no year.
        expect(ind.counts.expected).toBe(ind.firstYear === null ? 0 : ind.lastYear - ind.firstYear + 1);
        withValue += ind.counts.withValue;
        expected += ind.counts.expected;
      }
      expect(body.counts.yearsWithValue).toBe(withValue);
      expect(body.counts.yearsExpected).toBe(expected);
    }
  }, 300_000);

  it('counts the DfE years with a value exactly as the source files have them, suppressed cells as suppressed', async () => {
    let checked = 0;
    for (const [code] of liveLeps) {
      const { body } = await getJson(app, `/v1/leps/${code}/coverage`);
      for (const c of DFE_CASES) {
        const ind = body.indicators.find((i: { id: string }) => i.id === c.id);
        const want = dfeYears.get(`${c.id}|${code}`) ?? new Set<number>();
        expect([...yearsWith(ind)].sort(), `${c.id} ${code}`).toEqual([...want].sort());
        for (const y of dfeSuppressed.get(`${c.id}|${code}`) ?? []) {
          expect(ind.missing).toContainEqual({ year: y, reason: 'suppressed', inSeries: true });
          checked += 1;
        }
        // Every value of a count the DfE publishes per LEP is the source's own.
        for (const v of ind.values) expect(v.method).toBe('as-published');
        checked += want.size;
      }
    }
    expect(checked).toBeGreaterThan(liveLeps.size * 5);
  }, 300_000);

  it('rebuilds research income on every LEP in every NUTS3 year; a LEP Nesta never published has exactly those years', async () => {
    expect(nuts3Years.size).toBeGreaterThan(0);
    let neverPublished = 0;
    for (const code of placed) {
      const { body } = await getJson(app, `/v1/leps/${code}/coverage?indicator=university-research-income`);
      expect(body.indicators).toHaveLength(1);
      const got = yearsWith(body.indicators[0]);
      for (const y of nuts3Years) expect(got.has(y), `${code} ${y}`).toBe(true);
      if (!nestaLepCodes.has(code)) {
        neverPublished += 1;
        expect([...got].sort()).toEqual([...nuts3Years].sort());
        for (const v of body.indicators[0].values) expect(v.method).toMatch(/^(nuts3-sum|apportioned)$/);
      }
    }
    // The full data's 18 new 2021 codes (Leeds City Region, …) have no Nesta row; the sample's five all have.
    expect(neverPublished).toBe(FULL_DATA ? 18 : 0);
  }, 300_000);

  it.runIf(FULL_DATA)(
    'says why Leeds City Region (a 2021 code Nesta never published) lacks years: footprint changed, or not aggregatable',
    async () => {
      expect(nestaLepCodes.has('E37000062')).toBe(false);
      const { body } = await getJson(app, '/v1/leps/E37000062/coverage');
      const eci = body.indicators.find((i: { id: string }) => i.id === 'economic-complexity-index');
      expect(eci.values).toEqual([]);
      const eciMissing = eci.missing.filter((x: { inSeries: boolean }) => x.inSeries);
      expect(eciMissing.length).toBeGreaterThan(0);
      for (const m of eciMissing) expect(m.reason).toBe('not-aggregatable');
      // Years before the NUTS 2013 geography: published on LEP boundaries only, which Leeds City Region is not on.
      const reasons = body.indicators.flatMap((i: { missing: { reason: string; inSeries: boolean }[] }) =>
        i.missing.filter((m) => m.inSeries).map((m) => m.reason),
      );
      expect(reasons).toContain('footprint-changed');
      for (const r of reasons)
        expect(['footprint-changed', 'not-aggregatable', 'source-gap', 'suppressed']).toContain(r);
    },
  );

  it('rejects a retired code, an unknown LEP and an unknown indicator with problem+json naming the parameter', async () => {
    const retired = await getJson(app, '/v1/leps/E37000017/coverage');
    expect([400, 404]).toContain(retired.status);
    expect(retired.res.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await getJson(app, '/v1/leps/E37999999/coverage');
    expect(unknown.status).toBe(404);
    const bad = await getJson(app, '/v1/leps/E37000015/coverage?indicator=Not_An_Id');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('indicator');
    const none = await getJson(app, '/v1/leps/E37000015/coverage?indicator=no-such-indicator');
    expect(none.status).toBe(404);
  });

  it('is JSON only (the matrix has the exports): format= is a 400 naming it', async () => {
    const res = await app.request('/v1/leps/E37000015/coverage?format=csv');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.text()).toContain('format');
  });
});

describe('GET /v1/coverage', () => {
  it('is the indicator × LEP matrix of the per-LEP counts, as JSON, CSV and XLSX', async () => {
    const { status, body } = await getJson(app, '/v1/coverage');
    expect(status).toBe(200);
    expect(body.leps.map((l: { code: string }) => l.code).sort()).toEqual([...liveLeps.keys()].sort());
    expect(body.data.length).toBeGreaterThan(40);
    const gm = await getJson(app, '/v1/leps/E37000015/coverage');
    expect(gm.body.indicators.length).toBe(body.data.length);
    for (const ind of gm.body.indicators) {
      const row = body.data.find((d: { id: string }) => d.id === ind.id);
      expect(row.withValue.E37000015, ind.id).toBe(ind.counts.withValue);
      expect(row.expected).toBe(ind.counts.expected);
    }
    // DfE counts straight from the source.
    for (const c of DFE_CASES) {
      const row = body.data.find((d: { id: string }) => d.id === c.id);
      for (const [code] of liveLeps)
        expect(row.withValue[code]).toBe(dfeYears.get(`${c.id}|${code}`)?.size ?? 0);
    }
    const csvRes = await app.request('/v1/coverage?format=csv');
    const rows = parse(await csvRes.text(), { columns: true, bom: true }) as Row[];
    expect(rows.length).toBe(body.data.length);
    const first = rows[0] as Row;
    for (const code of liveLeps.keys()) expect(first).toHaveProperty(code);
    const xlsx = await app.request('/v1/coverage?format=xlsx');
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.worksheets.length).toBeGreaterThan(0);
  });
});

describe('GET /v1/leps/{code}/profile names what it lacks', () => {
  it('lists every non-per-head indicator with no value for the LEP, with the coverage reason', async () => {
    let listed = 0;
    for (const [code] of liveLeps) {
      const [profile, cov] = await Promise.all([
        getJson(app, `/v1/leps/${code}/profile`),
        getJson(app, `/v1/leps/${code}/coverage`),
      ]);
      expect(profile.status).toBe(200);
      const none = cov.body.indicators
        .filter(
          (i: { id: string; counts: { withValue: number } }) =>
            i.counts.withValue === 0 && !i.id.endsWith('-per-head'),
        )
        .map((i: { id: string }) => i.id)
        .sort();
      const missing = profile.body.missing.map((m: { indicator: { id: string } }) => m.indicator.id).sort();
      expect(missing, code).toEqual(none);
      expect(profile.body.counts.missing).toBe(missing.length);
      for (const m of profile.body.missing) {
        expect(m.coverage).toBe(`/v1/leps/${code}/coverage?indicator=${m.indicator.id}`);
        const c = cov.body.indicators.find((i: { id: string }) => i.id === m.indicator.id);
        expect(c.missing).toContainEqual({ year: m.year, reason: m.reason, inSeries: true });
        listed += 1;
      }
    }
    expect(listed).toBeGreaterThan(0);
  }, 300_000);
});

describe('GET /v1/download', () => {
  const countSql = `select count(*)::int as n from indicator_values v
    join areas a on a.type = 'lep' and a.status = 'live' and a.code = v.area_code
    where v.area_vintage = '2021'`;

  it('CSV: one row per indicator × live LEP × year, versioned, described by CSVW metadata', async () => {
    const meta = await getJson(app, '/v1/meta');
    const version = meta.body.dataset.version as string;
    const res = await app.request('/v1/download?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toContain(version.replace(/[^A-Za-z0-9._-]+/g, '-'));
    expect(disposition.includes('_SAMPLE')).toBe(!FULL_DATA);
    expect(res.headers.get('link')).toBe(
      '</v1/download.csv-metadata.json>; rel="describedby"; type="application/csvm+json"',
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const rows = parse(bytes, { columns: true, bom: true }) as Row[];
    const n = (await tdb.run.query<{ n: number }>(countSql))[0]?.n as number;
    expect(rows.length).toBe(n);
    expect(n).toBeGreaterThan(1000);
    for (const r of rows.slice(0, 50)) {
      expect(r.dataset_version).toBe(version);
      expect(r.sample).toBe(FULL_DATA ? 'false' : 'true');
    }
    // Values as the DfE publishes them.
    const dfe = csv('dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv').filter(
      (r) =>
        r.geographic_level === 'LEP' && byName.has(r.area as string) && /^\d+$/.test(r.Manufacturing ?? ''),
    );
    expect(dfe.length).toBeGreaterThan(0);
    for (const d of dfe) {
      const got = rows.find(
        (r) =>
          r.indicator_id === 'employment-manufacturing' &&
          r.area_code === byName.get(d.area as string) &&
          r.year === d.year,
      );
      expect(got?.value, `${d.area} ${d.year}`).toBe(String(Number(d.Manufacturing)));
      expect(got?.method).toBe('as-published');
    }
    // Per-head variant = value ÷ population of the same LEP and year (× 1,000 for counts).
    const pop = new Map(
      rows
        .filter((r) => r.indicator_id === 'population')
        .map((r) => [`${r.area_code}|${r.year}`, Number(r.value)]),
    );
    const totals = rows.filter((r) => r.indicator_id === 'employment-manufacturing' && r.value !== '');
    expect(totals.length).toBeGreaterThan(0);
    let perHead = 0;
    for (const r of totals) {
      const p = pop.get(`${r.area_code}|${r.year}`) ?? pop.get(`${r.area_code}|2021`);
      expect(r.per_head_indicator_id).toBe('employment-manufacturing-per-head');
      // No population for a LEP the sample cannot place on ITL3: then no per-head value either.
      if (p === undefined) {
        expect(r.per_head_value).toBe('');
        continue;
      }
      expect(Number(r.per_head_value)).toBeCloseTo((Number(r.value) / p) * 1000, 6);
      perHead += 1;
    }
    expect(perHead).toBeGreaterThan(0);
    // Neutral indicators (a size: enterprises) get an order by value, no rank or percentile;
    // directional ones (enterprise births, better high) a rank and no order.
    const neutral = rows.filter((r) => r.indicator_id === 'enterprises' && r.value !== '');
    const directional = rows.filter((r) => r.indicator_id === 'enterprise-birth-rate' && r.rank !== '');
    expect(neutral.length).toBeGreaterThan(0);
    expect(directional.length).toBeGreaterThan(0);
    for (const r of neutral) {
      expect([r.rank, r.percentile]).toEqual(['', '']);
      expect(Number(r.order)).toBeGreaterThan(0);
    }
    for (const r of directional) expect(r.order).toBe('');
    // Ranks only on complete cohorts; every rank within its cohort size.
    for (const r of rows.filter((x) => x.rank !== '')) {
      expect(r.cohort_complete).toBe('true');
      expect(Number(r.rank)).toBeLessThanOrEqual(Number(r.of));
    }

    const m = await getJson(app, '/v1/download.csv-metadata.json');
    expect(m.status).toBe(200);
    expect(m.res.headers.get('content-type')).toContain('application/csvm+json');
    const header = (parse(bytes, { bom: true, to_line: 1 }) as string[][])[0] as string[];
    expect(m.body.tableSchema.columns.map((c: { name: string }) => c.name)).toEqual(header);
    expect(m.body['schema:version']).toBe(version);
    expect(m.body['schema:sha256']).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(m.body['dc:extent']).toBe(`${n} rows`);
    expect(Boolean(m.body['rdfs:comment']?.includes('SAMPLE'))).toBe(!FULL_DATA);
    // Integer and number columns parse as such wherever filled (and some cells of each are filled).
    const filled = { integer: 0, double: 0 };
    for (const col of m.body.tableSchema.columns) {
      if (col.datatype !== 'integer' && col.datatype !== 'double') continue;
      for (const r of rows.slice(0, 500)) {
        const cell = r[col.name] as string;
        if (cell === '') continue;
        if (col.datatype === 'integer') expect(cell, col.name).toMatch(/^-?\d+$/);
        else expect(Number.isFinite(Number(cell)), col.name).toBe(true);
        filled[col.datatype as 'integer' | 'double'] += 1;
      }
    }
    expect(filled.integer).toBeGreaterThan(0);
    expect(filled.double).toBeGreaterThan(0);
  }, 300_000);

  it('XLSX: About, data, definitions, columns and sources sheets; the data sheet has every row (no 10k cap)', async () => {
    const res = await app.request('/v1/download?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/lep-indicators_.*\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'data', 'definitions', 'columns', 'sources']);
    const data = wb.getWorksheet('data') as ExcelJS.Worksheet;
    const n = (await tdb.run.query<{ n: number }>(countSql))[0]?.n as number;
    expect(data.actualRowCount - 1).toBe(n);
    expect(n).toBeGreaterThan(FULL_DATA ? 10_000 : 1000);
    const header = (data.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 8)).toEqual([
      'indicator_id',
      'indicator',
      'area_code',
      'area_name',
      'year',
      'value',
      'unit',
      'method',
    ]);
    const defs = wb.getWorksheet('definitions') as ExcelJS.Worksheet;
    const k = (await tdb.run.query<{ k: number }>('select count(*)::int as k from indicators'))[0]?.k;
    expect(defs.actualRowCount - 1).toBe(k);
    const about = wb.getWorksheet('About') as ExcelJS.Worksheet;
    const aboutText = JSON.stringify(about.getSheetValues());
    expect(aboutText.includes('SAMPLE')).toBe(!FULL_DATA);
    // A dump of what a person opening it sees first, for review.
    const dump = [about, data, defs, wb.getWorksheet('sources') as ExcelJS.Worksheet]
      .map((ws) => {
        const lines: string[] = [`== ${ws.name} (${ws.actualRowCount} rows)`];
        ws.eachRow((row, i) => {
          if (i <= 8)
            lines.push(
              (row.values as unknown[])
                .slice(1)
                .map((v) => String(v ?? ''))
                .join(' | '),
            );
        });
        return lines.join('\n');
      })
      .join('\n\n');
    writeFileSync(join(tmpdir(), `download-xlsx-dump-${FULL_DATA ? 'full' : 'sample'}.txt`), dump);
  }, 300_000);

  it('refuses other formats with problem+json naming format', async () => {
    const { status, body } = await getJson(app, '/v1/download?format=json');
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('format');
  });
});
