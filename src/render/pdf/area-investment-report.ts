/**
 * The printable one-to-two-page PDF summary of Innovate UK investment in one area.
 *
 * Pure: takes a fully computed report object and returns PDF bytes. No I/O, no clock and no
 * Node-only APIs (only Uint8Array and pdf-lib's standard fonts), so the same code runs in the
 * Worker and on Node, and the same report always gives the same bytes.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
  formatCount,
  formatHeadlinePounds,
  formatPounds,
  formatPoundsShort,
  formatShare,
  formatUtc,
  plural,
  ratio,
} from './format.ts';
import {
  BANNER,
  BAR,
  bulletsHeight,
  CONTENT_W,
  type Column,
  type Ctx,
  drawBullets,
  drawTable,
  drawText,
  ensure,
  firstBulletHeight,
  fitText,
  GRID,
  INK,
  MARGIN,
  MUTED,
  NAVY,
  newA4Page,
  PAGE_W,
  RANK_COLUMN,
  RULE,
  SECTION_HEAD_H,
  sectionHeading,
  startPage,
  type TextStyle,
  TILE_BG,
  WHITE,
  wrapLimited,
  wrapText,
} from './layout.ts';
import { toWinAnsi } from './text.ts';

/** Everything the PDF shows; the route computes it, this module only lays it out. */
export interface AreaInvestmentReport {
  area: { code: string; name: string; type: string; typeLabel: string };
  /** ISO time the figures were produced; printed in the footer and used as the PDF creation date. */
  generatedAt: string;
  /**
   * `synthetic: true` prints a "SYNTHETIC DATA" banner on every page; `sample: true` says the
   * figures come from the shipped SAMPLE, not the full dataset (header, footer, keywords).
   */
  dataset: { version: string; label: string; synthetic: boolean; sample?: boolean };
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
  /**
   * For a LEP: the three smart-specialisation questions, one row per answer with its evidence in
   * numbers (from /v1/leps/{code}/smart-specialisation, whose path is `href`).
   */
  smartSpecialisation?: {
    /** The rows printed (the strongest of each question), out of `total` in the API answer. */
    rows: { question: string; category: string; evidence: string }[];
    total: number;
    href: string;
    criteria: string;
  } | null;
}

/** The brief is a handout: anything that would need a third page is capped or summarised instead. */
const MAX_PAGES = 2;
const MAX_SECTOR_ROWS = 10;
const MAX_ORG_ROWS = 10;
const MAX_ORG_TYPE_ROWS = 10;
const MAX_CHART_YEARS = 30;

const BANNER_H = 22;

/** On every page, not just the first: a printed page 2 travels on its own. */
function syntheticBanner(ctx: Ctx): void {
  ctx.page.drawRectangle({
    x: MARGIN,
    y: ctx.y - BANNER_H,
    width: CONTENT_W,
    height: BANNER_H,
    color: BANNER,
  });
  drawText(
    ctx.page,
    'SYNTHETIC DATA — not real Innovate UK figures',
    PAGE_W / 2,
    ctx.y - BANNER_H + 7,
    { font: ctx.bold, size: 11, color: WHITE },
    'center',
  );
  ctx.y -= BANNER_H + 14;
}

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
  const dataset = `Dataset: ${r.dataset.label} (version ${r.dataset.version})${r.dataset.synthetic ? ' — synthetic' : ''}${r.dataset.sample ? ' — SAMPLE data, not the full dataset' : ''}`;
  // Wrapped, not cut: the version is what makes the figures citable.
  for (const line of wrapLimited(dataset, CONTENT_W, small, 3)) {
    drawText(ctx.page, line, MARGIN, ctx.y - 9, small);
    ctx.y -= 11;
  }
  ctx.y -= 11;
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
    tile.notes.slice(0, 2).forEach((note, j) => {
      // Shrink a little before cutting, so "32.0% of England's participants" stays whole.
      let noteSize = 7.5;
      while (noteSize > 6 && ctx.regular.widthOfTextAtSize(toWinAnsi(note), noteSize) > inner)
        noteSize -= 0.5;
      const noteStyle = { font: ctx.regular, size: noteSize, color: MUTED };
      drawText(ctx.page, fitText(note, inner, noteStyle), x + 11, top - 49 - j * 10, noteStyle);
    });
  });
  ctx.y = top - h - 12;
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

