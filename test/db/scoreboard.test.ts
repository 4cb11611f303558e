import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

/**
 * The scoreboard served must equal one recomputed here from the indicator rows in the database,
 * by the method as METHODS.md states it: size-free indicators with a direction; the latest year
 * ≤ Y within the window; sqrt when skewed; min–max over all LEPs and years with mean ± 3 sd
 * outliers left out; capped; turned round when lower is better; unweighted mean; England = 100.
 */

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;
beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
});
afterAll(async () => tdb?.close());

interface V {
  indicator_id: string;
  year: number;
  area_code: string;
  value: number;
  england_value: number | null;
}

function skew(xs: number[]) {
  const n = xs.length;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  const s2 = xs.reduce((a, x) => a + (x - m) ** 2, 0) / n;
  const s3 = xs.reduce((a, x) => a + (x - m) ** 3, 0) / n;
  return n < 3 || s2 === 0 ? 0 : ((Math.sqrt(n * (n - 1)) / (n - 2)) * s3) / s2 ** 1.5;
}

describe('GET /v1/scoreboard', () => {
  it('recomputes from indicator_values: indicators, bounds, composite, index, group, rank', async () => {
    const r = await getJson(app, '/v1/scoreboard');
    const leps = await tdb.run.query<{ code: string }>(
      "select code from areas where type = 'lep' and status = 'live' order by code",
    );
    const inds = await tdb.run.query<{
      id: string;
      polarity: string;
      rate_of: { numeratorId?: string } | null;
    }>(
      "select id, polarity, rate_of from indicators where measure in ('rate','share','average','index') and polarity <> 'neutral'",
    );
    // Each count's headline variant (a total's rate_variant_id), so one count enters once.
    const headline = new Map(
      (
        await tdb.run.query<{ id: string; rate_variant_id: string | null }>(
          'select id, rate_variant_id from indicators where rate_variant_id is not null',
        )
      ).map((x) => [x.id, x.rate_variant_id]),
    );
    const values = (
      await tdb.run.query<V>(
        "select indicator_id, year, area_code, value, england_value from indicator_values where area_vintage = '2021' and value is not null and not suppressed",
      )
    )
      .map((v) => ({
        ...v,
        value: Number(v.value),
        england_value: v.england_value === null ? null : Number(v.england_value),
      }))
      .filter((v) => leps.some((l) => l.code === v.area_code));
    // Both datasets have a year with at least five size-free indicators (the scoreboard's minimum),
    // so it answers; a 404 here would be a regression, not a dataset without a scoreboard.
    const perYear = new Map<number, Set<string>>();
    for (const v of values)
      if (inds.some((i) => i.id === v.indicator_id))
        perYear.set(v.year, (perYear.get(v.year) ?? new Set()).add(v.indicator_id));
    expect(Math.max(0, ...[...perYear.values()].map((s) => s.size))).toBeGreaterThanOrEqual(5);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const year: number = r.body.year;
    expect(r.body.years.at(-1)).toBe(year);
    expect(r.body.leps).toHaveLength(38);

    const candidates = inds.flatMap((ind) => {
      const mine = values.filter((v) => v.indicator_id === ind.id);
      const years = [...new Set(mine.map((v) => v.year))]
        .filter((y) => y <= year && y >= year - 3 && mine.filter((v) => v.year === y).length >= 10)
        .sort((a, b) => b - a);
      if (years.length === 0) return [];
      const used = years[0] as number;
      const raw = mine.map((v) => v.value);
      const sqrt = skew(raw) > 1 && raw.every((x) => x >= 0);
      const t = (x: number) => (sqrt ? Math.sqrt(x) : x);
      const xs = raw.map(t);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
      const kept = xs.filter((x) => Math.abs(x - m) <= 3 * sd);
      const [lo, hi] = [Math.min(...kept), Math.max(...kept)];
      const norm = (x: number) => {
        const c = Math.min(1, Math.max(0, hi > lo ? (t(x) - lo) / (hi - lo) : 0.5));
        return ind.polarity === 'lower_is_better' ? 1 - c : c;
      };
      const rows = mine.filter((v) => v.year === used);
      const byLep = new Map(rows.map((v) => [v.area_code, norm(v.value)]));
      const eng = rows.find((v) => v.england_value !== null)?.england_value ?? null;
      const present = [...byLep.values()].sort((a, b) => a - b);
      const mid = Math.floor(present.length / 2);
      const median =
        present.length % 2
          ? (present[mid] as number)
          : ((present[mid - 1] as number) + (present[mid] as number)) / 2;
      const numerator = ind.rate_of?.numeratorId ?? null;
      return [
        { id: ind.id, numerator, used, lo, hi, sqrt, byLep, england: eng === null ? median : norm(eng) },
      ];
    });
    // One variant per count: the headline one if it is a candidate, else the first by id.
    const chosen = candidates.filter((c) => {
      if (!c.numerator) return true;
      const family = candidates
        .filter((o) => o.numerator === c.numerator)
        .map((o) => o.id)
        .sort();
      const h = headline.get(c.numerator);
      return c.id === (h && family.includes(h) ? h : family[0]);
    });
    const left = candidates
      .filter((c) => !chosen.includes(c))
      .map((c) => c.id)
      .sort();
    expect(r.body.excluded.map((x: { id: string }) => x.id).sort()).toEqual(left);
    for (const x of r.body.excluded) expect(chosen.map((c) => c.id)).toContain(x.keptInstead);
    // No count enters twice, and no neutral indicator enters at all.
    const numerators = chosen.map((c) => c.numerator).filter((n) => n !== null);
    expect(new Set(numerators).size).toBe(numerators.length);
    expect(chosen.length).toBeGreaterThanOrEqual(5);
    expect(r.body.indicators.map((i: { id: string }) => i.id).sort()).toEqual(chosen.map((c) => c.id).sort());
    for (const c of chosen) {
      const s = r.body.indicators.find((i: { id: string }) => i.id === c.id);
      expect(s.yearUsed, c.id).toBe(c.used);
      expect(s.transform, c.id).toBe(c.sqrt ? 'sqrt' : 'none');
      expect(s.min, c.id).toBeCloseTo(c.lo, 9);
      expect(s.max, c.id).toBeCloseTo(c.hi, 9);
    }
    const englandComposite = chosen.reduce((a, c) => a + c.england, 0) / chosen.length;
    expect(r.body.reference.composite).toBeCloseTo(englandComposite, 12);
    const want = leps.map((l) => {
      const got = chosen.map((c) => c.byLep.get(l.code)).filter((x): x is number => x !== undefined);
      const eligible = got.length >= Math.ceil(0.5 * chosen.length) && got.length > 0;
      const composite = eligible ? got.reduce((a, b) => a + b, 0) / got.length : null;
      return {
        code: l.code,
        available: got.length,
        index: composite === null ? null : (100 * composite) / englandComposite,
      };
    });
    let ranked = 0;
    for (const w of want) {
      const s = r.body.leps.find((x: { code: string }) => x.code === w.code);
      expect(s.coverage.available, w.code).toBe(w.available);
      if (w.index === null) {
        expect(s.index, w.code).toBeNull();
        expect(s.rank).toBeNull();
        continue;
      }
      ranked++;
      expect(s.index, w.code).toBeCloseTo(w.index, 9);
      const group =
        w.index > 125 ? 'leader' : w.index >= 100 ? 'strong' : w.index >= 70 ? 'moderate' : 'emerging';
      expect(s.group, w.code).toBe(group);
      const better = want.filter((o) => o.index !== null && o.index > (w.index as number) + 1e-9).length;
      expect(s.rank, w.code).toBe(better + 1);
      expect(s.monteCarlo.p5).toBeLessThanOrEqual(s.monteCarlo.median);
      expect(s.monteCarlo.median).toBeLessThanOrEqual(s.monteCarlo.p95);
      expect(s.monteCarlo.p95).toBeLessThanOrEqual(want.filter((o) => o.index !== null).length);
    }
    expect(ranked).toBeGreaterThan(0);
    // Best first.
    const ranks = r.body.leps
      .map((l: { rank: number | null }) => l.rank)
      .filter((x: number | null) => x !== null);
    expect(ranks).toEqual([...ranks].sort((a: number, b: number) => a - b));
  });

  it('every year listed answers; CSV has a row per LEP; an absent year is a 404 naming it', async () => {
    const r = await getJson(app, '/v1/scoreboard');
    expect(r.status).toBe(200);
    expect(r.body.years.length).toBeGreaterThan(0);
    for (const y of r.body.years) expect((await getJson(app, `/v1/scoreboard?year=${y}`)).status).toBe(200);
    const csv = await app.request(`/v1/scoreboard?year=${r.body.year}&format=csv`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split('\n')).toHaveLength(39);
    const none = await getJson(app, '/v1/scoreboard?year=1995');
    expect(none.status).toBe(404);
    expect(none.body.errors[0].location).toBe('query.year');
    expect((await getJson(app, '/v1/scoreboard?year=20x0')).status).toBe(400);
  });
});
