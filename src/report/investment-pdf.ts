/**
 * A printable one-to-two-page PDF summary of Innovate UK investment in one area.
 *
 * Pure: takes a fully computed report object and returns PDF bytes. No I/O and no Node-only APIs
 * (only Uint8Array and pdf-lib's built-in standard fonts), so the same code runs in the Worker and
 * on Node. Standard fonts keep the file small and need no font fetch, at the cost of the WinAnsi
 * character set: every string passes through `toWinAnsi` before it is measured or drawn.
 */
import { PDFDocument, type PDFFont, type PDFPage, type RGB, rgb, StandardFonts } from 'pdf-lib';

/** Everything the PDF shows; the route computes it, this module only lays it out. */
export interface AreaInvestmentReport {
  area: { code: string; name: string; type: string; typeLabel: string };
  /** ISO time the figures were produced; printed in the footer and used as the PDF creation date. */
  generatedAt: string;
  /** `synthetic: true` prints a "SYNTHETIC DATA" banner on every page. */
  dataset: { version: string; label: string; synthetic: boolean };
  /** Counting rules, e.g. "Withdrawn participants excluded", "Overlap policy: full (...)". */
  rules: string[];
  totals: {
    grantPence: number;
    participants: number;
    projects: number;
    organisations: number;
    leadParticipants: number;
  };
  /** England totals under the same rules, for "x% of England" context; omitted when unknown. */
  england?: { grantPence: number; participants: number; projects: number } | null;
  byYear: { year: number; grantPence: number; projects: number }[];
  /** `share` is 0–1 of the area total. */
  topSectors: { sector: string; grantPence: number; projects: number; share: number }[];
  byOrgType: { orgType: string; label: string; grantPence: number; participants: number }[];
  topOrganisations: { name: string; orgType: string; grantPence: number; projects: number }[];
  sources: { title: string; licence: string }[];
  /** Caveats, e.g. head-office distortion, placement by postcode. */
  notes: string[];
  /** The API URL this report reproduces; printed in the footer. */
  url: string;
}

// ---------------------------------------------------------------------------------------------
// Text and number formatting (exported for tests)
// ---------------------------------------------------------------------------------------------

/**
 * Unicode code points that WinAnsiEncoding (Windows-1252) can show: printable ASCII, Latin-1 and
 * the 27 extra characters Windows put in 0x80–0x9F. pdf-lib's standard fonts throw on anything else.
 */
const WIN_ANSI_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

function isWinAnsi(cp: number): boolean {
  return (
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xff) ||
    WIN_ANSI_EXTRAS.includes(String.fromCodePoint(cp))
  );
}

/** Look-alikes that NFKD does not reduce to WinAnsi but a reader would expect to survive. */
const WIN_ANSI_REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '–', // figure dash
  '\u2015': '—', // horizontal bar
  '\u2212': '-', // minus sign
  '\u201b': '‘',
  '\u201f': '“',
  '\u2032': "'", // prime
  '\u2033': '"', // double prime
  '\u2043': '-', // hyphen bullet
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2248': '~',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
};

/**
 * Makes any string drawable with pdf-lib's standard (WinAnsi) fonts, so an organisation name with
 * an emoji or CJK characters cannot make rendering throw. Keeps what WinAnsi has (including "£",
 * "–" and curly quotes); turns other whitespace into spaces; drops invisible format characters;
 * reduces accented or compatibility forms to their base letters ("ő" → "o", "ﬁ" → "fi"); and
 * replaces whatever is left with "?" so a reader can see something was there.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isWinAnsi(cp)) {
      out += ch;
      continue;
    }
    const replacement = WIN_ANSI_REPLACEMENTS[ch];
    if (replacement !== undefined) {
      out += replacement;
    } else if (/\s/u.test(ch) && !/\p{Cf}/u.test(ch)) {
      // Tabs, newlines and exotic spaces; not U+FEFF, which \s counts but is an invisible mark.
      out += ' ';
    } else if (/[\p{Cc}\p{Cf}\p{M}]/u.test(ch)) {
      // Control, zero-width and stray combining characters (emoji variation selectors, ZWJ, BOM)
      // have no glyph to lose.
    } else {
      const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      const reducible = base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0) ?? 0));
      out += reducible ? base : '?';
    }
  }
  return out;
}

/** Integer division rounding half away from zero, so money never goes through a float fraction. */
function divRound(n: number, d: number): number {
  const whole = Math.round(n); // callers pass integer pence; guard against stray fractions
  const abs = Math.abs(whole);
  const rem = abs % d;
  const q = (abs - rem) / d + (rem * 2 >= d ? 1 : 0);
  return whole < 0 ? -q : q;
}

function groupThousands(n: number): string {
  return String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer with thousands separators: 12345 → "12,345". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const i = Math.round(n);
  return (i < 0 ? '-' : '') + groupThousands(i);
}

/** Pence → whole pounds with separators: 123456789 → "£1,234,568". */
export function formatPounds(pence: number): string {
  if (!Number.isFinite(pence)) return '–';
  const pounds = divRound(pence, 100);
  return `${pounds < 0 ? '-' : ''}£${groupThousands(pounds)}`;
}

