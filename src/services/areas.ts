import type { Db } from '../db/client.ts';
import { type AreaRow, getAreaParents, getAreasByCode, listAreas, listChildren } from '../db/queries.ts';
import { type AreaType, byTypePreference, CHILD_TYPES } from '../domain/geography.ts';
import { ApiError } from '../http/problem.ts';

/** Geography: lists of areas, one area with its parents, an area's children. */

/** The area with this code (of `type` when given, else the preferred type) and the others sharing it. */
export async function resolveArea(db: Db, code: string, type: AreaType | undefined) {
  const found = await getAreasByCode(db, code);
  if (found.length === 0) throw new ApiError('not_found', `No area has code ${code}.`);
  if (type) {
    const match = found.find((a) => a.type === type);
    if (!match) {
      throw new ApiError(
        'not_found',
        `${code} is not a ${type}; it is: ${found.map((a) => a.type).join(', ')}.`,
      );
    }
    return { area: match, others: found.filter((a) => a !== match) };
  }
  const [area, ...others] = byTypePreference(found) as [AreaRow, ...AreaRow[]];
  return { area, others };
}

/** One page of areas of a type, ordered by code. */
export async function areaPage(db: Db, q: { type: AreaType; after: string | undefined; limit: number }) {
  return listAreas(db, q);
}

/** An area, the other types using its code, and its parents. */
export async function areaWithParents(db: Db, code: string, type: AreaType | undefined) {
  const { area, others } = await resolveArea(db, code, type);
  const parents = await getAreaParents(db, area.code, area.type);
  return { area, others, parents };
}

/** One page of an area's children of one type, on the asked (else the latest) membership vintage. */
export async function areaChildren(
  db: Db,
  q: {
    code: string;
    parentType: AreaType | undefined;
    type: AreaType;
    vintage: string | undefined;
    after: string | undefined;
    limit: number;
  },
) {
  const { area } = await resolveArea(db, q.code, q.parentType);
  const parentType = area.type as AreaType;
  if (!CHILD_TYPES[parentType].includes(q.type)) {
    throw new ApiError('bad_request', `A ${parentType} has no children of type ${q.type}.`, [
      { location: 'query.type', message: `Expected one of: ${CHILD_TYPES[parentType].join(', ')}` },
    ]);
  }
  const vintages = Object.keys(area.childCounts[q.type] ?? {}).sort();
  if (q.vintage && !vintages.includes(q.vintage)) {
    throw new ApiError('bad_request', `No ${q.type} membership of ${q.code} for vintage ${q.vintage}.`, [
      { location: 'query.vintage', message: `Expected one of: ${vintages.join(', ') || '(none)'}` },
    ]);
  }
  const vintage = q.vintage ?? vintages.at(-1) ?? null;
  const rows = vintage
    ? await listChildren(db, {
        code: area.code,
        type: parentType,
        childType: q.type,
        vintage,
        after: q.after,
        limit: q.limit,
      })
    : [];
  const total = vintage ? (area.childCounts[q.type]?.[vintage] ?? 0) : 0;
  return { area, vintage, rows, total };
}
