/**
 * Pure value parsers for the Innovate UK spreadsheet: money to integer pence, dates to ISO,
 * yes/no flags, CRNs, organisation names and Enterprise Size spellings. Each returns either a
 * value or a reason, never a guess.
 */

/** A parse result: the value, or why the cell cannot be used. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** What exceljs or csv-parse hands us for one cell, after formulas and rich text are unwrapped. */
export type CellValue = string | number | boolean | Date | null;

/** Unwrap exceljs cell objects (formula results, rich text, hyperlinks, errors) to a plain value. */
export function plainCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  ) {
    return value;
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('result' in v) return plainCell(v.result);
    if (Array.isArray(v.richText)) {
      return v.richText.map((part) => String((part as { text?: unknown }).text ?? '')).join('');
    }
    if ('text' in v) return plainCell(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(value);
}

/** The cell as trimmed text ('' for empty), for text columns. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value).trim();
}

const DECIMAL = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/**
 * Money in pounds → integer pence, without floating-point arithmetic on pounds: the amount is read
 * as a decimal string and its digits are shifted two places. Accepts numbers (their shortest
 * round-trip decimal form, so 12345.67 stays 12345.67), "£12,345.00", "12345", "-1,234.5",
 * "(1,234.00)". Empty → null. Beyond two decimal places rounds half away from zero on the digits
 * (`rounded` tells the caller). Anything else is a reason.
 */
export function parseMoneyPence(value: CellValue): Parsed<{ pence: number; rounded: boolean } | null> {
  let text: string;
  if (value === null) return ok(null);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail(`not a finite amount: ${value}`);
    text = String(value);
    if (text.includes('e')) {
      // Exponent form only appears below 1e-6 (a fraction of a penny) or at 1e21 and beyond.
      if (Math.abs(value) >= 1) return fail(`amount too large: ${text}`);
      text = value.toFixed(7);
    }
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return fail(`not an amount: ${String(value)}`);
  }
  let s = text.trim().replace(/\s+/g, '');
  if (s === '' || s === '-') return ok(null);
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  }
  // "£", "GBP", and U+FFFD (a "£" from a Windows-1252 CSV read as UTF-8).
  s = s.replace(/^(?:£|GBP|\uFFFD)/i, '').replace(/(?:GBP)$/i, '');
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  }
  if (GROUPED.test(s)) s = s.replace(/,/g, '');
  const m = DECIMAL.exec(s);
  if (!m) return fail(`not an amount: "${text.trim()}"`);
  const whole = m[1] ?? '0';
  const fraction = m[2] ?? m[3] ?? '';
  const pennies = `${fraction}00`.slice(0, 2);
  const rest = fraction.slice(2);
  let pence = Number(`${whole}${pennies}`);
  const rounded = rest.length > 0 && /[1-9]/.test(rest);
  if (rest.length > 0 && (rest[0] ?? '0') >= '5') pence += 1;
  if (!Number.isSafeInteger(pence)) return fail(`amount too large: "${text.trim()}"`);
  return ok({ pence: negative && pence !== 0 ? -pence : pence, rounded });
}

const DAY_MS = 86_400_000;
/** Day zero of Excel's 1900 date system as it behaves after its fictitious 29 Feb 1900. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

function isoFromParts(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  // Date.UTC rolls 31/02 over into March; a rolled date is not the date that was written.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** Excel 1900-system serial → ISO date (the time of day, if any, is dropped). */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return null;
  const days = Math.floor(serial);
  // Serials 1–59 predate Excel's phantom 29 Feb 1900, so they count from 31 Dec 1899.
  const ms = days < 60 ? Date.UTC(1899, 11, 31) + days * DAY_MS : EXCEL_EPOCH + days * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A date cell → "YYYY-MM-DD". Accepts JS Dates (exceljs date cells, read as UTC), Excel serial
 * numbers (as numbers or digit strings), dd/mm/yyyy (UK order, with -, . or / and an optional time),
 * ISO dates with an optional time, and "1 Apr 2019" / "01-April-2019". Empty → null.
 */
export function parseDateIso(value: CellValue): Parsed<string | null> {
  if (value === null) return ok(null);
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? fail('invalid date') : ok(value.toISOString().slice(0, 10));
  }
  if (typeof value === 'number') {
    const iso = excelSerialToIso(value);
    return iso ? ok(iso) : fail(`not a date serial: ${value}`);
  }
  const text = String(value).trim();
  if (text === '') return ok(null);
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) {
    const iso = isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? ok(iso) : fail(`impossible date: "${text}"`);
  }
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (m) {
    const iso = isoFromParts(Number(m[3]), Number(m[2]), Number(m[1]));
    return iso ? ok(iso) : fail(`impossible date: "${text}"`);
  }
  m = /^(\d{1,2})[\s-]+([A-Za-z]{3,9})[\s-]+(\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS[(m[2] ?? '').slice(0, 3).toLowerCase()];
    const iso = month ? isoFromParts(Number(m[3]), month, Number(m[1])) : null;
    return iso ? ok(iso) : fail(`impossible date: "${text}"`);
  }
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    const iso = excelSerialToIso(Number(text));
    return iso ? ok(iso) : fail(`not a date serial: "${text}"`);
  }
  return fail(`not a date: "${text}"`);
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1', 'lead', 'withdrawn']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', 'partner', 'participant', 'not withdrawn']);

