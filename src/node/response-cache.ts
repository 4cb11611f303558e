import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { ResponseStore } from '../http/cache.ts';

/**
 * Node's {@link ResponseStore}: rendered 200s kept in process as bytes, with their gzip and brotli
 * forms (made in the background after the first answer, on libuv's thread pool), least recently
 * used first out once the total passes `maxBytes`. Keys carry the dataset version, so entries of an
 * old dataset are unreachable; {@link MemoryResponseCache.clear} frees them when the version changes.
 */

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Headers a stored answer keeps (the rest — request id, CORS, security — are added per request). */
const KEPT = ['content-type', 'content-disposition', 'cache-control', 'etag', 'content-language'];
/** Below this, compressing costs more than it saves. */
const MIN_COMPRESS_BYTES = 1024;
const COMPRESSIBLE = /json|text|javascript|xml|svg|csv|html/;

interface Entry {
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  gzip?: Uint8Array<ArrayBuffer>;
  br?: Uint8Array<ArrayBuffer>;
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
  /** Counters for /health-style introspection and the tests. */
  readonly stats = { hits: 0, misses: 0, stored: 0, evicted: 0, skipped: 0 };

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
    headers.set('Vary', 'Accept-Encoding');
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
    for (const name of KEPT) {
      const v = response.headers.get(name);
      if (v !== null) headers.push([name, v]);
    }
    const entry: Entry = { headers, body, bytes: body.byteLength + key.length };
    this.insert(key, entry);
    const type = response.headers.get('content-type') ?? '';
    if (body.byteLength >= MIN_COMPRESS_BYTES && COMPRESSIBLE.test(type)) defer(this.compress(key, entry));
    const out = new Headers(response.headers);
    out.set('Vary', 'Accept-Encoding');
    out.set('Content-Length', String(body.byteLength));
    return new Response(body, { status: response.status, headers: out });
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
