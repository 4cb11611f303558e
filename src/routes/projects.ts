import { createRoute, z } from '@hono/zod-openapi';
import { getProject } from '../db/investment-queries.ts';
import { money } from '../http/money.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import {
  DataSourceSchema,
  InvestmentSchema,
  investmentSource,
  MoneySchema,
  toInvestment,
} from './investment-views.ts';

const Project = z
  .object({
    projectNumber: z.string(),
    applicationNumber: z.string().nullable(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    competition: z.object({
      reference: z.string().nullable(),
      title: z.string().nullable(),
      programme: z.string().nullable(),
    }),
    sector: z.string().nullable(),
    year: z.number().int().nullable(),
    productType: z.string().nullable(),
    status: z.string().nullable(),
    withdrawn: z.boolean(),
    industrialStrategyChallengeFund: z.boolean().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    grantOffered: MoneySchema.openapi({
      description: 'Sum of counted participants’ grant offered (withdrawn excluded).',
    }),
    totalCosts: MoneySchema,
    participantsCounted: z.number().int(),
    participants: z
      .array(InvestmentSchema)
      .openapi({ description: 'Every participant row, lead first, withdrawn ones included and flagged.' }),
    source: DataSourceSchema,
  })
  .openapi('Project');

const route = createRoute({
  method: 'get',
  path: '/projects/{projectNumber}',
  tags: ['Innovate UK'],
  summary: 'One project with all its participants and where they are',
  request: {
    params: z.object({ projectNumber: z.string().min(1).max(40).openapi({ example: '10012345' }) }),
  },
  responses: {
    200: { description: 'The project', content: { 'application/json': { schema: Project } } },
    ...problemResponses('bad_request', 'not_found'),
  },
});

export function projectRoutes() {
  return createRouter().openapi(route, async (c) => {
    const number = c.req.valid('param').projectNumber.trim();
    const [found, source] = await Promise.all([
      getProject(c.var.deps.db, number),
      investmentSource(c.var.deps.db),
    ]);
    if (!found) throw new ApiError('not_found', `No Innovate UK project has number ${number}.`);
    const p = found.project;
    return c.json(
      {
        projectNumber: p.projectNumber,
        applicationNumber: p.applicationNumber,
        title: p.title,
        description: p.description,
        competition: {
          reference: p.competitionReference,
          title: p.competitionTitle,
          programme: p.programmeTitle,
        },
        sector: p.sector,
        year: p.year,
        productType: p.productType,
        status: p.status,
        withdrawn: p.withdrawn,
        industrialStrategyChallengeFund: p.isIscf,
        startDate: p.startDate,
        endDate: p.endDate,
        grantOffered: money(p.grantPence) as NonNullable<ReturnType<typeof money>>,
        totalCosts: money(p.totalCostsPence) as NonNullable<ReturnType<typeof money>>,
        participantsCounted: p.participants,
        participants: found.participants.map((r) => toInvestment(r.p, p.title, r.orgName)),
        source,
      },
      200,
    );
  });
}
