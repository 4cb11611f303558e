import { z } from 'zod';
import { DEFAULT_DB_TIMEOUT_MS } from '../db/availability.ts';

/** Node entry environment, validated once at start-up. */
export const NodeEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).optional(),
  INNOVATE_UK_DIR: z.string().min(1).optional(),
  /** Where the embedded database lives (default .data/pglite). */
  PGLITE_DIR: z.string().min(1).optional(),
  LOG_FORMAT: z.enum(['json', 'silent']).default('json'),
  /** API statement timeout on a Postgres server (DATABASE_URL); connect and answer deadlines follow it. */
  DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(DEFAULT_DB_TIMEOUT_MS),
  /** Bytes of rendered answers kept in memory (with their gzip/brotli forms), in MiB; 0 turns it off. */
  RESPONSE_CACHE_MB: z.coerce.number().min(0).max(65536).default(64),
  /**
   * How far V8's heap may grow past what the last full collection kept before it collects again
   * (V8's own default grows it up to 4×): bounds the memory a long export's garbage takes. 0 leaves V8's default.
   */
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(400).default(20),
  /** Requests per minute per client (JSON reads) and exports per minute per client. */
  RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_EXPORTS_PER_MIN: z.coerce.number().int().min(1).default(30),
  /**
   * Behind a proxy: the header naming the client (e.g. x-forwarded-for; its first address is used).
   * Unset: the socket's address.
   */
  RATE_LIMIT_CLIENT_HEADER: z.string().min(1).optional(),
});
export type NodeEnv = z.infer<typeof NodeEnv>;

export function parseNodeEnv(env: NodeJS.ProcessEnv): NodeEnv {
  const parsed = NodeEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}`);
  }
  return parsed.data;
}
