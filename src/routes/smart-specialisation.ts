import { createRoute, z } from '@hono/zod-openapi';
import { DEFAULT_SMART_CRITERIA } from '../domain/smart-specialisation.ts';
import { DEFAULT_STRENGTH_CRITERIA } from '../domain/strengths.ts';
import { intQuery, LepCode } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import {
  lepSmartSpecialisation,
  matrixHref,
  type SmartSpecialisation,
} from '../services/smart-specialisation.ts';
import { CATEGORY_SYSTEMS, MATRIX_MEASURES, MIN_SUPPORT_OF } from '../services/specialisation.ts';
import { areaRef, toSource, UNIT_OF } from './specialisation-views.ts';

const AreaRef = z.object({ code: z.string(), name: z.string(), href: z.string() }).openapi('SmartArea');

const Basis = {
  measure: z.enum(MATRIX_MEASURES),
  categories: z.enum(CATEGORY_SYSTEMS),
};

const SourceSchema = z.object({
  loaded: z.boolean(),
  synthetic: z.boolean(),
  title: z.string(),
  licence: z.string(),
});

const GoodAtCategory = z
  .object({
    ...Basis,
    period: z.string(),
    category: z.string(),
    lq: z.number(),
    value: z.number().nullable().openapi({ description: 'x[r,s] in the basis unit.' }),
    areaTotal: z.number(),
    referenceValue: z.number(),
    referenceTotal: z.number(),
    support: z
      .number()
      .nullable()
      .openapi({ description: 'Participants (Innovate UK) or people (employment).' }),
    lqRank: z.number().int().nullable(),
    lqRanked: z.number().int(),
    href: z.string().openapi({ description: 'The matrix this cell comes from.' }),
  })
  .openapi('SmartStrength');

const GoodAtIndicator = z
  .object({
    id: z.string(),
    title: z.string(),
    unit: z.string(),
    year: z.number().int(),
    value: z.number().nullable(),
    rank: z.number().int().nullable(),
    n: z.number().int().openapi({ description: 'LEPs ranked (the cohort).' }),
    percentile: z.number().nullable(),
    href: z.string(),
  })
  .openapi('SmartIndicator');

const MightLead = z
  .object({
    ...Basis,
    category: z.string(),
    firstYear: z.number().int(),
    lastYear: z.number().int(),
    lqFirst: z.number(),
    lqLast: z.number(),
    change: z.number(),
    slope: z.number().nullable(),
    years: z.number().int(),
    rankFirst: z.number().int().nullable(),
    rankLast: z.number().int().nullable(),
    supportFirst: z.number().nullable().openapi({
      description: 'Support behind the first year’s LQ: participants (Innovate UK) or people (employment).',
    }),
    supportLast: z.number().openapi({
      description: 'Support behind the last year’s LQ; at least minSupport, which a rise needs to count.',
    }),
    minSupport: z
      .number()
      .openapi({ description: 'The minimum support of this basis (criteria.minSupport).' }),
    href: z.string().openapi({ description: 'The LEP’s LQ trends on this basis.' }),
  })
  .openapi('SmartGrowth');

const Opportunity = z
  .object({
    ...Basis,
    period: z.string(),
    category: z.string(),
    density: z.number().openapi({ description: 'Relatedness density 0–100 (association strength).' }),
    lq: z.number().nullable(),
    lqRank: z.number().int().nullable(),
    lqRanked: z.number().int(),
    href: z.string().openapi({ description: 'The LEP’s densities on this basis at the threshold used.' }),
    leaders: z
      .array(
        z.object({
          area: AreaRef,
          lq: z.number(),
          support: z.number().nullable(),
          lqRank: z.number().int().nullable(),
        }),
      )
      .openapi({ description: 'The LEPs most specialised in the category (highest LQ, not small numbers).' }),
    partners: z
      .array(
        z.object({
          area: AreaRef,
          sharedProjects: z.number().int(),
          sharedGrantPence: z.number().int(),
          organisations: z.number().int(),
          partnerLq: z.number().nullable().openapi({ description: 'The partner’s LQ in the category.' }),
        }),
      )
      .nullable()
      .openapi({
        description:
          'Strongest collaboration partners in the category: other LEPs sharing the most Innovate UK projects in that sector with this LEP (collaboration network). Null where the network has no such category (industries, programmes).',
      }),
    partnersHref: z.string().nullable(),
    partnersNote: z.string().nullable().openapi({
      description: 'Why there are no partners on this basis (null where partners are given).',
    }),
  })
  .openapi('SmartOpportunity');

