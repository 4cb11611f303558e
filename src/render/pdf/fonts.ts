import * as standardFonts from '@pdf-lib/standard-fonts';
import type { AssetStore } from '../../deps.ts';
import { PDF_FONT_FILES, PDF_FONTS_PATH, type PdfFontName } from './font-files.ts';

/** What the Worker's stand-in for `@pdf-lib/standard-fonts` adds (src/worker/slim/standard-fonts.ts). */
interface FontMetricsRegistry {
  fontsNeedingMetrics(): PdfFontName[];
  registerFontMetrics(name: PdfFontName, compressed: string): void;
}

/**
 * Makes sure pdf-lib can measure the fonts the PDFs set. With the package itself (Node, tests) there
 * is nothing to do; in the Worker the stand-in starts without metrics and this reads them once from
 * the static files (public/vendor/pdf-fonts/, copied there by src/node/vendor-assets.ts).
 */
export async function preparePdfFonts(assets: AssetStore | undefined): Promise<void> {
  const registry = standardFonts as unknown as Partial<FontMetricsRegistry>;
  if (!registry.fontsNeedingMetrics || !registry.registerFontMetrics) return;
  for (const name of registry.fontsNeedingMetrics()) {
    const res = assets ? await assets.fetch(PDF_FONTS_PATH + PDF_FONT_FILES[name]) : null;
    if (!res?.ok) {
      throw new Error(
        `the metrics of ${name} are not among the static files at ${PDF_FONTS_PATH} (wrangler's build runs src/node/vendor-assets.ts)`,
      );
    }
    registry.registerFontMetrics(name, (await res.json()) as string);
  }
}
