/**
 * A share of a whole when some parts of the whole are suppressed (a disclosure-control marker in
 * place of a number). Pure. The whole is the sum of its parts (a partition, e.g. employment in the
 * nine broad industry groups), so a suppressed part moves the denominator and, when it is the part
 * asked for, the numerator. Each suppressed part lies between 0 and a stated ceiling; the share's
 * bounds are taken at those extremes and its value at their midpoint.
 */

export interface SharePart {
  key: string;
  /** Published value; `null` when suppressed. */
  value: number | null;
  /** For a suppressed part: the largest value it is taken to have (`null` = no ceiling known). */
  ceiling: number | null;
}

export interface BoundedShare {
  /** Midpoint of the bounds, or `null` when the part asked for is itself suppressed. */
  value: number | null;
  lower: number;
  upper: number;
  /** The suppressed parts with the ceilings used. */
  suppressed: { key: string; ceiling: number }[];
}

/**
 * `per` × part `numeratorKey` ÷ sum of `parts`, with every suppressed part at 0 and at its ceiling:
 * - the part asked for is published (n): upper = n ÷ (published sum), lower = n ÷ (published sum +
 *   every ceiling); value = midpoint;
 * - the part asked for is suppressed: lower = 0 (it is at 0), upper = its ceiling ÷ (published sum +
 *   its ceiling), the other suppressed parts at 0; value = null (the part is unknown; its bounds say
 *   how far it can go).
 * `null` when no part is suppressed (use the plain share), when a suppressed part has no ceiling,
 * or when the published sum is 0.
 */
export function boundedShare(
  numeratorKey: string,
  parts: readonly SharePart[],
  per: number,
): BoundedShare | null {
  const num = parts.find((p) => p.key === numeratorKey);
  if (!num) throw new Error(`${numeratorKey} is not one of the parts`);
  const hidden = parts.filter((p) => p.value === null);
  if (hidden.length === 0) return null;
  if (hidden.some((p) => p.ceiling === null || !(p.ceiling >= 0))) return null;
  const known = parts.reduce((s, p) => s + (p.value ?? 0), 0);
  const suppressed = hidden.map((p) => ({ key: p.key, ceiling: p.ceiling as number }));
  if (num.value === null) {
    const c = num.ceiling as number;
    if (known + c === 0) return null;
    return { value: null, lower: 0, upper: (c / (known + c)) * per, suppressed };
  }
  if (known === 0) return null;
  const allCeilings = suppressed.reduce((s, p) => s + p.ceiling, 0);
  const upper = (num.value / known) * per;
  const lower = (num.value / (known + allCeilings)) * per;
  return { value: (lower + upper) / 2, lower, upper, suppressed };
}
