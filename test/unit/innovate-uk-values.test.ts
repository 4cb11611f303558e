import { describe, expect, it } from 'vitest';
import { normalisePostcode } from '../../src/domain/geography.ts';
import {
  ENTERPRISE_SIZE_TYPES,
  excelSerialToIso,
  headerKey,
  mapColumns,
  normaliseCrn,
  normaliseOrgName,
  ORG_TYPES,
  orgTypeFromEnterpriseSize,
  parseCompetitionYear,
  parseDateIso,
  parseFlag,
  parseMoneyPence,
} from '../../src/pipeline/sources/innovate-uk.ts';
import { ENTERPRISE_SIZE_SPELLINGS, excelSerial } from '../../src/pipeline/synth/innovate-uk.ts';

function pence(value: Parameters<typeof parseMoneyPence>[0]): number | null | string {
  const r = parseMoneyPence(value);
  return r.ok ? (r.value?.pence ?? null) : `error: ${r.reason}`;
}

describe('parseMoneyPence', () => {
  it('reads text amounts exactly, whatever the formatting', () => {
    expect(pence('£1,234.56')).toBe(123456);
    expect(pence('12345')).toBe(1234500);
    expect(pence(' £12,345.00 ')).toBe(1234500);
    expect(pence('12,345.6')).toBe(1234560);
    expect(pence('0.07')).toBe(7);
    expect(pence('.5')).toBe(50);
    expect(pence('GBP 1,000')).toBe(100000);
    expect(pence('\uFFFD250.00')).toBe(25000); // "£" from a Windows-1252 CSV read as UTF-8
    expect(pence('-1,234.50')).toBe(-123450);
    expect(pence('(1,234.50)')).toBe(-123450);
    expect(pence('£-5')).toBe(-500);
  });

  it('reads numeric cells through their decimal form, so float artefacts never reach the pence', () => {
    // 0.1 + 0.2 is 0.30000000000000004 as a double; naive (x * 100) | 0 style code gets 30 or 31.
    expect(pence(0.1 + 0.2)).toBe(30);
    expect(pence(1234.56)).toBe(123456);
    expect(pence(1.005)).toBe(101); // the literal 1.005 prints as "1.005": half-up on the digits
    expect(pence(4.35)).toBe(435); // 4.35 * 100 = 434.99999999999994 in floating point
    expect(pence(19999999.99)).toBe(1999999999);
    expect(pence(12345)).toBe(1234500);
    expect(pence(1e-7)).toBe(0);
  });

  it('marks sub-penny amounts as rounded, and only those', () => {
    const r = parseMoneyPence('10.005');
    expect(r).toEqual({ ok: true, value: { pence: 1001, rounded: true } });
    expect(parseMoneyPence('10.000')).toEqual({ ok: true, value: { pence: 1000, rounded: false } });
  });

  it('gives null for empty cells and a reason for anything that is not an amount', () => {
    expect(pence(null)).toBeNull();
    expect(pence('   ')).toBeNull();
    for (const bad of ['TBC', 'n/a', '12,34', '1.2.3', '£', '12 345 abc', '1,2345.00']) {
      expect(pence(bad)).toMatch(/^error: not an amount/);
    }
    expect(pence(Number.NaN)).toMatch(/^error/);
    expect(pence(1e22)).toMatch(/^error: amount too large/);
    expect(pence('999999999999999999')).toMatch(/^error: amount too large/);
  });
});

