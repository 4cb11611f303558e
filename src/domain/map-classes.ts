import { jenks } from 'simple-statistics';

/**
 * Classes and colours for choropleth maps (METHODS.md "Maps"). Every map states its method, its
 * breaks and its colours, so a reader can check which class a value falls in:
 *
 * - `quantile`: breaks at the type-7 quantiles i/k (linear interpolation between order statistics,
 *   R's and numpy's default), so classes hold about equal numbers of areas;
 * - `jenks`: Jenks natural breaks (Fisher's exact optimisation, via simple-statistics): the
 *   partition of the sorted values into k groups with the least total within-group squared deviation;
 * - `diverging`: fixed breaks around 1 for location quotients — 0.5, 0.8, 1.25, 2 (symmetric in
 *   log scale: half, four-fifths, and their reciprocals), so "about average" (0.8–1.25) is neutral.
 *
 * Class i holds values v with breaks[i] ≤ v < breaks[i + 1]; the last class also holds its upper
 * break. Sequential colours are viridis (colour-blind safe, perceptually even) from light (low) to
 * dark (high); diverging colours are ColorBrewer PuOr (colour-blind safe), orange below 1, purple above.
 */

export const CLASS_METHODS = ['quantile', 'jenks'] as const;
export type ClassMethod = (typeof CLASS_METHODS)[number] | 'diverging';

export const DEFAULT_CLASSES = 5;
export const MIN_CLASSES = 2;
export const MAX_CLASSES = 7;

/** Fill for an area without a value (suppressed, not published, or not in the cohort). */
export const NO_DATA_COLOUR = '#d9d9d9';

export interface MapClasses {
  method: ClassMethod;
  /** k + 1 boundaries, lowest first: class i is [breaks[i], breaks[i + 1]). Empty when no values. */
  breaks: number[];
  /** One colour per class, lowest class first. */
  colours: string[];
  scale: 'sequential' | 'diverging';
}

const sortedFinite = (values: readonly (number | null)[]) =>
  values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);

/** Type-7 quantile of sorted values: h = (n − 1)p, interpolate between the order statistics around h. */
export function quantile7(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/**
 * Breaks are each class's lower limit followed by the maximum. A repeated lower limit is an empty
 * class (many equal values) and is dropped; the maximum stays even when it equals the last lower
 * limit, which is then a class holding only the maximum (as Jenks may give an outlier).
 */
function distinct(breaks: number[]): number[] {
  const lower = breaks.slice(0, -1).filter((b, i, all) => i === 0 || b !== all[i - 1]);
  return [...lower, breaks.at(-1) as number];
}

export function quantileBreaks(values: readonly (number | null)[], k: number): number[] {
  const s = sortedFinite(values);
  if (s.length === 0) return [];
  const breaks = [s[0] as number];
  for (let i = 1; i < k; i++) breaks.push(quantile7(s, i / k));
  breaks.push(s.at(-1) as number);
  return distinct(breaks);
}

export function jenksBreaks(values: readonly (number | null)[], k: number): number[] {
  const s = sortedFinite(values);
  if (s.length === 0) return [];
  const unique = new Set(s).size;
  const classes = Math.min(k, unique);
  if (classes < 2) return [s[0] as number, s.at(-1) as number];
  // simple-statistics returns each class's lower limit, then the maximum.
  return distinct(jenks(s, classes) ?? [s[0] as number, s.at(-1) as number]);
}

export const DIVERGING_BREAKS = [0.5, 0.8, 1.25, 2] as const;

/** Fixed breaks around 1, widened at the ends to the data so every value has a class. */
export function divergingBreaks(values: readonly (number | null)[]): number[] {
  const s = sortedFinite(values);
  if (s.length === 0) return [];
  const lo = Math.min(s[0] as number, 0);
  const hi = Math.max(s.at(-1) as number, DIVERGING_BREAKS.at(-1) as number);
  return [lo, ...DIVERGING_BREAKS, hi];
}

/** The class of `value` (0 = lowest), or null when it has none (no value, or no breaks). */
export function classOf(value: number | null, breaks: readonly number[]): number | null {
  if (value === null || !Number.isFinite(value) || breaks.length < 2) return null;
  const k = breaks.length - 1;
  if (value < (breaks[0] as number) || value > (breaks[k] as number)) return null;
  for (let i = k - 1; i >= 0; i--) if (value >= (breaks[i] as number)) return i;
  return 0;
}

/** viridis (matplotlib) at t = 0, 1/8, …, 1: dark purple → yellow. */
const VIRIDIS = [
  '#440154',
  '#472d7b',
  '#3b528b',
  '#2c728e',
  '#21918c',
  '#28ae80',
  '#5ec962',
  '#addc30',
  '#fde725',
] as const;

/** ColorBrewer PuOr, 5 classes: orange (below 1) → white → purple (above 1). */
export const DIVERGING_COLOURS = ['#e66101', '#fdb863', '#f7f7f7', '#b2abd2', '#5e3c99'] as const;

const hex2 = (n: number) => Math.round(n).toString(16).padStart(2, '0');
const rgb = (hex: string): [number, number, number] => [
  Number.parseInt(hex.slice(1, 3), 16),
  Number.parseInt(hex.slice(3, 5), 16),
  Number.parseInt(hex.slice(5, 7), 16),
];

/** viridis at t ∈ [0, 1], linearly interpolated between the nine anchors. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  const a = rgb(VIRIDIS[i] as string);
  const b = rgb(VIRIDIS[i + 1] as string);
  return `#${hex2(a[0] + f * (b[0] - a[0]))}${hex2(a[1] + f * (b[1] - a[1]))}${hex2(a[2] + f * (b[2] - a[2]))}`;
}

/** k sequential colours, light (lowest class) to dark (highest): viridis from t = 1 down to t = 0. */
export function sequentialColours(k: number): string[] {
  if (k <= 1) return [viridis(0.5)];
  return Array.from({ length: k }, (_, i) => viridis(1 - i / (k - 1)));
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = rgb(hex);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export const contrastRatio = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** Black or white, whichever reads better on `fill` (labels on hexes). */
export const textColourOn = (fill: string) =>
  contrastRatio(fill, '#000000') >= contrastRatio(fill, '#ffffff') ? '#000000' : '#ffffff';

/** Breaks and colours for a set of values under one method. */
export function mapClasses(
  values: readonly (number | null)[],
  method: ClassMethod,
  k: number = DEFAULT_CLASSES,
): MapClasses {
  if (method === 'diverging') {
    const breaks = divergingBreaks(values);
    return { method, breaks, colours: breaks.length ? [...DIVERGING_COLOURS] : [], scale: 'diverging' };
  }
  const breaks = method === 'jenks' ? jenksBreaks(values, k) : quantileBreaks(values, k);
  return {
    method,
    breaks,
    colours: breaks.length >= 2 ? sequentialColours(breaks.length - 1) : [],
    scale: 'sequential',
  };
}

/** The fill for a value: its class's colour, or the no-data grey. */
export function fillOf(value: number | null, classes: MapClasses): { cls: number | null; fill: string } {
  const cls = classOf(value, classes.breaks);
  return { cls, fill: cls === null ? NO_DATA_COLOUR : (classes.colours[cls] ?? NO_DATA_COLOUR) };
}
