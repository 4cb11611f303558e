import type { Db } from '../db/client.ts';
import { getPostcode } from '../db/queries.ts';
import { normalisePostcode } from '../domain/geography.ts';
import { ApiError } from '../http/problem.ts';

/** Where a postcode falls: the directory row with the names of its areas. */
export async function lookupPostcode(db: Db, raw: string) {
  const pc = normalisePostcode(raw);
  if (!pc) {
    throw new ApiError('bad_request', `"${raw}" is not a well-formed UK postcode.`, [
      {
        location: 'path.postcode',
        message: 'Expected a postcode such as "M1 1AE" (outward code, space optional, inward code).',
      },
    ]);
  }
  const row = await getPostcode(db, pc.key);
  if (!row)
    throw new ApiError(
      'not_found',
      `Postcode ${pc.display} is not in the postcode directory (live GB postcodes only).`,
    );
  return row;
}
