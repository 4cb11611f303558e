import type { AreaGeometry } from '../domain/geometry.ts';
import { polygonsOf } from '../domain/geometry.ts';
import { textColourOn } from '../domain/map-classes.ts';
import { escapeXml } from './format.ts';

/**
 * Server-rendered choropleths: one self-contained SVG (no script, no external reference) with a
 * title, the map (boundaries or hexes), a legend, the source and the dataset version, and a
 * `<title>` on every area so screen readers and hover tooltips name it and its value. Embeds as an
 * `<img>`, or inline in the embed pages (then areas can be made focusable).
 */

export interface SvgMapArea {
  code: string;
  name: string;
  fill: string;
  /** Accessible text for the area, e.g. "Greater Manchester: 12.3 (rank 5 of 38)". */
  title: string;
  /** Short label drawn on a hex. */
  label?: string;
  geometry?: AreaGeometry;
  hex?: { q: number; r: number };
}

export interface SvgMapInput {
  title: string;
  subtitle?: string;
  legend: { title: string; items: { colour: string; label: string }[] };
  /** Footer lines: the source and licence, then the dataset version. */
  footer: string[];
  shape: 'boundaries' | 'hex';
  areas: SvgMapArea[];
  width?: number;
  /** Inline use: areas get tabindex and data-code so a page can make them keyboard-reachable. */
  focusable?: boolean;
  /** id prefix, so two maps on one page keep unique ids. */
  idPrefix?: string;
  /** Only the areas (the embed page writes the title, legend and footer as HTML, which reflows). */
  bare?: boolean;
}

const FONT = 'font-family="system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif"';
const r1 = (v: number) => Math.round(v * 10) / 10;

/** Wrap text to lines of at most `max` characters (for titles at narrow widths). */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

interface Placed {
  area: SvgMapArea;
  d: string;
  centre?: [number, number];
}

/** Equirectangular with cos(mid-latitude): good enough for England-sized maps. */
function placeBoundaries(areas: SvgMapArea[], width: number): { placed: Placed[]; height: number } {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const a of areas) {
    for (const poly of a.geometry ? polygonsOf(a.geometry) : []) {
      for (const [x, y] of poly[0] ?? []) {
        w = Math.min(w, x);
        s = Math.min(s, y);
        e = Math.max(e, x);
        n = Math.max(n, y);
      }
    }
  }
  if (!Number.isFinite(w)) return { placed: [], height: 0 };
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = width / Math.max((e - w) * k, 1e-9);
  const height = Math.min((n - s) * scale, width * 1.6);
  const fit = Math.min(scale, height / Math.max(n - s, 1e-9));
  const px = (x: number, y: number): [number, number] => [r1((x - w) * k * fit), r1((n - y) * fit)];
  const placed = areas.map((area) => {
    let d = '';
    for (const poly of area.geometry ? polygonsOf(area.geometry) : []) {
      for (const ring of poly) {
        let last: [number, number] | undefined;
        const pts: [number, number][] = [];
        for (const [x, y] of ring) {
          const p = px(x, y);
          // Drop vertices closer than half a pixel to the last kept one: invisible, and bytes.
          if (last && Math.abs(p[0] - last[0]) < 0.5 && Math.abs(p[1] - last[1]) < 0.5) continue;
          pts.push(p);
          last = p;
        }
        if (pts.length < 3) continue;
        d += `M${pts.map((p) => `${p[0]} ${p[1]}`).join('L')}Z`;
      }
    }
    return { area, d };
  });
  return { placed, height: r1(height) };
}

const ROW = Math.sqrt(3) / 2;

function placeHexes(
  areas: SvgMapArea[],
  width: number,
): { placed: Placed[]; height: number; hexWidth: number } {
  const cells = areas.flatMap((a) => (a.hex ? [a.hex] : []));
  if (cells.length === 0) return { placed: [], height: 0, hexWidth: 0 };
  const xOf = (c: { q: number; r: number }) => c.q + (Math.abs(c.r) % 2 === 1 ? 0.5 : 0);
  const minX = Math.min(...cells.map(xOf)) - 0.5;
  const maxX = Math.max(...cells.map(xOf)) + 0.5;
  const minR = Math.min(...cells.map((c) => c.r));
  const maxR = Math.max(...cells.map((c) => c.r));
  const R = 1 / Math.sqrt(3);
  const spanY = (maxR - minR) * ROW + 2 * R;
  const hw = Math.min(width / (maxX - minX), (width * 1.6) / spanY);
  const height = spanY * hw;
  const placed = areas.map((area) => {
    if (!area.hex) return { area, d: '' };
    const cx = (xOf(area.hex) - minX) * hw;
    const cy = ((maxR - area.hex.r) * ROW + R) * hw;
    const rr = R * hw;
    const half = hw / 2;
    const pts: [number, number][] = [
      [cx, cy - rr],
      [cx + half, cy - rr / 2],
      [cx + half, cy + rr / 2],
      [cx, cy + rr],
      [cx - half, cy + rr / 2],
      [cx - half, cy - rr / 2],
    ];
    return {
      area,
      d: `M${pts.map((p) => `${r1(p[0])} ${r1(p[1])}`).join('L')}Z`,
      centre: [r1(cx), r1(cy)] as [number, number],
    };
  });
  return { placed, height: r1(height), hexWidth: hw };
}

