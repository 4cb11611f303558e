import { createRoute, z } from '@hono/zod-openapi';
import { AREA_TYPE_LABELS } from '../domain/geography.ts';
import { ruleNotes, rulesOf } from '../domain/investment-rules.ts';
import { exportResponse } from '../http/export.ts';
import { mapResponse } from '../http/geojson.ts';
import { moneyOf } from '../http/money.ts';
import { cursorCodec, cursorKey, PageSchema, pageQuery, paginate } from '../http/pagination.ts';
import { AreaCode } from '../http/params.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { dispositionOf } from '../http/provenance.ts';
import { createRouter } from '../http/router.ts';
import { type AreaInvestmentReport, renderAreaInvestmentPdf } from '../render/pdf/area-investment-report.ts';
import { preparePdfFonts } from '../render/pdf/fonts.ts';
import {
  type AreaInvestments,
  areaInvestments,
  investmentExport,
  investmentPage,
  investmentSummary,
  positionOf,
  type SummaryGroup as SummaryGroupRow,
} from '../services/investments.ts';
import {
  INVESTMENT_MAP_TYPES,
  type InvestmentMapType,
  investmentMap,
  investmentPoints,
} from '../services/maps.ts';
import { areaReport } from '../services/smart-specialisation.ts';
import { tableResponse } from './indicator-views.ts';
import {
  DataSourceSchema,
  filterQuery,
  INVESTMENT_EXPORT_COLUMNS,
  InvestmentSchema,
  MoneySchema,
  ORG_TYPES,
  RulesSchema,
  toDataSource,
  toInvestment,
} from './investment-views.ts';
import {
  InvestmentGeoJson,
  InvestmentHexJson,
  mapContent,
  mapFormatQuery,
  PointsGeoJson,
} from './map-views.ts';
import { smartPdfSection, toSmartJson } from './smart-specialisation.ts';

const GROUP_BY = ['sector', 'orgType', 'year', 'lep', 'lad', 'region', 'pcon', 'pcon2024'] as const;
/**
 * The participant list's cursor: (sort key, id); the key is pence (sort=amount) or an ISO date
 * (sort=date). The example is the second page of the sample's default list, [242328200, 1233].
 */
const investmentCursor = cursorCodec(
  z.tuple([z.union([cursorKey.pence, z.string().regex(/^([0-9]{4}-[0-9]{2}-[0-9]{2})?$/)]), cursorKey.id]),
  { example: 'WzI0MjMyODIwMCwxMjMzXQ' },
);

const listRoute = createRoute({
  method: 'get',
  path: '/investments',
  operationId: 'listInvestments',
  description:
    'Innovate UK participant rows (one per organisation per project), filtered by area, postcode, sector, organisation type, organisation, text, years, status and lead; sorted by amount or date; cursor-paginated. CSV, XLSX and GeoJSON stream every matching row. The counting rules (withdrawn participants, area overlap) are stated in `rules`.',
  tags: ['Innovate UK'],
  summary:
    'Participant-level grants, filtered by geography, sector, organisation type, organisation and year',
  request: {
    query: z.object({
      ...filterQuery,
      sort: z
        .enum(['amount', 'date'])
        .default('amount')
        .openapi({ description: 'Grant offered, or project start date.', example: 'amount' }),
      order: z
        .enum(['desc', 'asc'])
        .default('desc')
        .openapi({ description: 'Largest or latest first (desc), or the reverse.', example: 'desc' }),
      format: z.enum(['json', 'csv', 'xlsx', 'geojson']).default('json').openapi({
        description:
          'json (one page); csv, xlsx or geojson (participants as points at their postcodes) stream every matching row, not one page.',
        example: 'json',
      }),
      ...pageQuery(investmentCursor),
    }),
  },
  responses: {
    200: withContent(
      tableResponse(
        z
          .object({
            rules: RulesSchema,
            source: DataSourceSchema,
            data: z.array(InvestmentSchema),
            page: PageSchema,
          })
          .openapi('InvestmentList'),
        'One page of participants',
      ),
      mapContent({ geojson: PointsGeoJson }),
    ),
    ...problemResponses('bad_request'),
  },
});

