import { describe, expect, it } from 'vitest';
import { ajvCompiler, Contract } from '../support/contract.ts';
import { cfworkerCompiler } from '../support/contract-workerd.ts';

// The contract check runs with ajv on Node (db tests) and @cfworker/json-schema in workerd
// (worker tests). Both must read the published spec the same strict way: each violation below
// fails under both, and a valid body passes under both.

const spec = {
  openapi: '3.1.0',
  components: {
    schemas: {
      Area: {
        type: 'object',
        properties: { code: { type: 'string' }, asOf: { type: 'string', format: 'date' } },
        required: ['code', 'asOf'],
      },
    },
  },
  paths: {
    '/v1/areas/{code}': {
      get: {
        responses: {
          '200': {
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/Area' },
                    {
                      type: 'object',
                      properties: {
                        values: { type: 'array', items: { type: 'number' } },
                        link: { $ref: '#/components/schemas/Area' },
                      },
                      required: ['values'],
                    },
                  ],
                },
              },
            },
          },
        },
      },
    },
  },
};

const valid = {
  code: 'E37000015',
  asOf: '2024-03-31',
  values: [1, 2.5],
  link: { code: 'x', asOf: '2020-01-01' },
};

const cases: [string, unknown, RegExp][] = [
  ['an undocumented field', { ...valid, relatednessDensity: 0.4 }, /relatednessDensity|additional/i],
  [
    'an undocumented field inside a $ref',
    { ...valid, link: { ...valid.link, extra: 1 } },
    /extra|additional/i,
  ],
  ['a missing required field', { code: 'E37000015', values: [] }, /asOf|required/i],
  ['null inside values[]', { ...valid, values: [1, null] }, /values|number/i],
  ['a bad date', { ...valid, asOf: '2024-13-45' }, /asOf|format|date/i],
  ['a wrong type', { ...valid, code: 15 }, /code|string/i],
];

describe.each([
  ['ajv', ajvCompiler],
  ['@cfworker/json-schema', cfworkerCompiler],
])('the strict contract with %s', (_name, compiler) => {
  const contract = new Contract(spec, compiler());
  const check = (body: unknown) =>
    contract.check('GET', '/v1/areas/E37000015', 200, 'application/json', body);

  it('passes a body that matches the published schema', () => {
    expect(check(valid)).toEqual({ checked: 'GET /v1/areas/{code} 200 application/json', errors: [] });
  });

  it.each(cases)('fails %s', (_what, body, mention) => {
    const { errors } = check(body);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(mention);
  });

  it('fails an undocumented status or content type', () => {
    expect(contract.check('GET', '/v1/areas/x', 418, 'application/json', {}).errors[0]).toMatch(/418/);
    expect(contract.check('GET', '/v1/areas/x', 200, 'text/csv', '').errors[0]).toMatch(/text\/csv/);
  });
});
