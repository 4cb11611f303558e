import { z } from '@hono/zod-openapi';
import type { ParticipantRow } from '../db/investment-queries.ts';
import { ORG_TYPE_LABELS, ORG_TYPES } from '../domain/organisations.ts';
import type { ExportColumn } from '../http/export.ts';
import { type Money, money } from '../http/money.ts';
import { AreaCode, boolQuery, yearQuery } from '../http/params.ts';
import type { InvestmentSource } from '../services/datasets.ts';

/** Shared filters and public shapes of the Innovate UK investment endpoints. */

export { ORG_TYPE_LABELS, ORG_TYPES };

/** An organisation id as this API writes it. */
export const ORG_ID = /^(crn|name)-[A-Za-z0-9]{1,40}$/;

export const MoneySchema = z
  .object({
    pence: z.number().int().openapi({ description: 'Exact amount in pence.', example: 123456789 }),
    pounds: z
      .string()
      .openapi({ description: 'Pounds with two decimals, as text (never a float).', example: '1234567.89' }),
  })
  .openapi('Money');

export const filterQuery = {
  area: AreaCode.optional().openapi({
    description: 'Any area code, in any case: country, region, LEP, district, constituency (2010 or 2024).',
    example: 'E37000015',
  }),
  postcode: z
    .string()
    .max(16)
    .optional()
    .openapi({ description: 'Participants at this postcode.', example: 'M1 1AE' }),
  sector: z.string().max(200).optional().openapi({
    description: 'Sector exactly as published (see /v1/investments/summary?groupBy=sector).',
    example: 'AI & Data Economy',
  }),
  orgType: z
    .enum(ORG_TYPES)
    .optional()
    .openapi({ description: 'Canonical organisation type.', example: 'small' }),
  org: z
    .string()
    .regex(ORG_ID, 'Expected an organisation id such as crn-01234567')
    .optional()
    .openapi({ description: 'Organisation id from /v1/organisations.', example: 'crn-01234567' }),
  q: z.string().max(200).optional().openapi({
    description: 'Organisation name; case, punctuation and Ltd/Limited/PLC are ignored.',
    example: 'acme',
  }),
  yearFrom: yearQuery('First competition year (inclusive).', 2000, 2100).optional(),
  yearTo: yearQuery('Last competition year (inclusive).', 2000, 2100).optional(),
  status: z
    .string()
    .max(50)
    .optional()
    .openapi({ description: 'Project status, e.g. Live, Closed, Withdrawn.', example: 'Live' }),
  lead: boolQuery('true: lead participants only.').optional(),
  includeWithdrawn: boolQuery(
    'true: include withdrawn participants and withdrawn projects (excluded by default).',
  ).optional(),
  overlap: z.enum(['full', 'split', 'primary']).default('full').openapi({
    description:
      'How a participant in two LEPs counts for LEP totals: full (both), split (half each), primary (first only).',
    example: 'full',
  }),
};

export const RulesSchema = z
  .object({
    counting: z.string(),
    withdrawn: z.enum(['excluded', 'included']),
    participants: z.enum(['all', 'lead only']),
    overlap: z.object({ policy: z.enum(['full', 'split', 'primary']), meaning: z.string() }),
    location: z.string(),
  })
  .openapi('CountingRules');

export const DataSourceSchema = z
  .object({
    loaded: z.boolean(),
    synthetic: z.boolean().openapi({
      description: 'True when serving generated stand-in data (npm run data:synth), not Innovate UK’s.',
    }),
    title: z.string(),
    licence: z.string(),
  })
  .openapi('InvestmentDataSource');

/** The public shape of the data source: what is served, not the dataset internals. */
export const toDataSource = (s: InvestmentSource) => ({
  loaded: s.loaded,
  synthetic: s.synthetic,
  title: s.title,
  licence: s.licence,
});

