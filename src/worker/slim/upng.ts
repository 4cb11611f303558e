/**
 * `@pdf-lib/upng` as the Worker bundles it (wrangler.toml [alias]): pdf-lib needs it only to embed PNG
 * images, which our PDFs never do (src/render/pdf draws text, lines and rectangles), so the Worker
 * carries a stand-in that says so instead of the 25 KiB decoder.
 */
function notBundled(): never {
  throw new Error(
    'the Worker does not bundle a PNG decoder (src/worker/slim/upng.ts): PDFs cannot embed PNGs',
  );
}

export default { decode: notBundled, toRGBA8: notBundled };
