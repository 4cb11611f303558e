import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';

// The request id is echoed into the response header, problem bodies and log lines, so a client's
// X-Request-Id is only taken when it is a short safe token. /health needs no database, and the
// 404 problem shows the id in a body; the app's db is never touched here.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function app() {
  const lines: Record<string, unknown>[] = [];
  const noDb = new Proxy({} as Db, {
    get() {
      throw new Error('these requests must not reach the database');
    },
  });
  const a = createApp({
    db: noDb,
    runtime: 'node',
    log: (l) => lines.push(l),
    now: () => 0,
    datasetVersion: { current: async () => 'v-test' },
  });
  return { a, lines };
}

const accepted = [
  'caller-trace-123',
  '3f2c9b1e-8a4d-4c2b-9f1e-0a1b2c3d4e5f',
  '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', // W3C traceparent
  'lb.eu-west:1701.42_a',
  'x'.repeat(128),
];

const refused = [
  'x'.repeat(129),
  'x'.repeat(255),
  '',
  'two words',
  '<script>alert(1)</script>',
  'a"b',
  "a'b",
  'a/b',
  'a=b',
  'a;b',
  'a,b',
  'café',
  '%0d%0aSet-Cookie:x',
];

const named = (ids: string[]) =>
  ids.map((id) => [id.length > 40 ? `${id.length} characters` : JSON.stringify(id), id]);

describe('X-Request-Id', () => {
  it.each(named(accepted))(
    'echoes the safe client id %s in the header, the log line and a problem body',
    async (_, id) => {
      const { a, lines } = app();
      const res = await a.request('/nothing-here', { headers: { 'X-Request-Id': id } });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe(id);
      expect(((await res.json()) as { requestId: string }).requestId).toBe(id);
      expect(lines.map((l) => l.request_id)).toEqual([id]);
    },
  );

  it.each(named(refused))('replaces the unsafe client id %s with a fresh UUID everywhere', async (_, id) => {
    const { a, lines } = app();
    // Header values are ByteStrings: non-ASCII goes in as its UTF-8 bytes, as a client would send it.
    const sent = new TextDecoder('latin1').decode(new TextEncoder().encode(id));
    const res = await a.request('/nothing-here', { headers: { 'X-Request-Id': sent } });
    const header = res.headers.get('x-request-id') ?? '';
    expect(header).toMatch(UUID);
    expect(((await res.json()) as { requestId: string }).requestId).toBe(header);
    expect(lines.map((l) => l.request_id)).toEqual([header]);
  });

  it('generates a different UUID per request when none is sent', async () => {
    const { a } = app();
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await a.request('/health')).headers.get('x-request-id') ?? ''),
    );
    expect(ids.every((i) => UUID.test(i))).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });
});
