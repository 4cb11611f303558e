/**
 * A small layout engine over pdf-lib for A4 reports: a cursor moving down the page, sections that
 * start a new page when they do not fit (up to a page limit), text measured with the font's own
 * metrics so it is fitted, wrapped or shrunk rather than run off the page, bullet lists and tables
 * that say what they left out. Knows nothing about any one report.
 */
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';
import { rgb } from 'pdf-lib';
import { plural } from './format.ts';
import { toWinAnsi } from './text.ts';

export const PAGE_W = 595.28; // A4 portrait, points
export const PAGE_H = 841.89;
export const MARGIN = 40;
export const CONTENT_W = PAGE_W - 2 * MARGIN;

export const INK = rgb(0.13, 0.15, 0.18);
export const NAVY = rgb(0.09, 0.2, 0.36);
export const MUTED = rgb(0.38, 0.41, 0.46);
export const RULE = rgb(0.82, 0.84, 0.87);
export const GRID = rgb(0.9, 0.91, 0.93);
export const TILE_BG = rgb(0.95, 0.96, 0.98);
export const ZEBRA = rgb(0.965, 0.97, 0.98);
export const BAR = rgb(0.16, 0.45, 0.62);
export const BANNER = rgb(0.7, 0.11, 0.1);
export const WHITE = rgb(1, 1, 1);

/** A document being laid out: the cursor, the pages so far and the limits the layout keeps. */
export interface Ctx {
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
  /** Pages the document may have; content that would need more is capped by the sections. */
  maxPages: number;
  /** What every page carries at its head (drawn on each new page); moves `ctx.y` down. */
  pageHead: (ctx: Ctx) => void;
}

export interface TextStyle {
  font: PDFFont;
  size: number;
  color?: RGB;
}

/** Every string reaches pdf-lib through here, so nothing unsanitised is ever drawn. */
export function drawText(
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
export function fitText(raw: string, maxWidth: number, style: TextStyle): string {
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
export function wrapText(raw: string, maxWidth: number, style: TextStyle): string[] {
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
export function wrapLimited(raw: string, maxWidth: number, style: TextStyle, maxLines: number): string[] {
  const lines = wrapText(raw, maxWidth, style);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fitText(`${kept[maxLines - 1]}…`, maxWidth, style);
  return kept;
}

export function newA4Page(doc: PDFDocument): PDFPage {
  return doc.addPage([PAGE_W, PAGE_H]);
}

function addPage(ctx: Ctx): boolean {
  if (ctx.pages.length >= ctx.maxPages) return false;
  const page = newA4Page(ctx.doc);
  ctx.pages.push(page);
  ctx.page = page;
  startPage(ctx);
  return true;
}

/** Resets the cursor to the top of `ctx.page` and draws what every page carries at its head. */
export function startPage(ctx: Ctx): void {
  ctx.y = PAGE_H - MARGIN;
  ctx.pageHead(ctx);
}

/** Room for `height` more points, starting a new page when allowed; false when out of pages. */
export function ensure(ctx: Ctx, height: number): boolean {
  if (ctx.y - height >= floor(ctx)) return true;
  return addPage(ctx) && ctx.y - height >= floor(ctx);
}

/** The lowest y the current section may use. */
export function floor(ctx: Ctx): number {
  return ctx.bottom + (ctx.pages.length === ctx.maxPages ? ctx.lastPageReserve : 0);
}

export const SECTION_HEAD_H = 22;

export function sectionHeading(ctx: Ctx, title: string, note?: string): void {
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

export const BULLET_INDENT = 9;

export function drawBullets(
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

/** A table column: its head, its room, and what it shows of a row (the row and its 0-based index). */
export interface Column<T> {
  header: string;
  /** Fixed width in points; one column per table may be 'flex' and takes what is left. */
  width: number | 'flex';
  align: 'left' | 'right';
  cell: (row: T, index: number) => string;
  /** Draws a small proportional bar (0–1) to the left of the cell text. */
  bar?: (row: T, index: number) => number;
}

/** The row's place in the table (1 = first), for tables ranked by their order. */
export const RANK_COLUMN: Column<unknown> = {
  header: '#',
  width: 22,
  align: 'right',
  cell: (_, i) => String(i + 1),
};

export const ROW_H = 15;
export const TABLE_HEAD_H = 16;

/**
 * Draws up to `maxRows` rows, moving to a new page when fewer than three rows would fit, and on
 * the last page dropping rows rather than spilling onto a third. Whenever rows are left out, the
 * last line says so: `more(shown)` words it (default "… n more rows not shown").
 */
export function drawTable<T>(
  ctx: Ctx,
  title: string,
  columns: Column<T>[],
  rows: T[],
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
  const textX = (c: Column<T>, i: number) =>
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
        const frac = Math.min(1, Math.max(0, c.bar(row, r)));
        const bar = { x: cellX(i) + pad, y: ctx.y - 10, height: 6 };
        ctx.page.drawRectangle({ ...bar, width: barMax, color: GRID });
        if (frac > 0) ctx.page.drawRectangle({ ...bar, width: Math.max(barMax * frac, 0.75), color: BAR });
        textW -= barMax + 4;
      }
      drawText(
        ctx.page,
        fitText(c.cell(row, r), textW, cellStyle),
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

export function bulletsHeight(
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
export function firstBulletHeight(items: string[], style: TextStyle, opts: { lineHeight: number }): number {
  const first = items[0];
  if (first === undefined) return 0;
  const lines = wrapLimited(first, CONTENT_W - BULLET_INDENT, style, 4).length;
  return (lines + (items.length > 1 ? 1 : 0)) * opts.lineHeight + 2;
}
