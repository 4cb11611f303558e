import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, DATA_DIR, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

/**
 * A suppressed APS cell ("c") must not null a LEP's other employment shares. Recomputed here from
 * the DfE CSV alone: each share of the nine broad groups, and for a row with a suppressed group its
 * bounds (the group at 0 and at its ceiling: the largest value the LEP publishes for that group in
 * any year of the file) and their midpoint.
 */

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

type Row = Record<string, string>;
const read = (file: string) =>
  parse(readFileSync(join(DATA_DIR, file)), { columns: true, bom: true }) as Row[];

const GROUPS: [string, string][] = [
  ['Agriculture and Fishing', 'agriculture-fishing'],
  ['Energy and Water', 'energy-water'],
  ['Manufacturing', 'manufacturing'],
  ['Construction', 'construction'],
  ['Distribution, Hotels and Restaurants', 'distribution-hotels-restaurants'],
  ['Transport and Communication', 'transport-communication'],
  ['Banking, Finance and Insurance', 'banking-finance-insurance'],
  ['Public Administration, Education and Health', 'public-administration-education-health'],
  ['Other Services', 'other-services'],
];

/** code|year → group column → number, or null when suppressed. */
const cells = new Map<string, Map<string, number | null>>();
/** code|column → the largest published value in any year. */
const largest = new Map<string, number>();

type Point = {
  year: number;
  value: number | null;
  suppressed: boolean;
  suppressionMarker: string | null;
  method: string;
  flags: string[];
  order: number | null;
  bounds: { lower: number; upper: number; note: string } | null;
  area: { code: string };
};

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
  const codeOf = new Map(
    read('geo_lookups/dfe_leps.csv')
      .filter((r) => r.status === 'live')
      .map((r) => [r.local_enterprise_partnership_name, r.local_enterprise_partnership_code]),
  );
  for (const r of read('dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv')) {
    if (r.geographic_level !== 'LEP') continue;
    const code = codeOf.get(r.area as string);
    if (!code) continue;
    const m = new Map<string, number | null>();
    for (const [col] of GROUPS) {
      const t = r[col] as string;
      const v = /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
      m.set(col, v);
      if (v !== null) largest.set(`${code}|${col}`, Math.max(largest.get(`${code}|${col}`) ?? 0, v));
    }
    cells.set(`${code}|${r.year}`, m);
  }
});
afterAll(async () => tdb?.close());

/** The test's own share (or bounds) of one group in one LEP-year. */
function expectedShare(code: string, year: number, col: string) {
  const m = cells.get(`${code}|${year}`) as Map<string, number | null>;
  const known = [...m.values()].reduce<number>((s, v) => s + (v ?? 0), 0);
  const hidden = [...m].filter(([, v]) => v === null).map(([c]) => c);
  const n = m.get(col) ?? null;
  if (hidden.length === 0) return { value: ((n as number) / known) * 100, bounds: null };
  const ceilings = hidden.map((c) => largest.get(`${code}|${c}`) as number);
  if (n === null) {
    const c = largest.get(`${code}|${col}`) as number;
    return { value: null, bounds: { lower: 0, upper: (c / (known + c)) * 100 } };
  }
  const upper = (n / known) * 100;
  const lower = (n / (known + ceilings.reduce((s, c) => s + c, 0))) * 100;
  return { value: (lower + upper) / 2, bounds: { lower, upper } };
}

describe('employment shares with a suppressed group', () => {
  it('serve Black Country’s manufacturing share for 2020–22 with bounds, never a bare null', async () => {
    const r = await getJson(app, '/v1/indicators/employment-manufacturing-share/series?areas=E37000001');
    expect(r.status).toBe(200);
    const points = r.body.series[0].points as Point[];
    for (const year of [2020, 2021, 2022]) {
      const p = points.find((x) => x.year === year) as Point;
      const e = expectedShare('E37000001', year, 'Manufacturing');
      expect(e.bounds).not.toBeNull();
      expect(p.value, `${year}`).toBeCloseTo(e.value as number, 10);
      expect(p.bounds?.lower).toBeCloseTo(e.bounds?.lower as number, 10);
      expect(p.bounds?.upper).toBeCloseTo(e.bounds?.upper as number, 10);
      expect(p.bounds?.note).toMatch(/Agriculture and Fishing/);
      expect(p.bounds?.note).toMatch(/fewer than 3 survey respondents/);
      expect(p.suppressed).toBe(false);
      expect(p.method).toBe('derived');
      expect(p.flags).toContain('bounded');
    }
  });

  it('reproduce every share of every LEP-year from the CSV: plain, bounded, or suppressed with bounds', async () => {
    let plain = 0;
    let bounded = 0;
    let suppressed = 0;
    for (const [col, slug] of GROUPS) {
      const r = await getJson(app, `/v1/indicators/employment-${slug}-share/series`);
      expect(r.status).toBe(200);
      for (const s of r.body.series as { area: { code: string }; points: Point[] }[]) {
        for (const p of s.points) {
          if (!cells.has(`${s.area.code}|${p.year}`)) continue;
          const e = expectedShare(s.area.code, p.year, col);
          const at = `${slug} ${s.area.code} ${p.year}`;
          expect(p.method, at).toBe('derived');
          if (e.bounds === null) {
            expect(p.value, at).toBeCloseTo(e.value as number, 10);
            expect(p.bounds, at).toBeNull();
            plain += 1;
            continue;
          }
          expect(p.bounds?.lower, at).toBeCloseTo(e.bounds.lower, 10);
          expect(p.bounds?.upper, at).toBeCloseTo(e.bounds.upper, 10);
          if (e.value === null) {
            expect(p.value, at).toBeNull();
            expect(p.suppressed, at).toBe(true);
            expect(p.suppressionMarker, at).toBe('c');
            suppressed += 1;
          } else {
            expect(p.value, at).toBeCloseTo(e.value, 10);
            bounded += 1;
          }
        }
      }
    }
    expect(plain).toBeGreaterThan(100);
    // Three LEPs in 2020, Black Country in 2021 and 2022: 5 rows, 8 published groups each.
    expect(bounded).toBe(5 * 8);
    expect(suppressed).toBe(5);
  });

  it('order the cohort on the midpoint (shares are neutral: an order by value, not a rank)', async () => {
    const r = await getJson(app, '/v1/indicators/employment-manufacturing-share/ranking?year=2020');
    expect(r.status).toBe(200);
    const data = r.body.data as Point[];
    const expected = new Map<string, number>();
    for (const [key] of cells) {
      const [code, year] = key.split('|') as [string, string];
      if (year === '2020') expected.set(code, expectedShare(code, 2020, 'Manufacturing').value as number);
    }
    expect(expected.size).toBe(data.length);
    expect(data.length).toBeGreaterThan(0);
    for (const p of data) {
      const mine = expected.get(p.area.code) as number;
      const higher = [...expected.values()].filter((v) => v > mine).length;
      expect(p.order, p.area.code).toBe(higher + 1);
    }
    expect(data.find((p) => p.area.code === 'E37000001')?.flags).toContain('bounded');
  });

  it('keep the suppressed count itself null, with the range it is taken to lie in', async () => {
    const r = await getJson(app, '/v1/indicators/employment-agriculture-fishing/series?areas=E37000001');
    const p = (r.body.series[0].points as Point[]).find((x) => x.year === 2020) as Point;
    expect(p.value).toBeNull();
    expect(p.suppressed).toBe(true);
    expect(p.bounds).toMatchObject({ lower: 0, upper: largest.get('E37000001|Agriculture and Fishing') });
  });
});
