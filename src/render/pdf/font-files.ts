/**
 * The standard fonts the PDFs set, and the file of each one's metrics in `@pdf-lib/standard-fonts`.
 * On Node the package carries them. The Worker's bundle does not (they are 27 KiB gzipped of a
 * 350 KiB budget): src/node/vendor-assets.ts copies these files into public/vendor/pdf-fonts/, and
 * src/render/pdf/fonts.ts reads them through the assets binding before the first PDF.
 */
export const PDF_FONT_FILES = {
  Helvetica: 'Helvetica.compressed.json',
  'Helvetica-Bold': 'Helvetica-Bold.compressed.json',
} as const;

export type PdfFontName = keyof typeof PDF_FONT_FILES;

/** Where the static files hold them (public/vendor/pdf-fonts/ on Workers). */
export const PDF_FONTS_PATH = '/vendor/pdf-fonts/';
