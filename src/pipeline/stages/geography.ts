import { postcodeBody } from '../../domain/postcode-json.ts';
import { GEOGRAPHY_SOURCES } from '../catalogue.ts';
import type { Geography } from '../sources/geography.ts';
import { readGeography } from '../sources/geography.ts';
import { POSTCODE_COLUMNS, type PostcodeTuple, readPostcodes } from '../sources/postcodes.ts';
import type { SqlRunner } from '../sql.ts';
import type { Stage } from './stage.ts';

/** Areas, their links, and every postcode placed in them. */
export const geographyStage: Stage = {
  name: 'geography',
  tables: ['areas', 'area_links', 'postcodes'],
  sources: () => GEOGRAPHY_SOURCES,
  async prepare(ctx) {
    const geo = await readGeography(ctx.dataDir);
    ctx.log(`geography: ${geo.areas.length} areas, ${geo.links.length} links`);
    const pcs = await readPostcodes(ctx.dataDir, geo);
    ctx.log(`postcodes: ${pcs.rows.length} placed`);
    ctx.geography = geo;
    return {
      reports: [...geo.reports, ...pcs.reports].map((r) => r.report),
      async copy(run, schema) {
        await run.copyRows(
          `"${schema}".areas`,
          ['type', 'code', 'name', 'vintage', 'status', 'valid_from', 'valid_to', 'former_names'],
          geo.areas.map((a) => [
            a.type,
            a.code,
            a.name,
            a.vintage,
            a.status,
            a.validFrom,
            a.validTo,
            a.formerNames,
          ]),
        );
        await run.copyRows(
          `"${schema}".area_links`,
          ['parent_type', 'parent_code', 'child_type', 'child_code', 'relation', 'vintage', 'share'],
          geo.links.map((l) => [
            l.parentType,
            l.parentCode,
            l.childType,
            l.childCode,
            l.relation,
            l.vintage,
            l.share,
          ]),
        );
        // Each postcode's answer is built here, a batch at a time, so the texts never all sit in memory.
        const nameOf = areaNames(geo);
        for (let i = 0; i < pcs.rows.length; i += POSTCODE_BATCH) {
          const batch = pcs.rows.slice(i, i + POSTCODE_BATCH);
          await run.copyRows(
            `"${schema}".postcodes`,
            [...POSTCODE_COLUMNS, 'body'],
            batch.map((r) => [...r, postcodeBody(postcodeFacts(r), nameOf)]),
          );
        }
      },
      derive: deriveGeography,
    };
  },
};

const POSTCODE_BATCH = 50_000;

function areaNames(geo: Geography): (type: string, code: string) => string | null {
  const names = new Map(geo.areas.map((a) => [`${a.type}|${a.code}`, a.name]));
  return (type, code) => names.get(`${type}|${code}`) ?? null;
}

function postcodeFacts(r: PostcodeTuple) {
  const [, postcode, quality, lat, lng, countryCode, ladCode, wardCode, wardName, regionCode] = r;
  const [pconCode, pconMethod, pcon2024Code, pcon2024Method, lepCodes] = r.slice(10) as [
    string | null,
    string | null,
    string | null,
    string | null,
    string[],
  ];
  return {
    postcode,
    quality,
    lat,
    lng,
    countryCode,
    ladCode,
    wardCode,
    wardName,
    regionCode,
    pconCode,
    pconMethod,
    pcon2024Code,
    pcon2024Method,
    lepCodes,
  };
}

/** Centroids, postcode counts and child counts, set-based; stops the load on dangling links. */
async function deriveGeography(run: SqlRunner, schema: string) {
  const s = `"${schema}"`;
  const [orphans] = await run.query<{ n: number }>(
    `select count(*)::int as n from ${s}.area_links l
      where not exists (select 1 from ${s}.areas a where a.type = l.parent_type and a.code = l.parent_code)
         or not exists (select 1 from ${s}.areas a where a.type = l.child_type and a.code = l.child_code)`,
  );
  if (orphans && orphans.n > 0)
    throw new Error(`${orphans.n} area links point at areas that were not loaded`);
  await run.exec(`
    update ${s}.areas a set postcode_count = p.n, centroid_lat = round(p.lat::numeric, 6), centroid_lng = round(p.lng::numeric, 6)
    from (
      select type, code, count(*)::int as n, avg(lat) as lat, avg(lng) as lng from (
        select 'country' as type, country_code as code, lat, lng from ${s}.postcodes
        union all select 'region', region_code, lat, lng from ${s}.postcodes
        union all select 'lad', lad_code, lat, lng from ${s}.postcodes
        union all select 'pcon', pcon_code, lat, lng from ${s}.postcodes
        union all select 'pcon2024', pcon2024_code, lat, lng from ${s}.postcodes
        union all select 'lep', unnest(lep_codes), lat, lng from ${s}.postcodes
      ) pts where code is not null group by type, code
    ) p
    where a.type = p.type and a.code = p.code;

    update ${s}.areas a set child_counts = c.counts
    from (
      select parent_type, parent_code, jsonb_object_agg(child_type, by_vintage) as counts from (
        select parent_type, parent_code, child_type, jsonb_object_agg(vintage, n) as by_vintage from (
          select parent_type, parent_code, child_type, vintage, count(*)::int as n
          from ${s}.area_links group by 1, 2, 3, 4
        ) v group by 1, 2, 3
      ) t group by 1, 2
    ) c
    where a.type = c.parent_type and a.code = c.parent_code;
  `);
}
