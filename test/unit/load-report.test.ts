import { describe, expect, it } from 'vitest';
import { mergeReports, type SourceReport, SourceReporter } from '../../src/pipeline/report.ts';

// The report's bookkeeping: skipped rows counted by reason, one entry per file, and no report
// published with rows that are neither loaded, rejected nor skipped.

function report(
  source: string,
  counts: { loaded: number; rejected?: number; skipped?: number },
  note?: string,
) {
  const r = new SourceReporter(source);
  r.read(counts.loaded + (counts.rejected ?? 0) + (counts.skipped ?? 0));
  r.loaded(counts.loaded);
  for (let i = 0; i < (counts.rejected ?? 0); i++) r.reject(i + 2, 'code', 'not a GSS code');
  if (counts.skipped) r.skip('LADU row: LEP profiles use LEP and COUNTRY rows only', counts.skipped);
  if (note) r.note(note);
  return r.report;
}

describe('SourceReporter.skip', () => {
  it('counts skipped rows by reason, and the reasons sum to rowsSkipped', () => {
    const r = new SourceReporter('dfe.csv');
    r.read(6);
    r.skip('LADU row', 2);
    r.skip('MCA row');
    r.skip('LADU row');
    r.skip('none', 0);
    r.loaded(2);
    expect(r.report.rowsSkipped).toBe(4);
    expect(r.report.skipped).toEqual([
      { reason: 'LADU row', rows: 3 },
      { reason: 'MCA row', rows: 1 },
    ]);
    expect(r.report.rowsRead).toBe(r.report.rowsLoaded + r.report.rowsRejected + r.report.rowsSkipped);
  });
});

describe('mergeReports', () => {
  it('lists a file read by two stages once, with the first stage’s counts and both stages’ notes', () => {
    const merged = mergeReports([
      { stage: 'geography', report: report('leps.csv', { loaded: 60 }, '58 LEP codes') },
      { stage: 'maps', report: report('shapes.geojson', { loaded: 38 }) },
      { stage: 'indicators', report: report('leps.csv', { loaded: 60 }, '38 live LEPs') },
    ]);
    expect(merged.map((r) => r.source)).toEqual(['leps.csv', 'shapes.geojson']);
    expect(merged[0]).toMatchObject({
      rowsRead: 60,
      rowsLoaded: 60,
      notes: ['58 LEP codes', '38 live LEPs'],
    });
  });

  it('says so when the later stage counted the same file differently', () => {
    const [one] = mergeReports([
      { stage: 'geography', report: report('leps.csv', { loaded: 58, rejected: 2 }) },
      { stage: 'indicators', report: report('leps.csv', { loaded: 60 }) },
    ]);
    expect(one?.rowsRejected).toBe(2);
    expect(one?.notes).toEqual([
      "Also read by the indicators stage: read 60, used 60, rejected 0, skipped 0 (counts above are the geography stage's).",
    ]);
  });

  it('refuses a report with unaccounted rows, naming the file and stage', () => {
    const bad: SourceReport = { ...report('hexes.hexjson', { loaded: 72 }), rowsRead: 650 };
    expect(() => mergeReports([{ stage: 'maps', report: bad }])).toThrow(
      'load report for hexes.hexjson (maps) does not balance: read 650, loaded 72, rejected 0, skipped 0 (578 unaccounted)',
    );
  });
});
