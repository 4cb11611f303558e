import type { Db } from '../db/client.ts';
import { getOrganisation, getProject, searchOrganisations } from '../db/investment-queries.ts';
import { searchTerms } from '../domain/organisations.ts';
import { ApiError } from '../http/problem.ts';
import { investmentSource } from './datasets.ts';

/** Innovate UK projects and organisations, one at a time or found by name. */

/** One project with every participant, lead first. */
export async function projectWithParticipants(db: Db, projectNumber: string) {
  const [found, source] = await Promise.all([getProject(db, projectNumber), investmentSource(db)]);
  if (!found) throw new ApiError('not_found', `No Innovate UK project has number ${projectNumber}.`);
  return { ...found, source };
}

/** A position in the organisation list: (grant pence, id), biggest first. */
export type OrganisationPosition = [number, string];

/** One page of organisations matching the name words and type, biggest first. */
export async function organisationPage(
  db: Db,
  q: {
    q?: string | undefined;
    orgType?: string | undefined;
    after?: OrganisationPosition | undefined;
    limit: number;
  },
) {
  const terms = q.q === undefined ? [] : searchTerms(q.q);
  if (q.q !== undefined && terms.length === 0) {
    throw new ApiError('bad_request', 'Give at least one word of the name besides Ltd/Limited/PLC.', [
      { location: 'query.q', message: 'No searchable words' },
    ]);
  }
  const { rows, total } = await searchOrganisations(db, {
    terms,
    orgType: q.orgType,
    after: q.after,
    limit: q.limit,
  });
  return { rows, total: total ?? 0 };
}

/** A position in an organisation's participations: (year or -1, project number, row id). */
export type ParticipationPosition = [number, string, number];

/** One organisation with one page of the projects it took part in, latest year first. */
export async function organisationWithProjects(
  db: Db,
  id: string,
  page: { after?: ParticipationPosition | undefined; limit: number },
) {
  const [found, source] = await Promise.all([getOrganisation(db, id, page), investmentSource(db)]);
  if (!found) throw new ApiError('not_found', `No organisation has id ${id}.`);
  return { ...found, source };
}
