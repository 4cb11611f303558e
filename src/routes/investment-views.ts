import { z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import {
  type InvestmentFilters,
  listSectors,
  type OverlapPolicy,
  organisationExists,
  type ParticipantRow,
  sectorExists,
} from '../db/investment-queries.ts';
import { getAreasByCode, getCurrentDataset } from '../db/queries.ts';
import { type AreaType, byTypePreference, GSS_CODE, normalisePostcode } from '../domain/geography.ts';
import { ORG_TYPE_LABELS, ORG_TYPES, searchTerms } from '../domain/organisations.ts';
import type { ExportColumn } from '../http/export.ts';
import { type Money, money } from '../http/money.ts';
import { ApiError, type IssueDetail } from '../http/problem.ts';

/** Shared filters, rules and shapes of the Innovate UK investment endpoints. */

export { ORG_TYPE_LABELS, ORG_TYPES };

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const MoneySchema = z
  .object({
    pence: z.number().int().openapi({ description: 'Exact amount in pence.', example: 123456789 }),
    pounds: z
      .string()
      .openapi({ description: 'Pounds with two decimals, as text (never a float).', example: '1234567.89' }),
  })
  .openapi('Money');

export const filterQuery = {
  area: z.string().optional().openapi({
    description: 'Any area code: country, region, LEP, district, constituency (2010 or 2024).',
    example: 'E37000015',
  }),
  postcode: z
    .string()
    .max(16)
    .optional()
    .openapi({ description: 'Participants at this postcode.', example: 'M1 1AE' }),
  sector: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'Sector exactly as published (see /v1/investments/summary?groupBy=sector).' }),
  orgType: z.enum(ORG_TYPES).optional().openapi({ description: 'Canonical organisation type.' }),
  org: z.string().max(80).optional().openapi({ description: 'Organisation id from /v1/organisations.' }),
  q: z.string().max(200).optional().openapi({
    description: 'Organisation name; case, punctuation and Ltd/Limited/PLC are ignored.',
    example: 'acme',
  }),
  yearFrom: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .optional()
    .openapi({ description: 'First competition year (inclusive).' }),
  yearTo: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .optional()
    .openapi({ description: 'Last competition year (inclusive).' }),
  status: z
    .string()
    .max(50)
    .optional()
    .openapi({ description: 'Project status, e.g. Live, Closed, Withdrawn.' }),
  lead: bool.optional().openapi({ description: 'true: lead participants only.' }),
  includeWithdrawn: bool.optional().openapi({
    description: 'true: include withdrawn participants and withdrawn projects (excluded by default).',
  }),
  overlap: z.enum(['full', 'split', 'primary']).default('full').openapi({
    description:
      'How a participant in two LEPs counts for LEP totals: full (both), split (half each), primary (first only).',
  }),
};

type FilterQuery = {
  area?: string | undefined;
  postcode?: string | undefined;
  sector?: string | undefined;
  orgType?: string | undefined;
  org?: string | undefined;
  q?: string | undefined;
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  status?: string | undefined;
  lead?: boolean | undefined;
  includeWithdrawn?: boolean | undefined;
  overlap: OverlapPolicy;
};

/** Resolve an area code for investment filtering/reporting; null when unknown. */
export async function resolveInvestmentArea(db: Db, code: string) {
  return byTypePreference(await getAreasByCode(db, code))[0] ?? null;
}

