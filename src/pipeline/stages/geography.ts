import { GEOGRAPHY_SOURCES } from '../catalogue.ts';
import { readGeography } from '../sources/geography.ts';
import { POSTCODE_COLUMNS, readPostcodes } from '../sources/postcodes.ts';
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
        await run.copyRows(`"${schema}".postcodes`, POSTCODE_COLUMNS, pcs.rows);
      },
      derive: deriveGeography,
    };
  },
};

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
