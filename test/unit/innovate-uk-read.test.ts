import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/pipeline/report.ts';
import {
  countsTowardsTotals,
  type InnovateUkLoad,
  type InnovateUkParticipantRow,
  participantKey,
  readInnovateUkFolder,
  releaseDateFromName,
} from '../../src/pipeline/sources/innovate-uk.ts';
import {
  generateInnovateUkRows,
  releaseFileName,
  type SynthDataset,
  type SynthRelease,
  type SynthRow,
} from '../../src/pipeline/synth/innovate-uk.ts';
import { writeInnovateUkCsv, writeInnovateUkXlsx } from '../../src/pipeline/synth/write.ts';
import { testPlaces } from './support/innovate-uk-places.ts';

/** The line (1-based) each CSV record starts on, header first: a quoted cell may hold line breaks. */
function recordLines(text: string): number[] {
  const starts = [1];
  let line = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n') {
      line += 1;
      if (!quoted && i + 1 < text.length) starts.push(line);
    }
  }
  return starts;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'iuk-read-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshDir(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function writeRelease(dir: string, release: SynthRelease, format: 'xlsx' | 'csv'): Promise<string> {
  const file = join(dir, releaseFileName(release.releaseDate, format));
  if (format === 'xlsx') await writeInnovateUkXlsx(file, release.columns, release.rows, release.releaseDate);
  else await writeInnovateUkCsv(file, release.columns, release.rows);
  return file;
}

interface Totals {
  pence: number;
  participants: number;
  projects: Set<string>;
}

function addTo(map: Map<string, Totals>, key: string, pence: number, project: string) {
  const t = map.get(key) ?? { pence: 0, participants: 0, projects: new Set<string>() };
  t.pence += pence;
  t.participants += 1;
  t.projects.add(project);
  map.set(key, t);
}

/** Totals by sector × competition year straight from the generator's truth, under METHODS rules. */
function expectedTotals(rows: readonly SynthRow[], includeWithdrawn = false): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const { truth } of rows) {
    if (truth.malformed) continue;
    if (!includeWithdrawn && (truth.participantWithdrawn || truth.projectStatus === 'Withdrawn')) continue;
    addTo(out, `${truth.sector}|${truth.competitionYear}`, truth.grantOfferedPence, truth.projectNumber);
  }
  return out;
}

function parsedTotals(
  rows: readonly InnovateUkParticipantRow[],
  includeWithdrawn = false,
): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const row of rows) {
    if (!countsTowardsTotals(row, includeWithdrawn)) continue;
    addTo(out, `${row.sector}|${row.competitionYear}`, row.grantOfferedPence ?? 0, row.projectNumber);
  }
  return out;
}

/** Comparable form: key → [pence, participants, distinct projects]. */
function flat(totals: Map<string, Totals>): Record<string, [number, number, number]> {
  return Object.fromEntries(
    [...totals].sort().map(([k, t]) => [k, [t.pence, t.participants, t.projects.size]]),
  );
}

