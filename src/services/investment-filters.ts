import type { Db } from '../db/client.ts';
import { listSectors, organisationExists, sectorExists } from '../db/investment-queries.ts';
import { getAreasByCode } from '../db/queries.ts';
import { type AreaType, byTypePreference, normalisePostcode } from '../domain/geography.ts';
import type { InvestmentFilters, OverlapPolicy } from '../domain/investment-rules.ts';
import { searchTerms } from '../domain/organisations.ts';
import { ApiError, type IssueDetail } from '../http/problem.ts';

/** The filters every Innovate UK endpoint shares, checked against the data. */
export interface FilterQuery {
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
}

/** Resolve an area code for investment filtering/reporting; null when unknown. */
export async function resolveInvestmentArea(db: Db, code: string) {
  return byTypePreference(await getAreasByCode(db, code))[0] ?? null;
}

/** The area an area-level report is about, or a 404. */
export async function investmentAreaOr404(db: Db, code: string) {
  const area = await resolveInvestmentArea(db, code);
  if (!area) throw new ApiError('not_found', `No area with investment totals has code ${code}.`);
  return area;
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
    const area = await resolveInvestmentArea(db, q.area);
    if (!area) errors.push({ location: 'query.area', message: `No area has code ${q.area}` });
    else f.area = { type: area.type as AreaType, code: area.code };
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
