import { createRoute, z } from '@hono/zod-openapi';
import { getOrganisation, searchOrganisations } from '../db/investment-queries.ts';
import { searchTerms } from '../domain/organisations.ts';
import { money } from '../http/money.ts';
import { decodeCursor, encodeCursor, PageSchema, pageQuery } from '../http/pagination.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { DataSourceSchema, investmentSource, MoneySchema, ORG_TYPES } from './investment-views.ts';

const OrganisationSummary = z
  .object({
    id: z.string().openapi({
      description: 'crn-<Companies House number>, or name-<hash> when no CRN is published.',
      example: 'crn-01234567',
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
  projectList: z.array(
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
  ),
  source: DataSourceSchema,
}).openapi('Organisation');

const searchRoute = createRoute({
  method: 'get',
  path: '/organisations',
  tags: ['Innovate UK'],
  summary: 'Find organisations by name (forgiving of case, punctuation and Ltd/Limited), biggest first',
  request: {
    query: z.object({
      q: z
        .string()
        .max(200)
        .optional()
        .openapi({ description: 'Words of the name; omit to list all.', example: 'acme' }),
      orgType: z.enum(ORG_TYPES).optional(),
      ...pageQuery,
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
  tags: ['Innovate UK'],
  summary: 'One organisation with its projects and totals',
  request: {
    params: z.object({
      id: z.string().regex(/^(crn|name)-[A-Za-z0-9]{1,40}$/, 'Expected an id such as crn-01234567'),
    }),
  },
  responses: {
    200: { description: 'The organisation', content: { 'application/json': { schema: Organisation } } },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const summary = (o: Awaited<ReturnType<typeof searchOrganisations>>['rows'][number]) => ({
  id: o.id,
  name: o.name,
  crn: o.crn,
  orgType: o.orgType as (typeof ORG_TYPES)[number],
  grantOffered: money(o.grantPence) as NonNullable<ReturnType<typeof money>>,
  projects: o.projects,
  firstYear: o.firstYear,
  lastYear: o.lastYear,
  href: `/v1/organisations/${o.id}`,
});

export function organisationRoutes() {
  return createRouter()
    .openapi(searchRoute, async (c) => {
      const q = c.req.valid('query');
      const terms = q.q === undefined ? [] : searchTerms(q.q);
      if (q.q !== undefined && terms.length === 0) {
        throw new ApiError('bad_request', 'Give at least one word of the name besides Ltd/Limited/PLC.', [
          { location: 'query.q', message: 'No searchable words' },
        ]);
      }
      const raw = decodeCursor(q.cursor);
      let after: [number, string] | undefined;
      if (raw !== undefined) {
        const v = JSON.parse(raw) as unknown;
        if (!Array.isArray(v) || !Number.isFinite(v[0]) || typeof v[1] !== 'string') {
          throw new ApiError('bad_request', 'Invalid cursor.', [
            { location: 'query.cursor', message: 'Invalid cursor' },
          ]);
        }
        after = [v[0] as number, v[1] as string];
      }
      const { rows, total } = await searchOrganisations(c.var.deps.db, {
        terms,
        orgType: q.orgType,
        after,
        limit: q.limit,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return c.json(
        {
          data: page.map(summary),
          page: {
            limit: q.limit,
            total: total ?? 0,
            nextCursor:
              rows.length > q.limit && last
                ? encodeCursor(JSON.stringify([Number(last.grantPence), last.id]))
                : null,
          },
        },
        200,
      );
    })
    .openapi(getRoute, async (c) => {
      const id = c.req.valid('param').id;
      const [found, source] = await Promise.all([
        getOrganisation(c.var.deps.db, id),
        investmentSource(c.var.deps.db),
      ]);
      if (!found) throw new ApiError('not_found', `No organisation has id ${id}.`);
      const o = found.org;
      return c.json(
        {
          ...summary(o),
          names: o.names,
          enterpriseSizes: o.enterpriseSizes,
          participations: o.participations,
          place: { postcode: o.postcode, lad: o.ladCode, region: o.regionCode, leps: o.lepCodes },
          projectList: found.participations.map((r) => ({
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
          source,
        },
        200,
      );
    });
}
