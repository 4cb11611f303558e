import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';

// The entry's own behaviour, called directly with hand-made bindings.
describe('Worker bindings', () => {
  it('answers 500 problem+json without revealing configuration when DATABASE_URL is invalid', async () => {
    const env = { DATABASE_URL: 'mysql://root:hunter2@db.example/x' };
    // A Worker's incoming request type carries `cf` properties a test request has no use for.
    const request = new Request('http://api.test/health') as Parameters<typeof worker.fetch>[0];
    const res = await worker.fetch(request, env, createExecutionContext());
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ status: 500, type: '/problems/internal' });
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('DATABASE_URL');
  });
});
