import {
  classOf,
  DIVERGING_COLOURS,
  divergingBreaks,
  NO_DATA_COLOUR,
  textColourOn,
} from '../domain/map-classes.ts';
import { escapeXml } from './format.ts';

/**
 * The LEP × category LQ matrix as a heatmap: one row per LEP, one column per category, each cell
 * coloured on the diverging scale around 1 (ColorBrewer PuOr, colour-blind safe: orange below 1,
 * purple above), its LQ written in it, hatched-grey when undefined, a dot when the cell is under the
 * small-number threshold. Every cell has a `<title>` with its value, LQ, rank and support.
 */

export interface HeatmapCell {
  row: number;
  col: number;
  lq: number | null;
  smallNumber: boolean;
  title: string;
}

export interface HeatmapInput {
  title: string;
  subtitle: string;
  rows: string[];
  cols: string[];
  cells: HeatmapCell[];
  footer: string[];
}

const CELL_W = 46;
const CELL_H = 18;
const ROW_LABEL_W = 230;
const COL_LABEL_H = 150;
const TOP = 56;

export function heatmapSvg(input: HeatmapInput): string {
  const breaks = divergingBreaks(input.cells.map((c) => c.lq));
  const gridX = ROW_LABEL_W;
  const gridY = TOP + COL_LABEL_H;
  const width = Math.max(gridX + input.cols.length * CELL_W + 20, 640);
  const legendY = gridY + input.rows.length * CELL_H + 16;
  const height = legendY + 40 + input.footer.length * 14 + 10;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="hm-title" font-family="Helvetica, Arial, sans-serif">`,
    `<title id="hm-title">${escapeXml(input.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="16" font-weight="bold">${escapeXml(input.title)}</text>`,
    `<text x="10" y="40" font-size="11" fill="#333333">${escapeXml(input.subtitle)}</text>`,
  );
  input.cols.forEach((c, j) => {
    const x = gridX + j * CELL_W + CELL_W / 2;
    out.push(
      `<text transform="translate(${x},${gridY - 6}) rotate(-60)" font-size="10">${escapeXml(c.length > 34 ? `${c.slice(0, 33)}…` : c)}</text>`,
    );
  });
  input.rows.forEach((r, i) => {
    out.push(
      `<text x="${gridX - 6}" y="${gridY + i * CELL_H + CELL_H / 2 + 4}" font-size="10" text-anchor="end">${escapeXml(r)}</text>`,
    );
  });
  for (const c of input.cells) {
    const k = classOf(c.lq, breaks);
    const fill = k === null ? NO_DATA_COLOUR : (DIVERGING_COLOURS[k] ?? NO_DATA_COLOUR);
    const x = gridX + c.col * CELL_W;
    const y = gridY + c.row * CELL_H;
    out.push(
      `<g><title>${escapeXml(c.title)}</title><rect x="${x}" y="${y}" width="${CELL_W - 1}" height="${CELL_H - 1}" fill="${fill}"/>`,
      `<text x="${x + CELL_W / 2}" y="${y + CELL_H / 2 + 3.5}" font-size="9" text-anchor="middle" fill="${textColourOn(fill)}">${c.lq === null ? '–' : c.lq.toFixed(2)}${c.smallNumber ? '*' : ''}</text></g>`,
    );
  }
  const labels = ['< 0.5', '0.5–0.8', '0.8–1.25', '1.25–2', '≥ 2'];
  out.push(`<text x="10" y="${legendY + 12}" font-size="11">Location quotient (England = 1):</text>`);
  DIVERGING_COLOURS.forEach((colour, i) => {
    const x = 200 + i * 80;
    out.push(
      `<rect x="${x}" y="${legendY}" width="16" height="16" fill="${colour}" stroke="#999999"/>`,
      `<text x="${x + 20}" y="${legendY + 12}" font-size="10">${escapeXml(labels[i] as string)}</text>`,
    );
  });
  out.push(
    `<rect x="${200 + 5 * 80}" y="${legendY}" width="16" height="16" fill="${NO_DATA_COLOUR}"/>`,
    `<text x="${200 + 5 * 80 + 20}" y="${legendY + 12}" font-size="10">no LQ · * small number</text>`,
  );
  input.footer.forEach((line, i) => {
    out.push(
      `<text x="10" y="${legendY + 36 + i * 14}" font-size="9" fill="#555555">${escapeXml(line)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