function byGrantDesc<T extends { grantPence: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => b.grantPence - a.grantPence);
}

const grantColumn = (width: number): Column<{ grantPence: number }> => ({
  header: 'Grant',
  width,
  align: 'right',
  cell: (r) => formatPounds(r.grantPence),
});

/** A row's share (0–1) of the area's grant, as a percentage beside a bar. */
const shareColumn = <T>(share: (row: T) => number): Column<T> => ({
  header: 'Share of area grant',
  width: 104,
  align: 'right',
  cell: (r) => formatShare(share(r)),
  bar: share,
});

/** "… n more <what>s in the API response.": what a capped table says of the rows it left out. */
const moreInApi = (total: number, what: string) => (shown: number) =>
  `… ${plural(total - shown, what)} in the API response.`;

function drawSectors(ctx: Ctx, r: AreaInvestmentReport): void {
  const sorted = byGrantDesc(r.topSectors);
  drawTable<(typeof sorted)[number]>(
    ctx,
    'Top sectors by grant',
    [
      RANK_COLUMN,
      { header: 'Sector', width: 'flex', align: 'left', cell: (s) => s.sector },
      { header: 'Projects', width: 62, align: 'right', cell: (s) => formatCount(s.projects) },
      grantColumn(96),
      shareColumn((s) => s.share),
    ],
    sorted,
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
  drawTable<(typeof sorted)[number]>(
    ctx,
    'Grant by organisation type',
    [
      { header: 'Organisation type', width: 'flex', align: 'left', cell: (o) => o.label },
      { header: 'Participants', width: 72, align: 'right', cell: (o) => formatCount(o.participants) },
      grantColumn(96),
      shareColumn((o) => ratio(o.grantPence, r.totals.grantPence)),
    ],
    sorted,
    {
      empty: 'No organisation types recorded.',
      maxRows: MAX_ORG_TYPE_ROWS,
      more: moreInApi(sorted.length, 'more organisation type'),
    },
  );
}

function drawTopOrganisations(ctx: Ctx, r: AreaInvestmentReport): void {
  // The organisation rows carry the type code; show the same label as the type table when known.
  const labels = new Map(r.byOrgType.map((o) => [o.orgType, o.label]));
  const sorted = byGrantDesc(r.topOrganisations);
  drawTable<(typeof sorted)[number]>(
    ctx,
    'Top organisations by grant',
    [
      RANK_COLUMN,
      { header: 'Organisation', width: 'flex', align: 'left', cell: (o) => o.name },
      { header: 'Type', width: 156, align: 'left', cell: (o) => labels.get(o.orgType) ?? o.orgType },
      { header: 'Projects', width: 52, align: 'right', cell: (o) => formatCount(o.projects) },
      grantColumn(84),
    ],
    sorted,
    {
      empty: 'No organisations recorded.',
      maxRows: MAX_ORG_ROWS,
      more: moreInApi(sorted.length, 'more organisation'),
    },
  );
}

const MAX_SMART_ROWS = 12;

function drawSmartSpecialisation(ctx: Ctx, r: AreaInvestmentReport): void {
  const s = r.smartSpecialisation;
  if (!s) return;
  drawTable(
    ctx,
    'Smart specialisation',
    [
      { header: 'Question', width: 92, align: 'left', cell: (x) => x.question },
      { header: 'Category', width: 'flex', align: 'left', cell: (x) => x.category },
      { header: 'Evidence', width: 250, align: 'left', cell: (x) => x.evidence },
    ],
    s.rows,
    {
      empty: 'No category passes the criteria.',
      maxRows: MAX_SMART_ROWS,
      note: s.criteria,
      more: (shown) => `… ${plural(s.total - shown, 'more item')} at ${s.href}`,
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

const PAGE_LABEL_GAP = 16;

interface Footer {
  style: TextStyle;
  lineHeight: number;
  /** Top to bottom; the last line leaves room on its right for "Page i of n". */
  lines: string[];
}

/**
 * The footer every page carries, laid out once: attribution, the reproduce URL and what the
 * figures come from, each wrapped in full (nothing cut off: a truncated URL reproduces nothing),
 * shrinking the type a little when the lines would take too much of the page.
 */
function layoutFooter(ctx: Ctx, r: AreaInvestmentReport): Footer {
  // The OGL asks for its attribution statement; other licences are listed in full under Sources.
  const ogl = r.sources.some((s) => /\bOGL\b|Open Government Licen[cs]e/i.test(s.licence));
  const others = r.sources.some((s) => !/\bOGL\b|Open Government Licen[cs]e/i.test(s.licence));
  const attribution = [ogl ? OGL_STATEMENT : '', others ? 'Other licences as listed under Sources.' : '']
    .filter(Boolean)
    .join(' ');
  const provenance = `Generated ${formatUtc(r.generatedAt)} from dataset ${r.dataset.version} · ${r.dataset.label}${r.dataset.synthetic ? ' (SYNTHETIC)' : ''}${r.dataset.sample ? ' (SAMPLE)' : ''}`;
  const pageLabelW = (size: number) => ctx.regular.widthOfTextAtSize(pageLabel(MAX_PAGES, MAX_PAGES), size);
  let footer: Footer | undefined;
  for (const size of [7, 6.5, 6, 5.5]) {
    const style = { font: ctx.regular, size, color: MUTED };
    const lines = [
      ...(attribution ? wrapText(attribution, CONTENT_W, style) : []),
      ...wrapText(`Reproduce: ${r.url}`, CONTENT_W, style),
    ];
    // The last line shares its row with the page number.
    const prov = wrapText(provenance, CONTENT_W, style);
    const last = prov.pop() ?? '';
    const tail = wrapText(last, CONTENT_W - pageLabelW(size) - PAGE_LABEL_GAP, style);
    footer = { style, lineHeight: size + 2, lines: [...lines, ...prov, ...tail] };
    if (footer.lines.length <= MAX_FOOTER_LINES) break;
  }
  return footer as Footer;
}

/** At most this many footer lines before the type shrinks (past the smallest size they just wrap). */
const MAX_FOOTER_LINES = 6;

const pageLabel = (i: number, n: number) => `Page ${i} of ${n}`;

/** Height of the footer block above the bottom margin, with the rule and the gap above it. */
const footerHeight = (f: Footer) => f.lineHeight * (f.lines.length - 1) + 22;

function drawFooters(ctx: Ctx, footer: Footer): void {
  const { style, lineHeight, lines } = footer;
  ctx.pages.forEach((page, i) => {
    // Top to bottom, so a text extractor (or a screen reader) reads the lines in order.
    const top = MARGIN + lineHeight * (lines.length - 1);
    page.drawLine({
      start: { x: MARGIN, y: top + 10 },
      end: { x: MARGIN + CONTENT_W, y: top + 10 },
      thickness: 0.6,
      color: RULE,
    });
    lines.forEach((line, j) => {
      drawText(page, line, MARGIN, top - j * lineHeight, style);
    });
    drawText(page, pageLabel(i + 1, ctx.pages.length), MARGIN + CONTENT_W, MARGIN, style, 'right');
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
    ...(r.dataset.sample ? ['SAMPLE'] : []),
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
    maxPages: MAX_PAGES,
    pageHead: r.dataset.synthetic ? syntheticBanner : () => {},
  };
  const footer = layoutFooter(ctx, r);
  ctx.bottom = MARGIN + footerHeight(footer);
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
  drawSmartSpecialisation(ctx, r);
  drawNotes(ctx, r);
  drawSources(ctx, r);
  drawFooters(ctx, footer);

  return await doc.save();
}
