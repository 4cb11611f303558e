import { fileURLToPath } from 'node:url';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import * as schema from '../../src/db/schema.ts';
import { createPglite } from '../../src/node/databases.ts';
import { startNeonLocal } from '../../src/node/neon-local.ts';
import { type SeedFacts, seedWorkerFixtures } from './seed.ts';

/**
 * Node side of the `worker` project (global setup runs in Node, the tests in workerd):
 * a fresh database with the real migrations and the seed rows, and a local Neon stand-in in
 * front of it, whose endpoints become the Worker's bindings (see vitest.config.ts).
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** DATABASE_URL binding: the scratch database, as the Worker's connection string. */
    databaseUrl: string;
    /** NEON_FETCH_ENDPOINT binding: the local SQL-over-HTTP endpoint. */
    neonFetchEndpoint: string;
    /** NEON_WS_PROXY binding: the local WebSocket proxy. */
    neonWsProxy: string;
    /** What the seed inserted, so tests never hard-code codes. */
    seed: SeedFacts;
  }
}

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

interface TestDatabase {
  url: string;
  /** Largest number of connections the HTTP endpoint should hold; 1 for PGlite. */
  maxConnections: number;
  drop(): Promise<void>;
}

/** A uniquely named database on the server at TEST_DATABASE_URL, dropped at teardown. */
async function createServerDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `obs_worker_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // A crashed earlier run with the same pid may have left it behind.
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    maxConnections: 4,
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** An in-memory PGlite served over TCP by pglite-socket: the run needs no Postgres installed. */
async function createPgliteDatabase(): Promise<TestDatabase> {
  const db = await createPglite();
  // Several connections: the HTTP endpoint's one plus each WebSocket session a test opens.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  return {
    // pglite-socket ignores user and database names; these only satisfy the Neon driver.
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    maxConnections: 1,
    async drop() {
      await server.stop();
      await db.close();
    },
  };
}

async function migrateAndSeed(url: string): Promise<SeedFacts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS });
    return await seedWorkerFixtures(db);
  } finally {
    await client.end();
  }
}

export default async function setup({ provide }: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const database = serverUrl ? await createServerDatabase(serverUrl) : await createPgliteDatabase();
  let neonLocal: Awaited<ReturnType<typeof startNeonLocal>> | undefined;
  try {
    const seed = await migrateAndSeed(database.url);
    neonLocal = await startNeonLocal({ targetUrl: database.url, maxConnections: database.maxConnections });
    provide('databaseUrl', database.url);
    provide('neonFetchEndpoint', neonLocal.httpUrl);
    provide('neonWsProxy', neonLocal.wsProxy);
    provide('seed', seed);
  } catch (err) {
    await neonLocal?.close();
    await database.drop();
    throw err;
  }
  const running = neonLocal;
  return async () => {
    await running.close();
    await database.drop();
  };
}
