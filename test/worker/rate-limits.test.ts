import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

// The Worker's rate limits: the Rate Limiting binding of wrangler.toml ([[ratelimits]]) inside
// workerd. Each test is its own client (CF-Connecting-IP), so other tests' requests never count.

const BASE = 'http://api.test';
const get = (path: string, client: string) =>
  exports.default.fetch(`${BASE}${path}`, { headers: { 'CF-Connecting-IP': client } });

/**
 * workerd's Rate Limiting binding counts in windows aligned to the wall clock (a key's count
 * restarts at every whole minute), so a test that crosses a minute boundary would see its count
 * restart half-way. Start each counting test at least `marginMs` before the next boundary.
 */
async function clearOfMinuteBoundary(marginMs = 15_000) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 100));
}

interface Limiter {
  limit(o: { key: string }): Promise<{ success: boolean }>;
}

describe('rate limits on Workers', () => {
  it('the bindings themselves enforce wrangler.toml’s quotas (not only the per-isolate count)', {
    timeout: 30_000,
  }, async () => {
    const bindings = env as unknown as { READ_LIMITER: Limiter; EXPORT_LIMITER: Limiter };
    const key = `binding-probe-${Math.random()}`;
    await clearOfMinuteBoundary();
    const results: boolean[] = [];
    for (let i = 0; i < 31; i++) results.push((await bindings.EXPORT_LIMITER.limit({ key })).success);
    expect(results.slice(0, 30).every(Boolean)).toBe(true);
    expect(results[30]).toBe(false);
    expect((await bindings.READ_LIMITER.limit({ key })).success).toBe(true);
  });

  it('exports beyond the binding’s quota answer 429 problem+json with Retry-After', {
    timeout: 30_000,
  }, async () => {
    const client = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
    const csv = '/v1/indicators/enterprises/ranking?format=csv';
    await clearOfMinuteBoundary();
    const first = await get(csv, client);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const policy = first.headers.get('ratelimit-policy') ?? '';
    const quota = Number(policy.match(/^"exports";q=(\d+);w=60$/)?.[1]);
    expect(quota).toBeGreaterThan(1);
    let status = 200;
    let sent = 1;
    let last: Response = first;
    while (status === 200 && sent <= quota + 1) {
      last = await get(csv, client);
      status = last.status;
      await last.arrayBuffer();
      sent++;
    }
    expect(status).toBe(429);
    expect(sent).toBe(quota + 1);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last.headers.get('content-type')).toContain('application/problem+json');
    expect(last.headers.get('ratelimit')).toMatch(/^"exports";r=0;t=\d+$/);
    // The stricter export quota leaves JSON reads alone.
    const json = await get('/v1/indicators/enterprises/ranking', client);
    expect(json.status).toBe(200);
    expect(json.headers.get('ratelimit-policy')).toMatch(/^"default";q=\d+;w=60$/);
    await json.arrayBuffer();
  });
});
