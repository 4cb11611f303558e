import fc from 'fast-check';

/**
 * A bad-input sweep generated from /openapi.json: for every operation, every parameter it
 * documents is sent hostile values (huge, negative, fractional, unicode, control characters,
 * 10 kB strings, forged cursors, near-misses of its enum), and every operation is also sent
 * repeated and unknown parameters. Each request starts from a valid baseline (the documented
 * examples of the required parameters) and spoils one thing, so a 400 must name that thing.
 *
 * Generation is fast-check's, seeded, so a run is reproducible; the sweep collects every failure
 * rather than stopping (and shrinking) at the first, so one CI run reports them all.
 */

type Schema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: Schema;
  example?: unknown;
}

export interface FuzzOperation {
  method: string;
  template: string;
  parameters: Parameter[];
}

/** One request of the sweep, and what it spoils. */
export interface FuzzCase {
  operation: FuzzOperation;
  url: string;
  /** The location a 400 must name, e.g. "query.limit" or "path.code". */
  location: string;
  what: string;
}

export function operationsOf(spec: Schema): FuzzOperation[] {
  const out: FuzzOperation[] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(item)) {
      const parameters = ((op.parameters as Schema[] | undefined) ?? []).map((p) => ({
        name: p.name as string,
        in: p.in as 'query' | 'path',
        required: Boolean(p.required),
        schema: (p.schema as Schema | undefined) ?? {},
        example: p.example ?? (p.schema as Schema | undefined)?.example,
      }));
      out.push({ method: method.toUpperCase(), template, parameters });
    }
  }
  return out;
}

/** Percent-encode every UTF-8 byte that is not unreserved (lone surrogates become U+FFFD, as a browser sends). */
export function encode(value: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9_.~-]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const b64url = (text: string) => {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
};

/** A value as it goes into the URL: text is percent-encoded; raw is written as is (e.g. "%00", "%zz"). */
export type Value = { text: string } | { raw: string };
const text = (t: string): Value => ({ text: t });
const raw = (r: string): Value => ({ raw: r });
const written = (v: Value) => ('raw' in v ? v.raw : encode(v.text));

/** Values no parameter should answer 500 to, whatever its type. */
const KNOWN: Value[] = [
  text(''),
  text(' '),
  raw('%00'),
  raw('a%00b'),
  raw('%'),
  raw('%zz'),
  raw('%C0%80'),
  raw('%ED%A0%80'),
  raw('%FF%FE'),
  text('\u0000'),
  text('\u001b[31m'),
  text('\u202egnp.exe'),
  text('\ufeff1'),
  text('😀'),
  text('ÉÈ'),
  text('١٢٣'),
  text('１２３'),
  text('-1'),
  text('0'),
  text('-0'),
  text('1.5'),
  text('1e3'),
  text('1e300'),
  text('0x10'),
  text('+5'),
  text('007'),
  text('NaN'),
  text('Infinity'),
  text('9007199254740993'),
  text('99999999999999999999999999999999'),
  text('-99999999999999999999999999999999'),
  text('null'),
  text('undefined'),
  text('true'),
  text('[]'),
  text('{}'),
  text('[1,2]'),
  text('__proto__'),
  text('constructor'),
  text("' OR '1'='1"),
  text('"; drop table areas; --'),
  text('%'),
  text('_'),
  text('\\'),
  text('../../etc/passwd'),
  text('<script>alert(1)</script>'),
  text('a,b,,c,'),
  text(','.repeat(500)),
  text('a'.repeat(10_000)),
  text('9'.repeat(10_000)),
  text('€'.repeat(3_500)),
  text('E37000015,'.repeat(1_000)),
];

/** Cursors this API never issued: not base64url, not JSON, JSON of the wrong shape or range. */
const BAD_CURSORS: Value[] = [
  text('!!!'),
  text('WyJ'),
  text(b64url('not json')),
  text(b64url('{')),
  text(b64url('null')),
  text(b64url('{}')),
  text(b64url('[]')),
  text(b64url('[1.5,1]')),
  text(b64url('[1e300,1]')),
  text(b64url('[1,1e20]')),
  text(b64url('[-1,-1]')),
  text(b64url('[1,2,3]')),
  text(b64url('["\\u0000",1]')),
  text(b64url('["x\\u0000y"]')),
  text(b64url('[null,null]')),
  text(b64url('["2020-13-45",1]')),
  text(b64url(`["${'a'.repeat(300)}",1]`)),
  text(b64url(JSON.stringify(['E37000015', 1]))),
  text(b64url('[9007199254740993,1]')),
  text('A'.repeat(600)),
];

