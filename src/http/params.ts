import { z } from '@hono/zod-openapi';
import { GSS_CODE } from '../domain/geography.ts';

/**
 * Parameter schemas every route shares, so one rule holds everywhere: integers are canonical
 * decimal digits, area codes are accepted in any case, lists are comma-separated and bounded.
 * The router (router.ts) adds what no schema can: unknown or repeated names, control characters.
 */

/** Digits only, no leading zeros: rejects 0x10, 1e1, +5, 007, 1.0 and " 5", which Number() accepts. */
const DIGITS = /^(0|[1-9][0-9]*)$/;
const SIGNED_DIGITS = /^(0|-?[1-9][0-9]*)$/;

export interface IntQueryOptions {
  min: number;
  max: number;
  description: string;
  example: number;
  /** Allow a leading minus (only where a negative value means something). */
  negative?: boolean;
}

/**
 * A strict integer query parameter: the text must be the number's canonical decimal form, then
 * it is range-checked. Documented as `type: integer`. Add `.optional()` or `.default(n)`.
 */
export function intQuery(opts: IntQueryOptions) {
  const negative = opts.negative ?? false;
  return z
    .string()
    .regex(
      negative ? SIGNED_DIGITS : DIGITS,
      `Expected a whole number in plain decimal digits${negative ? ' (a leading minus allowed)' : ''}, e.g. ${opts.example}`,
    )
    .transform(Number)
    .pipe(z.number().int().min(opts.min).max(opts.max))
    .openapi({
      type: 'integer',
      minimum: opts.min,
      maximum: opts.max,
      description: opts.description,
      example: opts.example,
    });
}

/** A year parameter (1990–2100 unless narrowed). */
export const yearQuery = (description: string, min = 1990, max = 2100) =>
  intQuery({ min, max, description, example: 2020 });

/** "true" or "false", nothing else. */
export const boolQuery = (description: string) =>
  z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .openapi({ description, example: 'true' });

/** The documented pattern: any case, since the value is upper-cased before it is checked. */
const GSS_PATTERN_ANY_CASE = '^[EKNSWeknsw][0-9]{8}$';

const gssCode = (message: string) => z.string().max(9, message).toUpperCase().regex(GSS_CODE, message);

/** A GSS area code in any case (`e37000015` = `E37000015`), normalised to upper case. */
export const AreaCode = gssCode('Expected a GSS code such as E37000015').openapi({
  description: 'GSS code of the area, in any case.',
  example: 'E37000015',
  pattern: GSS_PATTERN_ANY_CASE,
});

/** A LEP code in any case, normalised to upper case. */
export const LepCode = gssCode('Expected a LEP code such as E37000015').openapi({
  description: 'LEP GSS code (E37…), in any case.',
  example: 'E37000015',
  pattern: GSS_PATTERN_ANY_CASE,
});

/** "a,b,,a" → ["a","b"]: trimmed, empty items dropped, de-duplicated, order kept. */
export const splitList = (s: string | undefined) => [
  ...new Set(
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

/**
 * A comma-separated list of area codes (any case, normalised to upper case, de-duplicated), with
 * a count between `min` and `max`. Every malformed code is named in one issue.
 */
export function areaCodeListQuery(opts: { min: number; max: number; description: string; example: string }) {
  const maxLength = 10 * opts.max + 20;
  return z
    .string()
    .max(maxLength)
    .transform((text, ctx) => {
      const codes = splitList(text).map((c) => c.toUpperCase());
      const malformed = codes.filter((c) => !GSS_CODE.test(c));
      if (malformed.length)
        ctx.addIssue({ code: 'custom', message: `Not GSS codes: ${malformed.join(', ')}`, input: text });
      if (codes.length < opts.min || codes.length > opts.max)
        ctx.addIssue({
          code: 'custom',
          message:
            opts.min === opts.max
              ? `Give ${opts.min} distinct codes (got ${codes.length})`
              : `Give ${opts.min} to ${opts.max} distinct codes (got ${codes.length})`,
          input: text,
        });
      return codes;
    })
    .openapi({ type: 'string', maxLength, description: opts.description, example: opts.example });
}

/** An indicator id, as in /v1/indicators. */
export const INDICATOR_ID = /^[a-z0-9][a-z0-9-]{1,80}$/;

/** A comma-separated list of indicator ids; malformed ids are a 400, unknown ones are checked later. */
export function indicatorListQuery(description: string) {
  return z
    .string()
    .max(2000)
    .transform((text, ctx) => {
      const ids = splitList(text);
      const malformed = ids.filter((id) => !INDICATOR_ID.test(id));
      if (malformed.length)
        ctx.addIssue({
          code: 'custom',
          message: `Not indicator ids: ${malformed.map((m) => JSON.stringify(m)).join(', ')}`,
          input: text,
        });
      return ids;
    })
    .openapi({
      type: 'string',
      maxLength: 2000,
      description,
      example: 'enterprise-birth-rate,stem-employment-density',
    });
}
