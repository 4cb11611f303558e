import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, DATA_DIR, FULL_DATA, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

/**
 * What a league table may claim: neutral indicators get an order by value, never a "rank 1 = best";
 * a 2021 cohort lacking some LEPs is not ranked at all, and asking for it says why.
 */

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

type Row = Record<string, string>;
type Point = {
  area: { code: string };
  year: number;
  value: number | null;
  rank: number | null;
  order: number | null;
  percentile: number | null;
  of: number;
  cohortComplete: boolean;
  indicator: { id: string; polarity: string };
};

/** The 2021 LEPs placed on districts, read from the lookup (the cohort every ranked year must hold). */
let cohort: Set<string>;

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
  const rows = parse(readFileSync(join(DATA_DIR, 'geo_lookups/derived_lad_region_lep_2021_2023.csv')), {
    columns: true,
    bom: true,
  }) as Row[];
  cohort = new Set(
    rows
      .filter((r) => r.year === '2021')
      .flatMap((r) => [r.lep_code_a, r.lep_code_b].filter(Boolean) as string[]),
  );
  // Every loop over the cohort below checks nothing if the lookup read yields no LEP.
  expect(cohort.size).toBe(FULL_DATA ? 38 : 5);
});
afterAll(async () => tdb?.close());

describe('neutral indicators', () => {
  it('are ordered by value, highest first, with no rank or percentile', async () => {
    const cat = await getJson(app, '/v1/indicators?limit=500');
    const neutral = (cat.body.data as { id: string; polarity: string; latestYear: number | null }[]).filter(
      (i) => i.polarity === 'neutral' && i.latestYear !== null,
    );
    expect(neutral.length).toBeGreaterThan(3);
    let checked = 0;
    for (const i of neutral) {
      const r = await getJson(app, `/v1/indicators/${i.id}/ranking`);
      expect(r.status, i.id).toBe(200);
      const data = r.body.data as Point[];
      const valued = data.filter((p) => p.value !== null);
      expect(valued.length, i.id).toBeGreaterThan(0);
      for (const p of data) {
        expect(p.rank, i.id).toBeNull();
        expect(p.percentile, i.id).toBeNull();
        if (p.value === null) {
          expect(p.order).toBeNull();
          continue;
        }
        // Position by value: 1 + the number of areas with a strictly higher value.
        const higher = valued.filter((q) => (q.value as number) > (p.value as number)).length;
        expect(p.order, `${i.id} ${p.area.code}`).toBe(higher + 1);
        checked += 1;
      }
      // Served highest first.
      const orders = valued.map((p) => p.order as number);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('leave rank and percentile to directional indicators, which get no order', async () => {
    const r = await getJson(app, '/v1/indicators/enterprise-birth-rate/ranking');
    expect(r.status).toBe(200);
    const data = r.body.data as Point[];
    expect(data.length).toBeGreaterThan(0);
    for (const p of data) {
      expect(p.order).toBeNull();
      if (p.value !== null) expect(p.rank).not.toBeNull();
    }
  });

  it('carry order, not rank, in CSV exports, maps and profiles', async () => {
    const csv = await app.request('/v1/indicators/enterprises/ranking?format=csv');
    expect(csv.status).toBe(200);
    const rows = parse(await csv.text(), { columns: true, bom: true }) as Row[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.rank).toBe('');
      expect(row.percentile).toBe('');
      expect(Number(row.order)).toBeGreaterThanOrEqual(1);
    }
    const map = await getJson(app, '/v1/indicators/enterprises/ranking?format=geojson');
    expect(map.status).toBe(200);
    const props = (
      map.body.features as { properties: { value: number | null; rank: unknown; order: unknown } }[]
    )
      .map((f) => f.properties)
      .filter((p) => p.value !== null);
    expect(props.length).toBeGreaterThan(0);
    for (const p of props) {
      expect(p.rank).toBeNull();
      expect(p.order).toEqual(expect.any(Number));
    }
    const code = [...cohort].sort()[0] as string;
    const profile = await getJson(app, `/v1/leps/${code}/profile`);
    const values = (profile.body.groups as { values: Point[] }[]).flatMap((g) => g.values);
    const neutral = values.filter((v) => v.indicator.polarity === 'neutral' && v.value !== null);
    expect(neutral.length).toBeGreaterThan(0);
    for (const v of neutral) {
      expect(v.rank).toBeNull();
      expect(v.percentile).toBeNull();
    }
  });

  it('are never strengths or weaknesses, and their reasons name the value, not better or worse', async () => {
    let distinctive = 0;
    let directional = 0;
    for (const code of [...cohort].sort().slice(0, 6)) {
      const r = await getJson(app, `/v1/leps/${code}/strengths`);
      expect(r.status).toBe(200);
      for (const s of [...r.body.strengths, ...r.body.weaknesses] as Point[]) {
        expect(s.indicator.polarity).not.toBe('neutral');
        directional += 1;
      }
      for (const d of r.body.distinctive as (Point & { reasons: string[] })[]) {
        expect(d.indicator.polarity).toBe('neutral');
        expect(d.rank).toBeNull();
        expect(d.reasons.length).toBeGreaterThan(0);
        for (const reason of d.reasons)
          expect(['highest_quartile', 'lowest_quartile', 'z_high', 'z_low']).toContain(reason);
        distinctive += 1;
      }
    }
    expect(distinctive).toBeGreaterThan(0);
    expect(directional).toBeGreaterThan(0);
  });
});

describe('incomplete 2021 cohorts', () => {
  it('rank a year only when every 2021 LEP has a value; another year is a 404 naming the complete years and vintage=', async () => {
    const cat = await getJson(app, '/v1/indicators?limit=500');
    let complete = 0;
    let incomplete = 0;
    let hinted = 0;
    for (const i of cat.body.data as { id: string }[]) {
      const s = await getJson(app, `/v1/indicators/${i.id}/series`);
      if (s.status !== 200) continue;
      const byYear = new Map<number, Set<string>>();
      for (const series of s.body.series as { area: { code: string; vintage: string }; points: Point[] }[]) {
        if (series.area.vintage !== '2021') continue;
        for (const p of series.points) byYear.set(p.year, (byYear.get(p.year) ?? new Set()).add(p.area.code));
      }
      const full = [...byYear].filter(([, leps]) => [...cohort].every((c) => leps.has(c))).map(([y]) => y);
      for (const [year, leps] of byYear) {
        const r = await getJson(app, `/v1/indicators/${i.id}/ranking?year=${year}`);
        if (full.includes(year)) {
          expect(r.status, `${i.id} ${year}`).toBe(200);
          const data = r.body.data as Point[];
          // The whole cohort is in the table (so it is not empty), every point saying it is complete.
          const codes = new Set(data.map((p) => p.area.code));
          expect(
            [...cohort].filter((c) => !codes.has(c)),
            `${i.id} ${year}`,
          ).toEqual([]);
          expect(data.filter((p) => !p.cohortComplete).map((p) => p.area.code)).toEqual([]);
          complete += 1;
          continue;
        }
        expect(r.status, `${i.id} ${year}`).toBe(404);
        expect(r.res.headers.get('content-type')).toBe('application/problem+json');
        expect(r.body.detail).toContain(`only ${leps.size} of the`);
        const yearHint = r.body.errors.find((e: { location: string }) => e.location === 'query.year');
        expect(yearHint.message).toBe(
          `Years with a complete 2021 cohort: ${full.sort((a, b) => a - b).join(', ') || 'none'}`,
        );
        const vintage = r.body.errors.find((e: { location: string }) => e.location === 'query.vintage');
        if (vintage) {
          const v = (vintage.message as string).split(': ')[1]?.split(', ')[0];
          const published = await getJson(app, `/v1/indicators/${i.id}/ranking?year=${year}&vintage=${v}`);
          expect(published.status, `${i.id} ${year} vintage=${v}`).toBe(200);
          expect(published.body.data.length).toBeGreaterThan(0);
          hinted += 1;
        }
        incomplete += 1;
      }
    }
    expect(complete).toBeGreaterThan(10);
    expect(incomplete).toBeGreaterThan(0);
    // The vintage= hint is followed at least once, so its branch is not silently never taken.
    expect(hinted).toBeGreaterThan(0);
  });

  it('defaults to the latest complete year', async () => {
    const r = await getJson(app, '/v1/indicators/university-research-income/ranking');
    expect(r.status).toBe(200);
    const codes = new Set((r.body.data as Point[]).map((p) => p.area.code));
    expect([...cohort].filter((c) => !codes.has(c))).toEqual([]);
    expect(r.body.year).toBe(r.body.indicator.latestYear);
  });
});
