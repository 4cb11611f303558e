import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineUrl, casesFor, type FuzzOperation, operationsOf } from '../support/fuzz.ts';
import { appFor, loadedTestDatabase, type TestDatabase } from './harness.ts';

// The bad-input sweep generated from /openapi.json (test/support/fuzz.ts), on Node against the
// loaded dataset: zero 5xx; every 4xx is problem+json (its status documented for the operation,
// its body the Problem schema) and a 400 names the spoilt parameter; every 200 matches the
// operation's schema strictly. The harness's app checks the contract on every response.

const SEED = 20_261_202;
/** Random values per parameter on top of the fixed hostile set (about 4,000 requests in all). */
const RANDOM_PER_PARAMETER = 12;
/** ~1 min on Postgres; in-process PGlite on a loaded 2-core machine took over the default 2 min. */
const SWEEP_TIMEOUT_MS = 600_000;

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;
let operations: FuzzOperation[];

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
  operations = operationsOf(await (await app.unchecked('/openapi.json')).json());
});
afterAll(async () => tdb?.close());

interface Outcome {
  status: number;
  failure?: string;
}

async function probe(url: string, location: string | undefined): Promise<Outcome> {
  let res: Response;
  try {
    res = await app.request(url);
  } catch (err) {
    // The harness throws on an off-contract answer: undocumented status, type or body.
    return {
      status: 0,
      failure: err instanceof Error ? err.message.split('\n').slice(0, 4).join(' | ') : String(err),
    };
  }
  const status = res.status;
  if (status >= 500) return { status, failure: `${status}: ${(await res.text()).slice(0, 200)}` };
  if (status >= 400) {
    const type = res.headers.get('content-type');
    if (type !== 'application/problem+json')
      return { status, failure: `${status} as ${type}, not problem+json` };
    const body = (await res.json()) as { errors?: { location: string }[] };
    if (status === 400 && location) {
      const named = (body.errors ?? []).map((e) => e.location);
      if (!named.includes(location))
        return { status, failure: `400 names ${JSON.stringify(named)}, not ${location}` };
    }
  } else {
    await res.arrayBuffer();
  }
  return { status };
}

describe('bad-input sweep generated from /openapi.json', () => {
  it('covers every operation and parameter the spec documents', () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
    const parameters = operations.flatMap((o) => o.parameters);
    expect(parameters.length).toBeGreaterThanOrEqual(100);
  });

  it('every baseline (the documented examples) is a valid request', async () => {
    // 404 is fair: an example id need not exist in the loaded dataset (the sample's projects).
    const bad: string[] = [];
    for (const op of operations) {
      const url = baselineUrl(op);
      const out = await probe(url, undefined);
      if (out.failure || (out.status >= 400 && out.status !== 404))
        bad.push(`${url} → ${out.status} ${out.failure ?? ''}`);
    }
    expect(bad).toEqual([]);
  });

  it(
    'answers no 5xx and no off-contract body; every 400 names the parameter',
    async () => {
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let requests = 0;
      for (const op of operations) {
        for (const c of casesFor(op, { seed: SEED, randomPerParameter: RANDOM_PER_PARAMETER })) {
          const out = await probe(c.url, c.location);
          requests++;
          statuses.set(out.status, (statuses.get(out.status) ?? 0) + 1);
          if (out.failure)
            failures.push(`${op.template} — ${c.what}\n    ${c.url.slice(0, 160)}\n    ${out.failure}`);
        }
      }
      console.info(`openapi fuzz: ${requests} requests`, Object.fromEntries([...statuses].sort()));
      expect(requests).toBeGreaterThan(3000);
      // Most spoilt requests are refused; some hostile values are fine (a search for "😀").
      expect(statuses.get(400) ?? 0).toBeGreaterThan(requests / 2);
      expect(failures.slice(0, 60), `${failures.length} failures of ${requests}`).toEqual([]);
    },
    SWEEP_TIMEOUT_MS,
  );
});
