import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import {
  areaNames,
  countInvestments,
  type GroupBy,
  type InvestmentFilters,
  listInvestments,
  readAreaTotals,
  type SortKey,
  summariseFromTotals,
  summariseInvestments,
  topOrganisations,
  totalsCanAnswer,
} from '../db/investment-queries.ts';
import { AREA_TYPE_LABELS, type AreaType, GSS_CODE } from '../domain/geography.ts';
import { exportResponse } from '../http/export.ts';
import { mapResponse } from '../http/geojson.ts';
import { money } from '../http/money.ts';
import { decodeCursor, encodeCursor, PageSchema, pageQuery } from '../http/pagination.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { renderAreaInvestmentPdf } from '../report/investment-pdf.ts';
import {
  INVESTMENT_MAP_TYPES,
  type InvestmentMapType,
  investmentMap,
  investmentPoints,
} from '../services/maps.ts';
import { tableResponse } from './indicator-views.ts';
import {
  DataSourceSchema,
  filterQuery,
  INVESTMENT_EXPORT_COLUMNS,
  InvestmentSchema,
  investmentSource,
  MoneySchema,
  ORG_TYPE_LABELS,
  ORG_TYPES,
  RulesSchema,
  resolveFilters,
  resolveInvestmentArea,
  ruleNotes,
  rulesOf,
  toInvestment,
} from './investment-views.ts';
import {
  InvestmentGeoJson,
  InvestmentHexJson,
  mapContent,
  mapFormatQuery,
  PointsGeoJson,
} from './map-views.ts';

const GROUP_BY = ['sector', 'orgType', 'year', 'lep', 'lad', 'region', 'pcon', 'pcon2024'] as const;
/** Batch size when streaming every matching row into an export. */
const EXPORT_BATCH = 5_000;

