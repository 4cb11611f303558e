import { SEARCH_TYPE_WEIGHT, searchKey } from '../../domain/search.ts';
import type { Stage } from './stage.ts';

/**
 * The place-name index behind GET /v1/search: one row per name an area is known by (its name and
 * former names) with the search key, and every postcode district (outward code) with its position
 * and the LEPs its postcodes fall in. Built from the geography stage's tables; no sources of its own.
 */
export const searchStage: Stage = {
  name: 'search',
  tables: ['search_names', 'postcode_outcodes'],
  sources: () => [],
  async prepare(ctx) {
    const geo = ctx.geography;
    if (!geo) throw new Error('the search stage needs the geography stage first');
    const rows: unknown[][] = [];
    for (const a of geo.areas) {
      const names = [a.name, ...a.formerNames.filter((n) => n !== a.name)];
      const keys = new Set<string>();
      for (const name of names) {
        const key = searchKey(name);
        if (!key || keys.has(key)) continue;
        keys.add(key);
        // Live areas first; a retired code (older LEP vintages, pre-2023 districts) still answers.
        const weight = (SEARCH_TYPE_WEIGHT[a.type] ?? 0) + (a.status === 'live' ? 10 : 0);
        rows.push([a.type, a.code, a.name, name, key, weight]);
      }
    }
    return {
      reports: [],
      async copy(run, schema) {
        await run.copyRows(
          `"${schema}".search_names`,
          ['type', 'code', 'name', 'matched_name', 'search_key', 'weight'],
          rows,
        );
      },
      async derive(run, schema) {
        const s = `"${schema}"`;
        // Which 2021 LEPs an area's postcodes fall in, with the share of its postcodes in each.
        await run.exec(`
          with pts as (
            select 'lad' as type, lad_code as code, lep_codes from ${s}.postcodes
            union all select 'pcon', pcon_code, lep_codes from ${s}.postcodes
            union all select 'pcon2024', pcon2024_code, lep_codes from ${s}.postcodes
          ), totals as (
            select type, code, count(*)::float8 as n from pts where code is not null group by 1, 2
          ), by_lep as (
            select p.type, p.code, l.lep, count(*)::float8 as n
            from pts p cross join lateral unnest(p.lep_codes) as l(lep)
            where p.code is not null group by 1, 2, 3
          ), leps as (
            select b.type, b.code,
              jsonb_agg(jsonb_build_object('code', b.lep, 'name', a.name, 'share', round((b.n / t.n)::numeric, 4))
                order by b.n desc, b.lep) as leps
            from by_lep b join totals t using (type, code)
            join ${s}.areas a on a.type = 'lep' and a.code = b.lep
            group by 1, 2
          )
          update ${s}.search_names n set leps = leps.leps from leps
          where n.type = leps.type and n.code = leps.code;

          update ${s}.search_names n set postcodes = a.postcode_count
          from ${s}.areas a where a.type = n.type and a.code = n.code;

          with pts as (
            select left(key, length(key) - 3) as outcode, lat, lng, lad_code, lep_codes from ${s}.postcodes
          ), totals as (
            select outcode, count(*)::int as n, avg(lat) as lat, avg(lng) as lng,
              mode() within group (order by lad_code) as lad_code
            from pts group by 1
          ), by_lep as (
            select p.outcode, l.lep, count(*)::float8 as n
            from pts p cross join lateral unnest(p.lep_codes) as l(lep) group by 1, 2
          ), leps as (
            select b.outcode,
              jsonb_agg(jsonb_build_object('code', b.lep, 'name', a.name, 'share', round((b.n / t.n)::numeric, 4))
                order by b.n desc, b.lep) as leps
            from by_lep b join totals t using (outcode)
            join ${s}.areas a on a.type = 'lep' and a.code = b.lep
            group by 1
          )
          insert into ${s}.postcode_outcodes (outcode, postcodes, lat, lng, lad_code, leps)
          select t.outcode, t.n, round(t.lat::numeric, 6), round(t.lng::numeric, 6), t.lad_code,
            coalesce(leps.leps, '[]'::jsonb)
          from totals t left join leps using (outcode);
        `);
      },
    };
  },
};