/** Yes/No-style flag → boolean; empty → null; anything else is a reason. */
export function parseFlag(value: CellValue): Parsed<boolean | null> {
  if (value === null) return ok(null);
  if (typeof value === 'boolean') return ok(value);
  const text = String(value).trim().toLowerCase();
  if (text === '') return ok(null);
  if (TRUE_WORDS.has(text)) return ok(true);
  if (FALSE_WORDS.has(text)) return ok(false);
  return fail(`not yes/no: "${String(value).trim()}"`);
}

/** Placeholders people type into CRN when there is none. */
const NO_CRN = new Set(['', 'NA', 'N/A', 'NONE', 'NIL', '-', '0', '00000000', 'UNKNOWN']);
/** Companies House numbers: eight digits, or a two-letter prefix (SC, NI, OC, …) and six digits. */
const CRN_PATTERN = /^(?:\d{8}|[A-Z]{2}\d{6}|R\d{7})$/;

/**
 * CRN → canonical Companies House number: upper-case, spaces removed, numeric ones zero-padded to
 * eight digits (Excel drops the leading zeros of "01234567"). Null when blank, a placeholder, or
 * not shaped like a company number (the raw text is kept by the caller).
 */
export function normaliseCrn(value: CellValue): string | null {
  if (value === null) return null;
  let text = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : '') : cellText(value);
  text = text.replace(/\s+/g, '').toUpperCase();
  if (NO_CRN.has(text)) return null;
  if (/^\d{1,7}$/.test(text)) text = text.padStart(8, '0');
  return CRN_PATTERN.test(text) ? text : null;
}

import type { OrgType } from '../../../domain/organisations.ts';

export { normaliseOrgName, ORG_TYPES, type OrgType } from '../../../domain/organisations.ts';

/**
 * Every Enterprise Size spelling seen or expected → canonical organisation type, keyed by the
 * spelling lower-cased with punctuation and spacing removed. Decisions:
 * - "SME" does not say micro, small or medium, so it is 'other' (the original text is kept).
 * - Catapults are research and technology organisations.
 * - The combined "Public Sector, charity or non Profit" is 'public_sector'.
 * Unlisted spellings are 'other' and counted in the load report.
 */
export const ENTERPRISE_SIZE_TYPES: Readonly<Record<OrgType, readonly string[]>> = {
  micro: ['micro', 'micro enterprise', 'micro business', 'micro company'],
  small: ['small', 'small enterprise', 'small business', 'small company'],
  medium: ['medium', 'medium enterprise', 'medium sized', 'medium business', 'medium company'],
  large: ['large', 'large enterprise', 'large business', 'large company', 'large corporate'],
  academic: [
    'academic',
    'university',
    'higher education',
    'higher education institution',
    'hei',
    'academic institution',
  ],
  rto: [
    'rto',
    'research and technology organisation',
    'research and technology organisation rto',
    'research technology organisation',
    'research and technology organization',
    'catapult',
  ],
  public_sector: [
    'pso',
    'public sector',
    'public sector organisation',
    'public sector body',
    'public body',
    'public sector charity or non profit',
    'government',
  ],
  charity: ['charity', 'non profit', 'nonprofit', 'not for profit', 'third sector', 'voluntary sector'],
  other: ['', 'sme', 'business', 'unknown', 'other'],
};

function sizeKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const SIZE_LOOKUP: ReadonlyMap<string, OrgType> = new Map(
  Object.entries(ENTERPRISE_SIZE_TYPES).flatMap(([type, spellings]) =>
    spellings.map((s) => [sizeKey(s), type as OrgType] as const),
  ),
);

/** Enterprise Size text → canonical type; `known` is false when the spelling is not in the table. */
export function orgTypeFromEnterpriseSize(text: string): { type: OrgType; known: boolean } {
  const type = SIZE_LOOKUP.get(sizeKey(text));
  return type ? { type, known: true } : { type: 'other', known: false };
}

/**
 * Competition Year → the year it starts: "2019/20", "2019-2020", "FY2019/20" and 2019 all give 2019.
 * Null when empty; a reason when no plausible year is present.
 */
export function parseCompetitionYear(value: CellValue): Parsed<number | null> {
  if (value === null) return ok(null);
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1990 && value <= 2100
      ? ok(value)
      : fail(`not a year: ${value}`);
  }
  const text = cellText(value);
  if (text === '') return ok(null);
  const m = /(?:^|\D)((?:19|20)\d{2})(?:\D|$)/.exec(text);
  return m ? ok(Number(m[1])) : fail(`not a year: "${text}"`);
}

/** The financial year (April–March) a date falls in, by its starting calendar year. */
export function financialYearOf(iso: string): number {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  return month >= 4 ? year : year - 1;
}