/** Validate the filters against the data (unknown area, sector, organisation → 400) — every issue listed. */
export async function resolveFilters(db: Db, q: FilterQuery): Promise<InvestmentFilters> {
  const errors: IssueDetail[] = [];
  const f: InvestmentFilters = {
    sector: q.sector,
    orgType: q.orgType,
    orgId: q.org,
    yearFrom: q.yearFrom,
    yearTo: q.yearTo,
    status: q.status,
    leadOnly: q.lead ?? false,
    includeWithdrawn: q.includeWithdrawn ?? false,
    overlap: q.overlap,
  };
  if (q.area !== undefined) {
    if (!GSS_CODE.test(q.area))
      errors.push({ location: 'query.area', message: 'Expected a GSS code such as E37000015' });
    else {
      const area = await resolveInvestmentArea(db, q.area);
      if (!area) errors.push({ location: 'query.area', message: `No area has code ${q.area}` });
      else f.area = { type: area.type as AreaType, code: area.code };
    }
  }
  if (q.postcode !== undefined) {
    const pc = normalisePostcode(q.postcode);
    if (!pc)
      errors.push({
        location: 'query.postcode',
        message: `"${q.postcode}" is not a well-formed UK postcode`,
      });
    else f.postcode = pc.display;
  }
  if (q.yearFrom !== undefined && q.yearTo !== undefined && q.yearFrom > q.yearTo) {
    errors.push({
      location: 'query.yearFrom',
      message: `yearFrom ${q.yearFrom} is after yearTo ${q.yearTo}`,
    });
  }
  if (q.q !== undefined) {
    const terms = searchTerms(q.q);
    if (terms.length === 0)
      errors.push({
        location: 'query.q',
        message: 'Give at least one word of the organisation name besides Ltd/Limited/PLC',
      });
    else f.terms = terms;
  }
  if (q.sector !== undefined && !(await sectorExists(db, q.sector))) {
    const known = await listSectors(db);
    errors.push({
      location: 'query.sector',
      message: `Unknown sector "${q.sector}". Known: ${known.join('; ')}`,
    });
  }
  if (q.org !== undefined && !(await organisationExists(db, q.org))) {
    errors.push({ location: 'query.org', message: `No organisation has id ${q.org}` });
  }
  if (errors.length) throw new ApiError('bad_request', 'Some filters are invalid.', errors);
  return f;
}

export const RulesSchema = z
  .object({
    counting: z.string(),
    withdrawn: z.enum(['excluded', 'included']),
    participants: z.enum(['all', 'lead only']),
    overlap: z.object({ policy: z.enum(['full', 'split', 'primary']), meaning: z.string() }),
    location: z.string(),
  })
  .openapi('CountingRules');

const OVERLAP_MEANING: Record<OverlapPolicy, string> = {
  full: 'A participant in a district that sits in two LEPs counts in full in both (LEP totals can exceed England’s).',
  split:
    'A participant in two LEPs counts half (money and participant) in each; distinct project/organisation counts are not split.',
  primary:
    'A participant in two LEPs counts only in the first LEP the spreadsheet names (else the lower code).',
};

export function rulesOf(f: InvestmentFilters) {
  return {
    counting:
      'One row per participant per project. £ offered = sum of participants’ Grant/Award Offered; projects and organisations are distinct counts.',
    withdrawn: f.includeWithdrawn ? ('included' as const) : ('excluded' as const),
    participants: f.leadOnly ? ('lead only' as const) : ('all' as const),
    overlap: { policy: f.overlap ?? 'full', meaning: OVERLAP_MEANING[f.overlap ?? 'full'] },
    location:
      'Each participant is placed by its own address postcode (not the lead’s); when the postcode is not in the directory, by the spreadsheet’s Address columns. Catapults and multi-site firms book everything at their registered address.',
  };
}

/** The same rules as plain sentences, for the notes of an export. */
export const ruleNotes = (f: InvestmentFilters) =>
  Object.values(rulesOf(f)).map((v) => (typeof v === 'string' ? v : v.meaning));

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

/** Which Innovate UK data is being served (real or synthetic), from the current dataset. */
export async function investmentSource(db: Db) {
  const ds = await getCurrentDataset(db);
  const src = (
    ds?.sources as
      | { id: string; title: string; licence: string; files: string[]; synthetic?: boolean }[]
      | undefined
  )?.find((s) => s.id === 'innovate_uk');
  return {
    loaded: Boolean(src && src.files.length > 0),
    synthetic: Boolean(src?.synthetic),
    title: src?.title ?? 'Innovate UK funded projects (not loaded)',
    licence: src?.licence ?? '',
  };
}

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
    description: 'Grant/Award Offered, £ (exact)',
    value: (r) => pounds(r.grantOffered),
  },
  { header: 'total_costs_gbp', description: 'Total Costs, £', value: (r) => pounds(r.totalCosts) },
  { header: 'actual_spend_gbp', description: 'Actual Spend to Date, £', value: (r) => pounds(r.actualSpend) },
  { header: 'start_date', description: 'Project Start Date', value: (r) => r.startDate },
  { header: 'end_date', description: 'Project End Date', value: (r) => r.endDate },
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