/** The areas as SVG groups (path + <title>, and a label on hexes), and the drawing's height. */
function drawAreas(input: SvgMapInput, width: number): { shapes: string[]; height: number } {
  const isHex = input.shape === 'hex';
  const layout: { placed: Placed[]; height: number; hexWidth?: number } = isHex
    ? placeHexes(input.areas, width)
    : placeBoundaries(input.areas, width);
  const hexWidth = layout.hexWidth ?? 0;
  const labelSize = Math.min(14, Math.max(0, hexWidth * 0.28));
  const shapes = layout.placed
    .filter((p) => p.d)
    .map((p) => {
      const attrs = input.focusable
        ? ` tabindex="0" data-code="${escapeXml(p.area.code)}" role="img" aria-label="${escapeXml(p.area.title)}"`
        : '';
      const label =
        isHex && p.area.label && p.centre && labelSize >= 8
          ? `<text x="${p.centre[0]}" y="${r1(p.centre[1] + labelSize * 0.35)}" font-size="${r1(labelSize)}" text-anchor="middle" fill="${textColourOn(p.area.fill)}" pointer-events="none" aria-hidden="true">${escapeXml(p.area.label)}</text>`
          : '';
      return `<g class="area"${attrs}><path d="${p.d}" fill="${p.area.fill}" stroke="#ffffff" stroke-width="${isHex ? 1.5 : 0.6}" stroke-linejoin="round"><title>${escapeXml(p.area.title)}</title></path>${label}</g>`;
    });
  return { shapes, height: layout.height };
}

function renderBare(input: SvgMapInput): string {
  const W = input.width ?? 600;
  const id = input.idPrefix ?? 'map';
  const { shapes, height } = drawAreas(input, W);
  const H = Math.ceil(height + 2);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 ${W + 2} ${H}" role="group" aria-labelledby="${id}-title" ${FONT}>`,
    `<title id="${id}-title">${escapeXml(input.title)}</title>`,
    ...shapes,
    '</svg>',
  ].join('\n');
}

export function renderSvgMap(input: SvgMapInput): string {
  if (input.bare) return renderBare(input);
  const W = input.width ?? 640;
  const pad = 12;
  const inner = W - 2 * pad;
  const id = input.idPrefix ?? 'map';
  const titleLines = wrap(input.title, Math.max(20, Math.floor(W / 10.5)));
  const subLines = input.subtitle ? wrap(input.subtitle, Math.floor(W / 7.5)) : [];
  let y = pad;
  const head: string[] = [];
  titleLines.forEach((line) => {
    y += 22;
    head.push(
      `<text x="${pad}" y="${y}" font-size="18" font-weight="700" fill="#1a1a1a" aria-hidden="true">${escapeXml(line)}</text>`,
    );
  });
  for (const line of subLines) {
    y += 18;
    head.push(`<text x="${pad}" y="${y}" font-size="13" fill="#404040">${escapeXml(line)}</text>`);
  }
  y += 12;
  const mapTop = y;
  const { shapes, height } = drawAreas(input, inner);
  y = mapTop + height + 16;

  const legend: string[] = [];
  legend.push(
    `<text x="${pad}" y="${y}" font-size="13" font-weight="700" fill="#1a1a1a">${escapeXml(input.legend.title)}</text>`,
  );
  y += 8;
  const colWidth = W >= 480 ? inner / 2 : inner;
  const perCol = colWidth === inner ? input.legend.items.length : Math.ceil(input.legend.items.length / 2);
  input.legend.items.forEach((item, i) => {
    const col = Math.floor(i / perCol);
    const row = i % perCol;
    const ly = y + row * 20;
    const lx = pad + col * colWidth;
    legend.push(
      `<rect x="${lx}" y="${ly}" width="18" height="14" fill="${item.colour}" stroke="#595959" stroke-width="0.5"/><text x="${lx + 24}" y="${ly + 11.5}" font-size="12" fill="#1a1a1a">${escapeXml(item.label)}</text>`,
    );
  });
  y += perCol * 20 + 10;

  const foot: string[] = [];
  for (const line of input.footer) {
    for (const part of wrap(line, Math.floor(W / 6.2))) {
      y += 14;
      foot.push(`<text x="${pad}" y="${y}" font-size="11" fill="#4d4d4d">${escapeXml(part)}</text>`);
    }
  }
  const H = Math.ceil(y + pad);
  const desc = `${input.title}. ${input.legend.title}: ${input.legend.items.map((i) => i.label).join('; ')}. ${input.footer.join(' ')}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title ${id}-desc" ${FONT}>`,
    `<title id="${id}-title">${escapeXml(input.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    ...head,
    `<g transform="translate(${pad} ${mapTop})">${shapes.join('')}</g>`,
    ...legend,
    ...foot,
    '</svg>',
  ].join('\n');
}
