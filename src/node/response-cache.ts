import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { ResponseStore } from '../http/cache.ts';

/**
 * Node's {@link ResponseStore}: rendered 200s kept in process as bytes, with their gzip and brotli
 * forms (made in the background after the first answer, on libuv's thread pool), least recently
 * used first out once the total passes `maxBytes`. Keys carry the dataset version, so entries of an
 * old dataset are unreachable; {@link MemoryResponseCache.clear} frees them when the version changes.
 *
 * Each entry also learns the complete headers its answers went out with ({@link learn}), so the
 * Node front (src/node/fast-path.ts) can answer a repeated read, or its 304, straight from here.
 */

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Headers that belong to one request or one encoding, never to a stored answer: the request id,
 * the client's rate-limit state, the cache verdict, the framing of the bytes. Everything else a
 * handler set (Content-Type, Content-Disposition, Content-Security-Policy, …) is kept.
 */
export const PER_REQUEST_HEADERS = new Set([
  'x-request-id',
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'x-cache',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'vary',
  'date',
  'connection',
  'keep-alive',
  'set-cookie',
]);
/** Below this, compressing costs more than it saves. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * Media types worth compressing: text, JSON (problem+json, geo+json, …), XML and SVG, JavaScript,
 * CSV, HTML. Not PDFs, images or XLSX (already a zip, though its type names "openxml").
 */
export function isCompressible(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type.startsWith('text/')) return true;
  if (!type.startsWith('application/') && type !== 'image/svg+xml') return false;
  return (
    type === 'image/svg+xml' ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/x-ndjson'
  );
}

/** The Vary of a stored answer: whatever the handler varied on, and the encoding. */
export function varyWithEncoding(vary: string | null | undefined): string {
  if (!vary) return 'Accept-Encoding';
  return /(^|,)\s*accept-encoding\s*(,|$)/i.test(vary) ? vary : `${vary}, Accept-Encoding`;
}

/** What the front needs to answer a repeated read without the app. */
export interface CachedAnswer {
  /** The weak ETag of the answer. */
  etag: string;
  /** The headers of a 200 from this entry, learned from a full answer, minus the per-request ones. */
  front200?: readonly string[];
  /** The same for a 304. */
  front304?: readonly string[];
  body: Uint8Array<ArrayBuffer>;
  gzip?: Uint8Array<ArrayBuffer>;
  br?: Uint8Array<ArrayBuffer>;
}

interface Entry extends CachedAnswer {
  headers: [string, string][];
  vary: string;
  bytes: number;
}

export interface MemoryResponseCacheOptions {
  /** Most bytes held (bodies and their compressed forms). */
  maxBytes: number;
  /** Largest single body stored; larger answers pass through unbuffered. Default maxBytes / 8. */
  maxEntryBytes?: number;
}

export class MemoryResponseCache implements ResponseStore {
  readonly maxBytes: number;
  readonly maxEntryBytes: number;
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  /** Counters for /health-style introspection and the tests (`front`: hits answered by the Node front). */
  readonly stats = { hits: 0, misses: 0, stored: 0, evicted: 0, skipped: 0, front: 0 };

