import { Encodings } from '../../../node_modules/@pdf-lib/standard-fonts/es/Encoding.js';
import type { Font as FullFont, IFontNames } from '../../../node_modules/@pdf-lib/standard-fonts/es/Font.js';
import { decompressJson } from '../../../node_modules/@pdf-lib/standard-fonts/es/utils.js';
import { PDF_FONT_FILES, type PdfFontName } from '../../render/pdf/font-files.ts';

/**
 * `@pdf-lib/standard-fonts` as the Worker bundles it (wrangler.toml [alias]): no font metrics at all
 * (the fourteen base64 tables are 127 KiB that gzip cannot shrink). The two fonts our PDFs set
 * (src/render/pdf: Helvetica and Helvetica-Bold) are registered from the static files before the
 * first PDF (src/render/pdf/fonts.ts); `Font.load` is the package's own, for those two; any other
 * font is an error naming this file. test/unit/worker-slim.test.ts checks the metrics
 * equal the package's and that src/ embeds no other standard font.
 */

export { Encodings };

/** The package's enum of the fourteen names, as values (pdf-lib compares against them). */
export const FontNames = {
  Courier: 'Courier',
  CourierBold: 'Courier-Bold',
  CourierOblique: 'Courier-Oblique',
  CourierBoldOblique: 'Courier-BoldOblique',
  Helvetica: 'Helvetica',
  HelveticaBold: 'Helvetica-Bold',
  HelveticaOblique: 'Helvetica-Oblique',
  HelveticaBoldOblique: 'Helvetica-BoldOblique',
  TimesRoman: 'Times-Roman',
  TimesRomanBold: 'Times-Bold',
  TimesRomanItalic: 'Times-Italic',
  TimesRomanBoldItalic: 'Times-BoldItalic',
  Symbol: 'Symbol',
  ZapfDingbats: 'ZapfDingbats',
} as const;

/**
 * The fonts whose metrics the Worker can load: not bundled (27 KiB gzipped), but read from the static
 * files before the first PDF by src/render/pdf/fonts.ts, which registers them here.
 */
export const BUNDLED_FONTS: Readonly<Record<PdfFontName, string>> = PDF_FONT_FILES;

const registered = new Map<string, string>();

/** Metrics of `name` as the package's `<name>.compressed.json` holds them (a base64 string). */
export function registerFontMetrics(name: PdfFontName, compressed: string): void {
  registered.set(name, compressed);
}

/** The fonts the PDFs set whose metrics are not registered yet. */
export const fontsNeedingMetrics = (): PdfFontName[] =>
  (Object.keys(PDF_FONT_FILES) as PdfFontName[]).filter((n) => !registered.has(n));

type Metrics = Omit<FullFont, 'getWidthOfGlyph' | 'getXAxisKerningForPair'>;

const cache = new Map<string, Font>();

export class Font {
  getWidthOfGlyph = (glyphName: string): number | undefined => this.CharWidths[glyphName];
  getXAxisKerningForPair = (left: string, right: string): number | undefined =>
    this.KernPairXAmounts[left]?.[right];
  declare CharWidths: Record<string, number>;
  declare KernPairXAmounts: Record<string, Record<string, number>>;
  declare CharMetrics: Metrics['CharMetrics'];
  declare KernPairs: Metrics['KernPairs'];

  static load(fontName: IFontNames): Font {
    const cached = cache.get(fontName);
    if (cached) return cached;
    if (fontName in PDF_FONT_FILES && !registered.has(fontName)) {
      throw new Error(
        `the metrics of ${fontName} are not loaded: await preparePdfFonts(assets) (src/render/pdf/fonts.ts) before making a PDF`,
      );
    }
    const compressed = registered.get(fontName);
    if (compressed === undefined) {
      throw new Error(
        `the Worker loads the metrics of ${Object.keys(BUNDLED_FONTS).join(' and ')} only, not ${fontName}: add it in src/worker/slim/standard-fonts.ts`,
      );
    }
    const font: Font = Object.assign(new Font(), JSON.parse(decompressJson(compressed)));
    font.CharWidths = {};
    for (const m of font.CharMetrics) font.CharWidths[m.N] = m.WX;
    font.KernPairXAmounts = {};
    for (const [a, b, width] of font.KernPairs) {
      const row = font.KernPairXAmounts[a] ?? {};
      row[b] = width;
      font.KernPairXAmounts[a] = row;
    }
    cache.set(fontName, font);
    return font;
  }
}
