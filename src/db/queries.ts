import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';
import { areaLinks, areas, datasets, postcodes } from './schema.ts';

/** Every named query the routes use. Routes never import drizzle-orm themselves. */

export type AreaRow = typeof areas.$inferSelect;
export type DatasetRow = typeof datasets.$inferSelect;
export type PostcodeRow = typeof postcodes.$inferSelect;

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

/**
 * The channel the pipeline NOTIFYs (payload: the new version) in the transaction that swaps a
 * dataset in; servers LISTEN on it to drop what they cached for the old one.
 */
export const DATASET_SWAP_CHANNEL = 'dataset_swapped';

/** Only the current dataset's version: what version-keyed caches need per request, one indexed read. */
export async function getCurrentDatasetVersion(db: Db): Promise<string | null> {
  const rows = await db
    .select({ version: datasets.version })
    .from(datasets)
    .where(eq(datasets.isCurrent, true))
    .limit(1);
  return rows[0]?.version ?? null;
}

export async function getCurrentDataset(db: Db): Promise<DatasetRow | undefined> {
  const rows = await db.select().from(datasets).where(eq(datasets.isCurrent, true)).limit(1);
  return rows[0];
}

/** One page of areas of a type, ordered by code, with the total in the same round trip. */
export async function listAreas(db: Db, opts: { type: string; after: string | undefined; limit: number }) {
  const rows = await db
    .select({
      area: areas,
      total: sql<number>`(select count(*) from ${areas} where ${areas.type} = ${opts.type})::int`,
    })
    .from(areas)
    .where(and(eq(areas.type, opts.type), opts.after ? gt(areas.code, opts.after) : undefined))
    .orderBy(asc(areas.code))
    .limit(opts.limit + 1);
  return { rows: rows.map((r) => r.area), total: rows[0]?.total ?? (await countAreas(db, opts.type)) };
}

async function countAreas(db: Db, type: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(areas).where(eq(areas.type, type));
  return row?.n ?? 0;
}

/** All areas with this code (a code can name more than one type, e.g. unchanged Scottish seats). */
export async function getAreasByCode(db: Db, code: string): Promise<AreaRow[]> {
  return db.select().from(areas).where(eq(areas.code, code)).orderBy(asc(areas.type));
}

const parent = alias(areas, 'parent');

/** Parents of an area, with their names, in one indexed read. */
export async function getAreaParents(db: Db, code: string, type: string) {
  return db
    .select({
      code: areaLinks.parentCode,
      type: areaLinks.parentType,
      name: parent.name,
      relation: areaLinks.relation,
      vintage: areaLinks.vintage,
      share: areaLinks.share,
    })
    .from(areaLinks)
    .innerJoin(parent, and(eq(parent.code, areaLinks.parentCode), eq(parent.type, areaLinks.parentType)))
    .where(and(eq(areaLinks.childCode, code), eq(areaLinks.childType, type)))
    .orderBy(asc(areaLinks.parentType), asc(areaLinks.vintage), asc(areaLinks.parentCode));
}

const child = alias(areas, 'child');

/** One page of an area's children of one type and vintage (the total is precomputed in childCounts). */
export async function listChildren(
  db: Db,
  opts: {
    code: string;
    type: string;
    childType: string;
    vintage: string;
    after: string | undefined;
    limit: number;
  },
) {
  const where = and(
    eq(areaLinks.parentCode, opts.code),
    eq(areaLinks.parentType, opts.type),
    eq(areaLinks.childType, opts.childType),
    eq(areaLinks.vintage, opts.vintage),
  );
  const rows = await db
    .select({
      code: areaLinks.childCode,
      type: areaLinks.childType,
      name: child.name,
      status: child.status,
      relation: areaLinks.relation,
      vintage: areaLinks.vintage,
      share: areaLinks.share,
    })
    .from(areaLinks)
    .innerJoin(child, and(eq(child.code, areaLinks.childCode), eq(child.type, areaLinks.childType)))
    .where(and(where, opts.after ? gt(areaLinks.childCode, opts.after) : undefined))
    .orderBy(asc(areaLinks.childCode))
    .limit(opts.limit + 1);
  return rows;
}

/**
 * A postcode's answer, as the pipeline built it: one primary-key read of one text column, as a
 * prepared statement (named, so node-postgres and PGlite plan it once per connection).
 */
export async function getPostcodeBody(db: Db, key: string): Promise<string | undefined> {
  let stmt = postcodeStatements.get(db);
  if (!stmt) {
    stmt = db
      .select({ body: postcodes.body })
      .from(postcodes)
      .where(eq(postcodes.key, sql.placeholder('key')))
      .limit(1)
      .prepare('postcode_body');
    postcodeStatements.set(db, stmt);
  }
  const rows = await stmt.execute({ key });
  return rows[0]?.body;
}

type PostcodeStatement = { execute(p: { key: string }): Promise<{ body: string }[]> };
const postcodeStatements = new WeakMap<Db, PostcodeStatement>();

/**
 * Many postcodes' answers in one read (the Node front batches concurrent lookups: src/node/stored-answers.ts):
 * one prepared statement over the primary key, `key = any($1)`. Keys without a row are absent.
 */
export async function getPostcodeBodies(db: Db, keys: readonly string[]): Promise<Map<string, string>> {
  let stmt = postcodeBatchStatements.get(db);
  if (!stmt) {
    stmt = db
      .select({ key: postcodes.key, body: postcodes.body })
      .from(postcodes)
      .where(sql`${postcodes.key} = any(${sql.placeholder('keys')}::text[])`)
      .prepare('postcode_bodies');
    postcodeBatchStatements.set(db, stmt);
  }
  const rows = await stmt.execute({ keys: [...keys] });
  return new Map(rows.map((r) => [r.key, r.body]));
}

type PostcodeBatchStatement = {
  execute(p: { keys: string[] }): Promise<{ key: string; body: string }[]>;
};
const postcodeBatchStatements = new WeakMap<Db, PostcodeBatchStatement>();
