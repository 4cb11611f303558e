import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import { contractFor } from '../support/contract.ts';
import {
  appFor,
  createTestDatabase,
  DATA_DIR,
  getJson,
  loadedTestDatabase,
  type TestDatabase,
} from './harness.ts';

// The published spec documents every operation fully, for today's routes and every route added
// later: operationId, description, parameters with description and example, the statuses every
// route can answer, a response example per operation (validated strictly), described tags, servers; and Spectral's `spectral:oas` ruleset finds nothing.

type Schema = Record<string, unknown>;
interface Op {
  id: string;
  op: Schema;
}

let tdb: TestDatabase;
let spec: Schema;
let operations: Op[];

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  spec = (await getJson(appFor(tdb.db), '/openapi.json')).body;
  operations = Object.entries(spec.paths as Record<string, Record<string, Schema>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })),
  );
});
afterAll(async () => tdb?.close());

const missing = (pick: (o: Op) => string[]) => () => {
  expect(operations.length).toBeGreaterThanOrEqual(30);
  expect(operations.flatMap(pick)).toEqual([]);
};

describe('every operation is documented', () => {
  it(
    'has a unique operationId, a summary and a description',
    missing(({ id, op }) => [
      ...(typeof op.operationId === 'string' && op.operationId ? [] : [`${id}: no operationId`]),
      ...(typeof op.summary === 'string' && op.summary ? [] : [`${id}: no summary`]),
      ...(typeof op.description === 'string' && op.description.length >= 40 ? [] : [`${id}: no description`]),
    ]),
  );

  it('operationIds are unique', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
  });

  it(
    'describes and exemplifies every parameter',
    missing(({ id, op }) =>
      ((op.parameters as Schema[] | undefined) ?? []).flatMap((p) => {
        const schema = (p.schema ?? {}) as Schema;
        const where = `${id} ${p.in}.${p.name}`;
        return [
          ...(p.description || schema.description ? [] : [`${where}: no description`]),
          ...(p.example !== undefined || schema.example !== undefined ? [] : [`${where}: no example`]),
        ];
      }),
    ),
  );

  it(
    'documents the 304, 400, 429 and 500 every route can answer',
    missing(({ id, op }) => {
      const responses = op.responses as Record<string, unknown>;
      return ['200', '304', '400', '429', '500'].filter((s) => !responses[s]).map((s) => `${id}: no ${s}`);
    }),
  );

  it('has a response example per operation, each a valid answer read strictly against its schema', () => {
    const contract = contractFor(spec);
    const problems: string[] = [];
    let validated = 0;
    for (const { id, op } of operations) {
      const [method, template] = id.split(' ') as [string, string];
      const path = template.replace(/\{[^}]+\}/g, 'x');
      const responses = op.responses as Record<string, { content?: Record<string, Schema> }>;
      let examples = 0;
      for (const [status, response] of Object.entries(responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (media.example === undefined) continue;
          examples += 1;
          if (type.includes('json')) {
            const { checked, errors } = contract.check(method, path, Number(status), type, media.example);
            if (checked === undefined) problems.push(`${id}: the check found no operation`);
            problems.push(...errors.map((e) => `${id} ${status} ${type} example: ${e}`));
            validated += 1;
          } else if (typeof media.example !== 'string' || media.example.length === 0) {
            problems.push(`${id} ${status} ${type}: a text example must be non-empty text`);
          }
        }
      }
      if (examples === 0) problems.push(`${id}: no response example`);
    }
    expect(validated).toBeGreaterThanOrEqual(30);
    expect(problems).toEqual([]);
  });

  it('uses only tags the spec describes, and names its servers', () => {
    const tags = spec.tags as { name: string; description?: string }[];
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.filter((t) => !t.description)).toEqual([]);
    const names = new Set(tags.map((t) => t.name));
    const used = operations.flatMap(({ op }) => (op.tags as string[] | undefined) ?? ['(none)']);
    expect(used.length).toBeGreaterThanOrEqual(operations.length);
    expect([...new Set(used)].filter((t) => !names.has(t))).toEqual([]);
    expect((spec.servers as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('the documented examples of one organisation and one project name the shipped sample', () => {
  // The sample's Innovate UK release is committed (test/fixtures/sample/innovate_uk), so its ids are
  // fixed; the full data has no release, so this reads the sample whatever DATA_DIR says.
  let sample: TestDatabase | undefined;
  let app: ReturnType<typeof appFor>;
  beforeAll(async () => {
    if (DATA_DIR === SAMPLE_DATA_DIR) app = appFor(tdb.db);
    else {
      sample = await createTestDatabase();
      await loadDataset(sample.run, { dataDir: SAMPLE_DATA_DIR });
      app = appFor(sample.db);
    }
  });
  afterAll(async () => sample?.close());

  /** The operation's path with each path parameter's example, and its query parameters with theirs. */
  const documented = (operationId: string) => {
    const found = Object.entries(spec.paths as Record<string, Record<string, Schema>>).flatMap(
      ([path, item]) =>
        Object.values(item)
          .filter((op) => op.operationId === operationId)
          .map((op) => ({
            path,
            parameters: (op.parameters ?? []) as {
              name: string;
              in: string;
              example?: unknown;
              schema?: Schema;
            }[],
          })),
    );
    expect(found).toHaveLength(1);
    const { path, parameters } = found[0] as (typeof found)[number];
    const example = (p: (typeof parameters)[number]) => String(p.example ?? p.schema?.example);
    const base = parameters
      .filter((p) => p.in === 'path')
      .reduce((url, p) => url.replace(`{${p.name}}`, encodeURIComponent(example(p))), path);
    const query = parameters
      .filter((p) => p.in === 'query')
      .map((p) => `${p.name}=${encodeURIComponent(example(p))}`);
    return {
      base,
      query,
      example: (name: string) =>
        example(parameters.find((p) => p.name === name) as (typeof parameters)[number]),
    };
  };

  it('every documented cursor example, pasted with its operation’s path examples, answers 200', async () => {
    const withCursor = operations.filter(
      (o) =>
        o.id.startsWith('GET ') &&
        ((o.op.parameters ?? []) as { name: string; in: string }[]).some(
          (p) => p.name === 'cursor' && p.in === 'query',
        ),
    );
    expect(withCursor.length).toBeGreaterThanOrEqual(4);
    const failed: string[] = [];
    for (const o of withCursor) {
      const { base, example } = documented(o.op.operationId as string);
      // The cursor and every required query parameter, each as documented.
      const names = ((o.op.parameters ?? []) as { name: string; in: string; required?: boolean }[])
        .filter((p) => p.in === 'query' && (p.required || p.name === 'cursor'))
        .map((p) => p.name);
      const url = `${base}?${names.map((n) => `${n}=${encodeURIComponent(example(n))}`).join('&')}`;
      const r = await getJson(app, url);
      if (r.status !== 200) failed.push(`${o.op.operationId} ${url}: ${r.status}`);
    }
    expect(failed).toEqual([]);
  });

  it('getOrganisation: its id, alone and with each query example (limit, cursor) and all of them, answers 200', async () => {
    const { base, query, example } = documented('getOrganisation');
    expect(query.map((q) => q.split('=')[0]).sort()).toEqual(['cursor', 'limit']);
    const urls = [base, ...query.map((q) => `${base}?${q}`), `${base}?${query.join('&')}`];
    for (const url of urls) {
      const r = await getJson(app, url);
      expect(r.status, `${url}: ${JSON.stringify(r.body).slice(0, 200)}`).toBe(200);
      expect(r.body.id, url).toBe(example('id'));
    }
    // The cursor example is a real position in that organisation's list: the next page starts after it.
    const all = (await getJson(app, `${base}?limit=500`)).body.projectList as { projectNumber: string }[];
    const [year, projectNumber] = JSON.parse(Buffer.from(example('cursor'), 'base64url').toString()) as [
      number,
      string,
    ];
    const after = (await getJson(app, `${base}?cursor=${example('cursor')}&limit=500`)).body.projectList as {
      projectNumber: string;
      year: number;
    }[];
    expect(after.length).toBeGreaterThan(0);
    expect(after.length).toBeLessThan(all.length);
    expect(all.map((p) => p.projectNumber)).toContain(projectNumber);
    expect(after[0]?.year).toBeLessThanOrEqual(year);
  });

  it('getProject: its project number answers 200: a live project the example organisation took part in', async () => {
    const { base, query, example } = documented('getProject');
    expect(query).toEqual([]);
    const r = await getJson(app, base);
    expect(r.status, JSON.stringify(r.body).slice(0, 200)).toBe(200);
    expect(r.body.projectNumber).toBe(example('projectNumber'));
    // A telling example: a live project with several partners, not a withdrawn one.
    expect(r.body.withdrawn).toBe(false);
    expect(r.body.participantsCounted).toBeGreaterThan(1);
    expect(r.body.participants.map((p: { organisation: { id: string } }) => p.organisation.id)).toContain(
      documented('getOrganisation').example('id'),
    );
  });
});

describe('Spectral', () => {
  it('finds no error, warning, info or hint with the spectral:oas ruleset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spectral-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(spec));
      const bin = join(process.cwd(), 'node_modules', '.bin', 'spectral');
      const ruleset = join(process.cwd(), '.spectral.yaml');
      const { stdout } = await promisify(execFile)(
        bin,
        ['lint', file, '--ruleset', ruleset, '--format', 'json', '--fail-severity', 'hint', '--quiet'],
        { timeout: 90_000 },
      ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? String(err) }));
      const results = JSON.parse(stdout) as { code: string; path: string[]; message: string }[];
      expect(results.map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