describe('round trip: generate → write → read', () => {
  let data: SynthDataset;
  let newest: SynthRelease;
  let older: SynthRelease;
  beforeAll(() => {
    data = generateInnovateUkRows({ rows: 1500, seed: 21, places: testPlaces(), releases: 2 });
    [older, newest] = data.releases as [SynthRelease, SynthRelease];
  });

  for (const format of ['xlsx', 'csv'] as const) {
    it(`${format}: totals by sector and year equal the generator's, withdrawn excluded`, async () => {
      const dir = await freshDir(`single-${format}`);
      await writeRelease(dir, newest, format);
      const load = await readInnovateUkFolder(dir);
      const want = expectedTotals(newest.rows);
      expect(flat(parsedTotals(load.rows))).toEqual(flat(want));
      // The rule is not vacuous here: counting withdrawn rows would change the answer.
      expect(flat(expectedTotals(newest.rows, true))).not.toEqual(flat(want));
      expect(flat(parsedTotals(load.rows, true))).toEqual(flat(expectedTotals(newest.rows, true)));
      expect(load.superseded).toBe(0);
    });

    it(`${format}: every usable row is read with the values the generator meant`, async () => {
      const dir = await freshDir(`fields-${format}`);
      await writeRelease(dir, newest, format);
      const load = await readInnovateUkFolder(dir);
      const truthByKey = new Map(
        newest.rows.filter((r) => !r.truth.malformed).map((r) => [r.truth.participantKey, r.truth]),
      );
      expect(new Set(load.rows.map(participantKey))).toEqual(new Set(truthByKey.keys()));
      expect(load.rows.length).toBeGreaterThan(0);
      let unusablePostcodes = 0;
      for (const row of load.rows) {
        const truth = truthByKey.get(participantKey(row));
        if (!truth) throw new Error(`unexpected row ${participantKey(row)}`);
        expect(row.grantOfferedPence).toBe(truth.grantOfferedPence);
        expect(row.totalCostsPence).toBe(truth.totalCostsPence);
        expect(row.orgType).toBe(truth.orgType);
        expect(row.isLead).toBe(truth.isLead);
        expect(row.participantWithdrawn).toBe(truth.participantWithdrawn);
        expect(row.projectWithdrawn).toBe(truth.projectStatus === 'Withdrawn');
        expect(row.addressLeps).toEqual(truth.lepNames);
        expect(row.inMultipleLeps).toBe(truth.lepNames.length > 1);
        expect(row.addressRegion).toBe(truth.regionName);
        expect(row.isIscf).toBe(truth.isIscf);
        expect(row.competitionYear).toBe(truth.competitionYear);
        expect(row.startDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        // Messy postcodes normalise back to the real one; blank or partial ones are kept raw only.
        if (row.postcode === null) unusablePostcodes += 1;
        else expect(row.postcode).toBe(truth.postcode);
      }
      expect(unusablePostcodes).toBeLessThan(load.rows.length / 10);
    });

    it(`${format}: rejects each malformed row with file, row, column and reason`, async () => {
      const dir = await freshDir(`rejects-${format}`);
      await writeRelease(dir, newest, format);
      const load = await readInnovateUkFolder(dir);
      const report = load.reports[0];
      if (!report) throw new Error('no report');
      const malformed = newest.rows
        .map((r, i) => ({ kind: r.truth.malformed, index: i }))
        .filter(
          (m): m is { kind: NonNullable<SynthRow['truth']['malformed']>; index: number } => m.kind !== null,
        );
      expect(malformed.length).toBeGreaterThanOrEqual(4);
      expect(report.rowsRejected).toBe(malformed.length);
      expect(report.rowsRead).toBe(newest.rows.length);
      expect(report.rowsLoaded).toBe(newest.rows.length - malformed.length);
      const expectedColumn = {
        grant_not_a_number: 'Award Offered (£)',
        missing_project_number: 'Project Number',
        impossible_date: 'Project Start Date',
        costs_not_a_number: 'Total Costs (£)',
      } as const;
      expect(report.rejects.map((r) => [r.file, r.column])).toEqual(
        malformed.map((m) => [
          `innovate_uk/${releaseFileName(newest.releaseDate, format)}`,
          expectedColumn[m.kind],
        ]),
      );
      for (const r of report.rejects) expect(r.reason.length).toBeGreaterThan(10);
      // Sheet rows: the header is row 1, so data row i is row i + 2. CSV: the line the record
      // starts on, which quoted line breaks in earlier cells push down.
      const startLines =
        format === 'csv'
          ? recordLines(await readFile(join(dir, releaseFileName(newest.releaseDate, format)), 'utf8'))
          : null;
      expect(report.rejects.map((r) => r.row)).toEqual(
        malformed.map((m) => (startLines ? startLines[m.index + 1] : m.index + 2)),
      );
      // Nothing of a rejected row is loaded.
      const rejectedKeys = new Set(
        newest.rows.filter((r) => r.truth.malformed).map((r) => r.truth.participantKey),
      );
      expect(load.rows.filter((r) => rejectedKeys.has(participantKey(r)))).toEqual([]);
    });
  }

  it('de-duplicates two releases: the newer wins and the older rows are counted as superseded', async () => {
    const dir = await freshDir('two-releases');
    await writeRelease(dir, older, 'xlsx');
    await writeRelease(dir, newest, 'csv');
    const load: InnovateUkLoad = await readInnovateUkFolder(dir);
    const olderUsable = older.rows.filter((r) => !r.truth.malformed).length;
    expect(load.superseded).toBe(olderUsable);
    expect(load.rows).toHaveLength(newest.rows.filter((r) => !r.truth.malformed).length);
    expect(load.releases.map((r) => [r.releaseDate, r.superseded, r.rows])).toEqual([
      [newest.releaseDate, 0, load.rows.length],
      [older.releaseDate, olderUsable, 0],
    ]);
    expect(load.reports[1]?.notes.join('\n')).toContain(`${olderUsable} rows superseded by newer releases`);
    expect(flat(parsedTotals(load.rows))).toEqual(flat(expectedTotals(newest.rows)));
    // Where the newer release changed an amount or status, the newer value is the one loaded.
    const newerTruth = new Map(newest.rows.map((r) => [r.truth.participantKey, r.truth]));
    const changed = older.rows.filter(
      (r) =>
        !r.truth.malformed &&
        newerTruth.get(r.truth.participantKey)?.grantOfferedPence !== r.truth.grantOfferedPence,
    );
    expect(changed.length).toBeGreaterThan(0);
    const loaded = new Map(load.rows.map((r) => [participantKey(r), r]));
    for (const r of changed) {
      expect(loaded.get(r.truth.participantKey)?.grantOfferedPence).toBe(
        newerTruth.get(r.truth.participantKey)?.grantOfferedPence,
      );
      expect(loaded.get(r.truth.participantKey)?.releaseDate).toBe(newest.releaseDate);
    }
  });
});

/** A hand-written CSV in the official shape, for the edge cases the generator does not make. */
function csv(headers: string[], rows: string[][]): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${[headers, ...rows].map((r) => r.map(q).join(',')).join('\n')}\n`;
}
const HEADERS = [
  'project number',
  'PARTICIPANT NAME',
  'crn',
  'Grant Offered (GBP)',
  'Project Start Date',
  'Sector',
  'Project Status',
];

describe('release order and identity rules', () => {
  it('reads release dates from file names in the forms publishers use', () => {
    expect(releaseDateFromName('innovate-uk-funded-projects-2026-10-01')).toBe('2026-10-01');
    expect(releaseDateFromName('20200801_Innovate_UK_Funded_Projects')).toBe('2020-08-01');
    expect(releaseDateFromName('iuk_2021_03_15')).toBe('2021-03-15');
    expect(releaseDateFromName('funded-projects-2020-02-30')).toBeNull();
    expect(releaseDateFromName('funded-projects')).toBeNull();
  });

  it('falls back to modification time, keeps rows only older releases have, and keeps repeats within a file', async () => {
    const dir = await freshDir('mtime');
    const oldFile = join(dir, 'funded-projects-old.csv');
    const newFile = join(dir, 'funded-projects-new.csv');
    await writeFile(
      oldFile,
      csv(HEADERS, [
        ['1001', 'Aurora Photonics Ltd', '01234567', '£1,000.00', '01/04/2019', 'AI & Data Economy', 'Live'],
        ['1002', 'University of Leeds', '', '500', '2019-05-01', 'AI & Data Economy', 'Live'],
        ['1003', 'Gone From Newer Ltd', '', '250.50', '43586', 'AI & Data Economy', 'Closed'],
      ]),
    );
    await writeFile(
      newFile,
      csv(HEADERS, [
        ['1001', 'AURORA PHOTONICS LIMITED', '1234567', '900', '01/04/2019', 'AI & Data Economy', 'Closed'],
        ['1002', 'The University of Leeds', 'N/A', '500', '01/05/2019', 'AI & Data Economy', 'Closed'],
        ['1002', 'University of Leeds', '', '125', '01/05/2019', 'AI & Data Economy', 'Closed'],
      ]),
    );
    await utimes(oldFile, new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'));
    await utimes(newFile, new Date('2024-02-01T00:00:00Z'), new Date('2024-02-01T00:00:00Z'));
    const load = await readInnovateUkFolder(dir);
    expect(
      load.releases.map((r) => [r.file, r.releaseDate, r.releaseDateSource, r.rows, r.superseded]),
    ).toEqual([
      ['funded-projects-new.csv', '2024-02-01', 'mtime', 3, 0],
      ['funded-projects-old.csv', '2024-01-01', 'mtime', 1, 2],
    ]);
    const byRow = load.rows.map((r) => [
      r.sourceFile,
      r.sourceRow,
      r.projectNumber,
      r.crn,
      r.participantNameNormalised,
      r.grantOfferedPence,
    ]);
    expect(byRow).toEqual([
      ['funded-projects-new.csv', 2, '1001', '01234567', 'aurora photonics ltd', 90000],
      ['funded-projects-new.csv', 3, '1002', null, 'university of leeds', 50000],
      ['funded-projects-new.csv', 4, '1002', null, 'university of leeds', 12500],
      ['funded-projects-old.csv', 4, '1003', null, 'gone from newer ltd', 25050],
    ]);
    expect(load.reports[0]?.notes.join('\n')).toMatch(/1 rows repeat a participant/);
    // No Competition Year column: the year is the financial year of the start date (1 May 2019 → 2019/20).
    expect(load.rows[3]).toMatchObject({
      competitionYear: 2019,
      competitionYearSource: 'start_date',
      startDate: '2019-05-01',
    });
  });

  it('stops with a SourceError naming the file when required columns are missing', async () => {
    const dir = await freshDir('missing-columns');
    await writeFile(join(dir, 'broken-2025-01-01.csv'), csv(['Project Number', 'Sector'], [['1', 'x']]));
    await expect(readInnovateUkFolder(dir)).rejects.toThrow(SourceError);
    await expect(readInnovateUkFolder(dir)).rejects.toThrow(
      /broken-2025-01-01\.csv: missing column\(s\) for: participantName, grantOffered/,
    );
    await expect(readInnovateUkFolder(join(root, 'does-not-exist'))).rejects.toThrow(/not found/);
  });

  it('finds the header below a title in an XLSX with a notes sheet first, and reads exceljs cell types', async () => {
    const dir = await freshDir('xlsx-layout');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['These data are published under the Open Government Licence.']);
    const ws = wb.addWorksheet('Data');
    ws.addRow(['Innovate UK funded projects since 2004']);
    ws.addRow([]);
    ws.addRow([
      'Project Number',
      'Participant Name',
      'CRN',
      'Award Offered (£)',
      'Project Start Date',
      'Competition Year',
      'Postcode',
      'Enterprise Size',
      'Participant Withdrawn From Project',
    ]);
    ws.addRow([
      10001234,
      'Kestrel Robotics Ltd',
      7654321,
      { formula: '1000+234.56', result: 1234.56 },
      new Date(Date.UTC(2020, 5, 1)),
      '2020/21',
      ' ls1  4ap ',
      'Micro ',
      'No',
    ]);
    ws.addRow([
      10001234,
      { richText: [{ text: 'Cobalt ' }, { text: 'Labs Ltd' }] },
      'sc123456',
      '£2,000.10',
      45000,
      2022,
      'LS1',
      'Sole trader',
      'Yes',
    ]);
    ws.addRow([]);
    ws.addRow([10001235, 'Bad Money Ltd', '', 'about £3k', 45000, '2022/23', '', 'Small', 'No']);
    const file = join(dir, 'innovate-uk-funded-projects-2025-06-01.xlsx');
    await wb.xlsx.writeFile(file);
    const load = await readInnovateUkFolder(dir);
    expect(
      load.rows.map((r) => [
        r.sourceRow,
        r.crn,
        r.participantName,
        r.grantOfferedPence,
        r.startDate,
        r.competitionYear,
      ]),
    ).toEqual([
      [4, '07654321', 'Kestrel Robotics Ltd', 123456, '2020-06-01', 2020],
      [5, 'SC123456', 'Cobalt Labs Ltd', 200010, '2023-03-15', 2022],
    ]);
    expect(load.rows[0]).toMatchObject({
      postcode: 'LS1 4AP',
      postcodeKey: 'LS14AP',
      postcodeRaw: ' ls1  4ap ',
      orgType: 'micro',
      enterpriseSize: 'Micro',
    });
    expect(load.rows[1]).toMatchObject({
      postcode: null,
      postcodeRaw: 'LS1',
      orgType: 'other',
      enterpriseSize: 'Sole trader',
      participantWithdrawn: true,
    });
    const report = load.reports[0];
    expect(report?.rejects).toEqual([
      {
        file: 'innovate_uk/innovate-uk-funded-projects-2025-06-01.xlsx',
        row: 7,
        column: 'Award Offered (£)',
        reason: 'Award Offered (£): not an amount: "about £3k"',
      },
    ]);
    expect(report?.notes.join('\n')).toMatch(/"Sole trader" ×1/);
    expect(report?.notes.join('\n')).toMatch(/1 rows have a postcode that is not a full UK postcode/);
  });
});
