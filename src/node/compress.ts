import { once } from 'node:events';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  brotliCompress,
  constants,
  createBrotliCompress,
  createGzip,
  gzip,
  type ZlibOptions,
} from 'node:zlib';
import { acceptsEncoding, isCompressible, MIN_COMPRESS_BYTES, varyWithEncoding } from './response-cache.ts';

/**
 * gzip / brotli for the Node entry (Cloudflare compresses on Workers, so the Worker never does):
 * every compressible answer (JSON, CSV, GeoJSON, SVG, HTML, JavaScript) the app sends without a
 * Content-Encoding is compressed here in the coding the request prefers (br, then gzip).
 *
 * - An answer already encoded (a cache hit's stored br/gzip form) passes through untouched: never
 *   compressed twice.
 * - A body that ends within its first {@link BUFFER_LIMIT} bytes is compressed in one go on libuv's
 *   thread pool (below {@link MIN_COMPRESS_BYTES} it goes out as it is); a longer one (a streamed
 *   export) is compressed as it streams, so its first bytes still leave before its last row is read,
 *   and the source is cancelled if the client goes away.
 */

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);
/** Bodies up to this size are read whole and compressed in one call. */
export const BUFFER_LIMIT = 256 * 1024;
const GZIP: ZlibOptions = { level: 6 };
const brotliParams = (quality: number, size?: number) => ({
  params: {
    [constants.BROTLI_PARAM_QUALITY]: quality,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    ...(size ? { [constants.BROTLI_PARAM_SIZE_HINT]: size } : {}),
  },
});

type Coding = 'br' | 'gzip';

/** The coding to use for this request, or null. */
export function chooseCoding(acceptEncoding: string | null | undefined): Coding | null {
  if (!acceptEncoding) return null;
  if (acceptsEncoding(acceptEncoding, 'br')) return 'br';
  if (acceptsEncoding(acceptEncoding, 'gzip')) return 'gzip';
  return null;
}

export async function compressResponse(request: Request, res: Response): Promise<Response> {
  if (!res.body || request.method === 'HEAD' || res.status === 204 || res.status === 304) return res;
  if (res.headers.has('content-encoding') || !isCompressible(res.headers.get('content-type'))) return res;
  if (/no-transform/i.test(res.headers.get('cache-control') ?? '')) return res;
  const length = Number(res.headers.get('content-length') ?? Number.NaN);
  const vary = varyWithEncoding(res.headers.get('vary'));
  const coding = chooseCoding(request.headers.get('accept-encoding'));
  if (!coding || length < MIN_COMPRESS_BYTES) return withVary(res, vary);
  const headers = new Headers(res.headers);
  headers.set('Vary', vary);

  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      const body = Buffer.concat(chunks, total);
      if (total >= MIN_COMPRESS_BYTES) {
        const packed =
          coding === 'br' ? await brotliAsync(body, brotliParams(5, total)) : await gzipAsync(body, GZIP);
        headers.set('Content-Encoding', coding);
        headers.set('Content-Length', String(packed.byteLength));
        return new Response(packed, { status: res.status, headers });
      }
      headers.set('Content-Length', String(total));
      return new Response(body, { status: res.status, headers });
    }
    chunks.push(value);
    total += value.byteLength;
    if (total > BUFFER_LIMIT) break;
  }
  // A long body: compress it as it streams.
  headers.delete('Content-Length');
  headers.set('Content-Encoding', coding);
  const z = coding === 'br' ? createBrotliCompress(brotliParams(4)) : createGzip(GZIP);
  let gone = false;
  z.once('close', () => {
    gone = true;
    void reader.cancel().catch(() => {});
  });
  const writeAll = async (chunk: Uint8Array) => {
    if (!z.write(chunk) && !gone) await Promise.race([once(z, 'drain'), once(z, 'close')]);
  };
  void (async () => {
    try {
      for (const c of chunks) await writeAll(c);
      chunks.length = 0;
      while (!gone) {
        const { done, value } = await reader.read();
        if (done) break;
        await writeAll(value);
      }
      if (!gone) z.end();
    } catch (err) {
      z.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  })();
  return new Response(Readable.toWeb(z) as ReadableStream<Uint8Array>, { status: res.status, headers });
}

/** The answer as it is, saying that it varies with Accept-Encoding. */
function withVary(res: Response, vary: string): Response {
  try {
    res.headers.set('Vary', vary);
    return res;
  } catch {
    // Immutable headers (a Response from fetch): copy.
    const headers = new Headers(res.headers);
    headers.set('Vary', vary);
    return new Response(res.body, { status: res.status, headers });
  }
}
