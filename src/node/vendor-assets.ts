import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PUBLIC_DIR, SWAGGER_UI_FILES, swaggerUiDir } from './assets.ts';

/**
 * Copies Swagger UI's files from the pinned swagger-ui-dist into public/vendor/swagger-ui/
 * (git-ignored), where the Workers assets binding serves them. Run by wrangler's [build] command
 * (npm run dev, npm run deploy) and by the workerd tests' global setup; Node serves them from
 * node_modules directly and needs no copy.
 */
export function copyVendorAssets(): string {
  const out = join(PUBLIC_DIR, 'vendor', 'swagger-ui');
  mkdirSync(out, { recursive: true });
  for (const f of SWAGGER_UI_FILES) copyFileSync(join(swaggerUiDir(), f), join(out, f));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.error(`[observatory] Swagger UI assets copied to ${copyVendorAssets()}`);
}