const PENCE_PER_TENTH_MILLION = 10_000_000; // £100,000
const HEADLINE_MILLIONS_FROM_POUNDS = 10_000_000;

/** Headline form: £m with one decimal from £10m ("£12.3m"), exact pounds below. */
export function formatHeadlinePounds(pence: number): string {
  if (!Number.isFinite(pence)) return '–';
  // Decide on the rounded pounds so £9,999,999.60 shows as "£10.0m", not "£10,000,000".
  if (Math.abs(divRound(pence, 100)) < HEADLINE_MILLIONS_FROM_POUNDS) return formatPounds(pence);
  const tenths = divRound(pence, PENCE_PER_TENTH_MILLION);
  const abs = Math.abs(tenths);
  return `${tenths < 0 ? '-' : ''}£${groupThousands((abs - (abs % 10)) / 10)}.${abs % 10}m`;
}

/** Short form for chart labels, from a pounds value: 2500000 → "£2.5m", 750000 → "£750k". */
function formatPoundsShort(pounds: number): string {
  const trim = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, ''));
  const abs = Math.abs(pounds);
  if (abs >= 1e9) return `£${trim(Math.round(pounds / 1e8) / 10)}bn`;
  if (abs >= 1e6) return `£${trim(Math.round(pounds / 1e5) / 10)}m`;
  if (abs >= 1e3) return `£${trim(Math.round(pounds / 1e2) / 10)}k`;
  return `£${Math.round(pounds)}`;
}

function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '–';
  if (share > 0 && share < 0.0005) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** "3 more notes", "1 more note". */
function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : Number.NaN;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-05-14T10:32:00Z" → "14 May 2025, 10:32 UTC"; an unparseable value is printed as given. */
function formatUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

// ---------------------------------------------------------------------------------------------
// Layout primitives
// ---------------------------------------------------------------------------------------------

const PAGE_W = 595.28; // A4 portrait, points
const PAGE_H = 841.89;
const MARGIN = 40;
const CONTENT_W = PAGE_W - 2 * MARGIN;
/** The brief is a handout: anything that would need a third page is capped or summarised instead. */
const MAX_PAGES = 2;
const MAX_SECTOR_ROWS = 10;
const MAX_ORG_ROWS = 10;
const MAX_ORG_TYPE_ROWS = 10;
const MAX_CHART_YEARS = 30;

const INK = rgb(0.13, 0.15, 0.18);
const NAVY = rgb(0.09, 0.2, 0.36);
const MUTED = rgb(0.38, 0.41, 0.46);
const RULE = rgb(0.82, 0.84, 0.87);
const GRID = rgb(0.9, 0.91, 0.93);
const TILE_BG = rgb(0.95, 0.96, 0.98);
const ZEBRA = rgb(0.965, 0.97, 0.98);
const BAR = rgb(0.16, 0.45, 0.62);
const BANNER = rgb(0.7, 0.11, 0.1);
const WHITE = rgb(1, 1, 1);

interface Ctx {
  doc: PDFDocument;
  regular: PDFFont;
  bold: PDFFont;
  pages: PDFPage[];
  page: PDFPage;
  /** Baseline cursor: the top of the space still free on the current page. */
  y: number;
  /** Lowest y content may reach; the footer lives below it. */
  bottom: number;
  /** Extra room kept free on the last page for a section still to come. */
  lastPageReserve: number;
  synthetic: boolean;
}

interface TextStyle {
  font: PDFFont;
  size: number;
  color?: RGB;
}

/** Every string reaches pdf-lib through here, so nothing unsanitised is ever drawn. */
function drawText(
  page: PDFPage,
  raw: string,
  x: number,
  y: number,
  style: TextStyle,
  align: 'left' | 'right' | 'center' = 'left',
): void {
  const text = toWinAnsi(raw);
  const w = style.font.widthOfTextAtSize(text, style.size);
  const left = align === 'right' ? x - w : align === 'center' ? x - w / 2 : x;
  page.drawText(text, { x: left, y, font: style.font, size: style.size, color: style.color ?? INK });
}