const route = createRoute({
  method: 'get',
  path: '/leps/{code}/smart-specialisation',
  operationId: 'getLepSmartSpecialisation',
  tags: ['Smart specialisation'],
  summary:
    'The three questions: what we are good at, where we might lead, what could get us there — with evidence',
  description:
    '(1) Categories with LQ ≥ lqThreshold (default 1.25) and not small-number, and indicators in the top quartile of the 38 LEPs; ' +
    '(2) LQs rising over at least 3 years (change and OLS slope > 0, rank not falling) that end at or above 0.9 on at least the minimum support in the last year (5 participants for Innovate UK; an unsuppressed APS cell for employment); ' +
    '(3) adjacent opportunities (LQ ≤ 1, relatedness density ≥ densityThreshold, default 50) with the LEPs leading in them and, for Innovate UK sectors, the strongest collaboration partners in that sector. ' +
    'Bases: APS employment by industry (latest year), Innovate UK grant by sector and by programme (all years).',
  request: {
    params: z.object({ code: LepCode }),
    query: z.object({
      lqThreshold: z.enum(['1', '1.1', '1.25', '1.5', '2']).optional().openapi({
        description: 'LQ from which a category counts as a strength; default 1.25.',
        example: '1.25',
      }),
      densityThreshold: intQuery({
        min: 0,
        max: 100,
        description: `Relatedness density from which an unspecialised category is an adjacent opportunity; default ${DEFAULT_SMART_CRITERIA.densityThreshold}.`,
        example: DEFAULT_SMART_CRITERIA.densityThreshold,
      }).optional(),
    }),
  },
  responses: {
    200: {
      description: 'The answers with their evidence',
      content: {
        'application/json': {
          schema: z
            .object({
              lep: AreaRef,
              criteria: z.object({
                lqThreshold: z.number(),
                densityThreshold: z.number(),
                minTrendYears: z.number().int(),
                leadFloor: z.number(),
                indicatorTopPercentile: z.number(),
                minSupport: z.object({ employment: z.number(), innovateUk: z.number() }),
              }),
              bases: z.array(z.object({ ...Basis, period: z.string(), unit: z.string(), href: z.string() })),
              sources: z.object({ employment: SourceSchema, innovateUk: SourceSchema }),
              goodAt: z.object({ categories: z.array(GoodAtCategory), indicators: z.array(GoodAtIndicator) }),
              mightLead: z.array(MightLead),
              couldGetUsThere: z.array(Opportunity),
              notes: z.array(z.string()),
            })
            .openapi('SmartSpecialisation'),
        },
      },
    },
    ...problemResponses('bad_request', 'not_found'),
  },
});

