import * as z from './zod-external.ts';

/**
 * `zod` as the Worker bundles it (wrangler.toml [alias]): the same classic API, less what the Worker
 * never runs and cannot tree-shake. @hono/zod-openapi passes the whole `z` namespace to
 * `extendZodWithOpenApi(z)`, which makes esbuild keep every member of it, and zod's members include
 * `locales` (about 260 KiB minified: every language's error messages; the API answers in English,
 * which zod registers itself) and `compile` (a parser JIT built on `new Function`, which workerd
 * does not allow). Node and the tests import zod itself.
 */
export * from './zod-external.ts';
export { z, z as default };
