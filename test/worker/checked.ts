import { exports } from 'cloudflare:workers';
import { contractChecked } from '../support/contract-workerd.ts';

/**
 * The Worker's own fetch (src/index.ts in workerd) with every answer checked against the contract
 * it publishes at /openapi.json, as the db tests' harness does on Node: a status or content type
 * the operation does not document, or a JSON body off its schema (strictly: no undocumented field),
 * throws, naming the operation and every issue. Validated by @cfworker/json-schema, since ajv
 * cannot run in workerd.
 */
export const workerFetch = contractChecked(
  (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(input, init),
  'http://api.test',
);
