import { z } from 'zod';
import { API_VERSION, type App, createApp } from './app.ts';
import { DEFAULT_DB_TIMEOUT_MS } from './db/availability.ts';
import { configureNeonLocal, configureNeonTimeout, createNeonHttpDb } from './db/neon.ts';
import { getCurrentDatasetVersion } from './db/queries.ts';
import type { Deps } from './deps.ts';
import { EdgeDatasetVersion, EdgeResponseCache } from './worker/edge-cache.ts';
import { type RateLimitBinding, WorkerRateLimiter } from './worker/rate-limit.ts';

/**
 * The Cloudflare Worker entry: validates bindings once, builds the app over Neon's HTTP driver,
 * and hands every request to it. The only file besides src/node/ that knows its runtime.
 */

const optionalString = z
  .string()
  .optional()
  // An empty `--var`, .env entry or secret arrives as "": treat it as unset.
  .transform((v) => (v === '' ? undefined : v));

const rateLimitBinding = z.custom<RateLimitBinding>(
  (v) => typeof (v as { limit?: unknown } | undefined)?.limit === 'function',
  'must be a Rate Limiting binding',
);

const Bindings = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is required (wrangler secret put DATABASE_URL)' })
    .refine(isPostgresUrl, 'DATABASE_URL must be a postgres:// or postgresql:// URL'),
  /** Local development only: SQL-over-HTTP endpoint of src/node/neon-local.ts. */
  NEON_FETCH_ENDPOINT: optionalString.refine(
    (v) => v === undefined || /^https?:\/\//.test(v),
    'NEON_FETCH_ENDPOINT must be an http(s) URL',
  ),
  /**
   * Milliseconds a query may take: a round trip to Neon is abandoned (503) 500 ms after it. Give the
   * database role the same `statement_timeout` (README, Deploying) so Postgres stops it too.
   */
  DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(DEFAULT_DB_TIMEOUT_MS),
  /** "json" (default): one JSON line per request; "silent": only error lines. */
  LOG_FORMAT: z.enum(['json', 'silent']).default('json'),
  /** Static files ([assets] in wrangler.toml): landing page, widget.js, Swagger UI. */
  ASSETS: z
    .custom<Fetcher>((v) => typeof (v as { fetch?: unknown } | undefined)?.fetch === 'function')
    .optional(),
  /** Rate Limiting bindings ([[ratelimits]] in wrangler.toml): JSON reads and exports. */
  READ_LIMITER: rateLimitBinding.optional(),
  EXPORT_LIMITER: rateLimitBinding.optional(),
  /** [version_metadata]: which deployment this is (cache keys and ETags change with it). */
  CF_VERSION_METADATA: z.object({ id: z.string() }).loose().optional(),
});

type Bindings = z.infer<typeof Bindings>;

function isPostgresUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/**
 * One app per env object. workerd passes the same env to every request of an isolate, so this
 * parses the bindings and builds the app (and its HTTP driver) once per isolate.
 */
const apps = new WeakMap<object, App | null>();

/** The app for these bindings, or null when they are invalid (reported once per isolate). */
function appFor(env: Record<string, unknown>): App | null {
  const cached = apps.get(env);
  if (cached !== undefined) return cached;
  const parsed = Bindings.safeParse(env);
  let built: App | null = null;
  if (parsed.success) {
    built = buildApp(parsed.data);
  } else {
    // Name the bad bindings in the log, never their values (DATABASE_URL holds a password).
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    console.error(JSON.stringify({ level: 'error', msg: 'invalid Worker bindings', issues }));
  }
  apps.set(env, built);
  return built;
}

function buildApp(bindings: Bindings): App {
  configureNeonLocal(bindings.DATABASE_URL, { fetchEndpoint: bindings.NEON_FETCH_ENDPOINT });
  configureNeonTimeout(bindings.DB_TIMEOUT_MS);
  const log: Deps['log'] =
    bindings.LOG_FORMAT === 'silent'
      ? (line) => {
          if (line.level === 'error') console.log(JSON.stringify(line));
        }
      : (line) => console.log(JSON.stringify(line));
  const now = () => Date.now();
  const db = createNeonHttpDb(bindings.DATABASE_URL);
  return createApp({
    db,
    runtime: 'workers',
    log,
    now,
    ...(bindings.ASSETS ? { assets: workerAssets(bindings.ASSETS) } : {}),
    ...(bindings.READ_LIMITER && bindings.EXPORT_LIMITER
      ? {
          rateLimiter: new WorkerRateLimiter(
            { default: bindings.READ_LIMITER, exports: bindings.EXPORT_LIMITER },
            now,
          ),
        }
      : {}),
    clientKey: (request) => request.headers.get('CF-Connecting-IP') ?? 'anonymous',
    buildId: bindings.CF_VERSION_METADATA?.id ?? API_VERSION,
    // The version is looked up at most every 30 s per isolate and data centre; answers by version.
    datasetVersion: new EdgeDatasetVersion({ read: () => getCurrentDatasetVersion(db), now }),
    responseCache: new EdgeResponseCache(),
  });
}

/** Static files through the assets binding; 404 → null. Re-wrapped: fetched responses have immutable headers. */
function workerAssets(binding: Fetcher): NonNullable<Deps['assets']> {
  return {
    async fetch(path) {
      const res = await binding.fetch(new Request(new URL(path, 'https://assets.invalid')));
      if (res.status === 404) return null;
      return new Response(res.body, res);
    },
  };
}

/** The answer to every request while the bindings are invalid: a 500 that reveals no configuration. */
function misconfigured(): Response {
  const requestId = crypto.randomUUID();
  return new Response(
    JSON.stringify({
      type: '/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'The service is misconfigured. Quote the requestId when reporting it.',
      requestId,
    }),
    {
      status: 500,
      headers: {
        'content-type': 'application/problem+json',
        'cache-control': 'no-store',
        'x-request-id': requestId,
      },
    },
  );
}

export default {
  fetch(request, env, ctx) {
    const app = appFor(env);
    if (!app) return misconfigured();
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Record<string, unknown>>;
