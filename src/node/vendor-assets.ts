import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDF_FONT_FILES, PDF_FONTS_PATH } from '../render/pdf/font-files.ts';
import { PUBLIC_DIR, SWAGGER_UI_FILES, swaggerUiDir } from './assets.ts';

/**
 * Copies Swagger UI's files from the pinned swagger-ui-dist into public/vendor/swagger-ui/, and the
 * PDF fonts' metrics from @pdf-lib/standard-fonts into public/vendor/pdf-fonts/ (both git-ignored),
 * where the Workers assets binding serves them. Run by wrangler's [build] command
 * (npm run dev, npm run deploy) and by the workerd tests' global setup; Node serves them from
 * node_modules directly and needs no copy.
 */
export function copyVendorAssets(): string {
  const out = join(PUBLIC_DIR, 'vendor', 'swagger-ui');
  mkdirSync(out, { recursive: true });
  for (const f of SWAGGER_UI_FILES) copyFileSync(join(swaggerUiDir(), f), join(out, f));
  const fonts = join(PUBLIC_DIR, PDF_FONTS_PATH);
  mkdirSync(fonts, { recursive: true });
  const fontDir = join(
    dirname(createRequire(import.meta.url).resolve('@pdf-lib/standard-fonts/package.json')),
    'es',
  );
  for (const f of Object.values(PDF_FONT_FILES)) copyFileSync(join(fontDir, f), join(fonts, f));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.error(`[observatory] Swagger UI assets copied to ${copyVendorAssets()}`);
}
