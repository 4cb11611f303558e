import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInnovateUkFolder } from '../../src/pipeline/sources/innovate-uk.ts';
import {
  CURRENT_COLUMNS,
  generateInnovateUkRows,
  LEGACY_COLUMNS,
  releaseFileName,
  type SynthDataset,
  type SynthRow,
} from '../../src/pipeline/synth/innovate-uk.ts';
import { loadSynthPlaces } from '../../src/pipeline/synth/places.ts';
import { SECTORS } from '../../src/pipeline/synth/vocabulary.ts';
import { writeInnovateUkCsv, writeInnovateUkXlsx } from '../../src/pipeline/synth/write.ts';
import { testPlaces } from './support/innovate-uk-places.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iuk-synth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const places = testPlaces();

describe('generator determinism', () => {
  it('gives the same rows and the same CSV bytes for the same seed', async () => {
    const a = generateInnovateUkRows({ rows: 400, seed: 7, places, releases: 2 });
    const b = generateInnovateUkRows({ rows: 400, seed: 7, places, releases: 2 });
    expect(b).toEqual(a);
    const release = a.releases[1];
    if (!release) throw new Error('expected two releases');
    const first = join(dir, 'a.csv');
    const second = join(dir, 'b.csv');
    await writeInnovateUkCsv(first, release.columns, release.rows);
    await writeInnovateUkCsv(
      second,
      release.columns,
      generateInnovateUkRows({ rows: 400, seed: 7, places, releases: 2 }).releases[1]?.rows ?? [],
    );
    expect(Buffer.compare(await readFile(first), await readFile(second))).toBe(0);
  });

  it('writes XLSX files that read back identically for the same seed', async () => {
    const read = async (name: string) => {
      const sub = join(dir, name);
      await mkdir(sub, { recursive: true });
      const release = generateInnovateUkRows({ rows: 300, seed: 5, places }).releases[0];
      if (!release) throw new Error('no release');
      await writeInnovateUkXlsx(
        join(sub, releaseFileName(release.releaseDate, 'xlsx')),
        release.columns,
        release.rows,
        release.releaseDate,
      );
      return (await readInnovateUkFolder(sub)).rows;
    };
    const first = await read('x1');
    expect(first.length).toBeGreaterThan(290);
    expect(await read('x2')).toEqual(first);
  });

  it('gives different data for a different seed', () => {
    const a = generateInnovateUkRows({ rows: 200, seed: 1, places });
    const b = generateInnovateUkRows({ rows: 200, seed: 2, places });
    expect(b.releases[0]?.rows.map((r) => r.cells['Participant Name'])).not.toEqual(
      a.releases[0]?.rows.map((r) => r.cells['Participant Name']),
    );
  });

  it('writes exactly the requested number of participant rows', () => {
    const data = generateInnovateUkRows({ rows: 1234, seed: 3, places });
    expect(data.releases[0]?.rows).toHaveLength(1234);
  });
});

