import { ENGLAND_CODE } from '../../domain/geography.ts';
import type { ValueMethod } from '../../domain/lep-rebuild.ts';
import type { Polarity } from '../../domain/ranking.ts';

/** Shapes shared by the indicator source parsers (Nesta BEIS, DfE business counts, UKRI funding). */

/** Who the indicator is about (Smart Specialisation Hub framing). */
export type Actor = 'research_base' | 'business' | 'place';
/**
 * What it measures: money in (`funding`), people and skills (`talent`), results (`outputs`), or the
 * conditions and economic structure innovation happens in (`environment`).
 */
export type Dimension = 'funding' | 'talent' | 'outputs' | 'environment';
/** `total` grows with the size of the area (compare its rate variant); the others are size-free. */
export type Measure = 'total' | 'rate' | 'share' | 'average' | 'index';

/**
 * LEP geography vintage. `-2014` is Nesta's label for data before 2014, which it assigned to the
 * December 2014 boundaries (beis-indicators `leps_year_spec` / `load_leps_regions(abs(year))`).
 */
export type LepSpec = '-2014' | '2014' | '2017' | '2020';
export const LEP_SPECS: readonly LepSpec[] = ['-2014', '2014', '2017', '2020'];
/** Vintage a value's areaCode denotes: '2021' once mapped to the final geography. */
export type AreaVintage = '2014' | '2017' | '2020' | '2021';

/** The England code, for values a source gives for the whole country (one definition: domain/geography). */
export { ENGLAND_CODE };

export interface IndicatorSource {
  id: string;
  title: string;
  publisher: string;
  licence: string;
  url: string;
  provenance: string;
  /** Files under DATA_DIR the values were read from. */
  files: string[];
}

export interface IndicatorDef {
  /** Stable slug used in URLs. */
  id: string;
  title: string;
  description: string;
  unit: string;
  measure: Measure;
  polarity: Polarity;
  actor: Actor;
  dimension: Dimension;
  source: IndicatorSource;
  /** The source's own name for it (indicator id or column). */
  sourceIndicator: string;
  /** Years with at least one published value (suppressed cells count: the year exists). */
  years: number[];
  /** Geography vintages the values are on ('2021' = final LEPs; others = left on their vintage). */
  areaVintages: AreaVintage[];
  /** For a raw total: the id of the size-free rate it is also offered as; null when no valid denominator exists. */
  rateVariantId: string | null;
  /** For a derived rate: how it was computed from two source columns. */
  rateOf: { numeratorId: string; denominatorId: string | null; denominator: string; per: number } | null;
  experimental: boolean;
  caveats: string[];
}

export interface IndicatorValue {
  indicatorId: string;
  /** 2021 LEP code when the source area maps to one, else the source's own (vintage) code. */
  areaCode: string;
  areaVintage: AreaVintage;
  year: number;
  /** `null` when suppressed. Numbers exactly as published (or derived from published numbers). */
  value: number | null;
  suppressed: boolean;
  /** Marker as published ("c", "low", "x"), or the marker of the input a derived rate depends on. */
  suppressionMarker: string | null;
  sourceId: string;
  /** The area as the source identifies it: a vintage GSS code, or a LEP name (DfE). */
  sourceCode: string;
  /** The source's geography vintage ('2021' for DfE names, '-2014'…'2020' for Nesta). */
  sourceVintage: string;
  /** How the value was obtained; default `as-published`. */
  method?: ValueMethod;
  /** A published value moved onto a 2021 code, kept again on the vintage it was published on. */
  publishedCopy?: true;
  /** What it was computed from (NUTS3 codes, shares, weights); default: the source's own cell. */
  inputs?: ValueInputs;
  /** Bounds when a suppressed input makes the value uncertain (lower, upper, how). */
  bounds?: { lower: number; upper: number; note: string } | null;
}

/** The inputs of a served value, stored with it so it can be reproduced. */
export interface ValueInputs {
  /** The source file the numbers were read from. */
  file: string;
  /** Area codes as the source publishes them, with the share taken and the weight used. */
  areas: { code: string; value?: number; share?: number; weight?: number }[];
  /** Parts with no published value, left out (rates) or taken as 0 (institution counts: `zeros`). */
  missing?: string[];
  zeros?: string[];
  /** Population year used for the weights, when it differs from the value's year. */
  weightYear?: number;
  /** For a derived per-head value: how its numerator (the total) was obtained. */
  numeratorMethod?: ValueMethod;
}

/** A whole-England value given by the source itself (never summed by us from LEPs). */
export interface EnglandValue {
  indicatorId: string;
  areaCode: typeof ENGLAND_CODE;
  year: number;
  value: number | null;
  suppressed: boolean;
  suppressionMarker: string | null;
  sourceId: string;
  method?: ValueMethod;
}

export type LepMappingRule = 'same_code_and_name' | 'documented_rename' | 'unmapped';

/** How one (code, vintage) of a source was placed on the 2021 LEP geography. */
export interface LepMapping {
  fromCode: string;
  fromSpec: LepSpec;
  /** Name in that vintage (lep_labels_by_year_spec; 2014 labels for -2014), null if unlabelled. */
  fromName: string | null;
  toCode: string | null;
  toName: string | null;
  rule: LepMappingRule;
  reason: string;
  /**
   * True when the code is ALSO a live 2021 code with a different footprint (E37000058): unmapped
   * values carry the same code, so key them by (areaCode, areaVintage), never code alone.
   */
  codeReusedIn2021: boolean;
  /** Values (all sources) carried through this mapping. */
  values: number;
}

/** Suppression markers DfE/ONS publish in place of a number: suppressed, not zero. */
export const SUPPRESSION_MARKERS: readonly string[] = ['c', 'low', 'x'];

export type Cell = { ok: true; value: number | null; marker: string | null } | { ok: false; reason: string };

/**
 * Read one published number: a plain decimal (optionally signed, with exponent) is a value; a
 * suppression marker (case-insensitive) is `{ value: null, marker }`; anything else, including a
 * blank, is an error with the reason, so it is reported rather than read as 0.
 */
export function parseCell(text: string | undefined, markers: readonly string[] = SUPPRESSION_MARKERS): Cell {
  const t = (text ?? '').trim();
  if (t === '') return { ok: false, reason: 'blank value' };
  const lower = t.toLowerCase();
  if (markers.includes(lower)) return { ok: true, value: null, marker: lower };
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t))
    return { ok: false, reason: `not a number: "${t}"` };
  const value = Number(t);
  if (!Number.isFinite(value)) return { ok: false, reason: `not a finite number: "${t}"` };
  return { ok: true, value, marker: null };
}

/** A year as published: a four-digit integer, else null. */
export function parseYear(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  return /^\d{4}$/.test(t) ? Number(t) : null;
}
