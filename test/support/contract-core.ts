/**
 * The published contract, checked on every response a test sees (wired into the `db` harness's
 * app, so every existing and future test checks it without asking; and into the workerd tests',
 * test/worker/checked.ts). The JSON Schema validator is passed in: ajv on Node (./contract.ts),
 * @cfworker/json-schema in workerd (./contract-workerd.ts), where ajv cannot run (it compiles
 * validators with `new Function`).
 *
 * Strict: the validator reads every object schema in /openapi.json as if it said
 * `additionalProperties: false`, so a field a body carries but the spec does not document fails,
 * as does a missing required field, a wrong type, a status or content type the operation does not
 * document. `allOf` of objects (zod's `.extend` of a named schema) is merged first, so the fields
 * of every member count as documented.
 */

export type Schema = Record<string, unknown>;

/**
 * A JSON Schema 2020-12 validator: `defs` (an id and its `$defs`, which the compiled schemas
 * `$ref` as `<id>#/$defs/<name>`) are registered first, then each schema is compiled once and
 * answers the list of its violations (empty when valid), each naming where and which field.
 */
export interface SchemaCompiler {
  addDefs(id: string, defs: Schema): void;
  compile(schema: Schema): (body: unknown) => string[];
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Literal characters in the template: the most specific match wins (`…/investments.pdf`). */
  literal: number;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface ContractCheck {
  /** What was checked, e.g. "GET /v1/areas/{code} 200 application/json"; undefined if no operation matched. */
  checked: string | undefined;
  errors: string[];
}

const SPEC_ID = 'urn:contract:spec';
const COMPONENT_REF = '#/components/schemas/';

export class Contract {
  readonly spec: Schema;
  private readonly operations: Operation[] = [];
  private readonly compiler: SchemaCompiler;
  private readonly components: Record<string, Schema>;
  private readonly compiled = new Map<string, (body: unknown) => string[]>();

