import { Encodings } from '../../../node_modules/@pdf-lib/standard-fonts/es/Encoding.js';
import type { Font as FullFont, IFontNames } from '../../../node_modules/@pdf-lib/standard-fonts/es/Font.js';
import HelveticaCompressed from '../../../node_modules/@pdf-lib/standard-fonts/es/Helvetica.compressed.json';
import HelveticaBoldCompressed from '../../../node_modules/@pdf-lib/standard-fonts/es/Helvetica-Bold.compressed.json';
import { decompressJson } from '../../../node_modules/@pdf-lib/standard-fonts/es/utils.js';

/**
 * `@pdf-lib/standard-fonts` as the Worker bundles it (wrangler.toml [alias]): the metrics of the two
 * fonts our PDFs set (src/render/pdf: Helvetica and Helvetica-Bold) instead of all fourteen, whose
 * base64 tables are 127 KiB that gzip cannot shrink. `Font.load` is the package's own, for those two;
 * any other font is an error naming this file. test/unit/worker-slim.test.ts checks the metrics
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

/** The fonts whose metrics the Worker carries. */
export const BUNDLED_FONTS: Readonly<Record<string, string>> = {
  Helvetica: HelveticaCompressed,
  'Helvetica-Bold': HelveticaBoldCompressed,
};

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
    const compressed = BUNDLED_FONTS[fontName];
    if (compressed === undefined) {
      throw new Error(
        `the Worker bundles the metrics of ${Object.keys(BUNDLED_FONTS).join(' and ')} only, not ${fontName}: add it in src/worker/slim/standard-fonts.ts`,
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
