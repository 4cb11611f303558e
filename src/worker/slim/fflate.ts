import {
  type AsyncTerminable,
  type AsyncZipOptions,
  type AsyncZippable,
  type FlateCallback,
  type Zippable,
  zipSync,
} from 'fflate/browser';

/**
 * `fflate` as the Worker bundles it (wrangler.toml [alias]): the package's own browser build
 * (`fflate/browser`, which the alias leaves alone), except `zip`. fflate's `zip` compresses each
 * file of 160 KB or more on a Web Worker, and workerd has no `Worker`: write-excel-file zips every
 * XLSX with it, so any workbook with a sheet that size (a specialisation matrix, a capped
 * investments export) answered 500 with "ReferenceError: Worker is not defined". Here `zip`
 * compresses on the calling thread with `zipSync` and calls back on a later microtask, as fflate's
 * own small-file path does. test/unit/worker-slim.test.ts checks the members and the archive.
 */
export * from 'fflate/browser';

export function zip(data: AsyncZippable, cb: FlateCallback): AsyncTerminable;
export function zip(data: AsyncZippable, opts: AsyncZipOptions, cb: FlateCallback): AsyncTerminable;
export function zip(
  data: AsyncZippable,
  optsOrCb: AsyncZipOptions | FlateCallback,
  maybeCb?: FlateCallback,
): AsyncTerminable {
  const cb = typeof optsOrCb === 'function' ? optsOrCb : maybeCb;
  const opts = typeof optsOrCb === 'function' ? {} : optsOrCb;
  if (typeof cb !== 'function') throw new TypeError('fflate.zip: no callback');
  let cancelled = false;
  queueMicrotask(() => {
    if (cancelled) return;
    let out: Parameters<FlateCallback>[1];
    try {
      // The async options are the sync ones plus `consume`, which only frees the input early.
      out = zipSync(data as Zippable, opts) as Parameters<FlateCallback>[1];
    } catch (err) {
      cb(err as Parameters<FlateCallback>[0], new Uint8Array(0));
      return;
    }
    cb(null, out);
  });
  return () => {
    cancelled = true;
  };
}