describe('generated data carries the real quirks', () => {
  let data: SynthDataset;
  let rows: SynthRow[];
  const column = (name: string) => rows.map((r) => r.cells[name]);
  beforeAll(() => {
    data = generateInnovateUkRows({ rows: 4000, seed: 11, places, releases: 2 });
    rows = data.releases[1]?.rows ?? [];
  });

  it('uses the legacy column names in the older release and the current ones in the newest', () => {
    expect(data.releases[0]?.columns).toEqual(LEGACY_COLUMNS);
    expect(data.releases[1]?.columns).toEqual(CURRENT_COLUMNS);
    expect(Object.keys(rows[0]?.cells ?? {}).sort()).toEqual([...CURRENT_COLUMNS].sort());
    expect(Object.keys(data.releases[0]?.rows[0]?.cells ?? {}).sort()).toEqual([...LEGACY_COLUMNS].sort());
  });

  it('joins two LEPs with "; " and flags In Multiple LEPs', () => {
    const two = rows.filter((r) => String(r.cells['Address LEP']).includes('; '));
    expect(two.length).toBeGreaterThan(0);
    for (const r of two) expect(r.cells['In Multiple LEPs']).toBe('Yes');
    const one = rows.filter((r) => r.cells['Address LEP'] && !String(r.cells['Address LEP']).includes(';'));
    expect(one.length).toBeGreaterThan(0);
    for (const r of one) expect(r.cells['In Multiple LEPs']).toBe('No');
  });

  it('places most participants in England and some in Scotland and Wales, LEPs only in England', () => {
    const regions = column('Address Region');
    const scotland = regions.filter((r) => r === 'Scotland').length;
    const wales = regions.filter((r) => r === 'Wales').length;
    expect(scotland).toBeGreaterThan(0);
    expect(wales).toBeGreaterThan(0);
    expect(scotland + wales).toBeLessThan(rows.length / 2);
    for (const r of rows.filter((x) => x.cells['Address Region'] === 'Scotland'))
      expect(r.cells['Address LEP']).toBe('');
  });

  it('spells Enterprise Size many ways', () => {
    const spellings = new Set(column('Enterprise Size'));
    for (const s of [
      'Micro',
      'micro',
      'MICRO',
      'Small',
      'SME',
      'Medium',
      'Large',
      'Academic',
      'Catapult',
      'PSO',
      'Charity',
      '',
    ]) {
      expect(spellings, s).toContain(s);
    }
  });

  it('has withdrawn participants and withdrawn projects, with money still offered', () => {
    const withdrawnParticipants = rows.filter((r) => r.truth.participantWithdrawn);
    const withdrawnProjects = rows.filter((r) => r.truth.projectStatus === 'Withdrawn');
    expect(withdrawnParticipants.length).toBeGreaterThan(0);
    expect(withdrawnProjects.length).toBeGreaterThan(0);
    expect(withdrawnParticipants.some((r) => r.truth.grantOfferedPence > 0)).toBe(true);
    for (const r of withdrawnParticipants)
      expect(['Yes', 'yes']).toContain(r.cells['Participant Withdrawn From Project']);
    for (const r of withdrawnProjects)
      expect(['Withdrawn', 'withdrawn']).toContain(r.cells['Project Status']);
    const legacyWithdrawn = (data.releases[0]?.rows ?? []).filter((r) => r.truth.participantWithdrawn);
    expect(legacyWithdrawn.length).toBeGreaterThan(0);
    for (const r of legacyWithdrawn) expect(r.cells['Participant Withdrawn From Project']).toBe('Withdrawn');
  });

  it('has blank, lower-case, unspaced and padded postcodes', () => {
    const pcs = column('Postcode').map(String);
    expect(pcs).toContain('');
    expect(pcs.some((p) => /^[a-z0-9]+ [a-z0-9]+$/.test(p))).toBe(true);
    expect(pcs.some((p) => /^[A-Z0-9]{5,7}$/.test(p))).toBe(true);
    expect(pcs.some((p) => p.startsWith(' ') && p.includes('  '))).toBe(true);
  });

  it('writes money as numbers and as text with £ and thousands separators', () => {
    const grants = column('Award Offered (£)');
    expect(grants.some((g) => typeof g === 'number')).toBe(true);
    expect(grants.some((g) => typeof g === 'string' && /^£\d{1,3}(,\d{3})*\.\d{2}$/.test(g))).toBe(true);
    expect(grants.some((g) => typeof g === 'string' && /^\d+$/.test(g))).toBe(true);
    // KTP business partners are offered £0.
    expect(grants.some((g) => g === 0 || g === '0' || g === '£0.00' || g === '0.00')).toBe(true);
  });

  it('writes dates as date cells, bare Excel serials and text', () => {
    const starts = column('Project Start Date');
    expect(starts.some((d) => d instanceof Date)).toBe(true);
    expect(starts.some((d) => typeof d === 'number' && d > 37000 && d < 47000)).toBe(true);
    expect(starts.some((d) => typeof d === 'string' && /^\d{2}\/\d{2}\/\d{4}$/.test(d))).toBe(true);
    expect(starts.some((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
  });

  it('leaves CRN blank for universities, drops leading zeros sometimes, and varies names per CRN', () => {
    const academic = rows.filter((x) => x.truth.organisationKind === 'academic');
    expect(academic.length).toBeGreaterThan(0);
    for (const r of academic) {
      expect(['', 'N/A']).toContain(r.cells.CRN);
    }
    expect(column('CRN').some((c) => typeof c === 'number' && String(c).length < 8)).toBe(true);
    const namesByOrg = new Map<number, Set<string>>();
    for (const r of rows) {
      const set = namesByOrg.get(r.truth.organisationId) ?? new Set<string>();
      set.add(String(r.cells['Participant Name']));
      namesByOrg.set(r.truth.organisationId, set);
    }
    expect([...namesByOrg.values()].some((s) => s.size >= 3)).toBe(true);
  });

  it('includes a few deliberately malformed rows of each kind', () => {
    const kinds = new Set(rows.map((r) => r.truth.malformed).filter(Boolean));
    expect(kinds).toEqual(
      new Set(['grant_not_a_number', 'missing_project_number', 'impossible_date', 'costs_not_a_number']),
    );
    expect(rows.filter((r) => r.truth.malformed).length).toBeLessThan(rows.length / 100);
  });

  it('shapes sectors and years like the published totals', () => {
    const bySector = new Map<string, number>();
    for (const r of rows)
      bySector.set(r.truth.sector, (bySector.get(r.truth.sector) ?? 0) + r.truth.grantOfferedPence);
    const ranked = [...bySector].sort((a, b) => b[1] - a[1]).map(([s]) => s);
    // Manufacturing, Materials & Mobility is about 40% of the published money, the largest by far.
    expect(ranked[0]).toBe('Manufacturing, Materials & Mobility');
    expect(new Set(ranked)).toEqual(new Set(SECTORS));
    // The pivot has no Disruptive Technology money in 2004 or 2006–2010.
    const early = rows.filter(
      (r) =>
        r.truth.sector === 'Disruptive Technology' &&
        [2004, 2006, 2007, 2008, 2009, 2010].includes(r.truth.competitionYear),
    );
    expect(early).toEqual([]);
    const years = rows.map((r) => r.truth.competitionYear);
    expect(Math.min(...years)).toBeGreaterThanOrEqual(2004);
    expect(Math.max(...years)).toBeLessThanOrEqual(2025);
    // 2018 was the published peak year; it should hold more rows than 2008.
    expect(years.filter((y) => y === 2018).length).toBeGreaterThan(years.filter((y) => y === 2008).length);
  });

  it('re-publishes the older release inside the newer one with a few changes', () => {
    const older = data.releases[0]?.rows ?? [];
    const newerKeys = new Map(rows.map((r) => [r.truth.participantKey, r]));
    expect(older.length).toBeLessThan(rows.length);
    expect(older.length).toBeGreaterThan(0);
    for (const r of older) expect(newerKeys.has(r.truth.participantKey)).toBe(true);
    const changedGrant = older.filter(
      (r) => newerKeys.get(r.truth.participantKey)?.truth.grantOfferedPence !== r.truth.grantOfferedPence,
    );
    const changedStatus = older.filter(
      (r) => newerKeys.get(r.truth.participantKey)?.truth.projectStatus !== r.truth.projectStatus,
    );
    expect(changedGrant.length).toBeGreaterThan(0);
    expect(changedGrant.length).toBeLessThan(older.length / 20);
    expect(changedStatus.length).toBeGreaterThan(0);
  });

  it('keeps participant keys unique within a release', () => {
    const keys = rows.map((r) => r.truth.participantKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('loadSynthPlaces', () => {
  it('samples postcodes with names from the 2023 LAD rows, skipping unplaced and coordinate-less ones', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(join(dataDir, 'postcodes'), { recursive: true });
    await mkdir(join(dataDir, 'geo_lookups'), { recursive: true });
    const postcodes = [
      'postcode,positional_quality,eastings,northings,country_code,lad_code,ward_code,lat,long',
      'LS1 4AP,10,429900,433500,E92000001,E08000035,E05011111,53.79,-1.54',
      'WS11 1BG,10,398000,310000,E92000001,E07000192,E05022222,52.69,-2.03',
      'G1 1XQ,10,259000,665000,S92000003,S12000049,S13000001,55.86,-4.25',
      'ZZ1 1ZZ,90,0,0,E92000001,E08000035,E05011111,,',
      'AB1 2CD,10,1,1,E92000001,,,,',
    ].join('\n');
    await writeFile(
      join(dataDir, 'postcodes', 'codepoint_open_postcode_lad_ward_latlong.csv.gz'),
      await promisify(gzip)(postcodes),
    );
    const lookup = [
      'year,lad_code,lad_name,rgn_code,rgn_name,rgn_overlap,lep_count,lep_code_a,lep_name_a,lep_code_b,lep_name_b,lep_overlap_a,lep_overlap_b',
      '2021,E08000035,Leeds (2021),E12000003,Yorkshire and The Humber,1.0,1,E37000062,Old Name,,,1,',
      '2023,E08000035,Leeds,E12000003,Yorkshire and The Humber,1.0,1,E37000062,Leeds City Region,,,1,',
      '2023,E07000192,Cannock Chase,E12000005,West Midlands,1.0,2,E37000012,Greater Birmingham and Solihull,E37000032,Stoke-on-Trent and Staffordshire,0.97,0.99',
      '2023,S12000049,Glasgow City,S92000003,Scotland,1.0,0,,,,,,',
    ].join('\n');
    await writeFile(join(dataDir, 'geo_lookups', 'derived_lad_region_lep_2021_2023.csv'), lookup);
    const got = await loadSynthPlaces(dataDir, { sample: 10 });
    expect(got.sort((a, b) => a.postcode.localeCompare(b.postcode))).toEqual([
      {
        postcode: 'G1 1XQ',
        countryCode: 'S92000003',
        ladCode: 'S12000049',
        ladName: 'Glasgow City',
        regionName: 'Scotland',
        lepNames: [],
      },
      {
        postcode: 'LS1 4AP',
        countryCode: 'E92000001',
        ladCode: 'E08000035',
        ladName: 'Leeds',
        regionName: 'Yorkshire and The Humber',
        lepNames: ['Leeds City Region'],
      },
      {
        postcode: 'WS11 1BG',
        countryCode: 'E92000001',
        ladCode: 'E07000192',
        ladName: 'Cannock Chase',
        regionName: 'West Midlands',
        lepNames: ['Greater Birmingham and Solihull', 'Stoke-on-Trent and Staffordshire'],
      },
    ]);
    const sampled = await loadSynthPlaces(dataDir, { sample: 2, seed: 5 });
    expect(sampled).toHaveLength(2);
    await expect(loadSynthPlaces(join(dir, 'nowhere'))).rejects.toThrow(/needs/);
  });
});
