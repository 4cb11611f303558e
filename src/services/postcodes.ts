import type { Db } from '../db/client.ts';
import { getPostcodeBody } from '../db/queries.ts';
import { normalisePostcode } from '../domain/geography.ts';
import { ApiError } from '../http/problem.ts';

/** Where a postcode falls: the answer's JSON text, as the pipeline built it. */
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
  const body = await getPostcodeBody(db, pc.key);
  if (body === undefined)
    throw new ApiError(
      'not_found',
      `Postcode ${pc.display} is not in the postcode directory (live GB postcodes only).`,
    );
  if (body === '')
    throw new ApiError(
      'unavailable',
      'This dataset was loaded before postcode answers were precomputed: reload it (npm run pipeline).',
    );
  return body;
}
