import { join } from 'node:path';
import { ENGLAND_CODE } from '../../domain/geography.ts';
import {
  associationStrength,
  cooccurrence,
  cosineRelatedness,
  DEFAULT_MIN_SUPPORT,
  lqTrend,
  rcaIncidence,
} from '../../domain/specialisation.ts';
import {
  cooccurrenceFromSets,
  type MatrixCell,
  specialisationMatrix,
} from '../../domain/specialisation-matrix.ts';
import type { SourceInfo } from '../catalogue.ts';
import { readCsv } from '../csv.ts';
import { SourceReporter } from '../report.ts';
import { DFE_FILES, DFE_SOURCES, INDUSTRIES } from '../sources/dfe-business.ts';
import { parseCell, parseYear } from '../sources/indicator-model.ts';
import type { SqlRunner } from '../sql.ts';
import type { Stage } from './stage.ts';

/**
 * Specialisation across the 38 LEPs, computed once per dataset: LEP × category matrices of
 * location quotients against England (employment by APS broad industry, Innovate UK grants,
 * participants and projects by sector and by programme), per year and — for Innovate UK — over
 * all years; LQ trends; portfolio measures; relatedness between categories and the relatedness
 * density of every LEP × category. Everything here depends only on the dataset, so the API only reads.
 */

export const SPEC_MEASURES = ['employment', 'grant', 'participants', 'projects'] as const;
export type SpecMeasure = (typeof SPEC_MEASURES)[number];
export const IUK_MEASURES = ['grant', 'participants', 'projects'] as const;
export const IUK_CATEGORIES = ['sector', 'programme'] as const;
/** Employment cells are flagged only where the source suppressed them ("c", "low", "x"). */
export const EMPLOYMENT_MIN_SUPPORT = 0;
export const NOT_STATED = '(not stated)';

interface EmploymentRow {
  line: number;
  level: 'COUNTRY' | 'LEP' | 'LADU';
  name: string;
  year: number;
  values: (number | null)[];
}

const CELL_COLUMNS = [
  'measure',
  'categories',
  'period',
  'area_code',
  'category',
  'value',
  'area_total',
  'reference_value',
  'reference_total',
  'lq',
  'support',
  'suppressed',
  'small_number',
  'specialised',
  'lq_rank',
  'lq_ranked',
  'density',
  'density_cosine',
] as const;

async function readEmployment(
  dataDir: string,
  rep: SourceReporter,
  isLep: (name: string) => boolean,
): Promise<EmploymentRow[]> {
  const file = DFE_FILES.employment;
  const out: EmploymentRow[] = [];
  for await (const { line, values: v } of readCsv(join(dataDir, file), file, [
    'area',
    'geographic_level',
    'year',
    ...INDUSTRIES.map((i) => i.column),
  ])) {
    rep.read();
    const level = v.geographic_level?.trim() ?? '';
    if (level !== 'COUNTRY' && level !== 'LEP' && level !== 'LADU') {
      rep.skip(`${level} rows: specialisation uses LEP, England and district rows only`);
      continue;
    }
    if (level === 'LEP' && !isLep(v.area?.trim() ?? '')) {
      rep.reject(line, 'area', `"${v.area ?? ''}" is not the name of a 2021 LEP`);
      continue;
    }
    const year = parseYear(v.year);
    if (year === null) {
      rep.reject(line, 'year', `not a year: "${v.year ?? ''}"`);
      continue;
    }
    const values: (number | null)[] = [];
    let bad = false;
    for (const i of INDUSTRIES) {
      const cell = parseCell(v[i.column]);
      if (!cell.ok) {
        rep.reject(line, i.column, cell.reason);
        bad = true;
        break;
      }
      values.push(cell.value);
    }
    if (bad) continue;
    rep.loaded();
    out.push({ line, level, name: v.area?.trim() ?? '', year, values });
  }
  return out;
}

/** Association strength and cosine from an item → categories incidence, aligned with `categories`. */
function relatednessOf(C: number[][]) {
  return { cooccurrence: C, association: associationStrength(C), cosine: cosineRelatedness(C) };
}

export const specialisationStage: Stage = {
  name: 'specialisation',
  tables: ['spec_cells', 'spec_portfolio', 'spec_trends', 'spec_relatedness'],
  sources(): SourceInfo[] {
    const s = DFE_SOURCES.employment;
    return [
      {
        id: s.id,
        title: s.title,
        files: [...s.files],
        publisher: s.publisher,
        licence: s.licence,
        provenance: s.provenance,
      },
    ];
  },
  async prepare(ctx) {
    // One entry per file in the load report: this stage's counts and notes join the indicator stage's.
    const rep = new SourceReporter(DFE_FILES.employment);
    const leps = (ctx.geography?.areas ?? []).filter((a) => a.type === 'lep' && a.status === 'live');
    const lepByName = new Map(leps.map((a) => [a.name, a.code]));
    const lepCodes = leps.map((a) => a.code).sort();
    const rows = await readEmployment(ctx.dataDir, rep, (name) => lepByName.has(name));
    return {
      reports: [rep.report],
      async copy() {},
      derive: (run, schema) => deriveSpecialisation(run, schema, { rows, lepByName, lepCodes, rep }),
    };
  },
};

