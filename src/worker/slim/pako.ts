import { type DeflateOptions, unzlibSync, zlibSync } from 'fflate';

/**
 * `pako` as the Worker bundles it (wrangler.toml [alias]): pdf-lib calls only `pako.deflate` (its
 * content streams) and @pdf-lib/standard-fonts only `pako.inflate` (its font metrics), both zlib
 * format; fflate, which the bundle already carries for XLSX (write-excel-file), does both, so the
 * Worker need not carry pako's 47 KiB as well. test/unit/worker-slim.test.ts round-trips each way
 * against pako.
 */
export function deflate(data: Uint8Array, options?: Pick<DeflateOptions, 'level'>): Uint8Array {
  // pako's default level, as fflate's.
  return zlibSync(data, { level: options?.level ?? 6 });
}

export function inflate(data: Uint8Array): Uint8Array {
  return unzlibSync(data);
}

export default { deflate, inflate };
