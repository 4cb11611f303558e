import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type { AssetStore } from '../deps.ts';
import { PROJECT_ROOT } from './databases.ts';

/**
 * The Node side of static files: `public/` (what the Workers assets binding serves), plus Swagger
 * UI's own files read straight from the pinned swagger-ui-dist package, so `npm start` needs no
 * copy step. On Workers the same files are copied into public/vendor/ by src/node/vendor-assets.ts.
 */

export const PUBLIC_DIR = join(PROJECT_ROOT, 'public');

/** Swagger UI files the docs page loads, served under /vendor/swagger-ui/. */
export const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png'] as const;

export const swaggerUiDir = () =>
  dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.ico': 'image/x-icon',
};

const VENDOR = '/vendor/swagger-ui/';

async function fileResponse(file: string): Promise<Response | null> {
  try {
    const s = await stat(file);
    if (!s.isFile()) return null;
  } catch {
    return null;
  }
  return new Response(new Uint8Array(await readFile(file)), {
    status: 200,
    headers: { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' },
  });
}

export function nodeAssets(root = PUBLIC_DIR): AssetStore {
  return {
    async fetch(path) {
      if (path.startsWith(VENDOR)) {
        const name = path.slice(VENDOR.length);
        if (!(SWAGGER_UI_FILES as readonly string[]).includes(name)) return null;
        return fileResponse(join(swaggerUiDir(), name));
      }
      const file = normalize(join(root, decodeURIComponent(path)));
      // Never outside public/ (e.g. /../package.json).
      if (!file.startsWith(root + sep)) return null;
      return fileResponse(file);
    },
  };
}