const SummaryGroup = z
  .object({
    key: z
      .string()
      .nullable()
      .openapi({ description: 'Group value (sector, type, year, or area code); null when not stated.' }),
    label: z.string().nullable(),
    grantOffered: MoneySchema,
    participants: z
      .number()
      .openapi({ description: 'Participant rows (fractional under the split policy).' }),
    projects: z.number().int(),
    organisations: z.number().int(),
  })
  .openapi('InvestmentSummaryGroup');

const Part = z.object({
  grantOffered: MoneySchema,
  participants: z.number().openapi({ description: 'Participant rows (fractional under the split policy).' }),
});

const Reconciliation = z
  .object({
    outside: Part.openapi({
      description:
        'Matching participants in no area of this type (e.g. outside every LEP: in Scotland, Wales or Northern Ireland, or not placed), each counted once. They are in the total but in no row.',
    }),
    countedTwice: Part.openapi({
      description:
        'What the rows count more than once: under overlap=full a participant in two LEPs is in both rows (0 under split and primary).',
    }),
    rule: z.string().openapi({ example: 'sum of groups + outside − countedTwice = total' }),
  })
  .openapi('InvestmentSummaryReconciliation');

const summaryRoute = createRoute({
  method: 'get',
  path: '/investments/summary',
  operationId: 'summariseInvestments',
  description:
    'Grant offered, participants, distinct projects and distinct organisations for the same filters as /v1/investments, in total and grouped by one dimension (sector, organisation type, year or an area type). Unfiltered summaries read the precomputed totals. JSON, CSV, XLSX, or a map for area groupings.',
  tags: ['Innovate UK'],
  summary: '£ offered, participants, distinct projects and organisations — in total and grouped',
  request: {
    query: z.object({
      ...filterQuery,
      groupBy: z
        .enum(GROUP_BY)
        .optional()
        .openapi({ description: 'Group by one dimension; omit for the total only.', example: 'sector' }),
      format: z
        .enum(['json', 'csv', 'xlsx', 'geojson', 'hexjson'])
        .default('json')
        .openapi({
          description: `json, csv, xlsx, or a map with the figures joined (groupBy ${INVESTMENT_MAP_TYPES.join('|')}): geojson, hexjson (lep, pcon2024).`,
          example: 'json',
        }),
      ...mapFormatQuery,
    }),
  },
  responses: {
    200: withContent(
      tableResponse(
        z
          .object({
            rules: RulesSchema,
            source: DataSourceSchema,
            computedFrom: z.enum(['precomputed totals', 'participants']).openapi({
              description:
                'Where the figures were read: the precomputed totals, or the participant rows (any other filter).',
            }),
            groupBy: z.enum(GROUP_BY).nullable(),
            total: SummaryGroup,
            groups: z.array(SummaryGroup),
            reconciliation: Reconciliation.nullable().openapi({
              description: 'How the rows add up to the total, when grouped by an area type; otherwise null.',
            }),
          })
          .openapi('InvestmentSummary'),
        'Totals',
      ),
      mapContent({ geojson: InvestmentGeoJson, hexjson: InvestmentHexJson }),
    ),
    ...problemResponses('bad_request'),
  },
});

function withContent<T extends { content: object }>(r: T, extra: object) {
  return { ...r, content: { ...r.content, ...extra } };
}

const areaQuery = z.object({
  overlap: filterQuery.overlap,
});