/** Shortens to fit `maxWidth`, ending in an ellipsis, measuring with the real font metrics. */
function fitText(raw: string, maxWidth: number, style: TextStyle): string {
  const text = toWinAnsi(raw);
  const width = (s: string) => style.font.widthOfTextAtSize(s, style.size);
  if (width(text) <= maxWidth) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (width(`${chars.slice(0, mid).join('').trimEnd()}…`) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}

/** Greedy word wrap; a single word wider than the line (a URL, say) is broken between characters. */
function wrapText(raw: string, maxWidth: number, style: TextStyle): string[] {
  const width = (s: string) => style.font.widthOfTextAtSize(s, style.size);
  const lines: string[] = [];
  let line = '';
  for (const word of toWinAnsi(raw).split(/ +/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (width(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (width(word) <= maxWidth) {
      if (line) lines.push(line);
      line = word;
      continue;
    }
    // Too wide for any line: break between characters, starting on the current line.
    let rest = line ? ` ${word}` : word;
    while (width(line + rest) > maxWidth) {
      let n = 0;
      while (n < rest.length && width(line + rest.slice(0, n + 1)) <= maxWidth) n++;
      if (n === 0 && !line) n = 1; // a single glyph wider than the line still has to go somewhere
      lines.push((line + rest.slice(0, n)).trimEnd());
      line = '';
      rest = rest.slice(n).trimStart();
    }
    line += rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** Wraps, then keeps at most `maxLines`, ellipsising the last kept line when text was cut. */
function wrapLimited(raw: string, maxWidth: number, style: TextStyle, maxLines: number): string[] {
  const lines = wrapText(raw, maxWidth, style);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fitText(`${kept[maxLines - 1]}…`, maxWidth, style);
  return kept;
}

const BANNER_H = 22;

function newA4Page(doc: PDFDocument): PDFPage {
  return doc.addPage([PAGE_W, PAGE_H]);
}

function addPage(ctx: Ctx): boolean {
  if (ctx.pages.length >= MAX_PAGES) return false;
  const page = newA4Page(ctx.doc);
  ctx.pages.push(page);
  ctx.page = page;
  startPage(ctx);
  return true;
}

/** Resets the cursor to the top of `ctx.page` and draws what every page carries at its head. */
function startPage(ctx: Ctx): void {
  const page = ctx.page;
  ctx.y = PAGE_H - MARGIN;
  if (ctx.synthetic) {
    // On every page, not just the first: a printed page 2 travels on its own.
    page.drawRectangle({ x: MARGIN, y: ctx.y - BANNER_H, width: CONTENT_W, height: BANNER_H, color: BANNER });
    drawText(
      page,
      'SYNTHETIC DATA — not real Innovate UK figures',
      PAGE_W / 2,
      ctx.y - BANNER_H + 7,
      {
        font: ctx.bold,
        size: 11,
        color: WHITE,
      },
      'center',
    );
    ctx.y -= BANNER_H + 14;
  }
}

/** Room for `height` more points, starting a new page when allowed; false when out of pages. */
function ensure(ctx: Ctx, height: number): boolean {
  if (ctx.y - height >= floor(ctx)) return true;
  return addPage(ctx) && ctx.y - height >= floor(ctx);
}

/** The lowest y the current section may use. */
function floor(ctx: Ctx): number {
  return ctx.bottom + (ctx.pages.length === MAX_PAGES ? ctx.lastPageReserve : 0);
}

const SECTION_HEAD_H = 22;

function sectionHeading(ctx: Ctx, title: string, note?: string): void {
  drawText(ctx.page, title, MARGIN, ctx.y - 11, { font: ctx.bold, size: 11.5, color: NAVY });
  if (note) {
    const width = CONTENT_W - ctx.bold.widthOfTextAtSize(toWinAnsi(title), 11.5) - 16;
    const style = { font: ctx.regular, size: 7.5, color: MUTED };
    drawText(ctx.page, fitText(note, width, style), MARGIN + CONTENT_W, ctx.y - 11, style, 'right');
  }
  ctx.page.drawLine({
    start: { x: MARGIN, y: ctx.y - 16 },
    end: { x: MARGIN + CONTENT_W, y: ctx.y - 16 },
    thickness: 0.6,
    color: RULE,
  });
  ctx.y -= SECTION_HEAD_H;
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

function drawHeader(ctx: Ctx, r: AreaInvestmentReport): void {
  const titleStyle = { font: ctx.bold, size: 20, color: NAVY };
  for (const line of wrapLimited(`Innovate UK investment in ${r.area.name}`, CONTENT_W, titleStyle, 2)) {
    drawText(ctx.page, line, MARGIN, ctx.y - 18, titleStyle);
    ctx.y -= 24;
  }
  ctx.y -= 2;
  const sub = { font: ctx.regular, size: 10, color: INK };
  drawText(
    ctx.page,
    fitText(`${r.area.typeLabel} · ${r.area.code}`, CONTENT_W, sub),
    MARGIN,
    ctx.y - 10,
    sub,
  );
  ctx.y -= 15;
  const small = { font: ctx.regular, size: 8.5, color: MUTED };
  const dataset = `Dataset: ${r.dataset.label} (version ${r.dataset.version})${r.dataset.synthetic ? ' — synthetic' : ''}`;
  drawText(ctx.page, fitText(dataset, CONTENT_W, small), MARGIN, ctx.y - 9, small);
  ctx.y -= 22;
}

interface Tile {
  label: string;
  value: string;
  notes: string[];
}

function drawTiles(ctx: Ctx, r: AreaInvestmentReport): void {
  const t = r.totals;
  const eng = r.england ?? null;
  const ofEngland = (part: number, whole: number | undefined, what: string) =>
    whole !== undefined && whole > 0 ? [`${formatShare(ratio(part, whole))} of England's ${what}`] : [];
  const tiles: Tile[] = [
    {
      label: 'TOTAL GRANT',
      value: formatHeadlinePounds(t.grantPence),
      notes: ofEngland(t.grantPence, eng?.grantPence, 'grant'),
    },
    {
      label: 'PROJECTS',
      value: formatCount(t.projects),
      notes: ofEngland(t.projects, eng?.projects, 'projects'),
    },
    {
      label: 'PARTICIPANTS',
      value: formatCount(t.participants),
      notes: [
        `${formatCount(t.leadParticipants)} as project lead`,
        ...ofEngland(t.participants, eng?.participants, 'participants'),
      ],
    },
    { label: 'ORGANISATIONS', value: formatCount(t.organisations), notes: ['distinct organisations'] },
  ];
  const gap = 10;
  const w = (CONTENT_W - gap * (tiles.length - 1)) / tiles.length;
  const h = 66;
  const top = ctx.y;
  tiles.forEach((tile, i) => {
    const x = MARGIN + i * (w + gap);
    ctx.page.drawRectangle({ x, y: top - h, width: w, height: h, color: TILE_BG });
    ctx.page.drawRectangle({ x, y: top - h, width: 3, height: h, color: NAVY });
    const inner = w - 18;
    const labelStyle = { font: ctx.bold, size: 7, color: MUTED };
    drawText(ctx.page, fitText(tile.label, inner, labelStyle), x + 11, top - 14, labelStyle);
    // Shrink rather than truncate: a clipped number would be worse than a smaller one.
    let size = 18;
    while (size > 10 && ctx.bold.widthOfTextAtSize(toWinAnsi(tile.value), size) > inner) size -= 1;
    drawText(ctx.page, tile.value, x + 11, top - 35, { font: ctx.bold, size, color: NAVY });
    const noteStyle = { font: ctx.regular, size: 7.5, color: MUTED };
    tile.notes.slice(0, 2).forEach((note, j) => {
      drawText(ctx.page, fitText(note, inner, noteStyle), x + 11, top - 49 - j * 10, noteStyle);
    });
  });
  ctx.y = top - h - 12;
}

const BULLET_INDENT = 9;

function drawBullets(
  ctx: Ctx,
  items: string[],
  style: TextStyle,
  opts: { lineHeight: number; maxItems: number; overflowLabel: string },
): void {
  const width = CONTENT_W - BULLET_INDENT;
  const moreLine = (n: number) => {
    const text = `… ${plural(n, opts.overflowLabel)}; see the API response.`;
    drawText(ctx.page, text, MARGIN + BULLET_INDENT, ctx.y - style.size, { ...style, color: MUTED });
    ctx.y -= opts.lineHeight;
  };
  const limit = Math.min(items.length, opts.maxItems);
  for (let i = 0; i < limit; i++) {
    const lines = wrapLimited(items[i] ?? '', width, style, 4);
    // Keep a line free for "… n more" whenever anything follows, so running out of pages is
    // always said rather than caveats silently disappearing.
    const tail = i < items.length - 1 ? opts.lineHeight : 0;
    if (!ensure(ctx, lines.length * opts.lineHeight + 2 + tail)) {
      if (ctx.y - opts.lineHeight >= floor(ctx)) moreLine(items.length - i);
      return;
    }
    drawText(ctx.page, '•', MARGIN + 1, ctx.y - style.size, { ...style, color: MUTED });
    for (const line of lines) {
      drawText(ctx.page, line, MARGIN + BULLET_INDENT, ctx.y - style.size, style);
      ctx.y -= opts.lineHeight;
    }
    ctx.y -= 2;
  }
  if (items.length > limit) moreLine(items.length - limit);
}

function drawRules(ctx: Ctx, r: AreaInvestmentReport): void {
  if (r.rules.length === 0) return;
  const label = { font: ctx.bold, size: 8, color: MUTED };
  const style = { font: ctx.regular, size: 8, color: MUTED };
  const opts = { lineHeight: 10.5, maxItems: 6, overflowLabel: 'more counting rule' };
  ensure(ctx, 13 + firstBulletHeight(r.rules, style, opts));
  drawText(ctx.page, 'How this is counted', MARGIN, ctx.y - 8, label);
  ctx.y -= 13;
  drawBullets(ctx, r.rules, style, opts);
  ctx.y -= 8;
}

/** A 1/2/2.5/5 × 10^k step giving about four gridlines: axis labels people can read at a glance. */
function niceStep(max: number): number {
  const rough = max / 4;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / mag;
  const factor = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return factor * mag;
}

/** Years from first to last with gaps filled with zero, so an empty year shows as a gap, not as nothing. */
function yearSeries(byYear: AreaInvestmentReport['byYear']): {
  series: { year: number; grantPence: number }[];
  clipped: boolean;
} {
  const byKey = new Map<number, number>();
  for (const y of byYear) {
    if (Number.isInteger(y.year)) byKey.set(y.year, (byKey.get(y.year) ?? 0) + y.grantPence);
  }
  if (byKey.size === 0) return { series: [], clipped: false };
  const years = [...byKey.keys()];
  const last = Math.max(...years);
  // A stray early year would squash every bar; keep the most recent span that fits the width.
  const first = Math.max(Math.min(...years), last - MAX_CHART_YEARS + 1);
  const series = [];
  for (let year = first; year <= last; year++) series.push({ year, grantPence: byKey.get(year) ?? 0 });
  return { series, clipped: years.some((y) => y < first) };
}

function drawYearChart(ctx: Ctx, r: AreaInvestmentReport): void {
  const chartH = 150;
  const axisLabelH = 24;
  ensure(ctx, SECTION_HEAD_H + chartH + axisLabelH);
  const { series, clipped } = yearSeries(r.byYear);
  const first = series[0]?.year;
  const note =
    first === undefined
      ? undefined
      : `Year = competition year (2019 = 2019/20)${clipped ? `; years before ${first} not shown` : ''}`;
  sectionHeading(ctx, 'Grant offered by year', note);
  const top = ctx.y - 8;
  const baseY = top - chartH;
  const axisW = 46;
  const plotX = MARGIN + axisW;
  const plotW = CONTENT_W - axisW;
  const small = { font: ctx.regular, size: 7, color: MUTED };

  const maxPounds = Math.max(0, ...series.map((s) => s.grantPence / 100));
  if (series.length === 0 || maxPounds <= 0) {
    // A short placeholder rather than an empty full-height chart, which would read as a rendering fault.
    const boxH = 44;
    ctx.page.drawRectangle({ x: MARGIN, y: top - boxH, width: CONTENT_W, height: boxH, color: TILE_BG });
    const style = { font: ctx.regular, size: 9, color: MUTED };
    drawText(
      ctx.page,
      'No grant recorded for this area under these rules.',
      PAGE_W / 2,
      top - boxH / 2 - 3,
      style,
      'center',
    );
    ctx.y = top - boxH - 16;
    return;
  }

  const step = niceStep(maxPounds);
  const axisMax = Math.ceil(maxPounds / step) * step;
  for (let v = 0; v <= axisMax + step / 2; v += step) {
    const y = baseY + (v / axisMax) * chartH;
    ctx.page.drawLine({
      start: { x: plotX, y },
      end: { x: plotX + plotW, y },
      thickness: v === 0 ? 0.8 : 0.5,
      color: v === 0 ? MUTED : GRID,
    });
    drawText(ctx.page, formatPoundsShort(v), plotX - 5, y - 2.5, small, 'right');
  }

  const slot = plotW / series.length;
  const barW = Math.min(28, slot * 0.72);
  const yearLabelW = ctx.regular.widthOfTextAtSize('2024', small.size);
  // Label every k-th year counting back from the latest, so the most recent year is always named.
  const every = Math.max(1, Math.ceil((yearLabelW + 4) / slot));
  const valueStyle = { font: ctx.regular, size: 6.5, color: INK };
  const showValues = series.every(
    (s) => ctx.regular.widthOfTextAtSize(formatPoundsShort(s.grantPence / 100), 6.5) <= slot - 2,
  );
  series.forEach((s, i) => {
    const cx = plotX + slot * i + slot / 2;
    const h = (s.grantPence / 100 / axisMax) * chartH;
    if (h > 0)
      ctx.page.drawRectangle({
        x: cx - barW / 2,
        y: baseY,
        width: barW,
        height: Math.max(h, 0.75),
        color: BAR,
      });
    if (showValues && s.grantPence > 0)
      drawText(ctx.page, formatPoundsShort(s.grantPence / 100), cx, baseY + h + 3, valueStyle, 'center');
    if ((series.length - 1 - i) % every === 0) {
      ctx.page.drawLine({
        start: { x: cx, y: baseY },
        end: { x: cx, y: baseY - 3 },
        thickness: 0.5,
        color: MUTED,
      });
      drawText(ctx.page, String(s.year), cx, baseY - 11, small, 'center');
    }
  });
  ctx.y = baseY - axisLabelH;
}

interface Column {
  header: string;
  /** Fixed width in points; one column per table may be 'flex' and takes what is left. */
  width: number | 'flex';
  align: 'left' | 'right';
  /** Draws a small proportional bar (0–1) to the left of the cell text. */
  bar?: (row: number) => number;
}

const ROW_H = 15;
const TABLE_HEAD_H = 16;

/**
 * Draws up to `maxRows` rows, moving to a new page when fewer than three rows would fit, and on
 * the last page dropping rows rather than spilling onto a third. Whenever rows are left out, the
 * last line says so: `more(shown)` words it (default "… n more rows not shown").
 */
function drawTable(
  ctx: Ctx,
  title: string,
  columns: Column[],
  rows: string[][],
  opts: { empty: string; maxRows: number; note?: string; more?: (shown: number) => string },
): void {
  const capped = Math.min(rows.length, opts.maxRows);
  const footH = rows.length > capped ? ROW_H : 0;
  const full = SECTION_HEAD_H + TABLE_HEAD_H + ROW_H * Math.max(capped, 1) + footH + 12;
  const least =
    SECTION_HEAD_H + TABLE_HEAD_H + ROW_H * Math.min(Math.max(capped, 1), 3) + (rows.length > 3 ? ROW_H : 0);
  if (!ensure(ctx, full) && !ensure(ctx, least)) return; // the caps and reservations make this unreachable in practice

  sectionHeading(ctx, title, opts.note);
  const fixed = columns.reduce((sum, c) => sum + (c.width === 'flex' ? 0 : c.width), 0);
  const widths = columns.map((c) => (c.width === 'flex' ? CONTENT_W - fixed : c.width));
  const pad = 5;
  const cellX = (i: number) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0);
  const textX = (c: Column, i: number) =>
    c.align === 'right' ? cellX(i) + (widths[i] ?? 0) - pad : cellX(i) + pad;

  const headStyle = { font: ctx.bold, size: 7.5, color: MUTED };
  columns.forEach((c, i) => {
    drawText(
      ctx.page,
      fitText(c.header, (widths[i] ?? 0) - 2 * pad, headStyle),
      textX(c, i),
      ctx.y - 10,
      headStyle,
      c.align,
    );
  });
  ctx.y -= TABLE_HEAD_H;
  const ruleY = ctx.y + 2;
  ctx.page.drawLine({
    start: { x: MARGIN, y: ruleY },
    end: { x: MARGIN + CONTENT_W, y: ruleY },
    thickness: 0.6,
    color: MUTED,
  });

  const cellStyle = { font: ctx.regular, size: 8.5, color: INK };
  if (rows.length === 0) {
    drawText(ctx.page, opts.empty, MARGIN + pad, ctx.y - 10.5, { ...cellStyle, color: MUTED });
    ctx.y -= ROW_H;
  }
  const fitRows = Math.max(0, Math.floor((ctx.y - floor(ctx)) / ROW_H));
  // All capped rows plus their footnote if they fit; otherwise one row gives way to the footnote.
  const shown = capped + (footH ? 1 : 0) <= fitRows ? capped : Math.max(0, fitRows - 1);
  rows.slice(0, shown).forEach((row, r) => {
    if (r % 2 === 1) {
      ctx.page.drawRectangle({
        x: MARGIN,
        y: ctx.y - ROW_H + 2,
        width: CONTENT_W,
        height: ROW_H,
        color: ZEBRA,
      });
    }
    columns.forEach((c, i) => {
      let textW = (widths[i] ?? 0) - 2 * pad;
      if (c.bar) {
        const barMax = Math.min(44, textW * 0.45);
        const frac = Math.min(1, Math.max(0, c.bar(r)));
        const bar = { x: cellX(i) + pad, y: ctx.y - 10, height: 6 };
        ctx.page.drawRectangle({ ...bar, width: barMax, color: GRID });
        if (frac > 0) ctx.page.drawRectangle({ ...bar, width: Math.max(barMax * frac, 0.75), color: BAR });
        textW -= barMax + 4;
      }
      drawText(
        ctx.page,
        fitText(row[i] ?? '', textW, cellStyle),
        textX(c, i),
        ctx.y - 10.5,
        cellStyle,
        c.align,
      );
    });
    ctx.y -= ROW_H;
  });
  if (shown < rows.length) {
    const text =
      opts.more?.(shown) ?? `… ${plural(rows.length - shown, 'more row')} not shown; see the API response.`;
    drawText(ctx.page, fitText(text, CONTENT_W - 2 * pad, cellStyle), MARGIN + pad, ctx.y - 10.5, {
      ...cellStyle,
      size: 8,
      color: MUTED,
    });
    ctx.y -= ROW_H;
  }
  ctx.y -= 12;
}

function byGrantDesc<T extends { grantPence: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => b.grantPence - a.grantPence);
}

function drawSectors(ctx: Ctx, r: AreaInvestmentReport): void {
  const sorted = byGrantDesc(r.topSectors);
  drawTable(
    ctx,
    'Top sectors by grant',
    [
      { header: '#', width: 22, align: 'right' },
      { header: 'Sector', width: 'flex', align: 'left' },
      { header: 'Projects', width: 62, align: 'right' },
      { header: 'Grant', width: 96, align: 'right' },
      { header: 'Share of area grant', width: 104, align: 'right', bar: (i) => sorted[i]?.share ?? 0 },
    ],
    sorted.map((s, i) => [
      String(i + 1),
      s.sector,
      formatCount(s.projects),
      formatPounds(s.grantPence),
      formatShare(s.share),
    ]),
    {
      empty: 'No sectors recorded.',
      maxRows: MAX_SECTOR_ROWS,
      // Summing the rest keeps the table adding up to the area total.
      more: (shown) => {
        const rest = sorted.slice(shown);
        const pence = rest.reduce((sum, s) => sum + s.grantPence, 0);
        const share = rest.reduce((sum, s) => sum + s.share, 0);
        return `Plus ${plural(rest.length, 'more sector')}: ${formatPounds(pence)} (${formatShare(share)} of the area's grant).`;
      },
    },
  );
}

function drawOrgTypes(ctx: Ctx, r: AreaInvestmentReport): void {
  const sorted = byGrantDesc(r.byOrgType);
  const shares = sorted.map((o) => ratio(o.grantPence, r.totals.grantPence));
  drawTable(
    ctx,
    'Grant by organisation type',
    [
      { header: 'Organisation type', width: 'flex', align: 'left' },
      { header: 'Participants', width: 72, align: 'right' },
      { header: 'Grant', width: 96, align: 'right' },
      { header: 'Share of area grant', width: 104, align: 'right', bar: (i) => shares[i] ?? 0 },
    ],
    sorted.map((o, i) => [
      o.label,
      formatCount(o.participants),
      formatPounds(o.grantPence),
      formatShare(shares[i] ?? Number.NaN),
    ]),
    {
      empty: 'No organisation types recorded.',
      maxRows: MAX_ORG_TYPE_ROWS,
      more: (shown) => `… ${plural(sorted.length - shown, 'more organisation type')} in the API response.`,
    },
  );
}

function drawTopOrganisations(ctx: Ctx, r: AreaInvestmentReport): void {
  // The organisation rows carry the type code; show the same label as the type table when known.
  const labels = new Map(r.byOrgType.map((o) => [o.orgType, o.label]));
  const sorted = byGrantDesc(r.topOrganisations);
  drawTable(
    ctx,
    'Top organisations by grant',
    [
      { header: '#', width: 22, align: 'right' },
      { header: 'Organisation', width: 'flex', align: 'left' },
      { header: 'Type', width: 156, align: 'left' },
      { header: 'Projects', width: 52, align: 'right' },
      { header: 'Grant', width: 84, align: 'right' },
    ],
    sorted.map((o, i) => [
      String(i + 1),
      o.name,
      labels.get(o.orgType) ?? o.orgType,
      formatCount(o.projects),
      formatPounds(o.grantPence),
    ]),
    {
      empty: 'No organisations recorded.',
      maxRows: MAX_ORG_ROWS,
      more: (shown) => `… ${plural(sorted.length - shown, 'more organisation')} in the API response.`,
    },
  );
}

const NOTE_BULLETS = { lineHeight: 11.5, maxItems: 12, overflowLabel: 'more note' };
const SOURCE_BULLETS = { lineHeight: 10.5, maxItems: 8, overflowLabel: 'more source' };

function sourceStyle(ctx: Ctx): TextStyle {
  return { font: ctx.regular, size: 8, color: INK };
}

function sourceItems(r: AreaInvestmentReport): string[] {
  return r.sources.map((s) => `${s.title} — ${s.licence}`);
}

/** Height `drawBullets` will take for `items`, so a later section can reserve its room. */
function bulletsHeight(
  items: string[],
  style: TextStyle,
  opts: { lineHeight: number; maxItems: number },
): number {
  const lines = items
    .slice(0, opts.maxItems)
    .reduce((sum, item) => sum + wrapLimited(item, CONTENT_W - BULLET_INDENT, style, 4).length, 0);
  const more = items.length > opts.maxItems ? 1 : 0;
  return (lines + more) * opts.lineHeight + Math.min(items.length, opts.maxItems) * 2;
}

/** The first item and, when more follow, the "… n more" line: what a heading must keep with it. */
function firstBulletHeight(items: string[], style: TextStyle, opts: { lineHeight: number }): number {
  const first = items[0];
  if (first === undefined) return 0;
  const lines = wrapLimited(first, CONTENT_W - BULLET_INDENT, style, 4).length;
  return (lines + (items.length > 1 ? 1 : 0)) * opts.lineHeight + 2;
}

function sourcesHeight(ctx: Ctx, r: AreaInvestmentReport): number {
  return r.sources.length > 0
    ? SECTION_HEAD_H + 10 + bulletsHeight(sourceItems(r), sourceStyle(ctx), SOURCE_BULLETS)
    : 0;
}

/** Room for the notes heading, the first note and an "… n more notes" line. */
function minimumNotesHeight(ctx: Ctx, r: AreaInvestmentReport): number {
  if (r.notes.length === 0) return 0;
  return SECTION_HEAD_H + firstBulletHeight(r.notes, noteStyle(ctx), NOTE_BULLETS) + 10;
}

function noteStyle(ctx: Ctx): TextStyle {
  return { font: ctx.regular, size: 8.5, color: INK };
}

function drawNotes(ctx: Ctx, r: AreaInvestmentReport): void {
  if (r.notes.length === 0) return;
  // Sources carry the licences, so long notes give way to them rather than the other way round.
  ctx.lastPageReserve = sourcesHeight(ctx, r);
  if (ensure(ctx, SECTION_HEAD_H + firstBulletHeight(r.notes, noteStyle(ctx), NOTE_BULLETS))) {
    sectionHeading(ctx, 'Notes and caveats');
    drawBullets(ctx, r.notes, noteStyle(ctx), NOTE_BULLETS);
    ctx.y -= 10;
  }
  ctx.lastPageReserve = 0;
}

function drawSources(ctx: Ctx, r: AreaInvestmentReport): void {
  if (r.sources.length === 0) return;
  if (!ensure(ctx, SECTION_HEAD_H + firstBulletHeight(sourceItems(r), sourceStyle(ctx), SOURCE_BULLETS)))
    return;
  sectionHeading(ctx, 'Sources');
  drawBullets(ctx, sourceItems(r), sourceStyle(ctx), SOURCE_BULLETS);
}

const OGL_STATEMENT = 'Contains public sector information licensed under the Open Government Licence v3.0.';

function footerLines(ctx: Ctx, r: AreaInvestmentReport): { attribution: string[]; url: string[] } {
  const style = { font: ctx.regular, size: 7, color: MUTED };
  // The OGL asks for its attribution statement; other licences are listed in full under Sources.
  const ogl = r.sources.some((s) => /\bOGL\b|Open Government Licen[cs]e/i.test(s.licence));
  const others = r.sources.some((s) => !/\bOGL\b|Open Government Licen[cs]e/i.test(s.licence));
  const attribution = [ogl ? OGL_STATEMENT : '', others ? 'Other licences as listed under Sources.' : '']
    .filter(Boolean)
    .join(' ');
  return {
    attribution: attribution ? wrapLimited(attribution, CONTENT_W, style, 2) : [],
    url: wrapLimited(`Reproduce: ${r.url}`, CONTENT_W, style, 2),
  };
}

const FOOTER_LINE_H = 9;

function drawFooters(
  ctx: Ctx,
  r: AreaInvestmentReport,
  lines: { attribution: string[]; url: string[] },
): void {
  const style = { font: ctx.regular, size: 7, color: MUTED };
  const generated = `Generated ${formatUtc(r.generatedAt)} · ${r.dataset.label}${r.dataset.synthetic ? ' (SYNTHETIC)' : ''}`;
  ctx.pages.forEach((page, i) => {
    let y = MARGIN;
    const pageLabel = `Page ${i + 1} of ${ctx.pages.length}`;
    const pageW = ctx.regular.widthOfTextAtSize(pageLabel, style.size);
    drawText(page, fitText(generated, CONTENT_W - pageW - 16, style), MARGIN, y, style);
    drawText(page, pageLabel, MARGIN + CONTENT_W, y, style, 'right');
    for (const line of [...lines.url].reverse()) {
      y += FOOTER_LINE_H;
      drawText(page, line, MARGIN, y, style);
    }
    for (const line of [...lines.attribution].reverse()) {
      y += FOOTER_LINE_H;
      drawText(page, line, MARGIN, y, style);
    }
    page.drawLine({
      start: { x: MARGIN, y: y + 10 },
      end: { x: MARGIN + CONTENT_W, y: y + 10 },
      thickness: 0.6,
      color: RULE,
    });
  });
}

/**
 * Renders the area investment summary as an A4 PDF of one or two pages: header, headline tiles,
 * counting rules, a bar chart of grant by year, tables of top sectors, organisation types and top
 * organisations, notes, sources, and a footer on each page with the page number, generation time,
 * the API URL the figures come from and the licence attribution. Never throws on odd text: all
 * strings are reduced to WinAnsi first.
 */
export async function renderAreaInvestmentPdf(r: AreaInvestmentReport): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);

  // Metadata strings are UTF-16 in the PDF, so they keep the area name exactly as given.
  const created = new Date(r.generatedAt);
  doc.setTitle(`Innovate UK investment in ${r.area.name}`, { showInWindowTitleBar: true });
  doc.setAuthor('innovation-observatory');
  doc.setSubject(
    `Innovate UK grant, projects and participants in ${r.area.name} (${r.area.typeLabel}, ${r.area.code}); dataset ${r.dataset.label} ${r.dataset.version}${r.dataset.synthetic ? ' — SYNTHETIC DATA' : ''}`,
  );
  doc.setKeywords([
    'Innovate UK',
    r.area.code,
    r.area.type,
    r.dataset.version,
    ...(r.dataset.synthetic ? ['synthetic'] : []),
  ]);
  doc.setCreator('innovation-observatory');
  doc.setProducer('innovation-observatory (pdf-lib)');
  doc.setLanguage('en-GB');
  // Both dates from the report, not the clock, so the same report always gives the same bytes.
  if (!Number.isNaN(created.getTime())) {
    doc.setCreationDate(created);
    doc.setModificationDate(created);
  }

  const first = newA4Page(doc);
  const ctx: Ctx = {
    doc,
    regular,
    bold,
    pages: [first],
    page: first,
    y: 0,
    bottom: 0,
    lastPageReserve: 0,
    synthetic: r.dataset.synthetic,
  };
  const footer = footerLines(ctx, r);
  ctx.bottom = MARGIN + FOOTER_LINE_H * (footer.url.length + footer.attribution.length) + 22;
  startPage(ctx);

  drawHeader(ctx, r);
  drawTiles(ctx, r);
  drawRules(ctx, r);
  drawYearChart(ctx, r);
  // Caveats and licences matter more than the tenth row of a table: tables that reach the last
  // page leave room for them and drop rows instead.
  ctx.lastPageReserve = minimumNotesHeight(ctx, r) + sourcesHeight(ctx, r);
  drawSectors(ctx, r);
  drawOrgTypes(ctx, r);
  drawTopOrganisations(ctx, r);
  drawNotes(ctx, r);
  drawSources(ctx, r);
  drawFooters(ctx, r, footer);

  return await doc.save();
}
