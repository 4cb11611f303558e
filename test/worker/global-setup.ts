import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as runMigrations } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import * as schema from '../../src/db/schema.ts';
import { createPglite } from '../../src/node/databases.ts';
import { startNeonLocal } from '../../src/node/neon-local.ts';
import { copyVendorAssets } from '../../src/node/vendor-assets.ts';
import { FaultProxy } from '../support/fault-proxy.ts';
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
    /** What the seed inserted, so tests never hard-code codes. */
    seed: SeedFacts;
    /** The local Neon endpoint behind a fault proxy (test/support/fault-proxy.ts), for faults.test.ts. */
    faultFetchEndpoint: string;
    /** POST /refuse, /blackhole or /heal here to break or mend that proxy. */
    faultControlUrl: string;
  }
}

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run pipeline` on the shipped sample (DATA_DIR unset) into the given database. */
function runPipeline(env: Record<string, string>) {
  const { DATA_DIR: _d, DATABASE_URL: _u, INNOVATE_UK_DIR: _i, PGLITE_DIR: _p, ...rest } = process.env;
  const r = spawnSync(process.execPath, ['src/pipeline/cli.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...rest, ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`pipeline on the sample failed:\n${r.stderr}`);
}

interface TestDatabase {
  url: string;
  /** Largest number of connections the HTTP endpoint should hold; 1 for PGlite. */
  maxConnections: number;
  /** Run the real pipeline on the shipped sample into the (migrated) database. */
  loadSample(): Promise<void>;
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
    async loadSample() {
      runPipeline({ DATABASE_URL: url.href });
    },
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
  const dir = mkdtempSync(join(tmpdir(), 'obs-worker-pglite-'));
  // Migrations and the real pipeline on the sample run in a child process (the pipeline's Node-only
  // libraries cannot load under this setup's browser export conditions), then we open the result.
  runPipeline({ PGLITE_DIR: dir });
  const db = await createPglite(dir);
  // Several connections: the HTTP endpoint's one plus each WebSocket session a test opens.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  return {
    // pglite-socket ignores user and database names; these only satisfy the Neon driver.
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    maxConnections: 1,
    async loadSample() {
      // Built before the database was opened (see above).
    },
    async drop() {
      await server.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function withDb<T>(
  url: string,
  fn: (db: NodePgDatabase<typeof schema> & { $client: pg.Pool }) => Promise<T>,
): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    return await fn(drizzle(pool, { schema }));
  } finally {
    await pool.end();
  }
}

const migrate = (url: string) => withDb(url, (db) => runMigrations(db, { migrationsFolder: MIGRATIONS }));
const seed = (url: string): Promise<SeedFacts> => withDb(url, (db) => seedWorkerFixtures(db));

interface FaultControl {
  fetchEndpoint: string;
  controlUrl: string;
  close(): Promise<void>;
}

/**
 * Workerd cannot listen on sockets, so the fault proxy for the Worker's fault tests lives here:
 * in front of the local Neon endpoint, with a small HTTP control server the tests call.
 */
async function startFaultControl(neonHttp: URL): Promise<FaultControl> {
  const proxy = new FaultProxy({ host: neonHttp.hostname, port: Number(neonHttp.port) });
  const port = await proxy.start();
  const server = createServer((req, res) => {
    const act =
      req.method !== 'POST'
        ? undefined
        : req.url === '/refuse'
          ? () => proxy.refuse()
          : req.url === '/blackhole'
            ? async () => proxy.blackhole()
            : req.url === '/heal'
              ? () => proxy.heal()
              : undefined;
    if (!act) {
      res.writeHead(404).end();
      return;
    }
    act().then(
      () => res.writeHead(204).end(),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address() as AddressInfo;
  return {
    fetchEndpoint: `http://127.0.0.1:${port}${neonHttp.pathname}`,
    controlUrl: `http://127.0.0.1:${addr.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await proxy.close();
    },
  };
}

export default async function setup({ provide }: TestProject) {
  // The ASSETS binding serves public/; Swagger UI's files are copied there as wrangler's build does.
  copyVendorAssets();
  const serverUrl = process.env.TEST_DATABASE_URL;
  const database = serverUrl ? await createServerDatabase(serverUrl) : await createPgliteDatabase();
  let neonLocal: Awaited<ReturnType<typeof startNeonLocal>> | undefined;
  let faults: FaultControl | undefined;
  try {
    await migrate(database.url);
    // The real pipeline on the sample first (profiles, rankings, investments), then factory rows
    // with minted codes on top for the geography tests.
    await database.loadSample();
    const facts = await seed(database.url);
    neonLocal = await startNeonLocal({ targetUrl: database.url, maxConnections: database.maxConnections });
    provide('databaseUrl', database.url);
    provide('neonFetchEndpoint', neonLocal.httpUrl);
    provide('seed', facts);
    faults = await startFaultControl(new URL(neonLocal.httpUrl));
    provide('faultFetchEndpoint', faults.fetchEndpoint);
    provide('faultControlUrl', faults.controlUrl);
  } catch (err) {
    await faults?.close();
    await neonLocal?.close();
    await database.drop();
    throw err;
  }
  const running = neonLocal;
  const control = faults;
  return async () => {
    await control?.close();
    await running.close();
    await database.drop();
  };
}
