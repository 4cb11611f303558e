import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

// Bodies that contradicted their published schema.

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
});
afterAll(async () => tdb?.close());

type Schema = Record<string, unknown>;

/** Does a JSON Schema (OpenAPI 3.1) admit `null`? Enough of the vocabulary for our specs. */
function admitsNull(schema: Schema, components: Record<string, Schema>): boolean {
  if (typeof schema.$ref === 'string') {
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return admitsNull(target, components);
  }
  const each = (key: 'allOf' | 'anyOf' | 'oneOf') => (schema[key] as Schema[] | undefined) ?? [];
  if (each('allOf').length && !each('allOf').every((s) => admitsNull(s, components))) return false;
  if (each('anyOf').length) return each('anyOf').some((s) => admitsNull(s, components));
  if (each('oneOf').length) return each('oneOf').some((s) => admitsNull(s, components));
  const type = schema.type;
  if (type === undefined) return each('allOf').length > 0 || Object.keys(schema).length === 0;
  return Array.isArray(type) ? type.includes('null') : type === 'null';
}

describe('investment summaries never say null for a count', () => {
  it('a filter that matches nothing gives zero participants, not null', async () => {
    for (const path of [
      '/v1/investments/summary?status=abc',
      '/v1/investments/summary?yearFrom=2099',
      '/v1/investments/summary?status=abc&groupBy=sector',
      '/v1/investments/summary?status=abc&overlap=split&area=E37000015',
    ]) {
      const r = await getJson(app, path);
      expect(r.status, path).toBe(200);
      expect(r.body.computedFrom, path).toBe('participants');
      expect(r.body.total, path).toEqual({
        key: null,
        label: null,
        grantOffered: { pence: 0, pounds: '0.00' },
        participants: 0,
        projects: 0,
        organisations: 0,
      });
      expect(r.body.groups, path).toEqual([]);
    }
  });
});

describe('comparisons say where a LEP has no value, as the spec documents', () => {
  it('a missing value is null, and the published schema of values[] admits null', async () => {
    const leps = (await getJson(app, '/v1/leps')).body.data.map((l: { code: string }) => l.code);
    expect(leps.length).toBeGreaterThanOrEqual(2);
    const r = await getJson(app, `/v1/compare?areas=${leps.join(',')}`);
    expect(r.status).toBe(200);
    const cells = r.body.rows.flatMap((row: { values: unknown[] }) => row.values);
    expect(cells.length).toBe(r.body.rows.length * leps.length);
    const nulls = cells.filter((v: unknown) => v === null);
    // The sample and the full data both have LEPs without some indicators (e.g. university income).
    expect(nulls.length).toBeGreaterThan(0);
    const values = cells.filter((v: unknown) => v !== null);
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v: { area: { code: string } }) => leps.includes(v.area.code))).toBe(true);

    const spec = (await getJson(app, '/openapi.json')).body;
    const components = spec.components.schemas as Record<string, Schema>;
    const comparison = components.Comparison as {
      properties: { rows: { items: { properties: { values: { items: Schema } } } } };
    };
    const item = comparison.properties.rows.items.properties.values.items;
    expect(admitsNull(item, components)).toBe(true);
    // And a present value is still the documented IndicatorValue.
    expect(JSON.stringify(item)).toContain('#/components/schemas/IndicatorValue');
  });
});
