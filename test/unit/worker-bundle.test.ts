import { describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_GZIP_BYTES, measureWorkerBundle } from '../../bench/bundle.ts';

/**
 * The Worker's size budget (issue 10): what `wrangler deploy` would upload, at most 350 KiB gzipped.
 * A size, not a timing, so it belongs here; `npm run bench` prints the per-package table.
 */
describe('Worker bundle', () => {
  it('is within 350 KiB gzipped, with each package measured, and leaves out what src/worker/slim replaces', () => {
    const r = measureWorkerBundle();
    expect(BUNDLE_BUDGET_GZIP_BYTES).toBe(350 * 1024);
    expect(r.totalGzipBytes).toBeGreaterThan(50 * 1024);
    expect(r.totalGzipBytes, `${(r.totalGzipBytes / 1024).toFixed(1)} KiB gzipped`).toBeLessThanOrEqual(
      BUNDLE_BUDGET_GZIP_BYTES,
    );

    // The attribution covers the bundle: per-package minified bytes add up to nearly all of it.
    const names = r.packages.map((p) => p.name);
    for (const pkg of ['hono', 'drizzle-orm', 'zod', 'pdf-lib', '@neondatabase/serverless', 'src/routes'])
      expect(names).toContain(pkg);
    const minified = r.packages.reduce((s, p) => s + p.minifiedBytes, 0);
    expect(minified).toBeGreaterThan(r.totalBytes * 0.9);
    expect(minified).toBeLessThanOrEqual(r.totalBytes);
    for (const p of r.packages.filter((p) => p.minifiedBytes > 2048))
      expect(p.gzipBytes, p.name).toBeGreaterThan(0);

    // wrangler.toml [alias] is in effect: none of what the stand-ins replace is in the bundle.
    expect(r.inputs.length).toBeGreaterThan(100);
    // zod registers English itself (its en.js); no other language.
    expect(r.inputs.filter((f) => /node_modules\/(zod\/v4\/locales|pako|@pdf-lib\/upng)\//.test(f))).toEqual([
      'node_modules/zod/v4/locales/en.js',
    ]);
    expect(r.inputs.filter((f) => /zod\/v4\/(core\/compile|classic\/from-json-schema)\.js$/.test(f))).toEqual(
      [],
    );
    // No font metrics: they are static files read before the first PDF (src/render/pdf/fonts.ts).
    expect(r.inputs.filter((f) => f.endsWith('.compressed.json') && !f.includes('all-encodings'))).toEqual(
      [],
    );
  }, 120_000);
});
