import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { startNeonLocal } from './neon-local.ts';

/**
 * `npm run dev`: the Worker (src/index.ts) in workerd through `wrangler dev`, reading through the
 * Neon driver exactly as in production.
 *
 * - DATABASE_URL on a Neon host (*.neon.tech): handed to the Worker unchanged.
 * - DATABASE_URL elsewhere (a local Postgres): the local Neon stand-in (neon-local.ts) goes in
 *   front of it, and the Worker is told where through NEON_FETCH_ENDPOINT.
 * - No DATABASE_URL: the embedded PGlite database of `npm start` (local-db.ts, built from DATA_DIR
 *   or the shipped sample), exposed over TCP by pglite-socket, with the stand-in in front of that.
 *
 * Ctrl-C stops wrangler, then the proxy, the socket server and the database, in that order.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Run wrangler's script with this Node (24, from the `node` devDependency) rather than through
// node_modules/.bin, whose `#!/usr/bin/env node` finds the system Node when PATH lacks .bin.
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const PORT = Number(process.env.PORT ?? 8787);
const READY_TIMEOUT_MS = 60_000;

type Cleanup = () => Promise<void>;

interface Served {
  /** Bindings for the Worker, passed through a private env file (never on the command line). */
  bindings: Record<string, string>;
  /** What is being served, for the start-up line. */
  label: string;
  /** Teardown steps, run last-first. */
  cleanups: Cleanup[];
}

function isNeonHost(url: URL): boolean {
  return url.hostname.endsWith('.neon.tech');
}

/** The URL without its password, for printing. */
function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

async function serveDatabaseUrl(databaseUrl: string): Promise<Served> {
  const url = new URL(databaseUrl);
  if (isNeonHost(url)) {
    return { bindings: { DATABASE_URL: databaseUrl }, label: `Neon database ${redact(url)}`, cleanups: [] };
  }
  const local = await startNeonLocal({ targetUrl: databaseUrl });
  return {
    bindings: { DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: local.httpUrl },
    label: `Postgres ${redact(url)} (through a local Neon stand-in at ${local.httpUrl})`,
    cleanups: [() => local.close()],
  };
}

async function serveEmbedded(): Promise<Served> {
  // Loaded only here: without DATABASE_URL nothing else needs PGlite or the data loader.
  const { openEmbeddedDatabase } = await import('./local-db.ts');
  const cleanups: Cleanup[] = [];
  try {
    // Same data as `npm start`: DATA_DIR when set, otherwise the shipped sample.
    const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : undefined;
    const embedded = await openEmbeddedDatabase({
      dataDir,
      innovateUkDir: process.env.INNOVATE_UK_DIR ? resolve(process.env.INNOVATE_UK_DIR) : undefined,
      log: (msg) => console.log(msg),
    });
    cleanups.push(() => embedded.close());
    const socketServer = new PGLiteSocketServer({
      db: embedded.pglite,
      host: '127.0.0.1',
      port: 0,
      maxConnections: 2,
    });
    await socketServer.start();
    cleanups.push(() => socketServer.stop());
    // pglite-socket ignores user and database names; they only satisfy the Neon driver.
    const databaseUrl = `postgres://postgres@${socketServer.getServerConn()}/postgres`;
    // One HTTP connection: PGlite runs one statement at a time and its multiplexer could
    // interleave the extended-protocol messages of concurrent connections.
    const local = await startNeonLocal({ targetUrl: databaseUrl, maxConnections: 1 });
    cleanups.push(() => local.close());
    return {
      bindings: { DATABASE_URL: databaseUrl, NEON_FETCH_ENDPOINT: local.httpUrl },
      label: `${embedded.dataset.label} (dataset ${embedded.dataset.version}, embedded PGlite)`,
      cleanups,
    };
  } catch (err) {
    await runCleanups(cleanups);
    throw err;
  }
}

async function runCleanups(cleanups: Cleanup[]): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch (err) {
      console.error(`dev: cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** A dotenv file wrangler reads with --env-file; single quotes keep values literal. */
function envFile(bindings: Record<string, string>): string {
  return Object.entries(bindings)
    .map(([key, value]) => {
      if (/['\n\r]/.test(value)) throw new Error(`dev: ${key} contains a quote or newline; URL-encode it`);
      return `${key}='${value}'\n`;
    })
    .join('');
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const served = databaseUrl ? await serveDatabaseUrl(databaseUrl) : await serveEmbedded();

  const dir = await mkdtemp(join(tmpdir(), 'obs-dev-'));
  served.cleanups.unshift(() => rm(dir, { recursive: true, force: true }));
  const envPath = join(dir, 'worker.env');
  await writeFile(envPath, envFile(served.bindings), { mode: 0o600 });

  const child = spawn(
    process.execPath,
    [
      WRANGLER,
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(PORT),
      '--env-file',
      envPath,
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    },
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // In a terminal wrangler gets the same Ctrl-C; signalling it again is harmless.
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 0 : 1)));
    child.on('error', (err) => {
      console.error(`dev: cannot start wrangler: ${err.message}`);
      resolve(1);
    });
  });

  const base = `http://127.0.0.1:${PORT}`;
  waitUntilReady(`${base}/health`, child).then((ready) => {
    if (ready)
      console.log(
        `\nServing ${served.label}\nAPI (workerd, wrangler dev): ${base}/v1/areas?type=lep  docs: ${base}/docs\n`,
      );
    else if (child.exitCode === null)
      console.error(`dev: ${base}/health did not answer within ${READY_TIMEOUT_MS / 1000}s`);
  });

  const code = await exited;
  await runCleanups(served.cleanups);
  process.exit(stopping ? 0 : code);
}

main().catch((err: unknown) => {
  console.error(`dev: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
