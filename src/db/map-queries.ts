import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import {
  areaShapes,
  areas,
  datasets,
  mapLayers,
  postcodeOutcodes,
  postcodes,
  searchNames,
} from './schema.ts';

/** Named reads behind the maps, embeds and search. */

/** What every map document states about the data: the current dataset's version, whether it is the sample, its sources. */
export async function getDatasetStamp(db: Db) {
  const [row] = await db
    .select({
      version: datasets.version,
      isSample: datasets.isSample,
      builtAt: datasets.builtAt,
      sources: datasets.sources,
    })
    .from(datasets)
    .where(eq(datasets.isCurrent, true))
    .limit(1);
  return row;
}

const shapeColumns = {
  code: areaShapes.code,
  type: areaShapes.type,
  name: areas.name,
  status: areas.status,
  geometry: areaShapes.geometry,
  bbox: areaShapes.bbox,
  centroidLat: areaShapes.centroidLat,
  centroidLng: areaShapes.centroidLng,
};
export type ShapeRow = {
  code: string;
  type: string;
  name: string;
  status: string;
  geometry: string;
  bbox: number[];
  centroidLat: number;
  centroidLng: number;
};

/** Every shape of a type (or only `codes`), in code order, with the area's name: one PK range read. */
export async function listShapes(db: Db, type: string, codes?: readonly string[]): Promise<ShapeRow[]> {
  return db
    .select(shapeColumns)
    .from(areaShapes)
    .innerJoin(areas, and(eq(areas.type, areaShapes.type), eq(areas.code, areaShapes.code)))
    .where(and(eq(areaShapes.type, type), codes ? inArray(areaShapes.code, [...codes]) : undefined))
    .orderBy(asc(areaShapes.code));
}

export async function getShape(db: Db, type: string, code: string): Promise<ShapeRow | undefined> {
  const [row] = await listShapes(db, type, [code]);
  return row;
}

/** Which types have a shape for this code (a code may name two types, e.g. an unchanged seat). */
export async function shapeTypesOf(db: Db, code: string): Promise<string[]> {
  const rows = await db
    .select({ type: areaShapes.type })
    .from(areaShapes)
    .where(eq(areaShapes.code, code))
    .orderBy(asc(areaShapes.type));
  return rows.map((r) => r.type);
}

/** One type's precomputed TopoJSON or HexJSON document. */
export async function getMapLayer(db: Db, type: string, format: 'topojson' | 'hexjson') {
  const [row] = await db
    .select({ body: mapLayers.body, notes: mapLayers.notes, features: mapLayers.features })
    .from(mapLayers)
    .where(and(eq(mapLayers.areaType, type), eq(mapLayers.format, format)))
    .limit(1);
  return row;
}

/** Which formats each type has (for 4xx messages and the docs). */
export async function listMapLayers(db: Db) {
  return db
    .select({ areaType: mapLayers.areaType, format: mapLayers.format, features: mapLayers.features })
    .from(mapLayers)
    .orderBy(asc(mapLayers.areaType), asc(mapLayers.format));
}

/**
 * Areas whose name (or former name) matches a search key: exact, prefix, word-prefix and substring
 * matches first, then similar names (pg_trgm: whole-name similarity ≥ 0.3 or strict word similarity
 * ≥ 0.5, scored by their mean), best first; one GIN index read.
 */
export async function searchPlaces(db: Db, key: string, opts: { types?: readonly string[]; limit: number }) {
  const like = `%${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const wordPrefix = `% ${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const score = sql<number>`(case
      when ${searchNames.searchKey} = ${key} then 1.0
      when ${searchNames.searchKey} like ${prefix} then 0.9
      when ${searchNames.searchKey} like ${wordPrefix} then 0.8
      when ${searchNames.searchKey} like ${like} then 0.6
      else 0.25 * (similarity(${searchNames.searchKey}, ${key}) + strict_word_similarity(${key}, ${searchNames.searchKey})) end)::float8`;
  const rows = await db
    .select({
      type: searchNames.type,
      code: searchNames.code,
      name: searchNames.name,
      matchedName: searchNames.matchedName,
      status: areas.status,
      centroidLat: areas.centroidLat,
      centroidLng: areas.centroidLng,
      leps: searchNames.leps,
      score,
    })
    .from(searchNames)
    .innerJoin(areas, and(eq(areas.type, searchNames.type), eq(areas.code, searchNames.code)))
    .where(
      and(
        sql`(${searchNames.searchKey} like ${like} or ${searchNames.searchKey} % ${key} or ${key} <<% ${searchNames.searchKey})`,
        opts.types?.length ? inArray(searchNames.type, [...opts.types]) : undefined,
      ),
    )
    .orderBy(desc(score), desc(searchNames.weight), desc(searchNames.postcodes), asc(searchNames.name))
    // Several names of one area can match; the caller keeps each area's best.
    .limit(opts.limit * 3);
  return rows;
}

/** A postcode's position, district and LEPs (with names) for search: one PK read. */
export async function getPostcodePlace(db: Db, key: string) {
  const [row] = await db
    .select({
      postcode: postcodes.postcode,
      lat: postcodes.lat,
      lng: postcodes.lng,
      ladCode: postcodes.ladCode,
      ladName: sql<
        string | null
      >`(select a.name from ${areas} a where a.type = 'lad' and a.code = ${postcodes.ladCode})`,
      leps: sql<
        { code: string; name: string }[]
      >`coalesce((select json_agg(json_build_object('code', a.code, 'name', a.name) order by a.code) from ${areas} a where a.type = 'lep' and a.code = any(${postcodes.lepCodes})), '[]'::json)`,
    })
    .from(postcodes)
    .where(eq(postcodes.key, key))
    .limit(1);
  return row;
}

/** A postcode district (outward code) for search: one PK read. */
export async function getOutcode(db: Db, outcode: string) {
  const [row] = await db
    .select({
      outcode: postcodeOutcodes.outcode,
      postcodes: postcodeOutcodes.postcodes,
      lat: postcodeOutcodes.lat,
      lng: postcodeOutcodes.lng,
      ladCode: postcodeOutcodes.ladCode,
      ladName: sql<
        string | null
      >`(select a.name from ${areas} a where a.type = 'lad' and a.code = ${postcodeOutcodes.ladCode})`,
      leps: postcodeOutcodes.leps,
    })
    .from(postcodeOutcodes)
    .where(eq(postcodeOutcodes.outcode, outcode))
    .limit(1);
  return row;
}