/** The JSON answer (also what the PDF section is drawn from). */
export function toSmartJson(s: SmartSpecialisation) {
  const code = s.lep.code;
  return {
    lep: areaRef(code, s.lep.name),
    criteria: {
      lqThreshold: s.criteria.lqThreshold,
      densityThreshold: s.criteria.densityThreshold,
      minTrendYears: s.criteria.minTrendYears,
      leadFloor: s.criteria.leadFloor,
      indicatorTopPercentile: DEFAULT_STRENGTH_CRITERIA.topPercentile,
      minSupport: { employment: MIN_SUPPORT_OF.employment, innovateUk: MIN_SUPPORT_OF.grant },
    },
    bases: s.bases.map((b) => ({ ...b, unit: UNIT_OF[b.measure] })),
    sources: {
      employment: toSource(s.sources.employment),
      innovateUk: toSource(s.sources.innovateUk),
    },
    goodAt: {
      categories: s.goodAt.categories.map(({ basis, cell }) => ({
        measure: basis.measure,
        categories: basis.categories,
        period: basis.period,
        category: cell.category,
        lq: cell.lq as number,
        value: cell.value,
        areaTotal: cell.areaTotal,
        referenceValue: cell.referenceValue,
        referenceTotal: cell.referenceTotal,
        support: cell.support,
        lqRank: cell.lqRank,
        lqRanked: cell.lqRanked,
        href: matrixHref(basis),
      })),
      indicators: s.goodAt.indicators.map(({ row }) => ({
        id: row.i.id,
        title: row.i.title,
        unit: row.i.unit,
        year: row.v.year,
        value: row.v.value,
        rank: row.v.rank,
        n: row.v.cohortSize,
        percentile: row.v.percentile,
        href: `/v1/indicators/${row.i.id}/ranking?year=${row.v.year}`,
      })),
    },
    mightLead: s.mightLead.map(({ basis, trend: t }) => ({
      measure: basis.measure,
      categories: basis.categories,
      category: t.category,
      firstYear: t.firstYear,
      lastYear: t.lastYear,
      lqFirst: t.lqFirst,
      lqLast: t.lqLast,
      change: t.change,
      slope: t.slope,
      years: t.years,
      rankFirst: t.rankFirst,
      rankLast: t.rankLast,
      supportFirst: t.supportFirst,
      supportLast: t.supportLast as number,
      minSupport: MIN_SUPPORT_OF[basis.measure],
      href: `/v1/specialisation/trends?measure=${basis.measure}&categories=${basis.categories}&area=${code}`,
    })),
    couldGetUsThere: s.couldGetUsThere.map(({ basis, cell, leaders, partners }) => ({
      measure: basis.measure,
      categories: basis.categories,
      period: basis.period,
      category: cell.category,
      density: cell.density as number,
      lq: cell.lq,
      lqRank: cell.lqRank,
      lqRanked: cell.lqRanked,
      href: `/v1/relatedness/density?measure=${basis.measure}&categories=${basis.categories}&area=${code}&threshold=${s.criteria.densityThreshold}${basis.period === 'all' ? '' : `&year=${basis.period}`}`,
      leaders: leaders.map((l) => ({
        area: areaRef(l.areaCode, l.areaName),
        lq: l.lq as number,
        support: l.support,
        lqRank: l.lqRank,
      })),
      partners:
        partners?.map((p) => ({
          area: areaRef(p.other, p.cell?.areaName ?? p.other),
          sharedProjects: p.edge.projects,
          sharedGrantPence: p.edge.grantPence,
          organisations: p.edge.organisations,
          partnerLq: p.cell?.lq ?? null,
        })) ?? null,
      partnersHref: partners
        ? `/v1/leps/${code}/collaborations?sector=${encodeURIComponent(cell.category)}`
        : null,
      partnersNote: partners ? null : (NO_PARTNERS[basis.categories] ?? null),
    })),
    notes: [
      'Every LQ is against England; Innovate UK cells count each participant in every LEP it is placed in (overlap "full") and exclude withdrawn participants and projects.',
      'Innovate UK trends are per competition year and noisy for small categories; employment trends are APS 2018–2022.',
      'Leaders are the LEPs with the highest LQ in the category; partners come from the Innovate UK collaboration network filtered to the sector (shared projects, then £).',
      ...(s.sources.innovateUk.synthetic
        ? ['Innovate UK figures are SYNTHETIC (generated stand-in data), not real grants.']
        : []),
    ],
  };
}

/** Where the collaboration network cannot speak: it is Innovate UK co-participation by sector. */
const NO_PARTNERS: Record<string, string> = {
  industry:
    'No collaboration partners on the employment basis: the collaboration network is Innovate UK co-participation, which has no employment industries; see the leaders instead.',
  programme:
    'No collaboration partners by programme: the collaboration network is filtered by Innovate UK sector and competition year, not by programme; see the leaders, or the sector opportunities.',
};

