import { Validator } from '@cfworker/json-schema';
import {
  type Contract,
  contractCheckedWith,
  contractForWith,
  type Fetch,
  type Schema,
  type SchemaCompiler,
} from './contract-core.ts';

/**
 * The contract check inside workerd (test/support/contract-core.ts), validating with
 * @cfworker/json-schema: an interpreter, so it needs no `new Function`, which workerd refuses and
 * ajv needs. The same strict reading of the same published spec as on Node.
 */

export function cfworkerCompiler(): SchemaCompiler {
  let defs: { id: string; schema: Schema } | undefined;
  return {
    addDefs: (id, schema) => {
      defs = { id, schema };
    },
    compile: (schema) => {
      // The validator annotates the schemas it is given, so each gets its own copy.
      const validator = new Validator(structuredClone(schema) as never, '2020-12', false);
      if (defs) validator.addSchema({ $defs: structuredClone(defs.schema) } as never, defs.id);
      return (body) => {
        const result = validator.validate(body);
        return result.valid
          ? []
          : result.errors.map((e) => `${e.instanceLocation} ${e.error} (schema ${e.keywordLocation})`);
      };
    },
  };
}

export function contractFor(spec: Schema): Contract {
  return contractForWith(cfworkerCompiler, spec);
}

/**
 * Wrap the Worker's fetch so every response is checked against the contract it publishes at
 * /openapi.json; an off-contract answer throws, naming the operation and every issue.
 */
export function contractChecked(fetch: Fetch, base = ''): Fetch {
  return contractCheckedWith(cfworkerCompiler, fetch, base);
}