async function deriveSpecialisation(
  run: SqlRunner,
  schema: string,
  input: {
    rows: EmploymentRow[];
    lepByName: Map<string, string>;
    lepCodes: string[];
    rep: SourceReporter;
  },
) {
  const s = `"${schema}"`;
  const cellRows: unknown[][] = [];
  const portfolioRows: unknown[][] = [];
  const trendRows: unknown[][] = [];
  const relatednessRows: unknown[][] = [];
  const { lepCodes } = input;

  const emit = (
    measure: string,
    categories: string,
    period: string,
    m: ReturnType<typeof specialisationMatrix>,
  ) => {
    for (const c of m.cells) {
      cellRows.push([
        measure,
        categories,
        period,
        c.area,
        c.category,
        c.value,
        c.areaTotal,
        c.referenceValue,
        c.referenceTotal,
        c.lq,
        c.support,
        c.suppressed,
        c.smallNumber,
        c.specialised,
        c.lqRank,
        c.lqRanked,
        c.density,
        c.densityCosine,
      ]);
    }
    for (const p of m.portfolio) {
      portfolioRows.push([
        measure,
        categories,
        period,
        p.area,
        p.total,
        p.measures.krugman,
        p.measures.hoover,
        p.measures.herfindahl,
        p.measures.entropy,
        p.measures.hachman,
        p.ranks,
      ]);
    }
  };
  const emitRelatedness = (
    categories: string,
    names: readonly string[],
    r: ReturnType<typeof relatednessOf>,
  ) => {
    names.forEach((a, i) => {
      names.forEach((b, j) => {
        if (i === j) return;
        relatednessRows.push([
          categories,
          a,
          b,
          r.cooccurrence[i]?.[j] ?? 0,
          r.association[i]?.[j] ?? 0,
          r.cosine[i]?.[j] ?? 0,
        ]);
      });
    });
  };
  const emitTrends = (measure: string, categories: string, byYear: Map<number, MatrixCell[]>) => {
    const series = new Map<string, { year: number; lq: number | null; rank: number | null }[]>();
    for (const [year, cells] of byYear) {
      for (const c of cells) {
        const key = `${c.area}\u0000${c.category}`;
        const list = series.get(key) ?? [];
        list.push({ year, lq: c.lq, rank: c.lqRank });
        series.set(key, list);
      }
    }
    for (const [key, list] of series) {
      const t = lqTrend(list);
      if (!t) continue;
      const [area, category] = key.split('\u0000') as [string, string];
      trendRows.push([
        measure,
        categories,
        area,
        category,
        t.firstYear,
        t.lastYear,
        t.first,
        t.last,
        t.change,
        t.slope,
        t.years,
        list.find((p) => p.year === t.firstYear)?.rank ?? null,
        list.find((p) => p.year === t.lastYear)?.rank ?? null,
      ]);
    }
  };

  // Employment by broad industry: LEP rows against England's row of the same year.
  const industries = INDUSTRIES.map((i) => i.column);
  const districts = new Map<string, number[]>();
  for (const r of input.rows) {
    if (r.level !== 'LADU') continue;
    const acc = districts.get(r.name) ?? industries.map(() => 0);
    r.values.forEach((v, k) => {
      acc[k] = (acc[k] as number) + (v ?? 0);
    });
    districts.set(r.name, acc);
  }
  // Co-location: districts × industries pooled over the years, B = 1 where the district's LQ > 1.
  const empRel = relatednessOf(cooccurrence(rcaIncidence([...districts.values()])));
  emitRelatedness('industry', industries, empRel);
  const years = [...new Set(input.rows.map((r) => r.year))].sort();
  const empByYear = new Map<number, MatrixCell[]>();
  for (const year of years) {
    const england = input.rows.find((r) => r.level === 'COUNTRY' && r.year === year);
    if (!england) {
      input.rep.note(`No England row for ${year}: no employment LQs that year.`);
      continue;
    }
    const byCode = new Map(
      input.rows
        .filter((r) => r.level === 'LEP' && r.year === year && input.lepByName.has(r.name))
        .map((r) => [input.lepByName.get(r.name) as string, r.values]),
    );
    const m = specialisationMatrix({
      areas: lepCodes,
      categories: industries,
      values: lepCodes.map((c) => byCode.get(c) ?? industries.map(() => null)),
      reference: england.values.map((v) => v ?? 0),
      minSupport: EMPLOYMENT_MIN_SUPPORT,
      relatedness: empRel,
    });
    emit('employment', 'industry', String(year), m);
    empByYear.set(year, m.cells);
  }
  emitTrends('employment', 'industry', empByYear);
  const suppressedLep = input.rows
    .filter((r) => r.level === 'LEP')
    .flatMap((r) => r.values)
    .filter((v) => v === null).length;
  input.rep.note(
    `Employment LQs: ${years.length} years × ${lepCodes.length} LEPs × ${industries.length} industries against England's row; ${suppressedLep} suppressed LEP cells are flagged and count as 0 in their LEP's total. Relatedness from co-location of ${districts.size} districts (pooled ${years[0]}–${years[years.length - 1]}, B = 1 where a district's LQ > 1).`,
  );

  // Innovate UK: counted participants, every LEP a participant is placed in (overlap "full"), and England.
  for (const kind of IUK_CATEGORIES) {
    const catExpr = kind === 'sector' ? 'pa.sector' : 'pr.programme_title';
    const agg = await run.query<{
      area: string;
      category: string;
      year: number | null;
      all_years: boolean;
      participants: number;
      grant: string;
      projects: number;
    }>(`
      with p as (
        select pa.lep_codes, pa.country_code, coalesce(${catExpr}, '${NOT_STATED}') as category, pa.year,
               pa.project_number, coalesce(pa.grant_pence, 0) as grant_pence
          from ${s}.iuk_participants pa left join ${s}.iuk_projects pr on pr.project_number = pa.project_number
         where pa.counted
      ), u as (
        select l.code as area, category, year, project_number, grant_pence from p, unnest(p.lep_codes) as l(code)
        union all
        select '${ENGLAND_CODE}', category, year, project_number, grant_pence from p where country_code = '${ENGLAND_CODE}'
      )
      select area, category, year, grouping(year) = 1 as all_years, count(*)::int as participants,
             sum(grant_pence)::text as grant, count(distinct project_number)::int as projects
        from u group by grouping sets ((area, category, year), (area, category))`);
    const categories = [...new Set(agg.map((a) => a.category))].sort();
    const incidence = await run.query<{ org_id: string; cats: string[] }>(`
      select pa.org_id, array_agg(distinct ${catExpr}) as cats
        from ${s}.iuk_participants pa left join ${s}.iuk_projects pr on pr.project_number = pa.project_number
       where pa.counted and ${catExpr} is not null group by pa.org_id`);
    const index = new Map(categories.map((c, i) => [c, i]));
    const rel = relatednessOf(
      cooccurrenceFromSets(
        incidence.map((o) => o.cats.map((c) => index.get(c) as number)),
        categories.length,
      ),
    );
    emitRelatedness(kind, categories, rel);
    const periods = new Map<string, typeof agg>();
    for (const a of agg) {
      if (!a.all_years && a.year === null) continue;
      const period = a.all_years ? 'all' : String(a.year);
      const list = periods.get(period) ?? [];
      list.push(a);
      periods.set(period, list);
    }
    for (const measure of IUK_MEASURES) {
      const byYear = new Map<number, MatrixCell[]>();
      for (const [period, list] of periods) {
        const at = new Map(list.map((a) => [`${a.area}\u0000${a.category}`, a]));
        const of = (area: string, cat: string) => {
          const a = at.get(`${area}\u0000${cat}`);
          if (!a) return 0;
          return measure === 'grant'
            ? Number(a.grant)
            : measure === 'participants'
              ? a.participants
              : a.projects;
        };
        const m = specialisationMatrix({
          areas: lepCodes,
          categories,
          values: lepCodes.map((area) => categories.map((cat) => of(area, cat))),
          support: lepCodes.map((area) =>
            categories.map((cat) => at.get(`${area}\u0000${cat}`)?.participants ?? 0),
          ),
          reference: categories.map((cat) => of(ENGLAND_CODE, cat)),
          minSupport: DEFAULT_MIN_SUPPORT,
          relatedness: rel,
        });
        emit(measure, kind, period, m);
        if (period !== 'all') byYear.set(Number(period), m.cells);
      }
      emitTrends(measure, kind, byYear);
    }
  }

  await run.copyRows(`${s}.spec_cells`, CELL_COLUMNS, cellRows);
  await run.copyRows(
    `${s}.spec_portfolio`,
    [
      'measure',
      'categories',
      'period',
      'area_code',
      'total',
      'krugman',
      'hoover',
      'herfindahl',
      'entropy',
      'hachman',
      'ranks',
    ],
    portfolioRows,
  );
  await run.copyRows(
    `${s}.spec_trends`,
    [
      'measure',
      'categories',
      'area_code',
      'category',
      'first_year',
      'last_year',
      'lq_first',
      'lq_last',
      'change',
      'slope',
      'years',
      'rank_first',
      'rank_last',
    ],
    trendRows,
  );
  await run.copyRows(
    `${s}.spec_relatedness`,
    ['categories', 'category_a', 'category_b', 'cooccurrence', 'association', 'cosine'],
    relatednessRows,
  );
}
