import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { workerFetch } from './checked.ts';

// The Worker's version-keyed cache (src/worker/edge-cache.ts) inside workerd. The local Neon
// stand-in counts every statement it receives (GET /stats), so "never reaches Neon" is measured,
// not assumed. The worker project runs its files one at a time, so no other file's requests
// fall between two readings.

const BASE = 'http://api.test';
const get = (path: string, init?: RequestInit) => workerFetch(`${BASE}${path}`, init);

async function statements(): Promise<number> {
  const endpoint = (env as unknown as { NEON_FETCH_ENDPOINT: string }).NEON_FETCH_ENDPOINT;
  const res = await fetch(endpoint.replace(/\/sql$/, '/stats'));
  return ((await res.json()) as { statements: number }).statements;
}

describe('Workers cache', () => {
  it('a repeated read is served from the Cache API without a single query to the database', async () => {
    // A URL no other test asks for, so the first request is a miss.
    const path = `/v1/areas?type=lep&limit=${400 + Math.floor(Math.random() * 99)}`;
    const before = await statements();
    const first = await get(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('miss');
    const body = await first.text();
    const afterFirst = await statements();
    // The counter sees the handler's reads: it can tell a miss from a hit.
    expect(afterFirst).toBeGreaterThan(before);

    for (let i = 0; i < 3; i++) {
      const again = await get(path);
      expect(again.status).toBe(200);
      expect(again.headers.get('x-cache')).toBe('hit');
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(await again.text()).toBe(body);
    }
    const revalidated = await get(path, { headers: { 'If-None-Match': first.headers.get('etag') ?? '' } });
    expect(revalidated.status).toBe(304);
    expect(await statements()).toBe(afterFirst);
  });

  it('streamed exports are not stored: each one is read from the database', async () => {
    const path = '/v1/indicators/enterprises/ranking?format=csv';
    const client = { headers: { 'CF-Connecting-IP': '203.0.113.77' } };
    const one = await get(path, client);
    expect(one.status).toBe(200);
    const text = await one.text();
    expect(text.length).toBeGreaterThan(0);
    const between = await statements();
    const two = await get(path, client);
    expect(two.headers.get('x-cache')).toBe('miss');
    expect(await two.text()).toBe(text);
    expect(await statements()).toBeGreaterThan(between);
  });
});