const AreaInvestmentsSchema = z
  .object({
    area: z.object({ code: z.string(), name: z.string(), type: z.string(), href: z.string() }),
    rules: RulesSchema,
    source: DataSourceSchema,
    totals: z.object({
      grantOffered: MoneySchema,
      participants: z.number(),
      leadParticipants: z.number(),
      projects: z.number().int(),
      organisations: z.number().int(),
      shareOfEngland: z
        .number()
        .nullable()
        .openapi({ description: '£ offered as a share (0–1) of England’s.' }),
    }),
    england: z
      .object({ grantPence: z.number(), participants: z.number(), projects: z.number().int() })
      .nullable()
      .openapi({
        description: 'England’s totals under the same rules, for context (null for England itself).',
      }),
    byYear: z.array(
      z.object({
        year: z.number().int().nullable(),
        grantOffered: MoneySchema,
        participants: z.number(),
        projects: z.number().int(),
      }),
    ),
    topSectors: z.array(
      z.object({
        sector: z.string(),
        grantOffered: MoneySchema,
        participants: z.number(),
        projects: z.number().int(),
        share: z.number(),
      }),
    ),
    byOrgType: z.array(
      z.object({
        orgType: z.enum(ORG_TYPES),
        label: z.string(),
        grantOffered: MoneySchema,
        participants: z.number(),
      }),
    ),
    topOrganisations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        orgType: z.string(),
        grantOffered: MoneySchema,
        projects: z.number().int(),
        href: z.string(),
      }),
    ),
    links: z.object({ pdf: z.string(), investments: z.string(), summary: z.string() }),
  })
  .openapi('AreaInvestments');

