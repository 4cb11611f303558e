/**
 * Rebuilding an area's value from the smaller areas it is made of (a 2021 LEP from NUTS3/ITL3
 * areas). Pure. Sums add the parts (a part cut by the boundary contributes its share); rates and
 * means are weighted by the population living in each part. The result lists every input so a
 * user can reproduce it.
 */

/**
 * How a served value was obtained. `derived`: computed by the observatory from other served values
 * (a share or rate from the same source row; a per-head value from the total and the population).
 */
export const VALUE_METHODS = [
  'as-published',
  'nuts3-sum',
  'nuts3-weighted',
  'apportioned',
  'derived',
] as const;
export type ValueMethod = (typeof VALUE_METHODS)[number];

export type Aggregation = 'sum' | 'weighted';

export interface RebuildPart {
  code: string;
  /** Share of the part inside the target area (1 = wholly inside). */
  share: number;
}

export interface RebuildInput {
  /** Source area code (as published). */
  code: string;
  value: number;
  /** Share of the area taken (1 = whole). */
  share: number;
  /** Population weight of the whole area (weighted means only). */
  weight?: number;
}

export interface Rebuilt {
  value: number;
  method: Exclude<ValueMethod, 'as-published' | 'derived'>;
  inputs: RebuildInput[];
  /** Parts with no published value (left out of the sum or the mean). */
  missing: string[];
  /** Parts with no published value taken as 0 (institution-located counts: no row = no institution). */
  zeros: string[];
}

/**
 * Rebuild one value. `values` maps part code → value (and `label` → the code to cite); `weights`
 * maps part code → population (weighted only). Returns null when no part has a value.
 */
export function rebuild(
  parts: readonly RebuildPart[],
  values: ReadonlyMap<string, { value: number; label: string }>,
  opts: { aggregation: Aggregation; absentIsZero: boolean; weights?: ReadonlyMap<string, number> },
): Rebuilt | null {
  const inputs: RebuildInput[] = [];
  const missing: string[] = [];
  const zeros: string[] = [];
  for (const p of parts) {
    const v = values.get(p.code);
    if (v) {
      const w = opts.weights?.get(p.code);
      if (opts.aggregation === 'weighted' && (w === undefined || !(w > 0))) {
        missing.push(p.code);
        continue;
      }
      inputs.push({
        code: v.label,
        value: v.value,
        share: p.share,
        ...(w !== undefined ? { weight: w } : {}),
      });
    } else if (opts.absentIsZero && opts.aggregation === 'sum') {
      zeros.push(p.code);
    } else {
      missing.push(p.code);
    }
  }
  if (inputs.length === 0 && zeros.length === 0) return null;
  // A cut part with no row adds 0 whatever its share, so only cut parts with a value make it apportioned.
  const cut = inputs.some((i) => i.share < 1);
  let value: number;
  if (opts.aggregation === 'sum') {
    value = inputs.reduce((s, i) => s + i.value * i.share, 0);
  } else {
    if (inputs.length === 0) return null;
    const wsum = inputs.reduce((s, i) => s + (i.weight as number) * i.share, 0);
    value = inputs.reduce((s, i) => s + i.value * (i.weight as number) * i.share, 0) / wsum;
  }
  return {
    value,
    method: cut ? 'apportioned' : opts.aggregation === 'sum' ? 'nuts3-sum' : 'nuts3-weighted',
    inputs,
    missing,
    zeros,
  };
}

/** Relative difference |a − b| / |b| (0 when both are 0). */
export const relativeDifference = (a: number, b: number): number =>
  a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