/** Random values: strings of any code points, numbers of every size and sign, JSON in cursors. */
function randomValue(p: Parameter): fc.Arbitrary<Value> {
  const arbs: fc.Arbitrary<Value>[] = [
    fc.string({ unit: 'binary', maxLength: 40 }).map(text),
    fc.string({ unit: 'grapheme', maxLength: 40 }).map(text),
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((n) => text(String(n))),
    fc.integer().map((n) => text(String(n))),
    fc.double().map((n) => text(String(n))),
    fc.json({ maxDepth: 2 }).map((j) => text(b64url(j))),
    fc.stringMatching(/^%[0-9A-Fa-f]{2}([0-9A-Za-z%]{0,6})$/).map(raw),
  ];
  const options = [
    ...((p.schema.enum as string[] | undefined) ?? []),
    ...(typeof p.example === 'string' ? [p.example] : []),
  ];
  if (options.length) {
    // Near misses of the values it accepts: case, padding, a suffix, a NUL inside.
    arbs.push(
      fc
        .tuple(
          fc.constantFrom(...options),
          fc.constantFrom<(s: string) => string>(
            (s) => s.toUpperCase(),
            (s) => ` ${s}`,
            (s) => `${s} `,
            (s) => `${s}x`,
            (s) => `${s}\u0000`,
            (s) => `${s},${s}`,
            (s) => s.slice(0, -1),
          ),
        )
        .map(([s, f]) => text(f(s))),
    );
  }
  return fc.oneof(...arbs);
}

/** Parameter names no route declares. */
const unknownName = fc.oneof(
  fc.constantFrom('secotr', 'debug', 'format2', 'LIMIT', 'callback', '__proto__', 'a[]', 'x.y', '😀', ''),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);

/** Fill a template and query from values; the rest of the parameters keep the baseline. */
function urlOf(op: FuzzOperation, values: Map<Parameter, Value | undefined>, extra = ''): string {
  let path = op.template;
  const query: string[] = [];
  for (const p of op.parameters) {
    const v = values.get(p);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, v ? written(v) : '');
    else if (v) query.push(`${encode(p.name)}=${written(v)}`);
  }
  const q = [...query, ...(extra ? [extra] : [])].join('&');
  return q ? `${path}?${q}` : path;
}

/** The baseline: the documented example of every path parameter and required query parameter. */
export function baseline(op: FuzzOperation): Map<Parameter, Value | undefined> {
  const values = new Map<Parameter, Value | undefined>();
  for (const p of op.parameters) {
    if (p.in === 'path' || p.required) {
      if (p.example === undefined) throw new Error(`${op.template}: parameter ${p.name} has no example`);
      values.set(p, text(String(p.example)));
    }
  }
  return values;
}

export function baselineUrl(op: FuzzOperation): string {
  return urlOf(op, baseline(op));
}

/**
 * The sweep for one operation: every known-hostile value and every bad cursor in every
 * parameter, `randomPerParameter` random values more, and repeated and unknown names.
 */
export function casesFor(op: FuzzOperation, opts: { seed: number; randomPerParameter: number }): FuzzCase[] {
  const base = baseline(op);
  const cases: FuzzCase[] = [];
  op.parameters.forEach((p, i) => {
    const location = `${p.in}.${p.name}`;
    const isCursor = p.name === 'cursor';
    const spoil = (v: Value, what: string) => {
      const values = new Map(base);
      values.set(p, v);
      cases.push({ operation: op, url: urlOf(op, values), location, what });
    };
    for (const v of KNOWN) spoil(v, `${location}=${written(v).slice(0, 40)}`);
    if (isCursor) for (const v of BAD_CURSORS) spoil(v, `bad cursor ${written(v).slice(0, 40)}`);
    const random = fc.sample(randomValue(p), { seed: opts.seed + i, numRuns: opts.randomPerParameter });
    for (const v of random) spoil(v, `${location}=${written(v).slice(0, 40)} (random)`);
    if (p.in === 'query') {
      const first = p.example !== undefined ? String(p.example) : 'x';
      const values = new Map(base);
      values.delete(p);
      cases.push({
        operation: op,
        url: urlOf(op, values, `${encode(p.name)}=${encode(first)}&${encode(p.name)}=${encode(first)}`),
        location,
        what: `${p.name} given twice`,
      });
    }
  });
  const declared = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  const names = fc
    .sample(unknownName, { seed: opts.seed + 1000, numRuns: 8 })
    .filter((n) => !declared.has(n));
  for (const name of [...new Set(names)]) {
    cases.push({
      operation: op,
      url: urlOf(op, base, `${encode(name)}=1`),
      location: `query.${name}`,
      what: `unknown parameter ${JSON.stringify(name)}`,
    });
  }
  return cases;
}
