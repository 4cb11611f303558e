import { createRoute, z } from '@hono/zod-openapi';
import { moneyOf } from '../http/money.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { projectWithParticipants } from '../services/projects.ts';
import {
  DataSourceSchema,
  InvestmentSchema,
  MoneySchema,
  toDataSource,
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
  operationId: 'getProject',
  description:
    'One Innovate UK project: title, competition, sector, dates, status, the grant offered in total and every participant with its organisation, amount and where it is.',
  tags: ['Innovate UK'],
  summary: 'One project with all its participants and where they are',
  request: {
    params: z.object({
      projectNumber: z
        .string()
        .min(1)
        .max(40)
        // A project of the shipped sample's (synthetic) release, so the documented example answers.
        .openapi({ description: 'Innovate UK Project Number.', example: '10001297' }),
    }),
  },
  responses: {
    200: { description: 'The project', content: { 'application/json': { schema: Project } } },
    ...problemResponses('bad_request', 'not_found'),
  },
});

export function projectRoutes() {
  return createRouter().openapi(route, async (c) => {
    const found = await projectWithParticipants(c.var.deps.db, c.req.valid('param').projectNumber.trim());
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
        grantOffered: moneyOf(p.grantPence),
        totalCosts: moneyOf(p.totalCostsPence),
        participantsCounted: p.participants,
        participants: found.participants.map((r) => toInvestment(r.p, p.title, r.orgName)),
        source: toDataSource(found.source),
      },
      200,
    );
  });
}
