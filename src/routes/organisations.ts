import { createRoute, z } from '@hono/zod-openapi';
import type { OrganisationRow } from '../db/investment-queries.ts';
import { money, moneyOf } from '../http/money.ts';
import { cursorCodec, cursorKey, PageSchema, pageQuery, paginate } from '../http/pagination.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { organisationPage, organisationWithProjects } from '../services/projects.ts';
import { DataSourceSchema, MoneySchema, ORG_ID, ORG_TYPES, toDataSource } from './investment-views.ts';

/**
 * The organisation list's cursor: (grant pence, id) of the last organisation seen. The example is
 * the position after the example organisation in the sample's list, [1176876218, "crn-01253252"].
 */
const organisationCursor = cursorCodec(z.tuple([cursorKey.pence, z.string().regex(ORG_ID)]), {
  example: 'WzExNzY4NzYyMTgsImNybi0wMTI1MzI1MiJd',
});

/**
 * An organisation's participation list cursor: (year, or -1 where unknown; project number; row id)
 * of the last participation seen. The example is the third page position of the example
 * organisation in the sample, [2024, "10001208", 1778].
 */
const participationCursor = cursorCodec(
  z.tuple([z.number().int().min(-1).max(9999), cursorKey.text, cursorKey.id]),
  { example: 'WzIwMjQsIjEwMDAxMjA4IiwxNzc4XQ' },
);

/** An organisation of the shipped sample's (synthetic) release, so the documented example answers. */
const EXAMPLE_ORGANISATION = 'crn-01253252';

const OrganisationSummary = z
  .object({
    id: z.string().openapi({
      description: 'crn-<Companies House number>, or name-<hash> when no CRN is published.',
      example: EXAMPLE_ORGANISATION,
    }),
    name: z.string().openapi({ description: 'Most recent name.' }),
    crn: z.string().nullable(),
    orgType: z.enum(ORG_TYPES),
    grantOffered: MoneySchema.openapi({ description: 'Total offered across counted participations.' }),
    projects: z.number().int(),
    firstYear: z.number().int().nullable(),
    lastYear: z.number().int().nullable(),
    href: z.string(),
  })
  .openapi('OrganisationSummary');

const Organisation = OrganisationSummary.extend({
  names: z.array(z.string()).openapi({ description: 'Every spelling of the name seen in the spreadsheets.' }),
  enterpriseSizes: z.array(z.string()).openapi({ description: 'Every Enterprise Size text seen.' }),
  participations: z.number().int(),
  place: z.object({
    postcode: z.string().nullable(),
    lad: z.string().nullable(),
    region: z.string().nullable(),
    leps: z.array(z.string()),
  }),
  projectList: z
    .array(
      z.object({
        projectNumber: z.string(),
        title: z.string().nullable(),
        sector: z.string().nullable(),
        year: z.number().int().nullable(),
        status: z.string().nullable(),
        isLead: z.boolean(),
        counted: z.boolean(),
        grantOffered: MoneySchema.nullable(),
        href: z.string(),
      }),
    )
    .openapi({
      description:
        'One page of the participations (counted or not), latest year first (unknown year last), then by project number.',
    }),
  page: PageSchema.openapi({
    description:
      '`projectList`’s page: `total` is every participation; pass `nextCursor` as `cursor` for more.',
  }),
  source: DataSourceSchema,
}).openapi('Organisation');

const searchRoute = createRoute({
  method: 'get',
  path: '/organisations',
  operationId: 'listOrganisations',
  description:
    'Organisations that took part in Innovate UK projects, found by name (forgiving case, punctuation and Ltd/Limited) and organisation type, biggest total grant first, cursor-paginated.',
  tags: ['Innovate UK'],
  summary: 'Find organisations by name (forgiving of case, punctuation and Ltd/Limited), biggest first',
  request: {
    query: z.object({
      q: z
        .string()
        .max(200)
        .optional()
        .openapi({ description: 'Words of the name; omit to list all.', example: 'acme' }),
      orgType: z
        .enum(ORG_TYPES)
        .optional()
        .openapi({ description: 'Only organisations of this canonical type.', example: 'academic' }),
      ...pageQuery(organisationCursor),
    }),
  },
  responses: {
    200: {
      description: 'One page of organisations',
      content: {
        'application/json': {
          schema: z
            .object({ data: z.array(OrganisationSummary), page: PageSchema })
            .openapi('OrganisationList'),
        },
      },
    },
    ...problemResponses('bad_request'),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/organisations/{id}',
  operationId: 'getOrganisation',
  description:
    'One organisation: every spelling of its name seen, its sizes and types, its postcodes, its totals and one page of its participations, latest year first (cursor-paginated, `limit` and `cursor`).',
  tags: ['Innovate UK'],
  summary: 'One organisation with its projects and totals',
  request: {
    params: z.object({
      id: z
        .string()
        .regex(ORG_ID, 'Expected an id such as crn-01234567')
        .openapi({ description: 'Organisation id from /v1/organisations.', example: EXAMPLE_ORGANISATION }),
    }),
    query: z.object(pageQuery(participationCursor)),
  },
  responses: {
    200: { description: 'The organisation', content: { 'application/json': { schema: Organisation } } },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const summary = (o: OrganisationRow) => ({
  id: o.id,
  name: o.name,
  crn: o.crn,
  orgType: o.orgType as (typeof ORG_TYPES)[number],
  grantOffered: moneyOf(o.grantPence),
  projects: o.projects,
  firstYear: o.firstYear,
  lastYear: o.lastYear,
  href: `/v1/organisations/${o.id}`,
});

export function organisationRoutes() {
  return createRouter()
    .openapi(searchRoute, async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await organisationPage(c.var.deps.db, { ...q, after: q.cursor });
      const { data, page } = paginate(rows, q.limit, total, organisationCursor, (o) => [
        Number(o.grantPence),
        o.id,
      ]);
      return c.json({ data: data.map(summary), page }, 200);
    })
    .openapi(getRoute, async (c) => {
      const q = c.req.valid('query');
      const found = await organisationWithProjects(c.var.deps.db, c.req.valid('param').id, {
        after: q.cursor,
        limit: q.limit,
      });
      const o = found.org;
      const { data, page } = paginate(
        found.participations,
        q.limit,
        found.total,
        participationCursor,
        (r) => [r.p.year ?? -1, r.p.projectNumber, r.p.id],
      );
      return c.json(
        {
          ...summary(o),
          names: o.names,
          enterpriseSizes: o.enterpriseSizes,
          participations: o.participations,
          place: { postcode: o.postcode, lad: o.ladCode, region: o.regionCode, leps: o.lepCodes },
          projectList: data.map((r) => ({
            projectNumber: r.project.projectNumber,
            title: r.project.title,
            sector: r.project.sector,
            year: r.project.year,
            status: r.project.status,
            isLead: r.p.isLead,
            counted: r.p.counted,
            grantOffered: money(r.p.grantPence),
            href: `/v1/projects/${encodeURIComponent(r.project.projectNumber)}`,
          })),
          page,
          source: toDataSource(found.source),
        },
        200,
      );
    });
}