  constructor(opts: MemoryResponseCacheOptions) {
    this.maxBytes = opts.maxBytes;
    this.maxEntryBytes = Math.min(opts.maxEntryBytes ?? Math.floor(opts.maxBytes / 8), opts.maxBytes);
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  async match(key: string, request: Request): Promise<Response | null> {
    const entry = this.entries.get(key);
    if (!entry) {
      this.stats.misses++;
      return null;
    }
    this.stats.hits++;
    // Most recently used goes last; eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    const accepts = request.headers.get('accept-encoding') ?? '';
    const headers = new Headers(entry.headers);
    headers.set('Vary', entry.vary);
    let body = entry.body;
    if (entry.br && acceptsEncoding(accepts, 'br')) {
      body = entry.br;
      headers.set('Content-Encoding', 'br');
    } else if (entry.gzip && acceptsEncoding(accepts, 'gzip')) {
      body = entry.gzip;
      headers.set('Content-Encoding', 'gzip');
    }
    headers.set('Content-Length', String(body.byteLength));
    return new Response(body, { status: 200, headers });
  }

  async put(key: string, response: Response, defer: (work: Promise<unknown>) => void): Promise<Response> {
    const read = await readUpTo(response, this.maxEntryBytes);
    if (read.rest) {
      this.stats.skipped++;
      return new Response(prepend(read.chunks, read.rest), response);
    }
    const body = concat(read.chunks);
    const headers: [string, string][] = [];
    response.headers.forEach((v, name) => {
      if (!PER_REQUEST_HEADERS.has(name)) headers.push([name, v]);
    });
    const vary = varyWithEncoding(response.headers.get('vary'));
    const etag = response.headers.get('etag') ?? '';
    const entry: Entry = { headers, vary, etag, body, bytes: body.byteLength + key.length };
    this.insert(key, entry);
    if (body.byteLength >= MIN_COMPRESS_BYTES && isCompressible(response.headers.get('content-type')))
      defer(this.track(this.compress(key, entry)));
    const out = new Headers(response.headers);
    out.set('Vary', vary);
    out.set('Content-Length', String(body.byteLength));
    return new Response(body, { status: response.status, headers: out });
  }

  /**
   * The entry for a key, not counted (the front checks it can answer: its 200 or 304 headers are
   * known; else the app answers, and the entry {@link learn}s them).
   */
  lookup(key: string): (CachedAnswer & { readonly vary: string }) | undefined {
    return this.entries.get(key);
  }

  /** Count a hit the front answered, and make the entry most recently used. */
  touch(key: string, answer: CachedAnswer): void {
    this.stats.hits++;
    this.stats.front++;
    const entry = this.entries.get(key);
    if (entry !== answer) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  /**
   * Remember the complete headers an answer for `key` went out with (a 200 or a 304 as the app
   * sent it, every middleware's headers included), minus the per-request ones. Only for an entry
   * held now and only once per status.
   */
  learn(key: string, status: number, headers: Headers): void {
    const entry = this.entries.get(key);
    if (!entry || (status !== 200 && status !== 304)) return;
    if ((status === 200 ? entry.front200 : entry.front304) !== undefined) return;
    const flat: string[] = [];
    headers.forEach((v, name) => {
      if (!PER_REQUEST_HEADERS.has(name)) flat.push(name, v);
    });
    if (status === 200) entry.front200 = flat;
    else entry.front304 = flat;
  }

  /** Drop everything (the dataset changed). */
  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  private insert(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.total += entry.bytes;
    this.stats.stored++;
    this.evict();
  }

  private evict(): void {
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(k);
      this.total -= e.bytes;
      this.stats.evicted++;
    }
  }

  private readonly compressing = new Set<Promise<void>>();

  private track(work: Promise<void>): Promise<void> {
    this.compressing.add(work);
    const done = () => this.compressing.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once the compressed forms being made in the background are stored (or dropped). */
  async settled(): Promise<void> {
    while (this.compressing.size) await Promise.allSettled([...this.compressing]);
  }

  private async compress(key: string, entry: Entry): Promise<void> {
    const [gz, br] = await Promise.all([
      gzipAsync(entry.body, { level: 6 }),
      brotliAsync(entry.body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_SIZE_HINT]: entry.body.byteLength,
        },
      }),
    ]);
    // Still the same entry (not evicted or replaced meanwhile)? Then account for the new bytes.
    if (this.entries.get(key) !== entry) return;
    entry.gzip = gz;
    entry.br = br;
    entry.bytes += gz.byteLength + br.byteLength;
    this.total += gz.byteLength + br.byteLength;
    this.evict();
  }
}

/** `Accept-Encoding` lists the coding with a q above 0. */
export function acceptsEncoding(header: string, coding: 'br' | 'gzip'): boolean {
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (name?.trim().toLowerCase() !== coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

async function readUpTo(
  res: Response,
  limit: number,
): Promise<{
  chunks: Uint8Array<ArrayBuffer>[];
  rest: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>> | null;
}> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  if (!res.body) return { chunks, rest: null };
  const reader = res.body.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, rest: null };
    chunks.push(value);
    n += value.byteLength;
    if (n > limit) return { chunks, rest: reader };
  }
}

function concat(chunks: Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The chunks already read, then the rest of the stream: an answer too big to store still goes out whole. */
function prepend(
  chunks: Uint8Array<ArrayBuffer>[],
  rest: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>>,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  let i = 0;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      if (i < chunks.length) {
        controller.enqueue(chunks[i++] as Uint8Array<ArrayBuffer>);
        return;
      }
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return rest.cancel(reason);
    },
  });
}