describe('parseDateIso', () => {
  const iso = (v: Parameters<typeof parseDateIso>[0]) => {
    const r = parseDateIso(v);
    return r.ok ? r.value : `error: ${r.reason}`;
  };

  it('reads Excel serials, as numbers and as text', () => {
    expect(iso(45000)).toBe('2023-03-15');
    expect(iso('45000')).toBe('2023-03-15');
    expect(iso(45000.75)).toBe('2023-03-15');
    expect(iso(61)).toBe('1900-03-01');
    expect(iso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(0)).toBeNull();
  });

  it('agrees with the generator on serials in both directions', () => {
    for (const day of ['2004-04-01', '2019-02-28', '2020-02-29', '2026-12-31']) {
      expect(iso(excelSerial(Date.parse(`${day}T00:00:00Z`)))).toBe(day);
    }
  });

  it('reads UK day-first text, ISO text, month names and Date objects', () => {
    expect(iso('01/04/2019')).toBe('2019-04-01');
    expect(iso('1/4/2019')).toBe('2019-04-01');
    expect(iso('01-04-2019 00:00')).toBe('2019-04-01');
    expect(iso('2019-04-01')).toBe('2019-04-01');
    expect(iso('2019-04-01T00:00:00Z')).toBe('2019-04-01');
    expect(iso('1 Apr 2019')).toBe('2019-04-01');
    expect(iso('01-April-2019')).toBe('2019-04-01');
    expect(iso(new Date(Date.UTC(2021, 11, 31)))).toBe('2021-12-31');
    expect(iso('')).toBeNull();
    expect(iso(null)).toBeNull();
  });

  it('rejects impossible and unreadable dates instead of rolling them over', () => {
    expect(iso('31/02/2019')).toMatch(/^error: impossible date/);
    expect(iso('2019-13-01')).toMatch(/^error: impossible date/);
    expect(iso('12/31/2019')).toMatch(/^error: impossible date/); // US order is not guessed
    expect(iso('soon')).toMatch(/^error: not a date/);
    expect(iso(new Date(Number.NaN))).toMatch(/^error/);
  });
});

describe('flags, CRNs, names and years', () => {
  it('reads yes/no flags and refuses anything else', () => {
    expect(parseFlag('Yes')).toEqual({ ok: true, value: true });
    expect(parseFlag(' yes ')).toEqual({ ok: true, value: true });
    expect(parseFlag('Withdrawn')).toEqual({ ok: true, value: true });
    expect(parseFlag('No')).toEqual({ ok: true, value: false });
    expect(parseFlag('')).toEqual({ ok: true, value: null });
    expect(parseFlag(true)).toEqual({ ok: true, value: true });
    expect(parseFlag('maybe').ok).toBe(false);
  });

  it('normalises CRNs: upper case, zero-padded, placeholders are none', () => {
    expect(normaliseCrn('01234567')).toBe('01234567');
    expect(normaliseCrn(1234567)).toBe('01234567');
    expect(normaliseCrn('1234567')).toBe('01234567');
    expect(normaliseCrn(' sc123456 ')).toBe('SC123456');
    expect(normaliseCrn('SC 123456')).toBe('SC123456');
    expect(normaliseCrn('N/A')).toBeNull();
    expect(normaliseCrn('')).toBeNull();
    expect(normaliseCrn(0)).toBeNull();
    expect(normaliseCrn('123456789')).toBeNull();
    expect(normaliseCrn('ACME')).toBeNull();
  });

  it('folds organisation name variants to one form', () => {
    const variants = [
      'Aurora Photonics Ltd',
      'AURORA PHOTONICS LIMITED',
      'Aurora Photonics Ltd.',
      'aurora photonics ltd',
      'Aurora Photonics, LTD',
      'The Aurora Photonics Limited',
    ];
    expect(new Set(variants.map(normaliseOrgName))).toEqual(new Set(['aurora photonics ltd']));
    expect(normaliseOrgName('Smith & Jones P.L.C.')).toBe('smith and jones plc');
    expect(normaliseOrgName('Smith and Jones Public Limited Company')).toBe('smith and jones plc');
    expect(normaliseOrgName('Fenwick Partners L.L.P.')).toBe('fenwick partners llp');
    expect(normaliseOrgName("King's College London")).toBe('kings college london');
    // The legal form still tells companies apart.
    expect(normaliseOrgName('Aurora Ltd')).not.toBe(normaliseOrgName('Aurora LLP'));
  });

  it('takes the first year of a financial-year competition year', () => {
    expect(parseCompetitionYear('2019/20')).toEqual({ ok: true, value: 2019 });
    expect(parseCompetitionYear('FY2015/16')).toEqual({ ok: true, value: 2015 });
    expect(parseCompetitionYear(2021)).toEqual({ ok: true, value: 2021 });
    expect(parseCompetitionYear('')).toEqual({ ok: true, value: null });
    expect(parseCompetitionYear('next year').ok).toBe(false);
  });
});

