import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { configureNeonLocal, withNeonSession } from '../../src/db/neon.ts';
import { areas } from '../../src/db/schema.ts';

// The Neon driver's WebSocket mode (Pool + drizzle-orm/neon-serverless) inside workerd, through
// the local WebSocket proxy: the path for anything that needs a session or a transaction.

const seed = inject('seed');

beforeAll(() => {
  configureNeonLocal({ fetchEndpoint: env.NEON_FETCH_ENDPOINT, wsProxy: env.NEON_WS_PROXY });
});

describe('withNeonSession', () => {
  it('runs a transaction in one session and closes the pool after the request', async () => {
    const ctx = createExecutionContext();
    const result = await withNeonSession({ databaseUrl: env.DATABASE_URL, ctx }, (db) =>
      db.transaction(async (tx) => {
        const first = await tx.execute<{ id: string }>(sql`select txid_current()::text as id`);
        await tx.execute(sql`set local application_name = 'obs-worker-session-test'`);
        const second = await tx.execute<{ id: string; app: string }>(
          sql`select txid_current()::text as id, current_setting('application_name') as app`,
        );
        const [leps] = await tx
          .select({ n: count() })
          .from(areas)
          .where(
            and(
              eq(areas.type, 'lep'),
              inArray(
                areas.code,
                seed.leps.map((l) => l.code),
              ),
            ),
          );
        return { first: first.rows[0]?.id, second: second.rows[0], leps: leps?.n };
      }),
    );
    // Same transaction id and a SET LOCAL still visible: both reads ran inside one transaction.
    expect(result.first).toEqual(expect.any(String));
    expect(result.second).toEqual({ id: result.first, app: 'obs-worker-session-test' });
    expect(result.leps).toBe(seed.leps.length);
    // pool.end() was handed to waitUntil; it must finish (the proxy closes on Terminate).
    await waitOnExecutionContext(ctx);
  });

  it('rolls the whole transaction back when it throws', async () => {
    const code = 'E37999990';
    const ctx = createExecutionContext();
    const attempt = withNeonSession({ databaseUrl: env.DATABASE_URL, ctx }, (db) =>
      db.transaction(async (tx) => {
        await tx
          .insert(areas)
          .values({ type: 'lep', code, name: 'Rolled back', vintage: '2021', status: 'live' });
        const inside = await tx.select({ n: count() }).from(areas).where(eq(areas.code, code));
        expect(inside[0]?.n).toBe(1);
        throw new Error('abort on purpose');
      }),
    );
    await expect(attempt).rejects.toThrow('abort on purpose');
    await waitOnExecutionContext(ctx);

    const check = createExecutionContext();
    const after = await withNeonSession({ databaseUrl: env.DATABASE_URL, ctx: check }, (db) =>
      db.select({ n: count() }).from(areas).where(eq(areas.code, code)),
    );
    await waitOnExecutionContext(check);
    expect(after[0]?.n).toBe(0);
  });
});

describe('local WebSocket proxy (src/node/neon-local.ts)', () => {
  /** A Postgres StartupMessage (protocol 3.0) for the user and database of DATABASE_URL. */
  function startupMessage(): Uint8Array {
    const url = new URL(env.DATABASE_URL);
    const params = `user\0${decodeURIComponent(url.username)}\0database\0${url.pathname.slice(1)}\0\0`;
    const body = new TextEncoder().encode(params);
    const msg = new Uint8Array(8 + body.length);
    const view = new DataView(msg.buffer);
    view.setInt32(0, msg.length);
    view.setInt32(4, 196608);
    msg.set(body, 8);
    return msg;
  }

  it('closes the session when the client sends Terminate, even split across frames', async () => {
    const ws = new WebSocket(`ws://${env.NEON_WS_PROXY}?address=ignored:5432`);
    ws.binaryType = 'arraybuffer';
    const received: number[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      ws.addEventListener('message', (e) => {
        received.push(...new Uint8Array(e.data as ArrayBuffer));
        // ReadyForQuery ('Z', length 5, status) ends the start-up exchange.
        const z = received.lastIndexOf(0x5a);
        if (z >= 0 && received.length === z + 6) resolve();
      });
      ws.addEventListener('error', () => reject(new Error('WebSocket error before ReadyForQuery')));
    });
    const closed = new Promise<string>((resolve) => ws.addEventListener('close', () => resolve('closed')));
    await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));

    ws.send(startupMessage());
    await ready;
    // Terminate is 'X' + int32 4; send it in two frames so only stream-aware parsing sees it.
    ws.send(new Uint8Array([0x58, 0, 0]));
    ws.send(new Uint8Array([0, 4]));

    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 3000));
    expect(await Promise.race([closed, timeout])).toBe('closed');
  });
});
