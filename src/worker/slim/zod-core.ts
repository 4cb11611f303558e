/**
 * zod's `core` namespace (node_modules/zod/v4/core/index.js) for the Worker's bundle, line for line
 * except two, see ./zod.ts: no `locales` (every language's messages; the API answers in English) and
 * no `compile` (a JIT that builds parsers with `new Function`, which workerd forbids).
 * test/unit/worker-slim.test.ts holds these exports equal to zod's own, less those.
 */

export * from '../../../node_modules/zod/v4/core/api.js';
export * from '../../../node_modules/zod/v4/core/checks.js';
export * from '../../../node_modules/zod/v4/core/core.js';
export * from '../../../node_modules/zod/v4/core/doc.js';
export * from '../../../node_modules/zod/v4/core/errors.js';
export * as JSONSchema from '../../../node_modules/zod/v4/core/json-schema.js';
export { JSONSchemaGenerator } from '../../../node_modules/zod/v4/core/json-schema-generator.js';
export { toJSONSchema } from '../../../node_modules/zod/v4/core/json-schema-processors.js';
export * from '../../../node_modules/zod/v4/core/memoizer.js';
export * from '../../../node_modules/zod/v4/core/parse.js';
export * as regexes from '../../../node_modules/zod/v4/core/regexes.js';
export * from '../../../node_modules/zod/v4/core/registries.js';
export * from '../../../node_modules/zod/v4/core/schemas.js';
export * from '../../../node_modules/zod/v4/core/to-json-schema.js';
export * as util from '../../../node_modules/zod/v4/core/util.js';
export { toZod } from '../../../node_modules/zod/v4/core/util.js';
export * from '../../../node_modules/zod/v4/core/versions.js';
