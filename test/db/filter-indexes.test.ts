import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InvestmentFilters, participantWhere } from '../../src/db/investment-queries.ts';
import { iukParticipants } from '../../src/db/schema.ts';
import { generatedReleaseDatabase, type TestDatabase } from './harness.ts';

/**
 * The orgType=, status= and lead=true filters of /v1/investments are served by an index: the count
 * behind every page (countInvestments) must not read every participant. A test release is too small
 * for the planner to prefer an index on its own, so sequential scans are priced out (`enable_seqscan =
 * off`): the plan then names the index only if one matches the query's very expression (lower()
 * for status, the partial index's predicate for lead) — without one it stays a Seq Scan. Plans on
 * the full data are in the README ("Indexes for the investment filters").
 */

let tdb: TestDatabase;

beforeAll(async () => {
  // Rows of every kind the filters pick (the full data has no Innovate UK release of its own), and
  // their statistics: on an empty table every index costs the same and the plan proves nothing.
  ({ tdb } = await generatedReleaseDatabase({ rows: 3000, seed: 31, places: { sample: 200, seed: 9 } }));
  await tdb.run.exec('analyze iuk_participants');
}, 900_000);
afterAll(async () => tdb?.close());

/** EXPLAIN of the count the API runs for these filters, with sequential scans priced out. */
function countPlan(f: InvestmentFilters): Promise<string> {
  return planOf(participantWhere(f));
}

async function planOf(where: SQL | undefined): Promise<string> {
  const query = tdb.db.select({ n: sql<number>`count(*)::int` }).from(iukParticipants).where(where).toSQL();
  return tdb.run.transaction(async (tx) => {
    await tx.exec('set local enable_seqscan = off');
    const rows = await tx.query<{ 'QUERY PLAN': string }>(`explain ${query.sql}`, query.params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

describe('indexes serving the investment filters', () => {
  for (const [what, f, index] of [
    ['orgType', { orgType: 'charity' }, 'iuk_participants_org_type_idx'],
    ['orgType with years', { orgType: 'rto', yearFrom: 2018, yearTo: 2019 }, 'iuk_participants_org_type_idx'],
    ['status (any case)', { status: 'On Hold' }, 'iuk_participants_status_idx'],
    ['lead=true', { leadOnly: true }, 'iuk_participants_lead_idx'],
    ['lead=true with withdrawn', { leadOnly: true, includeWithdrawn: true }, 'iuk_participants_lead_idx'],
  ] as const) {
    it(`${what}: the count reads ${index}, not every row`, async () => {
      const plan = await countPlan(f);
      expect(plan, plan).toContain(index);
      expect(plan, plan).not.toMatch(/Seq Scan/);
    });
  }

  it('a filter no index serves still plans a sequential scan (the check can fail)', async () => {
    // Withdrawn-only rows: `counted = false` has no index of its own.
    const plan = await planOf(sql`not ${iukParticipants.counted}`);
    expect(plan, plan).toMatch(/Seq Scan on iuk_participants/);
  });
});
