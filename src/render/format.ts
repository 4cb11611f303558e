/** Number and label formatting shared by the SVG maps and embed pages (en-GB). */

/** Up to three significant figures, thousands separated: 1234567 → "1.23m", 0.04567 → "0.0457". */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  const sig = (x: number) => Number(x.toPrecision(3)).toLocaleString('en-GB', { maximumFractionDigits: 6 });
  if (a >= 1e9) return `${sig(v / 1e9)}bn`;
  if (a >= 1e6) return `${sig(v / 1e6)}m`;
  if (a >= 1e4) return Math.round(v).toLocaleString('en-GB');
  return sig(v);
}

/** £ with a short scale: 1234567.89 → "£1.23m". */
export const formatPounds = (pounds: number) => `£${formatNumber(pounds)}`;

/** Escape text for HTML and SVG content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const MINOR = new Set(['and', 'of', 'the', '&', 'for']);

/**
 * Short unique labels for hexes: initials of the significant words ("Greater Manchester" → "GM"),
 * three letters for one-word names ("Lancashire" → "Lan"); when two names give the same label,
 * both take more letters of their first word ("LeCR", "LiCR").
 */
export function shortLabels(names: readonly string[]): string[] {
  const words = names.map((n) =>
    n
      .replace(/[,()-]/g, ' ')
      .split(/\s+/)
      .filter((w) => w && !MINOR.has(w.toLowerCase())),
  );
  const label = (ws: string[], extra: number) => {
    if (ws.length === 1) return (ws[0] ?? '').slice(0, 3 + extra);
    const [first = '', ...rest] = ws;
    return first.slice(0, 1 + extra) + rest.map((w) => w[0]?.toUpperCase() ?? '').join('');
  };
  const out = words.map((ws) => label(ws, 0));
  for (let extra = 1; extra < 6; extra++) {
    const counts = new Map<string, number>();
    for (const l of out) counts.set(l, (counts.get(l) ?? 0) + 1);
    let clash = false;
    out.forEach((l, i) => {
      if ((counts.get(l) ?? 0) > 1) {
        clash = true;
        out[i] = label(words[i] ?? [], extra);
      }
    });
    if (!clash) break;
  }
  return out.map((l) => l.slice(0, 5));
}

/** 1 → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
