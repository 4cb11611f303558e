import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrationTargets, loadPublishedNuts2 } from '../../src/pipeline/synth/calibration.ts';
import {
  createInnovateUkModel,
  type InnovateUkModel,
  renderRelease,
  type SynthRow,
} from '../../src/pipeline/synth/innovate-uk.ts';
import { loadSynthPlaces } from '../../src/pipeline/synth/places.ts';

/**
 * The generator, calibrated, against the published Innovate UK totals by NUTS2 and year — read
 * here straight from the file, with postcodes put in NUTS2 by this test's own reading of the
 * district → ITL lookup — and the collaboration shape ADR 0003 documents. Needs the full data
 * (DATA_DIR): the sample carries neither file.
 */

const DATA_DIR = process.env.DATA_DIR;
const PUBLISHED =
  DATA_DIR && join(DATA_DIR, 'innovate_uk_aggregates/nesta_gbp_innovate_uk_funding.nuts2.csv');
const LOOKUP = DATA_DIR && join(DATA_DIR, 'geo_lookups/derived_lad21_itl3.csv');
const CHANGES = DATA_DIR && join(DATA_DIR, 'geo_lookups/ons_ltla_changes_2014_2025.csv');
const available = Boolean(PUBLISHED && LOOKUP && existsSync(PUBLISHED) && existsSync(LOOKUP));

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1);

describe.skipIf(!available)('generated Innovate UK data, calibrated (full data)', () => {
  let model: InnovateUkModel;
  let rows: SynthRow[];
  const ladNuts2 = new Map<string, string>();

  beforeAll(async () => {
    const places = await loadSynthPlaces(DATA_DIR as string, { seed: 1, sample: 40_000 });
    const published = await loadPublishedNuts2(DATA_DIR as string);
    const calibration = calibrationTargets(
      published ?? [],
      new Set(places.flatMap((p) => (p.nuts2 ? [p.nuts2] : []))),
    );
    model = createInnovateUkModel({ rows: 100_000, seed: 1, places, calibration });
    rows = [...renderRelease(model, model.releases.length)];
    // This test's own district → NUTS2: ITL2 2021 code with UK for TL; 2023 mergers by their predecessors.
    for (const line of lines(LOOKUP as string)) {
      const f = line.split(',');
      ladNuts2.set(f[0] as string, `UK${(f.at(-3) as string).slice(2)}`);
    }
    if (CHANGES && existsSync(CHANGES))
      for (const line of lines(CHANGES)) {
        const [oldcd, , newcd, , type] = line.split(',');
        if (type === 'merger' && newcd && !ladNuts2.has(newcd) && ladNuts2.has(oldcd as string))
          ladNuts2.set(newcd, ladNuts2.get(oldcd as string) as string);
      }
  }, 300_000);

  it('totals by NUTS2 and year are within ±10% of the published ones (2010–2020, Great Britain)', () => {
    const published = lines(PUBLISHED as string).map((l) => {
      const [year, code, spec, pounds] = l.split(',');
      return {
        year: Number(year),
        code: code as string,
        spec: Number(spec),
        pence: Math.round(Number(pounds) * 100),
      };
    });
    const codes2016 = new Set(published.filter((p) => p.spec === 2016).map((p) => p.code));
    // A code that is not a 2016 one (London 2010–12, Scotland to 2015): compare its whole NUTS1 that year.
    const grouped = new Set(
      published.filter((p) => !codes2016.has(p.code)).map((p) => `${p.year}|${p.code.slice(0, 3)}`),
    );
    const keyOf = (year: number, code: string) =>
      grouped.has(`${year}|${code.slice(0, 3)}`) ? `${year}|${code.slice(0, 3)}` : `${year}|${code}`;
    const want = new Map<string, number>();
    for (const p of published) {
      if (p.code.startsWith('UKN')) continue; // Northern Ireland: no GB postcode can stand for it
      want.set(keyOf(p.year, p.code), (want.get(keyOf(p.year, p.code)) ?? 0) + p.pence);
    }
    const got = new Map<string, number>();
    for (const r of rows) {
      const t = r.truth;
      if (t.projectStatus === 'Withdrawn' || t.projectStatus === 'On Hold') continue;
      if (t.competitionYear < 2010 || t.competitionYear > 2020) continue;
      const nuts2 = ladNuts2.get(t.ladCode);
      expect(nuts2, t.ladCode).toBeDefined();
      const k = keyOf(t.competitionYear, nuts2 as string);
      got.set(k, (got.get(k) ?? 0) + t.grantOfferedPence);
    }
    expect(want.size).toBeGreaterThan(390);
    const off: string[] = [];
    for (const [k, w] of want) {
      const g = got.get(k) ?? 0;
      if (Math.abs(g - w) > 0.1 * w)
        off.push(`${k}: generated £${(g / 100).toFixed(0)} vs published £${(w / 100).toFixed(0)}`);
    }
    expect(off).toEqual([]);
  });

  it('the generator’s record of the calibration agrees and says what each cell took', () => {
    const cells = model.calibration?.cells ?? [];
    expect(cells.length).toBeGreaterThan(390);
    for (const c of cells) {
      expect(c.factor, `${c.year} ${c.key}`).not.toBeNull();
      expect(Math.abs(c.generatedPence - c.targetPence)).toBeLessThanOrEqual(0.001 * c.targetPence);
    }
  });

  it('collaboration is shaped as ADR 0003 documents', () => {
    const projects = new Map<string, SynthRow[]>();
    for (const r of rows)
      projects.set(r.truth.projectNumber, [...(projects.get(r.truth.projectNumber) ?? []), r]);
    const multi = [...projects.values()].filter((p) => p.length >= 2);
    const multiShare = multi.length / projects.size;
    expect(multiShare).toBeGreaterThan(0.55);
    expect(multiShare).toBeLessThan(0.8);
    const meanSize = multi.reduce((s, p) => s + p.length, 0) / multi.length;
    expect(meanSize).toBeGreaterThan(3);
    expect(meanSize).toBeLessThan(4.5);
    // Pairs in one region, against what placing partners at random (by each region's share of
    // participations in these projects) would give.
    let pairs = 0;
    let same = 0;
    const share = new Map<string, number>();
    for (const p of multi) {
      for (const r of p) share.set(r.truth.regionName, (share.get(r.truth.regionName) ?? 0) + 1);
      for (let i = 0; i < p.length; i++)
        for (let j = i + 1; j < p.length; j++) {
          pairs++;
          if (p[i]?.truth.regionName === p[j]?.truth.regionName) same++;
        }
    }
    const n = [...share.values()].reduce((a, b) => a + b, 0);
    const random = [...share.values()].reduce((a, c) => a + (c / n) ** 2, 0);
    expect(same / pairs).toBeGreaterThan(2 * random);
    const spanning = multi.filter((p) => new Set(p.flatMap((r) => r.truth.lepNames)).size >= 2).length;
    expect(spanning / multi.length).toBeGreaterThan(0.6);
  });
});