export function smartSpecialisationRoutes() {
  return createRouter().openapi(route, async (c) => {
    const { code } = c.req.valid('param');
    const q = c.req.valid('query');
    const s = await lepSmartSpecialisation(c.var.deps.db, code, {
      ...DEFAULT_SMART_CRITERIA,
      lqThreshold: q.lqThreshold ? Number(q.lqThreshold) : DEFAULT_SMART_CRITERIA.lqThreshold,
      densityThreshold: q.densityThreshold ?? DEFAULT_SMART_CRITERIA.densityThreshold,
    });
    return c.json(toSmartJson(s), 200);
  });
}

const BASIS_WORDS: Record<string, string> = {
  'employment/industry': 'employment',
  'grant/sector': 'IUK £ by sector',
  'grant/programme': 'IUK £ by programme',
};
const basisWord = (m: string, c: string) => BASIS_WORDS[`${m}/${c}`] ?? `${m} by ${c}`;
const f2 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));

/** The PDF section's rows: one per answer, the evidence in numbers. */
export function smartPdfSection(j: ReturnType<typeof toSmartJson>) {
  const rows = [
    ...j.goodAt.categories.map((x) => ({
      question: 'Good at',
      category: x.category,
      evidence: `LQ ${f2(x.lq)}, rank ${x.lqRank ?? 'n/a'}/${x.lqRanked} · ${basisWord(x.measure, x.categories)} ${x.period === 'all' ? 'all years' : x.period}`,
    })),
    ...j.goodAt.indicators.map((x) => ({
      question: 'Good at',
      category: x.title,
      evidence: `rank ${x.rank ?? 'n/a'}/${x.n}, percentile ${x.percentile === null ? 'n/a' : Math.round(x.percentile)} · indicator ${x.year}`,
    })),
    ...j.mightLead.map((x) => ({
      question: 'Might lead',
      category: x.category,
      evidence: `LQ ${f2(x.lqFirst)} to ${f2(x.lqLast)} (${x.firstYear}–${x.lastYear}), rank ${x.rankFirst ?? 'n/a'} to ${x.rankLast ?? 'n/a'} · ${basisWord(x.measure, x.categories)}`,
    })),
    ...j.couldGetUsThere.map((x) => {
      const partner = x.partners?.[0];
      const leader = x.leaders[0];
      const who = partner
        ? `partner ${partner.area.name} (${partner.sharedProjects} shared projects)`
        : leader
          ? `leader ${leader.area.name} (LQ ${f2(leader.lq)})`
          : '';
      return {
        question: 'Could get us there',
        category: x.category,
        evidence: `density ${x.density.toFixed(0)}, LQ ${f2(x.lq)} · ${who}`,
      };
    }),
  ];
  // Two pages hold about eight rows here: each question keeps its strongest items so all three show.
  const keep = (q: string, n: number) => rows.filter((x) => x.question === q).slice(0, n);
  const shown = [...keep('Good at', 3), ...keep('Might lead', 2), ...keep('Could get us there', 3)];
  return {
    rows: shown,
    total: rows.length,
    href: `/v1/leps/${j.lep.code}/smart-specialisation`,
    criteria: `LQ >= ${j.criteria.lqThreshold}; density >= ${j.criteria.densityThreshold}; vs England`,
    note: `Smart specialisation: the strongest ${shown.length} of ${rows.length} items are printed; every item with its values, counts, ranks and links is at ${`/v1/leps/${j.lep.code}/smart-specialisation`}. Good at: LQ >= ${j.criteria.lqThreshold} (not small numbers) or an indicator in the top quartile; might lead: LQ rising over ${j.criteria.minTrendYears}+ years to >= ${j.criteria.leadFloor} with support >= the minimum in the last year; could get us there: LQ <= 1 and relatedness density >= ${j.criteria.densityThreshold}.`,
    sources: j.sources.employment.loaded
      ? [{ title: j.sources.employment.title, licence: j.sources.employment.licence }]
      : [],
  };
}
