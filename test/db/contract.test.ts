import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ajvCompiler, Contract, contractChecked } from '../support/contract.ts';
import { appFor, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

// The contract check every test runs through the harness (test/support/contract.ts) must itself be
// able to fail: these feed it real bodies with one thing wrong and expect it to say what.

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;
let contract: Contract;

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
  contract = new Contract((await getJson(app, '/openapi.json')).body, ajvCompiler());
});
afterAll(async () => tdb?.close());

const JSON_TYPE = 'application/json';

describe('the strict response check', () => {
  it('passes a real body and names an undocumented field, however deep', async () => {
    const r = await getJson(app, '/v1/areas/E37000015');
    expect(r.status).toBe(200);
    expect(contract.check('GET', '/v1/areas/E37000015', 200, JSON_TYPE, r.body)).toEqual({
      checked: 'GET /v1/areas/{code} 200 application/json',
      errors: [],
    });
    const top = contract.check('GET', '/v1/areas/E37000015', 200, JSON_TYPE, { ...r.body, debug: 1 });
    expect(top.errors.join('\n')).toMatch(/additional properties "debug"/);

    // Inside a member of an allOf (Area = AreaSummary + more) and inside an array item.
    const leps = await getJson(app, '/v1/leps');
    expect(leps.body.data.length).toBeGreaterThan(0);
    const tampered = structuredClone(leps.body);
    tampered.data[0].relatednessDensity = 0.5;
    const deep = contract.check('GET', '/v1/leps', 200, JSON_TYPE, tampered);
    expect(deep.errors.join('\n')).toMatch(
      /^\/data\/0 must NOT have additional properties "relatednessDensity"/,
    );
  });

  it('names a missing required field, a wrong type and a null where none is documented', async () => {
    const r = await getJson(app, '/v1/investments/summary');
    expect(r.status).toBe(200);
    const { groups: _, ...missing } = r.body;
    expect(
      contract.check('GET', '/v1/investments/summary', 200, JSON_TYPE, missing).errors.join('\n'),
    ).toMatch(/must have required property 'groups'/);
    const nullCount = structuredClone(r.body);
    nullCount.total.participants = null;
    expect(
      contract.check('GET', '/v1/investments/summary', 200, JSON_TYPE, nullCount).errors.join('\n'),
    ).toMatch(/^\/total\/participants must be number/);
  });

  it('refuses a status or a content type the operation does not document', () => {
    expect(contract.check('GET', '/v1/leps', 418, JSON_TYPE, {}).errors[0]).toMatch(
      /status 418 is not documented/,
    );
    expect(contract.check('GET', '/v1/areas/E37000015', 200, 'text/csv', 'x').errors[0]).toMatch(
      /content type text\/csv is not documented/,
    );
    // The most specific template wins: the PDF route is not read as {code}/investments.
    expect(
      contract.check('GET', '/v1/areas/E92000001/investments.pdf', 200, 'application/pdf', undefined),
    ).toEqual({
      checked: 'GET /v1/areas/{code}/investments.pdf 200 application/pdf',
      errors: [],
    });
  });

  it('reads every object schema in the spec as closed, unless it is a documented map', () => {
    const open: string[] = [];
    const walk = (s: unknown, at: string): void => {
      if (!s || typeof s !== 'object') return;
      const o = s as Record<string, unknown>;
      const isObject = o.type === 'object' || 'properties' in o;
      if (isObject && o.additionalProperties === undefined) open.push(at);
      if (isObject && o.additionalProperties && typeof o.additionalProperties === 'object') {
        if (Object.keys(o.additionalProperties).length === 0) open.push(`${at} (any value)`);
      }
      for (const [k, v] of Object.entries(o)) {
        // `properties` maps names to schemas: walk each schema, not the map as one.
        if (k === 'properties' && v && typeof v === 'object') {
          for (const [name, p] of Object.entries(v)) walk(p, `${at}/properties/${name}`);
        } else if (Array.isArray(v)) {
          for (const [i, item] of v.entries()) walk(item, `${at}/${k}/${i}`);
        } else if (k !== 'example' && k !== 'default') walk(v, `${at}/${k}`);
      }
    };
    const schemas = (contract.spec.components as { schemas: Record<string, unknown> }).schemas;
    const names = Object.keys(schemas);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) walk(contract.strictSchema(schemas[name] as Record<string, unknown>), name);
    expect(open).toEqual([]);
  });

  it('is what the harness runs: an off-contract answer throws from request()', async () => {
    const spec = await (await app.unchecked('/openapi.json')).text();
    const served = (body: unknown, status = 200) =>
      contractChecked(async (input) =>
        String(input).endsWith('/openapi.json')
          ? new Response(spec, { headers: { 'content-type': JSON_TYPE } })
          : Response.json(body, { status }),
      );
    const real = (await (await app.unchecked('/v1/meta')).json()) as Record<string, unknown>;
    await expect(served(real)('/v1/meta')).resolves.toHaveProperty('status', 200);
    await expect(served({ ...real, secret: 'x' })('/v1/meta')).rejects.toThrow(
      /Off contract: GET \/v1\/meta 200 application\/json[\s\S]*additional properties "secret"/,
    );
    await expect(served(real, 418)('/v1/meta')).rejects.toThrow(/status 418 is not documented/);
    // And the harness's app is wrapped by it.
    expect(app.request).not.toBe(app.unchecked);
  });
});