const listRoute = createRoute({
  method: 'get',
  path: '/investments',
  tags: ['Innovate UK'],
  summary:
    'Participant-level grants, filtered by geography, sector, organisation type, organisation and year',
  request: {
    query: z.object({
      ...filterQuery,
      sort: z
        .enum(['amount', 'date'])
        .default('amount')
        .openapi({ description: 'Grant offered, or project start date.' }),
      order: z.enum(['desc', 'asc']).default('desc'),
      format: z.enum(['json', 'csv', 'xlsx', 'geojson']).default('json').openapi({
        description:
          'json (one page); csv, xlsx or geojson (participants as points at their postcodes) stream every matching row, not one page.',
        example: 'json',
      }),
      ...pageQuery,
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

const summaryRoute = createRoute({
  method: 'get',
  path: '/investments/summary',
  tags: ['Innovate UK'],
  summary: '£ offered, participants, distinct projects and organisations — in total and grouped',
  request: {
    query: z.object({
      ...filterQuery,
      groupBy: z
        .enum(GROUP_BY)
        .optional()
        .openapi({ description: 'Group by one dimension; omit for the total only.' }),
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
          })
          .openapi('InvestmentSummary'),
        'Totals',
      ),
      mapContent({ geojson: InvestmentGeoJson, hexjson: InvestmentHexJson }),
    ),
    ...problemResponses('bad_request'),
  },
});

const areaQuery = z.object({
  overlap: filterQuery.overlap,
});

const AreaInvestments = z
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
  tags: ['Innovate UK'],
  summary: 'An area’s headline totals, trend by year, top sectors and top organisations',
  request: {
    params: z.object({ code: z.string().regex(GSS_CODE, 'Expected a GSS code such as E37000015') }),
    query: areaQuery,
  },
  responses: {
    200: {
      description: 'Headline figures (from the precomputed totals)',
      content: { 'application/json': { schema: AreaInvestments } },
    },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const pdfRoute = createRoute({
  method: 'get',
  path: '/areas/{code}/investments.pdf',
  tags: ['Innovate UK'],
  summary: 'A one-to-two-page printable summary of Innovate UK investment in an area',
  request: {
    params: z.object({ code: z.string().regex(GSS_CODE, 'Expected a GSS code such as E37000015') }),
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

function withContent<T extends { content: object }>(r: T, extra: object) {
  return { ...r, content: { ...r.content, ...extra } };
}

type ListQuery = z.infer<typeof listRoute.request.query>;

function cursorAfter(cursor: string | undefined, sort: SortKey): [string | number, number] | undefined {
  const raw = decodeCursor(cursor);
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      Number.isInteger(v[1]) &&
      (sort === 'amount' ? Number.isFinite(v[0]) : typeof v[0] === 'string')
    ) {
      return [v[0] as string | number, v[1] as number];
    }
  } catch {
    // fall through
  }
  throw new ApiError(
    'bad_request',
    'The cursor does not belong to this sort order. Start again without a cursor.',
    [{ location: 'query.cursor', message: 'Invalid cursor for this sort' }],
  );
}

async function* allInvestments(db: Db, f: InvestmentFilters, q: ListQuery) {
  let after: [string | number, number] | undefined;
  for (;;) {
    const rows = await listInvestments(db, f, { sort: q.sort, order: q.order, after, limit: EXPORT_BATCH });
    const batch = rows.slice(0, EXPORT_BATCH);
    yield batch.map((r) => toInvestment(r.p, r.projectTitle, r.orgName));
    const last = batch.at(-1);
    if (rows.length <= EXPORT_BATCH || !last) return;
    after = [q.sort === 'amount' ? Number(last.sortValue) : String(last.sortValue), last.p.id];
  }
}

const numberOf = (text: string) => Number(text);

const pounds = (pence: string) => money(pence) as NonNullable<ReturnType<typeof money>>;

/** Everything the area JSON and PDF show: one read of the area's precomputed totals, England's, and the top organisations. */
async function areaInvestments(db: Db, code: string, overlap: 'full' | 'split' | 'primary') {
  const area = await resolveInvestmentArea(db, code);
  if (!area) throw new ApiError('not_found', `No area with investment totals has code ${code}.`);
  const f: InvestmentFilters = { area: { type: area.type as never, code: area.code }, overlap };
  const [rows, england, top, source] = await Promise.all([
    readAreaTotals(db, area, ['all', 'year', 'sector', 'orgType'], overlap),
    area.code === 'E92000001'
      ? Promise.resolve([])
      : readAreaTotals(db, { type: 'country', code: 'E92000001' }, ['all']),
    topOrganisations(db, f, 10),
    investmentSource(db),
  ]);
  const of = (dim: string) => rows.filter((r) => r.dim === dim);
  const total = of('all')[0];
  const eng = england[0];
  const totalGrant = Number(total?.grantPence ?? 0);
  const byGrant = (a: { grantPence: string }, b: { grantPence: string }) =>
    Number(b.grantPence) - Number(a.grantPence);
  return {
    area: { code: area.code, name: area.name, type: area.type, href: `/v1/areas/${area.code}` },
    rules: rulesOf(f),
    source,
    totals: {
      grantOffered: pounds(total?.grantPence ?? '0'),
      participants: Number(total?.participants ?? 0),
      leadParticipants: Number(total?.leadParticipants ?? 0),
      projects: total?.projects ?? 0,
      organisations: total?.organisations ?? 0,
      shareOfEngland:
        eng && Number(eng.grantPence)
          ? totalGrant / Number(eng.grantPence)
          : area.code === 'E92000001'
            ? 1
            : null,
    },
    england: eng
      ? { grantPence: Number(eng.grantPence), participants: Number(eng.participants), projects: eng.projects }
      : null,
    byYear: of('year')
      .map((r) => ({
        year: r.key === '0' ? null : Number(r.key),
        grantOffered: pounds(r.grantPence),
        participants: Number(r.participants),
        projects: r.projects,
      }))
      .sort((a, b) => (a.year ?? 0) - (b.year ?? 0)),
    topSectors: of('sector')
      .sort(byGrant)
      .slice(0, 10)
      .map((r) => ({
        sector: r.key || '(not stated)',
        grantOffered: pounds(r.grantPence),
        participants: Number(r.participants),
        projects: r.projects,
        share: totalGrant ? Number(r.grantPence) / totalGrant : 0,
      })),
    byOrgType: of('orgType')
      .sort(byGrant)
      .map((r) => ({
        orgType: r.key as (typeof ORG_TYPES)[number],
        label: ORG_TYPE_LABELS[r.key as (typeof ORG_TYPES)[number]] ?? r.key,
        grantOffered: pounds(r.grantPence),
        participants: Number(r.participants),
      })),
    topOrganisations: top.map((o) => ({
      id: o.id,
      name: o.name,
      orgType: o.orgType,
      grantOffered: pounds(o.grantPence),
      projects: o.projects,
      href: `/v1/organisations/${o.id}`,
    })),
    links: {
      pdf: `/v1/areas/${area.code}/investments.pdf`,
      investments: `/v1/investments?area=${area.code}`,
      summary: `/v1/investments/summary?area=${area.code}&groupBy=year`,
    },
  };
}

export function investmentRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const db = c.var.deps.db;
      const f = await resolveFilters(db, q);
      if (q.format === 'geojson') {
        return mapResponse(await investmentPoints(db, f, { sort: q.sort, order: q.order }, c.req.url));
      }
      if (q.format !== 'json') {
        return exportResponse(q.format, {
          filename: `innovate-uk-investments${q.area ? `-${q.area}` : ''}`,
          title: 'Innovate UK participants',
          rows: allInvestments(db, f, q),
          columns: INVESTMENT_EXPORT_COLUMNS,
          notes: ruleNotes(f),
          sources: [await investmentSource(db)].map((s) => ({
            title: s.title,
            licence: s.licence,
            provenance: s.synthetic ? 'SYNTHETIC' : '',
          })),
        });
      }
      const after = cursorAfter(q.cursor, q.sort);
      const [rows, total, source] = await Promise.all([
        listInvestments(db, f, { sort: q.sort, order: q.order, after, limit: q.limit }),
        // The list never splits rows, so its count is the full (or primary) participant count.
        totalsCanAnswer(f, undefined)
          ? summariseFromTotals(
              db,
              { ...f, overlap: f.overlap === 'primary' ? 'primary' : 'full' },
              undefined,
            ).then((r) => Number(r.total.participants))
          : countInvestments(db, f),
        investmentSource(db),
      ]);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return c.json(
        {
          rules: rulesOf(f),
          source,
          data: page.map((r) => toInvestment(r.p, r.projectTitle, r.orgName)),
          page: {
            limit: q.limit,
            total,
            nextCursor:
              rows.length > q.limit && last
                ? encodeCursor(
                    JSON.stringify([
                      q.sort === 'amount' ? Number(last.sortValue) : String(last.sortValue),
                      last.p.id,
                    ]),
                  )
                : null,
          },
        },
        200,
      );
    })
    .openapi(summaryRoute, async (c) => {
      const q = c.req.valid('query');
      const db = c.var.deps.db;
      const f = await resolveFilters(db, q);
      const groupBy = q.groupBy as GroupBy | undefined;
      if (q.format === 'geojson' || q.format === 'hexjson') {
        if (!(INVESTMENT_MAP_TYPES as readonly string[]).includes(q.groupBy ?? '')) {
          throw new ApiError(
            'bad_request',
            `A ${q.format} map needs groupBy ${INVESTMENT_MAP_TYPES.join(', ')}.`,
            [{ location: 'query.groupBy', message: `Expected one of: ${INVESTMENT_MAP_TYPES.join(', ')}` }],
          );
        }
        const mapOf = { filters: f, groupBy: q.groupBy as InvestmentMapType, classes: q.classes, k: q.k };
        return mapResponse(await investmentMap(db, { ...mapOf, format: q.format }));
      }
      const fromTotals = totalsCanAnswer(f, groupBy);
      const [result, source] = await Promise.all([
        fromTotals ? summariseFromTotals(db, f, groupBy) : summariseInvestments(db, f, groupBy),
        investmentSource(db),
      ]);
      const labelType: Partial<Record<GroupBy, AreaType>> = {
        lep: 'lep',
        lad: 'lad',
        region: 'region',
        pcon: 'pcon',
        pcon2024: 'pcon2024',
      };
      const areaType = q.groupBy ? labelType[q.groupBy as GroupBy] : undefined;
      const names = areaType
        ? await areaNames(
            db,
            areaType,
            (result.groups ?? []).flatMap((g) => (g.key ? [g.key] : [])),
          )
        : new Map();
      const toGroup = (g: NonNullable<typeof result.total>) => ({
        key: q.groupBy === 'year' && g.key === '0' ? null : g.key === '' ? null : g.key,
        label:
          g.key === null
            ? null
            : q.groupBy === 'orgType'
              ? (ORG_TYPE_LABELS[g.key as (typeof ORG_TYPES)[number]] ?? g.key)
              : areaType
                ? (names.get(g.key) ?? null)
                : g.key || '(not stated)',
        grantOffered: money(g.grantPence) as NonNullable<ReturnType<typeof money>>,
        participants: numberOf(g.participants),
        projects: g.projects,
        organisations: g.organisations,
      });
      const total = toGroup(
        result.total ?? { key: null, grantPence: '0', participants: '0', projects: 0, organisations: 0 },
      );
      const groups = (result.groups ?? []).map(toGroup);
      if (q.format === 'csv' || q.format === 'xlsx') {
        const rows = groups.length ? groups : [total];
        return exportResponse(q.format, {
          filename: `innovate-uk-summary${q.groupBy ? `-by-${q.groupBy}` : ''}`,
          title: 'Innovate UK investment summary',
          rows,
          columns: [
            { header: q.groupBy ?? 'total', description: 'Group value', value: (r) => r.key },
            { header: 'label', description: 'Group name', value: (r) => r.label },
            {
              header: 'grant_offered_gbp',
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
          notes: ruleNotes(f),
        });
      }
      return c.json(
        {
          rules: rulesOf(f),
          source,
          computedFrom: fromTotals ? ('precomputed totals' as const) : ('participants' as const),
          groupBy: groupBy ?? null,
          total,
          groups,
        },
        200,
      );
    })
    .openapi(areaRoute, async (c) => {
      const data = await areaInvestments(
        c.var.deps.db,
        c.req.valid('param').code,
        c.req.valid('query').overlap,
      );
      return c.json(data, 200);
    })
    .openapi(pdfRoute, async (c) => {
      const code = c.req.valid('param').code;
      const overlap = c.req.valid('query').overlap;
      const data = await areaInvestments(c.var.deps.db, code, overlap);
      const pdf = await renderAreaInvestmentPdf({
        area: {
          code: data.area.code,
          name: data.area.name,
          type: data.area.type,
          typeLabel: AREA_TYPE_LABELS[data.area.type as AreaType],
        },
        generatedAt: new Date().toISOString(),
        dataset: { version: '', label: data.source.title, synthetic: data.source.synthetic },
        rules: [
          data.rules.counting,
          `Withdrawn participants ${data.rules.withdrawn}.`,
          data.rules.overlap.meaning,
        ],
        totals: {
          grantPence: data.totals.grantOffered.pence,
          participants: data.totals.participants,
          projects: data.totals.projects,
          organisations: data.totals.organisations,
          leadParticipants: data.totals.leadParticipants,
        },
        england: data.england,
        byYear: data.byYear.flatMap((y) =>
          y.year === null ? [] : [{ year: y.year, grantPence: y.grantOffered.pence, projects: y.projects }],
        ),
        topSectors: data.topSectors.map((s) => ({
          sector: s.sector,
          grantPence: s.grantOffered.pence,
          projects: s.projects,
          share: s.share,
        })),
        byOrgType: data.byOrgType.map((o) => ({
          orgType: o.orgType,
          label: o.label,
          grantPence: o.grantOffered.pence,
          participants: o.participants,
        })),
        topOrganisations: data.topOrganisations.map((o) => ({
          name: o.name,
          orgType: o.orgType,
          grantPence: o.grantOffered.pence,
          projects: o.projects,
        })),
        sources: [{ title: data.source.title, licence: data.source.licence }],
        notes: [data.rules.location],
        url: new URL(c.req.url).pathname,
      });
      return new Response(new Uint8Array(pdf), {
        status: 200,
        headers: {
          'Content-Type': 'application/pdf',
          'Content-Disposition': `inline; filename="innovate-uk-${data.area.code}.pdf"`,
        },
      });
    });
}