export const PlaceSchema = z
  .object({
    postcode: z.string().nullable(),
    placement: z
      .enum(['postcode', 'address', 'none'])
      .openapi({ description: 'How the participant was placed.' }),
    note: z.string().nullable(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    lad: z.string().nullable(),
    pcon: z.string().nullable(),
    pcon2024: z.string().nullable(),
    leps: z.array(z.string()),
  })
  .openapi('Place');

export const InvestmentSchema = z
  .object({
    id: z.number().int(),
    project: z.object({ number: z.string(), title: z.string().nullable(), href: z.string() }),
    organisation: z.object({ id: z.string(), name: z.string().nullable(), href: z.string() }),
    participantName: z.string().openapi({ description: 'Name as written in this row.' }),
    isLead: z.boolean(),
    withdrawn: z.object({ participant: z.boolean(), project: z.boolean() }),
    counted: z.boolean().openapi({ description: 'Counted in totals under the default rule.' }),
    orgType: z.enum(ORG_TYPES),
    enterpriseSize: z.string().nullable().openapi({ description: 'Enterprise Size as published.' }),
    sector: z.string().nullable(),
    year: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Competition year (first year of the financial year).' }),
    status: z.string().nullable(),
    grantOffered: MoneySchema.nullable(),
    totalCosts: MoneySchema.nullable(),
    actualSpend: MoneySchema.nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    place: PlaceSchema,
    source: z.object({ file: z.string(), row: z.number().int(), release: z.string() }),
  })
  .openapi('Investment');

export type InvestmentView = z.infer<typeof InvestmentSchema>;

export function toPlace(r: ParticipantRow) {
  return {
    postcode: r.postcode,
    placement: r.placement as 'postcode' | 'address' | 'none',
    note: r.placementNote,
    lat: r.lat,
    lng: r.lng,
    country: r.countryCode,
    region: r.regionCode,
    lad: r.ladCode,
    pcon: r.pconCode,
    pcon2024: r.pcon2024Code,
    leps: r.lepCodes,
  };
}

export function toInvestment(
  r: ParticipantRow,
  projectTitle: string | null,
  orgName: string | null,
): InvestmentView {
  return {
    id: r.id,
    project: {
      number: r.projectNumber,
      title: projectTitle,
      href: `/v1/projects/${encodeURIComponent(r.projectNumber)}`,
    },
    organisation: { id: r.orgId, name: orgName, href: `/v1/organisations/${r.orgId}` },
    participantName: r.participantName,
    isLead: r.isLead,
    withdrawn: { participant: r.participantWithdrawn, project: r.projectWithdrawn },
    counted: r.counted,
    orgType: r.orgType as (typeof ORG_TYPES)[number],
    enterpriseSize: r.enterpriseSize,
    sector: r.sector,
    year: r.year,
    status: r.projectStatus,
    grantOffered: money(r.grantPence),
    totalCosts: money(r.totalCostsPence),
    actualSpend: money(r.actualSpendPence),
    startDate: r.startDate,
    endDate: r.endDate,
    place: toPlace(r),
    source: { file: r.sourceFile, row: r.sourceRow, release: r.releaseDate },
  };
}

const pounds = (m: Money | null) => m?.pounds ?? null;

export const INVESTMENT_EXPORT_COLUMNS: ExportColumn<InvestmentView>[] = [
  { header: 'project_number', description: 'Project Number', value: (r) => r.project.number },
  { header: 'project_title', description: 'Project Title', value: (r) => r.project.title },
  {
    header: 'organisation_id',
    description: 'Organisation id in this API (crn-… or name-…)',
    value: (r) => r.organisation.id,
  },
  {
    header: 'participant_name',
    description: 'Participant Name as published in this row',
    value: (r) => r.participantName,
  },
  { header: 'is_lead', description: 'Is Lead Participant', value: (r) => r.isLead },
  { header: 'org_type', description: 'Canonical organisation type', value: (r) => r.orgType },
  { header: 'enterprise_size', description: 'Enterprise Size as published', value: (r) => r.enterpriseSize },
  { header: 'sector', description: 'Sector', value: (r) => r.sector },
  { header: 'year', description: 'Competition year', value: (r) => r.year },
  { header: 'status', description: 'Project Status', value: (r) => r.status },
  {
    header: 'grant_offered_gbp',
    kind: 'money',
    description: 'Grant/Award Offered, £ (exact)',
    value: (r) => pounds(r.grantOffered),
  },
  {
    header: 'total_costs_gbp',
    description: 'Total Costs, £',
    value: (r) => pounds(r.totalCosts),
    kind: 'money',
  },
  {
    header: 'actual_spend_gbp',
    description: 'Actual Spend to Date, £',
    value: (r) => pounds(r.actualSpend),
    kind: 'money',
  },
  { header: 'start_date', description: 'Project Start Date', value: (r) => r.startDate, kind: 'date' },
  { header: 'end_date', description: 'Project End Date', value: (r) => r.endDate, kind: 'date' },
  {
    header: 'participant_withdrawn',
    description: 'Participant Withdrawn From Project',
    value: (r) => r.withdrawn.participant,
  },
  {
    header: 'project_withdrawn',
    description: 'Project Status is Withdrawn',
    value: (r) => r.withdrawn.project,
  },
  { header: 'counted', description: 'Counted in totals under the default rule', value: (r) => r.counted },
  { header: 'postcode', description: 'Postcode (normalised)', value: (r) => r.place.postcode },
  {
    header: 'placement',
    description: 'postcode, address (fallback) or none',
    value: (r) => r.place.placement,
  },
  { header: 'lad', description: 'Local authority district code', value: (r) => r.place.lad },
  { header: 'region', description: 'Region code', value: (r) => r.place.region },
  { header: 'leps', description: '2021 LEP code(s), primary first', value: (r) => r.place.leps.join(' ') },
  { header: 'pcon', description: 'Constituency (2010–2024 boundaries)', value: (r) => r.place.pcon },
  { header: 'pcon2024', description: 'Constituency (2024 boundaries)', value: (r) => r.place.pcon2024 },
  { header: 'source_file', description: 'Spreadsheet the row came from', value: (r) => r.source.file },
  { header: 'source_row', description: 'Row in that spreadsheet', value: (r) => r.source.row },
];