const areaRoute = createRoute({
  method: 'get',
  path: '/areas/{code}/investments',
  operationId: 'getAreaInvestments',
  description:
    'The Innovate UK headline for one area (England, a region, LEP, district or constituency): totals, the trend by year, the top sectors and the top organisations, under the stated overlap rule.',
  tags: ['Innovate UK'],
  summary: 'An area’s headline totals, trend by year, top sectors and top organisations',
  request: {
    params: z.object({ code: AreaCode }),
    query: areaQuery,
  },
  responses: {
    200: {
      description: 'Headline figures (from the precomputed totals)',
      content: { 'application/json': { schema: AreaInvestmentsSchema } },
    },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const pdfRoute = createRoute({
  method: 'get',
  path: '/areas/{code}/investments.pdf',
  operationId: 'getAreaInvestmentsPdf',
  description:
    'The area headline as a printable PDF of one or two A4 pages, dated by the dataset and citing its version, with the URL that reproduces every figure. Byte-identical for the same dataset.',
  tags: ['Innovate UK'],
  summary: 'A one-to-two-page printable summary of Innovate UK investment in an area',
  request: {
    params: z.object({ code: AreaCode }),
    query: areaQuery,
  },
  responses: {
    200: {
      description: 'PDF report',
      content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const toSummaryGroup = (g: SummaryGroupRow) => ({
  key: g.key,
  label: g.label,
  grantOffered: moneyOf(g.grantPence),
  participants: Number(g.participants),
  projects: g.projects,
  organisations: g.organisations,
});

/** The area report's JSON: exact money, links to the lists and summaries behind the figures. */
function toAreaInvestmentsJson(a: AreaInvestments) {
  return {
    area: { code: a.area.code, name: a.area.name, type: a.area.type, href: `/v1/areas/${a.area.code}` },
    rules: rulesOf(a.filters),
    source: toDataSource(a.source),
    totals: {
      grantOffered: moneyOf(a.totals.grantPence),
      participants: a.totals.participants,
      leadParticipants: a.totals.leadParticipants,
      projects: a.totals.projects,
      organisations: a.totals.organisations,
      shareOfEngland: a.totals.shareOfEngland,
    },
    england: a.england,
    byYear: a.byYear.map(({ grantPence, ...y }) => ({ ...y, grantOffered: moneyOf(grantPence) })),
    topSectors: a.topSectors.map(({ grantPence, ...s }) => ({ ...s, grantOffered: moneyOf(grantPence) })),
    byOrgType: a.byOrgType.map(({ grantPence, ...o }) => ({ ...o, grantOffered: moneyOf(grantPence) })),
    topOrganisations: a.topOrganisations.map(({ grantPence, ...o }) => ({
      ...o,
      grantOffered: moneyOf(grantPence),
      href: `/v1/organisations/${o.id}`,
    })),
    links: {
      pdf: `/v1/areas/${a.area.code}/investments.pdf`,
      investments: `/v1/investments?area=${a.area.code}`,
      summary: `/v1/investments/summary?area=${a.area.code}&groupBy=year`,
    },
  };
}

export function investmentRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const db = c.var.deps.db;
      if (q.format === 'geojson') return mapResponse(c, await investmentPoints(db, q));
      if (q.format !== 'json') {
        const { filters, batches, count } = await investmentExport(db, q);
        return exportResponse(c, q.format, {
          filename: `innovate-uk-investments${q.area ? `-${q.area}` : ''}`,
          title: 'Innovate UK participants',
          rows: mapBatches(batches, (r) => toInvestment(r.p, r.projectTitle, r.orgName)),
          columns: INVESTMENT_EXPORT_COLUMNS,
          notes: ruleNotes(filters),
          count,
          sources: [{ id: 'innovate_uk' }],
        });
      }
      const { filters, source, rows, total } = await investmentPage(db, { ...q, after: q.cursor });
      const { data, page } = paginate(rows, q.limit, total, investmentCursor, (r) => positionOf(r, q.sort));
      return c.json(
        {
          rules: rulesOf(filters),
          source: toDataSource(source),
          data: data.map((r) => toInvestment(r.p, r.projectTitle, r.orgName)),
          page,
        },
        200,
      );
    })
    .openapi(summaryRoute, async (c) => {
      const q = c.req.valid('query');
      if (q.format === 'geojson' || q.format === 'hexjson') {
        const { format, groupBy, classes, k, ...filters } = q;
        if (!(INVESTMENT_MAP_TYPES as readonly string[]).includes(groupBy ?? '')) {
          throw new ApiError(
            'bad_request',
            `A ${format} map needs groupBy ${INVESTMENT_MAP_TYPES.join(', ')}.`,
            [{ location: 'query.groupBy', message: `Expected one of: ${INVESTMENT_MAP_TYPES.join(', ')}` }],
          );
        }
        const query = { filters, groupBy: groupBy as InvestmentMapType, classes, k, format };
        return mapResponse(c, await investmentMap(c.var.deps.db, query));
      }
      const s = await investmentSummary(c.var.deps.db, q);
      const total = toSummaryGroup(s.total);
      const groups = s.groups.map(toSummaryGroup);
      if (q.format === 'csv' || q.format === 'xlsx') {
        return exportResponse(c, q.format, {
          filename: `innovate-uk-summary${q.groupBy ? `-by-${q.groupBy}` : ''}`,
          title: 'Innovate UK investment summary',
          rows: groups.length ? groups : [total],
          columns: [
            { header: q.groupBy ?? 'total', description: 'Group value', value: (r) => r.key },
            { header: 'label', description: 'Group name', value: (r) => r.label },
            {
              header: 'grant_offered_gbp',
              kind: 'money',
              description: 'Sum of Grant/Award Offered, £',
              value: (r) => r.grantOffered.pounds,
            },
            {
              header: 'participants',
              description: 'Participant rows (fractional under split)',
              value: (r) => r.participants,
            },
            { header: 'projects', description: 'Distinct projects', value: (r) => r.projects },
            { header: 'organisations', description: 'Distinct organisations', value: (r) => r.organisations },
          ],
          notes: ruleNotes(s.filters),
          sources: [{ id: 'innovate_uk' }, { id: 'geo_lookups' }],
        });
      }
      return c.json(
        {
          rules: rulesOf(s.filters),
          source: toDataSource(s.source),
          computedFrom: s.fromTotals ? ('precomputed totals' as const) : ('participants' as const),
          groupBy: q.groupBy ?? null,
          total,
          groups,
          reconciliation: s.reconciliation
            ? {
                outside: {
                  grantOffered: moneyOf(s.reconciliation.outsideGrantPence),
                  participants: s.reconciliation.outsideParticipants,
                },
                countedTwice: {
                  grantOffered: moneyOf(s.reconciliation.countedTwiceGrantPence),
                  participants: s.reconciliation.countedTwiceParticipants,
                },
                rule: 'sum of groups + outside − countedTwice = total',
              }
            : null,
        },
        200,
      );
    })
    .openapi(areaRoute, async (c) => {
      const a = await areaInvestments(c.var.deps.db, c.req.valid('param').code, c.req.valid('query').overlap);
      return c.json(toAreaInvestmentsJson(a), 200);
    })
    .openapi(pdfRoute, async (c) => {
      const q = c.req.valid('query');
      const { a, smart } = await areaReport(c.var.deps.db, c.req.valid('param').code, q.overlap);
      const report = toPdfReport(a, reproduceUrl(c.req.url, a.area.code, q));
      const section = smart ? smartPdfSection(toSmartJson(smart)) : null;
      await preparePdfFonts(c.var.deps.assets);
      const pdf = await renderAreaInvestmentPdf({
        ...report,
        smartSpecialisation: section,
        notes: section ? [...report.notes, section.note] : report.notes,
        sources: section ? [...report.sources, ...section.sources] : report.sources,
      });
      return new Response(new Uint8Array(pdf), {
        status: 200,
        headers: {
          'Content-Type': 'application/pdf',
          'Content-Disposition': dispositionOf(
            {
              version: report.dataset.version,
              synthetic: report.dataset.synthetic,
              sample: report.dataset.sample ?? false,
            },
            `innovate-uk-${a.area.code}`,
            'pdf',
            'inline',
          ),
        },
      });
    });
}

/**
 * The absolute URL a printed report cites: this request's origin and path with every query
 * parameter the route takes, defaults included, in a fixed order — so the same report always
 * prints the same URL and the figures can be fetched again exactly.
 */
function reproduceUrl(requestUrl: string, code: string, q: z.infer<typeof areaQuery>): string {
  const url = new URL(requestUrl);
  // The path as asked, with the area code as the API writes it (a lower-case code is accepted).
  const path = url.pathname.replace(/\/areas\/[^/]+\//, `/areas/${encodeURIComponent(code)}/`);
  const query = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
  return `${url.origin}${path}?${query}`;
}

/** What the PDF shows, from the same model as the JSON answer. */
function toPdfReport(a: AreaInvestments, url: string): AreaInvestmentReport {
  const rules = rulesOf(a.filters);
  const pence = (text: string) => moneyOf(text).pence;
  // An area is only found in a loaded dataset, so its version and build time are always known.
  const dataset = a.source.dataset;
  if (!dataset) throw new Error('area investment report without a current dataset');
  return {
    area: {
      code: a.area.code,
      name: a.area.name,
      type: a.area.type,
      typeLabel: AREA_TYPE_LABELS[a.area.type],
    },
    // The dataset's build time, not the clock: the same dataset always gives the same bytes.
    generatedAt: dataset.builtAt,
    dataset: {
      version: dataset.version,
      label: a.source.title,
      synthetic: a.source.synthetic,
      sample: dataset.isSample,
    },
    rules: [rules.counting, `Withdrawn participants ${rules.withdrawn}.`, rules.overlap.meaning],
    totals: {
      grantPence: pence(a.totals.grantPence),
      participants: a.totals.participants,
      projects: a.totals.projects,
      organisations: a.totals.organisations,
      leadParticipants: a.totals.leadParticipants,
    },
    england: a.england,
    byYear: a.byYear.flatMap((y) =>
      y.year === null ? [] : [{ year: y.year, grantPence: pence(y.grantPence), projects: y.projects }],
    ),
    topSectors: a.topSectors.map((s) => ({
      sector: s.sector,
      grantPence: pence(s.grantPence),
      projects: s.projects,
      share: s.share,
    })),
    byOrgType: a.byOrgType.map((o) => ({
      orgType: o.orgType,
      label: o.label,
      grantPence: pence(o.grantPence),
      participants: o.participants,
    })),
    topOrganisations: a.topOrganisations.map((o) => ({
      name: o.name,
      orgType: o.orgType,
      grantPence: pence(o.grantPence),
      projects: o.projects,
    })),
    sources: [{ title: a.source.title, licence: a.source.licence }],
    notes: [rules.location],
    url,
  };
}

async function* mapBatches<R, T>(batches: AsyncIterable<R[]>, map: (row: R) => T): AsyncIterable<T[]> {
  for await (const batch of batches) yield batch.map(map);
}
