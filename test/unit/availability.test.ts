import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { isDatabaseUnavailable } from '../../src/db/availability.ts';
import type { Db } from '../../src/db/client.ts';

// Which failures are "the database is away" (503, retry) and which are bugs (500). The shapes are
// the ones the drivers throw: node-postgres / pg-pool errors, Postgres SQLSTATEs, the Neon HTTP
// driver's NeonDbError (with sourceError), Drizzle's wrapper (with cause), an aborted fetch.

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const drizzleWrapped = (cause: unknown) =>
  Object.assign(new Error('Failed query: select 1\nparams: '), { name: 'DrizzleQueryError', cause });
const neonWrapped = (
  sourceError: unknown,
  message = `Error connecting to database: ${String(sourceError)}`,
) => Object.assign(new Error(message), { name: 'NeonDbError', sourceError });

describe('isDatabaseUnavailable', () => {
  const unavailable: [string, unknown][] = [
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['client answer timeout', new Error('Query read timeout')],
    ['dropped connection', new Error('Connection terminated unexpectedly')],
    ['statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['server shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['server starting', withCode('the database system is starting up', '57P03')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['connection exception', withCode('connection failure', '08006')],
    ['drizzle wrapping a refusal', drizzleWrapped(withCode('connect ECONNREFUSED', 'ECONNREFUSED'))],
    ['drizzle wrapping a statement timeout', drizzleWrapped(withCode('canceling statement', '57014'))],
    ['neon: fetch failed', drizzleWrapped(neonWrapped(new TypeError('fetch failed')))],
    ['neon: fetch timed out', neonWrapped(new DOMException('The operation timed out.', 'TimeoutError'))],
    ['neon: fetch aborted', neonWrapped(new DOMException('aborted', 'AbortError'))],
    ['neon: edge 5xx', new Error('Server error (HTTP status 503): compute unavailable')],
  ];
  const bugs: [string, unknown][] = [
    ['missing relation', drizzleWrapped(withCode('relation "areas" does not exist', '42P01'))],
    ['syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['bad input to SQL', withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'code')")],
    ['neon: 400 with a SQL error', Object.assign(new Error('column "x" does not exist'), { code: '42703' })],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ];

  it.each(unavailable)('%s → unavailable', (_, err) => expect(isDatabaseUnavailable(err)).toBe(true));
  it.each(bugs)('%s → not unavailable (a 500)', (_, err) => expect(isDatabaseUnavailable(err)).toBe(false));
});

describe('OpenAPI', () => {
  it('documents a 503 problem with Retry-After on every operation that reads the database', async () => {
    const noDb = {} as Db;
    const app = createApp({
      db: noDb,
      runtime: 'node',
      log: () => {},
      now: () => 0,
      datasetVersion: { current: async () => 'v-test' },
    });
    const spec = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { headers?: object; content?: object }> }>
      >;
    };
    const v1 = Object.entries(spec.paths).filter(([path]) => path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(20);
    for (const [path, ops] of v1) {
      for (const [method, op] of Object.entries(ops)) {
        const r503 = op.responses['503'];
        expect(r503, `${method} ${path}`).toBeDefined();
        expect(Object.keys(r503?.content ?? {}), `${method} ${path}`).toEqual(['application/problem+json']);
        expect(r503?.headers, `${method} ${path}`).toHaveProperty('Retry-After');
      }
    }
    expect(spec.paths['/ready']?.get?.responses['503']).toBeDefined();
    expect(spec.paths['/health']?.get?.responses['503']).toBeUndefined();
  });

  it('a data route answers 503 problem+json with Retry-After when the driver cannot connect', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const failing = new Proxy({} as Db, {
      get: () => () => {
        throw refused;
      },
    });
    const app = createApp({
      db: failing,
      runtime: 'node',
      log: () => {},
      now: () => 0,
      datasetVersion: { current: async () => 'v-test' },
    });
    const res = await app.request('/v1/areas?type=lep');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ status: 503, type: '/problems/unavailable' });
    expect(body).not.toContain('10.0.0.1');
  });
});