  constructor(spec: Schema, compiler: SchemaCompiler) {
    this.spec = spec;
    this.compiler = compiler;
    this.components = ((spec.components as Schema | undefined)?.schemas ?? {}) as Record<string, Schema>;
    const strictDefs: Record<string, Schema> = {};
    for (const [name, schema] of Object.entries(this.components)) strictDefs[name] = this.strict(schema);
    compiler.addDefs(SPEC_ID, strictDefs);
    for (const [template, item] of Object.entries((spec.paths ?? {}) as Record<string, Schema>)) {
      for (const [method, op] of Object.entries(item)) {
        const pattern = new RegExp(
          `^${template
            .split(/(\{[^}]+\})/)
            .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
            .join('')}$`,
        );
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern,
          literal: template.replace(/\{[^}]+\}/g, '').length,
          responses: (op as Schema).responses as Operation['responses'],
        });
      }
    }
  }

  /** The documented operation a request reaches, if any. */
  operation(method: string, pathname: string): Operation | undefined {
    return this.operations
      .filter((o) => o.method === method && o.pattern.test(pathname))
      .sort((a, b) => b.literal - a.literal)[0];
  }

  /**
   * Check a response against the operation the request reached. Bodies are checked for JSON
   * content types; other documented types (CSV, PDF, SVG, HTML) only for being documented.
   */
  check(
    method: string,
    url: string,
    status: number,
    contentType: string | null,
    body: unknown,
  ): ContractCheck {
    const pathname = new URL(url, 'http://contract.test').pathname;
    const op = this.operation(method === 'HEAD' ? 'GET' : method, pathname);
    if (!op) return { checked: undefined, errors: [] };
    const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const checked = `${method} ${op.template} ${status} ${type || '(no content type)'}`;
    const response = op.responses[String(status)];
    if (!response) {
      return {
        checked,
        errors: [`status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`],
      };
    }
    if (status === 304 || method === 'HEAD') return { checked, errors: [] };
    const content = response.content ?? {};
    if (!type) return { checked, errors: Object.keys(content).length ? ['no content type'] : [] };
    const media = content[type];
    if (!media) {
      return {
        checked,
        errors: [`content type ${type} is not documented (documented: ${Object.keys(content).join(', ')})`],
      };
    }
    if (!type.includes('json') || !media.schema) return { checked, errors: [] };
    const validate = this.validator(`${op.method} ${op.template} ${status} ${type}`, media.schema);
    return { checked, errors: validate(body).slice(0, 20) };
  }

  /** The strict reading of one published schema (exposed for tests of the contract itself). */
  strictSchema(schema: Schema): Schema {
    return this.strict(schema);
  }

  private validator(key: string, schema: Schema): (body: unknown) => string[] {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.compiler.compile(this.strict(schema));
      this.compiled.set(key, v);
    }
    return v;
  }

  private resolve(schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.startsWith(COMPONENT_REF) ? ref.slice(COMPONENT_REF.length) : undefined;
    const target = name ? this.components[name] : undefined;
    if (!target) throw new Error(`contract: unresolved $ref ${ref}`);
    const { $ref: _, ...siblings } = schema;
    return Object.keys(siblings).length ? { ...this.resolve(target), ...siblings } : this.resolve(target);
  }

  /** Merge `allOf` members (refs resolved) into one schema: properties and required united. */
  private merged(schema: Schema): Schema {
    const { allOf, ...rest } = schema;
    let out: Schema = { ...rest };
    for (const member of allOf as Schema[]) {
      let m = this.resolve(member);
      if (m.allOf) m = this.merged(m);
      for (const [k, v] of Object.entries(m)) {
        if (k === 'properties') {
          const props = { ...((out.properties as Schema | undefined) ?? {}) };
          for (const [p, s] of Object.entries(v as Schema)) {
            props[p] = props[p] ? { allOf: [props[p], s] } : s;
          }
          out.properties = props;
        } else if (k === 'required') {
          out.required = [
            ...new Set([...((out.required as string[] | undefined) ?? []), ...(v as string[])]),
          ];
        } else if (k === 'type' && out.type !== undefined && JSON.stringify(out.type) !== JSON.stringify(v)) {
          throw new Error(
            `contract: allOf members disagree on type (${JSON.stringify(out.type)} vs ${JSON.stringify(v)})`,
          );
        } else if (!(k in out) || k === 'type') {
          out[k] = v;
        }
      }
    }
    out = { ...out };
    return out;
  }

  private strict(input: Schema): Schema {
    if (typeof input.$ref === 'string') {
      const ref = input.$ref;
      if (!ref.startsWith(COMPONENT_REF)) throw new Error(`contract: unexpected $ref ${ref}`);
      const { $ref: _, ...siblings } = input;
      const target = `${SPEC_ID}#/$defs/${ref.slice(COMPONENT_REF.length)}`;
      return Object.keys(siblings).length
        ? { allOf: [{ $ref: target }], ...this.strictChildren(siblings) }
        : { $ref: target };
    }
    const schema = input.allOf ? this.merged(input) : input;
    const out = this.strictChildren(schema);
    const type = schema.type;
    const isObject =
      type === 'object' || (Array.isArray(type) && type.includes('object')) || 'properties' in schema;
    if (isObject && !('additionalProperties' in schema) && !('patternProperties' in schema)) {
      out.additionalProperties = false;
    }
    return out;
  }

  private strictChildren(schema: Schema): Schema {
    const out: Schema = { ...schema };
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties as Record<string, Schema>).map(([k, v]) => [k, this.strict(v)]),
      );
    }
    for (const key of ['items', 'additionalProperties', 'not', 'propertyNames'] as const) {
      const v = schema[key];
      if (v && typeof v === 'object' && !Array.isArray(v)) out[key] = this.strict(v as Schema);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
      const v = schema[key];
      if (Array.isArray(v)) out[key] = v.map((s) => this.strict(s as Schema));
    }
    return out;
  }
}

const shared = new Map<() => SchemaCompiler, { json: string; contract: Contract }>();

/** One compiled contract per distinct spec (every app built in a run publishes the same one). */
export function contractForWith(newCompiler: () => SchemaCompiler, spec: Schema): Contract {
  const json = JSON.stringify(spec);
  let entry = shared.get(newCompiler);
  if (entry?.json !== json) {
    entry = { json, contract: new Contract(spec, newCompiler()) };
    shared.set(newCompiler, entry);
  }
  return entry.contract;
}

/** Read a response's body for checking without consuming it. */
export async function bodyOf(res: Response): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json') || res.status === 304 || !res.body) return undefined;
  const text = await res.clone().text();
  try {
    return JSON.parse(text);
  } catch {
    return Symbol.for('contract: not JSON');
  }
}

export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Wrap a fetch (an app's `request`, a Worker's `fetch`) so every response is checked against the
 * contract the same server publishes at /openapi.json; an off-contract answer throws, naming
 * the operation and every issue.
 */
export function contractCheckedWith(newCompiler: () => SchemaCompiler, fetch: Fetch, base = ''): Fetch {
  let contract: Promise<Contract> | undefined;
  return async (input, init) => {
    const res = await fetch(input, init);
    contract ??= fetch(`${base}/openapi.json`).then(async (r) =>
      contractForWith(newCompiler, (await r.json()) as Schema),
    );
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const result = (await contract).check(
      method.toUpperCase(),
      url,
      res.status,
      res.headers.get('content-type'),
      await bodyOf(res),
    );
    if (result.errors.length) {
      throw new Error(`Off contract: ${result.checked} for ${url}\n  ${result.errors.join('\n  ')}`);
    }
    return res;
  };
}
