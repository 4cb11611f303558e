import { createRoute, z } from '@hono/zod-openapi';
import { type ExportColumn, exportResponse } from '../http/export.ts';
import { moneyOf } from '../http/money.ts';
import { intQuery, LepCode, yearQuery } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import {
  getNetwork,
  lepCollaborations,
  NETWORK_LEVELS,
  NETWORK_MEASURES,
  NETWORK_RULES,
  type NetworkMeasure,
} from '../services/network.ts';
import { tableResponse } from './indicator-views.ts';
import { DataSourceSchema, MoneySchema, toDataSource } from './investment-views.ts';

const filters = {
  yearFrom: yearQuery('First competition year (inclusive).', 2000, 2100).optional(),
  yearTo: yearQuery('Last competition year (inclusive).', 2000, 2100).optional(),
  sector: z.string().max(200).optional().openapi({
    description: 'Only projects of this Innovate UK sector, exactly as published.',
    example: 'AI & Data Economy',
  }),
};

const RulesSchema = z
  .object({
    link: z.string(),
    selfLink: z.string(),
    overlap: z.string(),
    counted: z.string(),
    centrality: z.string(),
    degree: z.string(),
  })
  .openapi('NetworkRules');

const NodeSchema = z
  .object({
    code: z.string().openapi({ example: 'E37000015' }),
    name: z.string().nullable(),
    href: z.string(),
    projects: z.number().int().openapi({ description: 'Distinct projects with a counted participant here.' }),
    participants: z.number().int(),
    grantOffered: MoneySchema.openapi({ description: 'Grant offered to the participants placed here.' }),
    organisations: z.number().int(),
    collaborativeProjects: z
      .number()
      .int()
      .openapi({ description: 'Projects that link this area to another area of the level.' }),
    collaborativeShare: z.number().nullable().openapi({ description: 'collaborativeProjects / projects.' }),
    withinArea: z
      .object({
        projects: z.number().int(),
        grantOffered: MoneySchema,
        organisations: z.number().int(),
        share: z.number().nullable().openapi({ description: 'Within-area projects / projects.' }),
      })
      .openapi({ description: 'The self-link: projects with two or more participants here.' }),
    degree: z.number().int(),
    strength: z.number().openapi({ description: 'Sum of the chosen weight over partners.' }),
    eigenvector: z.number().openapi({ description: 'Eigenvector centrality, 0–1 (see rules.centrality).' }),
  })
  .openapi('NetworkNode');

const EdgeSchema = z
  .object({
    source: z.string(),
    sourceName: z.string().nullable(),
    target: z.string(),
    targetName: z.string().nullable(),
    self: z.boolean().openapi({ description: 'source = target: the within-area self-link.' }),
    weight: z.number().openapi({ description: 'The chosen measure (pence for grant).' }),
    projects: z.number().int(),
    grantOffered: MoneySchema.openapi({
      description: '£ of the shared projects (each project’s whole grant).',
    }),
    organisations: z.number().int().openapi({ description: 'Distinct organisations making the link.' }),
  })
  .openapi('NetworkEdge');

