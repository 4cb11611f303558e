import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, policyFor, RATE_POLICIES } from '../../src/http/rate-limit.ts';

describe('rate limit policy', () => {
  it('wrangler.toml binds the same quotas the Node limiter and the docs use', () => {
    const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
    const blocks = [
      ...toml.matchAll(
        /\[\[ratelimits\]\]\s*\nname = "(\w+)"\s*\nnamespace_id = "\d+"\s*\nsimple = \{ limit = (\d+), period = (\d+) \}/g,
      ),
    ];
    expect(blocks.map((b) => [b[1], Number(b[2]), Number(b[3])])).toEqual([
      ['READ_LIMITER', RATE_POLICIES.default.quota, RATE_POLICIES.default.window],
      ['EXPORT_LIMITER', RATE_POLICIES.exports.quota, RATE_POLICIES.exports.window],
    ]);
    expect(RATE_POLICIES.exports.quota).toBeLessThan(RATE_POLICIES.default.quota);
  });

  it('files are exports; JSON, TopoJSON, HexJSON and SVG are reads', () => {
    const of = (u: string) => policyFor(RATE_POLICIES, new URL(u, 'http://x')).name;
    expect(of('/v1/investments?format=csv')).toBe('exports');
    expect(of('/v1/investments?format=xlsx')).toBe('exports');
    expect(of('/v1/areas?type=lep&format=geojson')).toBe('exports');
    expect(of('/v1/areas/E37000015/investments.pdf')).toBe('exports');
    expect(of('/v1/download/postcodes.csv')).toBe('exports');
    expect(of('/v1/areas?type=lep&format=topojson')).toBe('default');
    expect(of('/v1/indicators/x/map.svg')).toBe('default');
    expect(of('/v1/leps/E37000015/profile')).toBe('default');
  });

  it('counts in fixed windows that reset, and peek never counts', () => {
    let t = 120_000;
    const limiter = new MemoryRateLimiter({ now: () => t });
    const p = { name: 'default' as const, quota: 2, window: 60 as const };
    expect(limiter.peek('a', p)).toEqual({ allowed: true, remaining: 2, reset: 60 });
    expect(limiter.takeNow('a', p).remaining).toBe(1);
    t += 30_000;
    expect(limiter.takeNow('a', p)).toEqual({ allowed: true, remaining: 0, reset: 30 });
    expect(limiter.takeNow('a', p).allowed).toBe(false);
    expect(limiter.peek('a', p).allowed).toBe(false);
    t += 30_000;
    expect(limiter.takeNow('a', p)).toEqual({ allowed: true, remaining: 1, reset: 60 });
  });

  it('forgets ended windows once it tracks too many clients', () => {
    let t = 0;
    const limiter = new MemoryRateLimiter({ now: () => t, maxClients: 10 });
    const p = RATE_POLICIES.default;
    for (let i = 0; i < 10; i++) limiter.takeNow(`c${i}`, p);
    t += 61_000;
    limiter.takeNow('late', p);
    // The ten earlier windows were swept; their clients start afresh.
    expect(limiter.peek('c0', p).remaining).toBe(p.quota);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
  });
});
