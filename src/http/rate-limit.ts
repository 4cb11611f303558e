import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';
import { ApiError } from './problem.ts';

/**
 * Rate limits, one policy for both runtimes (METHODS.md "Rate limits"; IETF httpapi RateLimit
 * header fields): JSON reads and the stricter exports, counted per client in fixed windows.
 *
 * - `rateLimitHeaders()` (outside the cache) puts `RateLimit-Policy` and `RateLimit` on every
 *   response, cache hits and 304s included;
 * - `enforceRateLimit()` (inside the cache, so answers already known are never counted) takes one
 *   from the client's quota before the handler runs, and answers 429 problem+json with
 *   `Retry-After` when the quota is spent.
 *
 * Node counts in memory ({@link MemoryRateLimiter}); the Worker asks the Rate Limiting binding
 * and keeps the same in-memory count per isolate for the headers (src/worker/rate-limit.ts).
 */

export interface RatePolicy {
  /** The policy's name in the headers. */
  name: 'default' | 'exports';
  /** Requests allowed per window. */
  quota: number;
  /** Window length in seconds (the Workers binding offers 10 or 60). */
  window: 10 | 60;
}

export type RatePolicies = Record<RatePolicy['name'], RatePolicy>;

/** The published limits: stated in the README and the OpenAPI description. */
export const RATE_POLICIES: RatePolicies = {
  default: { name: 'default', quota: 600, window: 60 },
  exports: { name: 'exports', quota: 30, window: 60 },
};

/** What a limiter says about one client under one policy. */
export interface RateDecision {
  allowed: boolean;
  /** Requests left in the current window (after this one, when it was taken). */
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
}

export interface RateLimiter {
  readonly policies: RatePolicies;
  /** Count one request; `allowed` is false when the quota was already spent. */
  take(client: string, policy: RatePolicy): Promise<RateDecision>;
  /** The state without counting (for answers served from a cache). */
  peek(client: string, policy: RatePolicy): RateDecision;
}

/** Exports are files: CSV, XLSX, GeoJSON (`format=`), PDF reports and bulk downloads. */
const EXPORT_FORMATS = new Set(['csv', 'xlsx', 'geojson']);
const EXPORT_PATH = /\.(pdf|csv|xlsx|geojson|zip)$|^\/v1\/download(\/|$)/;

export function policyFor(policies: RatePolicies, url: URL): RatePolicy {
  const format = url.searchParams.get('format');
  if ((format && EXPORT_FORMATS.has(format)) || EXPORT_PATH.test(url.pathname)) return policies.exports;
  return policies.default;
}

/**
 * Fixed windows per (policy, client), in memory. Bounded: once it tracks more than `maxClients`
 * keys it forgets every window that has ended.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly policies: RatePolicies;
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly now: () => number;
  private readonly maxClients: number;

  constructor(opts: { policies?: RatePolicies; now: () => number; maxClients?: number }) {
    this.policies = opts.policies ?? RATE_POLICIES;
    this.now = opts.now;
    this.maxClients = opts.maxClients ?? 100_000;
  }

  async take(client: string, policy: RatePolicy): Promise<RateDecision> {
    return this.takeNow(client, policy);
  }

  /** Synchronous {@link take}: the Worker counts here before asking its binding. */
  takeNow(client: string, policy: RatePolicy): RateDecision {
    const w = this.window(client, policy, true);
    const allowed = w.count < policy.quota;
    if (allowed) w.count++;
    return { allowed, remaining: Math.max(0, policy.quota - w.count), reset: this.resetOf(w, policy) };
  }

  peek(client: string, policy: RatePolicy): RateDecision {
    const w = this.window(client, policy, false);
    return {
      allowed: w.count < policy.quota,
      remaining: Math.max(0, policy.quota - w.count),
      reset: this.resetOf(w, policy),
    };
  }

  private window(client: string, policy: RatePolicy, create: boolean) {
    const ms = policy.window * 1000;
    const start = Math.floor(this.now() / ms) * ms;
    const key = `${policy.name}\u0000${client}`;
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      if (create) {
        if (this.windows.size >= this.maxClients) this.sweep();
        this.windows.set(key, w);
      }
    }
    return w;
  }

  private resetOf(w: { start: number }, policy: RatePolicy): number {
    return Math.max(1, Math.ceil((w.start + policy.window * 1000 - this.now()) / 1000));
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, w] of this.windows) {
      const policy = this.policies[k.slice(0, k.indexOf('\u0000')) as RatePolicy['name']];
      if (!policy || w.start + policy.window * 1000 <= now) this.windows.delete(k);
    }
  }
}

export const policyHeader = (p: RatePolicy) => `"${p.name}";q=${p.quota};w=${p.window}`;
export const stateHeader = (p: RatePolicy, d: RateDecision) => `"${p.name}";r=${d.remaining};t=${d.reset}`;

/** Remembered between the two middlewares of one request. */
const decisions = new WeakMap<Request, { policy: RatePolicy; decision: RateDecision }>();

function clientOf(c: Context<AppEnv>): string {
  return c.var.deps.clientKey?.(c.req.raw, c.env) ?? 'anonymous';
}

/** `RateLimit-Policy` and `RateLimit` on every response (outermost of the two). */
export function rateLimitHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = c.var.deps.rateLimiter;
    if (!limiter) return next();
    await next();
    const taken = decisions.get(c.req.raw);
    const policy = taken?.policy ?? policyFor(limiter.policies, new URL(c.req.url));
    const decision = taken?.decision ?? limiter.peek(clientOf(c), policy);
    c.res.headers.set('RateLimit-Policy', policyHeader(policy));
    c.res.headers.set('RateLimit', stateHeader(policy, decision));
  };
}

/** Count the request against its policy; 429 when over (runs only when no cache answered). */
export function enforceRateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = c.var.deps.rateLimiter;
    if (!limiter || c.req.method === 'OPTIONS') return next();
    const policy = policyFor(limiter.policies, new URL(c.req.url));
    const decision = await limiter.take(clientOf(c), policy);
    decisions.set(c.req.raw, { policy, decision });
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.reset));
      throw new ApiError(
        'rate_limited',
        `More than ${policy.quota} ${policy.name === 'exports' ? 'exports' : 'requests'} in ${policy.window} s from this client. Retry after ${decision.reset} s.`,
      );
    }
    return next();
  };
}
