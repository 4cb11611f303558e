import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  type Contract,
  contractCheckedWith,
  contractForWith,
  type Fetch,
  type Schema,
  type SchemaCompiler,
} from './contract-core.ts';

/** The contract check on Node (test/support/contract-core.ts), validating with ajv. */

export { bodyOf, Contract, type ContractCheck, type SchemaCompiler } from './contract-core.ts';

export function ajvCompiler(): SchemaCompiler {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  return {
    addDefs: (id, defs) => {
      ajv.addSchema({ $id: id, $defs: defs });
    },
    compile: (schema) => {
      const validate = ajv.compile(schema);
      return (body) =>
        validate(body)
          ? []
          : (validate.errors ?? []).map((e) => {
              const extra =
                e.keyword === 'additionalProperties'
                  ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
                  : '';
              return `${e.instancePath || '(body)'} ${e.message}${extra} (schema ${e.schemaPath})`;
            });
    },
  };
}

/** One compiled contract per distinct spec (every app built in a run publishes the same one). */
export function contractFor(spec: Schema): Contract {
  return contractForWith(ajvCompiler, spec);
}

/**
 * Wrap a fetch (an app's `request`) so every response is checked against the contract the same
 * server publishes at /openapi.json; an off-contract answer throws, naming the operation and
 * every issue.
 */
export function contractChecked(fetch: Fetch, base = ''): Fetch {
  return contractCheckedWith(ajvCompiler, fetch, base);
}
