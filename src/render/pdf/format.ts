import { divRound, formatPence, groupThousands } from '../../domain/money.ts';

/** Numbers, money, shares and dates as the printed report writes them. */

const toBig = (n: number) => BigInt(Math.round(n));

/** Integer with thousands separators: 12345 → "12,345". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const i = toBig(n);
  return (i < 0n ? '-' : '') + groupThousands(i);
}

/** Pence → whole pounds with separators: 123456789 → "£1,234,568" (half away from zero). */
export function formatPounds(pence: number): string {
  if (!Number.isFinite(pence)) return '–';
  return formatPence(toBig(pence), { decimals: 0, thousands: true, symbol: true });
}

const PENCE_PER_TENTH_MILLION = 10_000_000n; // £100,000
const HEADLINE_MILLIONS_FROM_POUNDS = 10_000_000n;

/** Headline form: £m with one decimal from £10m ("£12.3m"), exact pounds below. */
export function formatHeadlinePounds(pence: number): string {
  if (!Number.isFinite(pence)) return '–';
  const p = toBig(pence);
  // Decide on the rounded pounds so £9,999,999.60 shows as "£10.0m", not "£10,000,000".
  const pounds = divRound(p, 100n);
  if ((pounds < 0n ? -pounds : pounds) < HEADLINE_MILLIONS_FROM_POUNDS) return formatPounds(pence);
  const tenths = divRound(p, PENCE_PER_TENTH_MILLION);
  const abs = tenths < 0n ? -tenths : tenths;
  return `${tenths < 0n ? '-' : ''}£${groupThousands(abs / 10n)}.${abs % 10n}m`;
}

/** Short form for chart labels, from a pounds value: 2500000 → "£2.5m", 750000 → "£750k". */
export function formatPoundsShort(pounds: number): string {
  const trim = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, ''));
  const abs = Math.abs(pounds);
  if (abs >= 1e9) return `£${trim(Math.round(pounds / 1e8) / 10)}bn`;
  if (abs >= 1e6) return `£${trim(Math.round(pounds / 1e5) / 10)}m`;
  if (abs >= 1e3) return `£${trim(Math.round(pounds / 1e2) / 10)}k`;
  return `£${Math.round(pounds)}`;
}

/** 0.1234 → "12.3%"; tiny positive shares say "<0.1%" rather than "0.0%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '–';
  if (share > 0 && share < 0.0005) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** "3 more notes", "1 more note". */
export function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : Number.NaN;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-05-14T10:32:00Z" → "14 May 2025, 10:32 UTC"; an unparseable value is printed as given. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}
