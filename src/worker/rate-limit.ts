import {
  MemoryRateLimiter,
  RATE_POLICIES,
  type RateDecision,
  type RateLimiter,
  type RatePolicy,
} from '../http/rate-limit.ts';

/** The Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * The Worker's limiter: the binding decides (it counts per Cloudflare location, across isolates);
 * the same in-memory count as Node's runs beside it per isolate, because the binding says only
 * yes or no and the RateLimit header needs a remaining count and a reset. Over either: 429.
 */
export class WorkerRateLimiter implements RateLimiter {
  readonly policies = RATE_POLICIES;
  private readonly local: MemoryRateLimiter;
  private readonly bindings: Record<RatePolicy['name'], RateLimitBinding>;

  constructor(bindings: Record<RatePolicy['name'], RateLimitBinding>, now: () => number) {
    this.bindings = bindings;
    this.local = new MemoryRateLimiter({ policies: RATE_POLICIES, now });
  }

  async take(client: string, policy: RatePolicy): Promise<RateDecision> {
    const local = this.local.takeNow(client, policy);
    const { success } = await this.bindings[policy.name].limit({ key: client });
    return success && local.allowed ? local : { ...local, allowed: false, remaining: 0 };
  }

  peek(client: string, policy: RatePolicy): RateDecision {
    return this.local.peek(client, policy);
  }
}