describe('Enterprise Size → organisation type', () => {
  it('maps the spellings the brief lists', () => {
    const cases: [string, string][] = [
      ['Micro', 'micro'],
      ['micro', 'micro'],
      ['MICRO', 'micro'],
      ['Small', 'small'],
      ['SME', 'other'],
      ['Medium', 'medium'],
      ['Large', 'large'],
      ['Academic', 'academic'],
      ['Catapult', 'rto'],
      ['RTO', 'rto'],
      ['Research and Technology Organisation', 'rto'],
      ['Research and Technology Organisation (RTO)', 'rto'],
      ['PSO', 'public_sector'],
      ['Public Sector', 'public_sector'],
      ['Public Sector, charity or non Profit', 'public_sector'],
      ['Charity', 'charity'],
      ['Non-profit', 'charity'],
      ['', 'other'],
    ];
    for (const [spelling, type] of cases)
      expect([spelling, orgTypeFromEnterpriseSize(spelling).type]).toEqual([spelling, type]);
  });

  it('knows every spelling the generator writes, and reads it as the generator means it', () => {
    let checked = 0;
    for (const spellings of Object.values(ENTERPRISE_SIZE_SPELLINGS)) {
      for (const [spelling, canonical] of spellings) {
        expect([spelling, orgTypeFromEnterpriseSize(spelling)]).toEqual([
          spelling,
          { type: canonical, known: true },
        ]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('flags unknown spellings as other without pretending to know them', () => {
    expect(orgTypeFromEnterpriseSize('Sole trader')).toEqual({ type: 'other', known: false });
  });

  it('has every spelling in exactly one canonical type', () => {
    const seen = new Map<string, string>();
    for (const [type, spellings] of Object.entries(ENTERPRISE_SIZE_TYPES)) {
      expect(ORG_TYPES).toContain(type);
      for (const s of spellings) {
        expect(seen.get(s), `"${s}" listed twice`).toBeUndefined();
        seen.set(s, type);
      }
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});

describe('postcodes as typed in the spreadsheet', () => {
  it('normalises messy spacing and case, and refuses partial postcodes', () => {
    expect(normalisePostcode(' ls1  4ap ')).toEqual({ key: 'LS14AP', display: 'LS1 4AP' });
    expect(normalisePostcode('sw1a1aa')?.display).toBe('SW1A 1AA');
    expect(normalisePostcode('EC1A1BB')?.display).toBe('EC1A 1BB');
    expect(normalisePostcode('LS1')).toBeNull();
    expect(normalisePostcode('')).toBeNull();
  });
});

describe('column recognition', () => {
  it('matches headers across case, spacing, currency suffixes and renames', () => {
    expect(headerKey('Grant Offered (£)')).toBe(headerKey('grant offered'));
    expect(headerKey('GRANT  OFFERED (GBP)')).toBe(headerKey('Grant Offered'));
    expect(headerKey('Grant Offered £')).toBe(headerKey('Grant Offered'));
    const legacy = mapColumns([
      'Project Number',
      'Participant Name',
      'Grant Offered (£)',
      'Industrial Strategy Challenge Fund',
    ]);
    const current = mapColumns([
      'project number ',
      'PARTICIPANT NAME',
      'Award Offered (£)',
      'Industrial Strategy Challenge Fund (ISCF)',
    ]);
    const bare = mapColumns([
      'Project  Number',
      'Participant Name',
      'Award Offered (GBP)',
      'ISCF',
      'Mystery Column',
    ]);
    for (const m of [legacy, current, bare]) {
      expect(m.missingRequired).toEqual([]);
      expect(m.index).toMatchObject({ projectNumber: 0, participantName: 1, grantOffered: 2, isIscf: 3 });
    }
    expect(bare.unrecognised).toEqual(['Mystery Column']);
    expect(current.header.grantOffered).toBe('Award Offered (£)');
  });

  it('reports required columns that are missing and repeated fields', () => {
    const m = mapColumns(['Project Number', 'Grant Offered (£)', 'Award Offered (£)']);
    expect(m.missingRequired).toEqual(['participantName']);
    expect(m.duplicates).toEqual(['Award Offered (£)']);
    expect(m.index.grantOffered).toBe(1);
  });
});
