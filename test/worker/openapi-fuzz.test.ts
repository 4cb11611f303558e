import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { casesFor, type FuzzCase, type FuzzOperation, operationsOf } from '../support/fuzz.ts';
import { workerFetch } from './checked.ts';

// A bounded, seeded subset of the bad-input sweep (test/support/fuzz.ts; the full one is
// test/db/openapi-fuzz.test.ts on Node) against the Worker itself in workerd, over the Neon
// driver: zero 5xx; every 4xx problem+json and a 400 naming the spoilt parameter; every answer,
// 200s included, on contract strictly (workerFetch checks each against /openapi.json).

const SEED = 20_261_203;
/** Per operation: the NUL byte in every parameter and an unknown parameter, plus this many more. */
const SAMPLED_PER_OPERATION = 12;
/**
 * Each request comes from its own client (an IPv6 documentation address): the rate limits are
 * tested in rate-limits.test.ts, and here would turn the sweep's later requests into 429s.
 */
const clientHeaders = (i: number) => ({ 'CF-Connecting-IP': `2001:db8::${(i + 1).toString(16)}` });

let operations: FuzzOperation[];

beforeAll(async () => {
  const res = await exports.default.fetch('http://api.test/openapi.json');
  operations = operationsOf(await res.json());
});

/** The cases this run sends for one operation: fixed ones, then a seeded sample of the rest. */
function selected(op: FuzzOperation, index: number): FuzzCase[] {
  const all = casesFor(op, { seed: SEED + index * 100, randomPerParameter: 2 });
  const fixed = all.filter((c) => /=%00$/.test(c.what) || c.what.startsWith('unknown parameter'));
  const rest = all.filter((c) => !fixed.includes(c));
  const sample =
    rest.length <= SAMPLED_PER_OPERATION
      ? rest
      : (fc.sample(
          fc.shuffledSubarray(rest, { minLength: SAMPLED_PER_OPERATION, maxLength: SAMPLED_PER_OPERATION }),
          {
            seed: SEED + index,
            numRuns: 1,
          },
        )[0] ?? []);
  return [...fixed, ...sample];
}

describe('bad-input sweep in workerd (seeded subset)', () => {
  it('answers no 5xx and nothing off contract; every 400 names the parameter', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let requests = 0;
    for (const [index, op] of operations.entries()) {
      const cases = selected(op, index);
      expect(cases.length, op.template).toBeGreaterThan(0);
      for (const c of cases) {
        const headers = clientHeaders(requests++);
        let res: Response;
        try {
          res = await workerFetch(`http://api.test${c.url}`, { headers });
        } catch (err) {
          failures.push(
            `${op.template} — ${c.what}: ${err instanceof Error ? err.message.slice(0, 400) : err}`,
          );
          continue;
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        if (res.status >= 500) {
          failures.push(`${op.template} — ${c.what}: ${res.status} ${text.slice(0, 200)}`);
        } else if (res.status >= 400) {
          const type = res.headers.get('content-type');
          if (type !== 'application/problem+json') {
            failures.push(`${op.template} — ${c.what}: ${res.status} as ${type}`);
          } else if (res.status === 400) {
            const named = ((JSON.parse(text) as { errors?: { location: string }[] }).errors ?? []).map(
              (e) => e.location,
            );
            if (!named.includes(c.location))
              failures.push(
                `${op.template} — ${c.what}: 400 names ${JSON.stringify(named)}, not ${c.location}`,
              );
          }
        }
      }
    }
    console.info(`workerd fuzz: ${requests} requests`, Object.fromEntries([...statuses].sort()));
    expect(requests).toBeGreaterThan(operations.length * SAMPLED_PER_OPERATION);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(requests / 2);
    // No request of the sweep may be rate-limited (each is its own client) or fail.
    expect(statuses.get(429) ?? 0).toBe(0);
    expect(failures.slice(0, 40), `${failures.length} failures of ${requests}`).toEqual([]);
  }, 600_000);
});