const networkRoute = createRoute({
  method: 'get',
  path: '/network',
  operationId: 'getCollaborationNetwork',
  description:
    'Links between LEPs (or districts) whose organisations took part in the same Innovate UK projects, weighted by shared projects, their grant or organisations, with each node’s totals. JSON, or CSV as an edge list.',
  tags: ['Collaboration network'],
  summary: 'The collaboration network of Innovate UK co-participation between LEPs or districts',
  request: {
    query: z.object({
      level: z
        .enum(NETWORK_LEVELS)
        .default('lep')
        .openapi({ description: 'Nodes: LEPs (2021) or districts.', example: 'lep' }),
      measure: z.enum(NETWORK_MEASURES).default('projects').openapi({
        description: 'Edge weight: shared projects, £ of shared projects, or organisations.',
        example: 'projects',
      }),
      ...filters,
      format: z
        .enum(['json', 'csv'])
        .default('json')
        .openapi({ description: 'json, or csv: the edge list.', example: 'json' }),
    }),
  },
  responses: {
    200: {
      description: 'Nodes and weighted edges. Also as ?format=csv (edge list).',
      content: {
        'application/json': {
          schema: z
            .object({
              level: z.enum(NETWORK_LEVELS),
              measure: z.enum(NETWORK_MEASURES),
              filters: z.object({
                yearFrom: z.number().int().nullable(),
                yearTo: z.number().int().nullable(),
                sector: z.string().nullable(),
              }),
              rules: RulesSchema,
              source: DataSourceSchema,
              nodes: z.array(NodeSchema),
              edges: z.array(EdgeSchema),
            })
            .openapi('Network'),
        },
        'text/csv': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...problemResponses('bad_request'),
  },
});

const BridgeSchema = z
  .object({
    organisation: z.object({ id: z.string(), name: z.string().nullable(), href: z.string() }),
    side: z.enum(['lep', 'partner']).openapi({
      description:
        'Which end of the link its participants sit at: "lep" (placed in this LEP) or "partner" (placed in the partner LEP).',
    }),
    projects: z
      .number()
      .int()
      .openapi({ description: 'Shared projects in which it carries the link from its side.' }),
    leadProjects: z.number().int().openapi({ description: 'Of those, the projects it led.' }),
    grantOffered: MoneySchema.openapi({ description: 'Its own grant in those projects.' }),
  })
  .openapi('BridgingOrganisation');

const PartnerSchema = z
  .object({
    code: z.string(),
    name: z.string().nullable(),
    href: z.string(),
    projects: z.number().int().openapi({ description: 'Projects shared with the LEP.' }),
    grantOffered: MoneySchema.openapi({ description: '£ of the shared projects.' }),
    organisations: z.number().int(),
    shareOfProjects: z.number().nullable().openapi({ description: 'Shared projects / the LEP’s projects.' }),
    rankByProjects: z.number().int(),
    rankByGrant: z.number().int(),
    bridges: z.array(BridgeSchema).openapi({
      description:
        'The organisations that link the LEP to this partner, from both ends: a participant of theirs on one side of a shared project and another participant on the other. At most `limit`, most such projects first.',
    }),
  })
  .openapi('CollaborationPartner');

const collaborationsRoute = createRoute({
  method: 'get',
  path: '/leps/{code}/collaborations',
  operationId: 'getLepCollaborations',
  description:
    'A LEP’s collaboration partners ranked by shared projects, the share of its projects that involve another LEP, and for each partner the organisations that bridge the two (from either side, with their side and lead projects).',
  tags: ['Collaboration network'],
  summary:
    'A LEP’s collaboration partners, its share of projects with other LEPs, and the organisations bridging them',
  request: {
    params: z.object({ code: LepCode }),
    query: z.object({
      ...filters,
      limit: intQuery({
        min: 1,
        max: 500,
        description: 'How many bridging organisations per partner (default 5).',
        example: 5,
      }).default(5),
      format: z
        .enum(['json', 'csv', 'xlsx'])
        .default('json')
        .openapi({ description: 'json, csv or xlsx (partners).', example: 'json' }),
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          lep: z.object({ code: z.string(), name: z.string(), href: z.string() }),
          filters: z.object({
            yearFrom: z.number().int().nullable(),
            yearTo: z.number().int().nullable(),
            sector: z.string().nullable(),
          }),
          rules: RulesSchema,
          source: DataSourceSchema,
          totals: z.object({
            projects: z.number().int(),
            participants: z.number().int(),
            grantOffered: MoneySchema,
            organisations: z.number().int(),
            withOtherLeps: z.number().int().openapi({ description: 'Projects that involve another LEP.' }),
            shareWithOtherLeps: z.number().nullable(),
            withinLep: z
              .number()
              .int()
              .openapi({ description: 'Projects with two or more participants in the LEP.' }),
            shareWithinLep: z.number().nullable(),
          }),
          network: z
            .object({ degree: z.number().int(), strength: z.number(), eigenvector: z.number() })
            .openapi({ description: 'Its place in the LEP network weighted by shared projects.' }),
          partners: z.array(PartnerSchema),
        })
        .openapi('LepCollaborations'),
      'Partners (csv/xlsx: the partner table)',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const MEASURE_WORDS: Record<NetworkMeasure, string> = {
  projects: 'shared projects',
  grant: '£ of shared projects (pence)',
  organisations: 'distinct organisations making the link',
};

const filtersOf = (q: {
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  sector?: string | undefined;
}) => ({
  yearFrom: q.yearFrom ?? null,
  yearTo: q.yearTo ?? null,
  sector: q.sector ?? null,
});

/** What every network answer states after its subject: the filters asked, the counting rules, the source. */
const rulesJson = (q: Parameters<typeof filtersOf>[0], source: Parameters<typeof toDataSource>[0]) => ({
  filters: filtersOf(q),
  rules: NETWORK_RULES,
  source: toDataSource(source),
});

/** The columns of a link in every network file: shared projects, their £, the organisations making it. */
const linkColumns = <T extends { projects: number; organisations: number }>(
  pounds: (r: T) => string,
): ExportColumn<T>[] => [
  { header: 'projects', description: 'Shared projects', value: (r) => r.projects },
  { header: 'grant_offered_pounds', kind: 'money', description: '£ of the shared projects', value: pounds },
  { header: 'organisations', description: 'Organisations making the link', value: (r) => r.organisations },
];

/** Every network file ends with the counting rules as notes and is built from the same sources. */
const NETWORK_FILE = {
  notes: Object.values(NETWORK_RULES),
  sources: [{ id: 'innovate_uk' }, { id: 'geo_lookups' }],
};

export function networkRoutes() {
  return createRouter()
    .openapi(networkRoute, async (c) => {
      const q = c.req.valid('query');
      const net = await getNetwork(c.var.deps.db, q);
      if (q.format === 'csv') {
        return exportResponse(c, 'csv', {
          filename: `network-${q.level}-${q.measure}`,
          title: `Collaboration network (${q.level}), weight = ${MEASURE_WORDS[q.measure]}`,
          rows: net.edges,
          columns: [
            { header: 'source', description: 'Area code', value: (e) => e.a },
            { header: 'source_name', description: 'Area name', value: (e) => e.aName },
            { header: 'target', description: 'Area code', value: (e) => e.b },
            { header: 'target_name', description: 'Area name', value: (e) => e.bName },
            { header: 'self', description: 'Within-area self-link', value: (e) => e.self },
            { header: 'weight', description: MEASURE_WORDS[q.measure], value: (e) => e.weight },
            ...linkColumns<(typeof net.edges)[number]>((e) => moneyOf(e.grantPence).pounds),
          ],
          ...NETWORK_FILE,
        });
      }
      return c.json(
        {
          level: q.level,
          measure: q.measure,
          ...rulesJson(q, net.source),
          nodes: net.nodes.map((n) => ({
            code: n.code,
            name: n.name,
            href: `/v1/areas/${n.code}`,
            projects: n.projects,
            participants: n.participants,
            grantOffered: moneyOf(n.grantPence),
            organisations: n.organisations,
            collaborativeProjects: n.collaborativeProjects,
            collaborativeShare: n.collaborativeShare,
            withinArea: {
              projects: n.withinArea.projects,
              grantOffered: moneyOf(n.withinArea.grantPence),
              organisations: n.withinArea.organisations,
              share: n.withinArea.share,
            },
            degree: n.degree,
            strength: n.strength,
            eigenvector: n.eigenvector,
          })),
          edges: net.edges.map((e) => ({
            source: e.a,
            sourceName: e.aName,
            target: e.b,
            targetName: e.bName,
            self: e.self,
            weight: e.weight,
            projects: e.projects,
            grantOffered: moneyOf(e.grantPence),
            organisations: e.organisations,
          })),
        },
        200,
      );
    })
    .openapi(collaborationsRoute, async (c) => {
      const { code } = c.req.valid('param');
      const q = c.req.valid('query');
      const r = await lepCollaborations(c.var.deps.db, code, q);
      const partners = r.partners.map((p) => ({
        code: p.code,
        name: p.name,
        href: `/v1/leps/${p.code}/collaborations`,
        projects: p.projects,
        grantOffered: moneyOf(p.grantPence),
        organisations: p.organisations,
        shareOfProjects: p.shareOfProjects,
        rankByProjects: p.rankByProjects,
        rankByGrant: p.rankByGrant,
        bridges: p.bridges.map((b) => ({
          organisation: { id: b.orgId, name: b.name, href: `/v1/organisations/${b.orgId}` },
          side: b.side === 'area' ? ('lep' as const) : ('partner' as const),
          projects: b.projects,
          leadProjects: b.leadProjects,
          grantOffered: moneyOf(b.grantPence),
        })),
      }));
      if (q.format !== 'json') {
        return exportResponse(c, q.format, {
          filename: `collaborations-${r.lep.code}`,
          title: `${r.lep.name}: collaboration partners (Innovate UK co-participation)`,
          rows: partners,
          columns: [
            { header: 'partner', description: 'Partner LEP code', value: (p) => p.code },
            { header: 'partner_name', description: 'Partner LEP', value: (p) => p.name },
            ...linkColumns<(typeof partners)[number]>((p) => p.grantOffered.pounds),
            {
              header: 'share_of_projects',
              description: 'Shared / the LEP’s projects',
              value: (p) => p.shareOfProjects,
            },
            {
              header: 'rank_by_projects',
              description: 'Rank by shared projects',
              value: (p) => p.rankByProjects,
            },
            {
              header: 'rank_by_grant',
              description: 'Rank by £ of shared projects',
              value: (p) => p.rankByGrant,
            },
          ],
          ...NETWORK_FILE,
        });
      }
      return c.json(
        {
          lep: { code: r.lep.code, name: r.lep.name, href: `/v1/areas/${r.lep.code}` },
          ...rulesJson(q, r.source),
          totals: {
            projects: r.totals.projects,
            participants: r.totals.participants,
            grantOffered: moneyOf(r.totals.grantPence),
            organisations: r.totals.organisations,
            withOtherLeps: r.totals.withOtherLeps,
            shareWithOtherLeps: r.totals.shareWithOtherLeps,
            withinLep: r.totals.withinLep,
            shareWithinLep: r.totals.shareWithinLep,
          },
          network: r.network,
          partners,
        },
        200,
      );
    });
}
