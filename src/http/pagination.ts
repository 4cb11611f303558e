import { z } from '@hono/zod-openapi';
import { ApiError } from './problem.ts';

/** Hard ceiling on any page; a larger `limit` is a 400, never a silent truncation. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;

export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `Page size, 1–${MAX_PAGE_SIZE}.`, example: 100 }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: 'Opaque cursor from `page.nextCursor` of the previous page.' }),
};

export const PageSchema = z
  .object({
    limit: z.number().int().openapi({ description: 'Page size used.', example: 100 }),
    total: z.number().int().openapi({ description: 'How many items match in all pages.', example: 38 }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('Page');

export type Page = z.infer<typeof PageSchema>;

/** Cursors are keyset positions (the last sort key seen), base64url-encoded JSON. */
export function encodeCursor(after: string): string {
  return btoa(JSON.stringify({ a: after }))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const b64 = cursor.replaceAll('-', '+').replaceAll('_', '/');
    const parsed: unknown = JSON.parse(atob(b64));
    const result = z
      .object({ a: z.string().min(1).max(256) })
      .strict()
      .safeParse(parsed);
    if (result.success) return result.data.a;
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError('bad_request', 'The cursor is not one this API issued. Start again without a cursor.', [
    { location: 'query.cursor', message: 'Invalid cursor' },
  ]);
}

/** Build the page envelope from `limit + 1` fetched rows. */
export function paginate<T>(
  rows: T[],
  limit: number,
  total: number,
  keyOf: (row: T) => string,
): { data: T[]; page: Page } {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return { data, page: { limit, total, nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null } };
}
