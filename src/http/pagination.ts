import { z } from '@hono/zod-openapi';
import { intQuery } from './params.ts';

/**
 * The one cursor codec and page envelope. Every paginated route declares what its cursor holds
 * (a keyset position: the last sort key seen) as a zod schema; the codec writes it as base64url
 * JSON and, reading it back, checks every value's type and range, so a forged or corrupted cursor
 * is a 400 naming `query.cursor` and never reaches `JSON.parse` errors or the database.
 */

/** Hard ceiling on any page; a larger `limit` is a 400, never a silent truncation. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;
const MAX_CURSOR_LENGTH = 512;

/** Keys cursors are made of. Ids and amounts come from Postgres integers: never fractions or beyond 2^53. */
export const cursorKey = {
  /** A database row id: a positive safe integer. */
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  /**
   * An amount in pence as the sort index stores it: a safe integer. Negative values are real
   * (a release can publish a negative adjustment) and -1 also stands for "no amount".
   */
  pence: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  /** A text key such as an area code or indicator id: printable (a decoded NUL would reach SQL). */
  text: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^\p{Cc}]*$/u),
};

const INVALID = 'The cursor is not one this API issued for this query. Start again without a cursor.';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

function fromBase64Url(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) return undefined;
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

export interface CursorCodec<T> {
  encode(position: T): string;
  /** The position, or undefined when the text is not a cursor this codec wrote. Never throws. */
  decode(cursor: string): T | undefined;
}

/**
 * A codec for keyset positions of the shape `schema` (usually a tuple of cursorKey values).
 * `example` is the documented `cursor` example: give one that decodes under `schema` (the default
 * is a text-key position, `["E37000015"]`).
 */
export function cursorCodec<S extends z.ZodType>(schema: S, opts: { example?: string } = {}) {
  type T = z.output<S>;
  const decode = (cursor: string): T | undefined => {
    const json = fromBase64Url(cursor);
    if (json === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return undefined;
    }
    const parsed = schema.safeParse(value);
    return parsed.success ? (parsed.data as T) : undefined;
  };
  return {
    encode: (position: T): string => toBase64Url(JSON.stringify(position)),
    decode,
    /** The `cursor` query parameter: decoded and validated, or a 400 naming query.cursor. */
    query: () =>
      z
        .string()
        .max(MAX_CURSOR_LENGTH)
        .transform((text, ctx) => {
          const position = decode(text);
          if (position === undefined) {
            ctx.addIssue({ code: 'custom', message: INVALID, input: text });
            return z.NEVER;
          }
          return position;
        })
        .optional()
        .openapi({
          type: 'string',
          maxLength: MAX_CURSOR_LENGTH,
          description: 'Opaque cursor from `page.nextCursor` of the previous page.',
          example: opts.example ?? 'WyJFMzcwMDAwMTUiXQ',
        }),
  };
}

/** Cursor of lists ordered by one text key (area codes, indicator ids). */
export const textKeyCursor = cursorCodec(z.tuple([cursorKey.text]));

/** `limit` and `cursor` for a route whose cursor is written by `codec`. */
export function pageQuery<C extends { query: () => z.ZodType }>(codec: C) {
  return {
    limit: intQuery({
      min: 1,
      max: MAX_PAGE_SIZE,
      description: `Page size, 1–${MAX_PAGE_SIZE}.`,
      example: DEFAULT_PAGE_SIZE,
    })
      .default(DEFAULT_PAGE_SIZE)
      .openapi({ default: DEFAULT_PAGE_SIZE }),
    cursor: codec.query() as ReturnType<C['query']>,
  };
}

export const PageSchema = z
  .object({
    limit: z.number().int().openapi({ description: 'Page size used.', example: 100 }),
    total: z.number().int().openapi({ description: 'How many items match in all pages.', example: 38 }),
    nextCursor: z.string().nullable().openapi({
      description: 'Pass as `cursor` for the next page; null on the last page.',
      example: null,
    }),
  })
  .openapi('Page');

export type Page = z.infer<typeof PageSchema>;

/** Build the page envelope from `limit + 1` fetched rows; the cursor is the last row's position. */
export function paginate<R, T>(
  rows: R[],
  limit: number,
  total: number,
  codec: CursorCodec<T>,
  positionOf: (row: R) => T,
): { data: R[]; page: Page } {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return {
    data,
    page: { limit, total, nextCursor: hasMore && last !== undefined ? codec.encode(positionOf(last)) : null },
  };
}
