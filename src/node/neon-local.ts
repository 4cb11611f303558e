import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { DatabaseError, FieldDef, Pool as PgPool, PoolClient, QueryArrayConfig, QueryConfig } from 'pg';
import { apiDbTimeouts } from '../db/availability.ts';

/**
 * A local stand-in for Neon's edge, so the Neon serverless driver (in workerd or Node) can talk to
 * a plain Postgres: the machine's server, or PGlite exposed by pglite-socket. Node-only; the Worker
 * never imports it. It serves Neon's SQL-over-HTTP protocol (`POST /sql`), which `neon()` /
 * drizzle-orm/neon-http use when `neonConfig.fetchEndpoint` points here — the only mode the
 * Worker uses (it needs no session; see src/db/neon.ts).
 *
 * Like Neon's edge, it routes every query to one Postgres server (`targetUrl`'s host and port)
 * and lets the client's own connection string choose the user, password and database.
 */

// Under vitest 5 with the Workers plugin, global-setup modules resolve the `browser` export
// condition, which maps `pg` to its Cloudflare socket; `require` resolves the Node build.
const require = createRequire(import.meta.url);
const pg = require('pg') as typeof import('pg');

/** Options for {@link startNeonLocal}. */
export interface NeonLocalOptions {
  /** The Postgres every request is routed to, e.g. postgres://postgres@127.0.0.1:5432/test. */
  targetUrl: string;
  /** Port to listen on (127.0.0.1); 0 (the default) picks a free one. */
  port?: number;
  /**
   * Most Postgres connections the HTTP endpoint holds per database. Use 1 in front of
   * pglite-socket: PGlite runs one statement at a time and its multiplexer can interleave the
   * extended-protocol messages of concurrent connections.
   */
  maxConnections?: number;
  /** Statement timeout on the target, as DB_TIMEOUT_MS (default 2 s). */
  dbTimeoutMs?: number;
  /** Where to report connection failures; they are also answered to the client. */
  log?: (msg: string) => void;
}

/** A running local Neon stand-in. */
export interface NeonLocal {
  /** Value for `neonConfig.fetchEndpoint` (and the Worker's NEON_FETCH_ENDPOINT binding). */
  httpUrl: string;
  /** Stop listening and close the Postgres pools. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/** The fields of a Postgres error Neon copies into a 400 answer; the driver reads the same list. */
const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

interface SqlQuery {
  query: string;
  params: unknown[];
}

interface OutputMode {
  arrayMode: boolean;
  rawText: boolean;
}

/** Thrown for requests the endpoint refuses; answered as 400 `{ message }`, as Neon does. */
class BadRequest extends Error {}

/** Start the HTTP endpoint on a port of 127.0.0.1; every query goes to `targetUrl`'s server. */
export async function startNeonLocal(opts: NeonLocalOptions): Promise<NeonLocal> {
  const target = new URL(opts.targetUrl);
  if (target.protocol !== 'postgres:' && target.protocol !== 'postgresql:') {
    throw new Error('startNeonLocal: targetUrl must be a postgres:// URL');
  }
  const maxConnections = opts.maxConnections ?? 4;
  const timeouts = apiDbTimeouts(opts.dbTimeoutMs);
  const log = opts.log ?? ((msg: string) => console.error(`[neon-local] ${msg}`));

  const pools = new Map<string, PgPool>();
  const poolFor = (clientConnectionString: string): PgPool => {
    const url = connectionUrl(target, clientConnectionString);
    let pool = pools.get(url);
    if (!pool) {
      // The API's timeouts, as a Neon role given `statement_timeout` (README, Deploying) would have.
      pool = new pg.Pool({
        connectionString: url,
        max: maxConnections,
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: timeouts.connectMs,
        statement_timeout: timeouts.statementMs,
        query_timeout: timeouts.queryMs,
        keepAlive: true,
      });
      // An idle client dropped by the server must not crash the process.
      pool.on('error', (err) => log(`idle Postgres connection failed: ${err.message}`));
      pools.set(url, pool);
    }
    return pool;
  };

  // Statements received, so tests can prove a read was answered without the database (GET /stats).
  const stats = { statements: 0 };
  const server = createServer((req, res) => {
    handleHttp(req, res, poolFor, stats).catch((err: unknown) => {
      log(`request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'neon-local: internal error' });
      else res.destroy();
    });
  });

  server.listen(opts.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('startNeonLocal: no TCP address');
  const hostPort = `127.0.0.1:${address.port}`;

  return {
    httpUrl: `http://${hostPort}/sql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((p) => p.end()));
      pools.clear();
    },
  };
}

/** The target server, with the user, password and database the client asked for. */
function connectionUrl(target: URL, clientConnectionString: string): string {
  let client: URL;
  try {
    client = new URL(clientConnectionString);
  } catch {
    throw new BadRequest('Neon-Connection-String is not a valid URL');
  }
  if (client.protocol !== 'postgres:' && client.protocol !== 'postgresql:') {
    throw new BadRequest('Neon-Connection-String must be a postgres:// URL');
  }
  const url = new URL(target.href);
  if (client.username) url.username = client.username;
  if (client.password) url.password = client.password;
  if (client.pathname.length > 1) url.pathname = client.pathname;
  const appName = client.searchParams.get('application_name');
  if (appName) url.searchParams.set('application_name', appName);
  return url.href;
}

async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  poolFor: (cs: string) => PgPool,
  stats: { statements: number },
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/stats' && req.method === 'GET') return sendJson(res, 200, stats);
  if (path !== '/sql') return sendJson(res, 404, { message: `neon-local: nothing at ${path}; POST /sql` });
  if (req.method !== 'POST') return sendJson(res, 405, { message: 'neon-local: use POST /sql' });

  let body: unknown;
  let pool: PgPool;
  try {
    const connectionString = req.headers['neon-connection-string'];
    if (typeof connectionString !== 'string' || connectionString === '') {
      throw new BadRequest('missing Neon-Connection-String header');
    }
    pool = poolFor(connectionString);
    body = await readJson(req);
  } catch (err) {
    if (err instanceof BadRequest) return sendJson(res, 400, { message: err.message });
    throw err;
  }

  const mode: OutputMode = {
    arrayMode: req.headers['neon-array-mode'] === 'true',
    rawText: req.headers['neon-raw-text-output'] === 'true',
  };
  try {
    stats.statements += isBatch(body) ? body.queries.length : 1;
    if (isBatch(body)) {
      const results = await runBatch(pool, body.queries.map(parseQuery), mode, {
        isolationLevel: header(req, 'neon-batch-isolation-level'),
        readOnly: header(req, 'neon-batch-read-only') === 'true',
        deferrable: header(req, 'neon-batch-deferrable') === 'true',
      });
      return sendJson(res, 200, { results });
    }
    const result = await runQuery(pool, parseQuery(body), mode);
    return sendJson(res, 200, result);
  } catch (err) {
    if (err instanceof BadRequest) return sendJson(res, 400, { message: err.message });
    if (isDatabaseError(err)) return sendJson(res, 400, databaseErrorBody(err));
    // Connection refused, authentication timeouts and the like: Neon answers these with a 5xx,
    // which the driver reports as "Server error (HTTP status …)".
    const message = err instanceof Error ? err.message : String(err);
    return sendJson(res, 502, { message: `neon-local: cannot reach Postgres: ${message}` });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('request body is not JSON');
  }
}

function isBatch(body: unknown): body is { queries: unknown[] } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { queries?: unknown }).queries);
}

function parseQuery(body: unknown): SqlQuery {
  if (typeof body !== 'object' || body === null) throw new BadRequest('expected { query, params }');
  const { query, params } = body as { query?: unknown; params?: unknown };
  if (typeof query !== 'string') throw new BadRequest('"query" must be a string');
  if (params !== undefined && !Array.isArray(params)) throw new BadRequest('"params" must be an array');
  return { query, params: params ?? [] };
}

/** Raw text output: hand every value back exactly as Postgres sent it; the driver parses by OID. */
const rawTypes = { getTypeParser: () => (value: string) => value };

function queryConfig(q: SqlQuery, mode: OutputMode): QueryConfig | QueryArrayConfig {
  return {
    text: q.query,
    values: q.params,
    // Neon always uses the extended protocol: one statement per query, $n parameters.
    queryMode: 'extended',
    ...(mode.arrayMode ? { rowMode: 'array' as const } : {}),
    ...(mode.rawText ? { types: rawTypes } : {}),
  } as QueryConfig | QueryArrayConfig;
}

interface NeonResult {
  command: string;
  rowCount: number | null;
  rows: unknown[];
  fields: ReturnType<typeof toField>[];
  rowAsArray: boolean;
}

async function runQuery(client: PgPool | PoolClient, q: SqlQuery, mode: OutputMode): Promise<NeonResult> {
  const result = await client.query(queryConfig(q, mode));
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    fields: result.fields.map(toField),
    rowAsArray: mode.arrayMode,
  };
}

/** A batch is one transaction, as on Neon: all statements commit together or none do. */
async function runBatch(
  pool: PgPool,
  queries: SqlQuery[],
  mode: OutputMode,
  tx: { isolationLevel: string | undefined; readOnly: boolean; deferrable: boolean },
): Promise<NeonResult[]> {
  let begin = 'BEGIN';
  if (tx.isolationLevel !== undefined) {
    const level = ISOLATION_LEVELS[tx.isolationLevel];
    if (!level) throw new BadRequest(`unknown Neon-Batch-Isolation-Level ${tx.isolationLevel}`);
    begin += ` ISOLATION LEVEL ${level}`;
  }
  if (tx.readOnly) begin += ' READ ONLY';
  if (tx.deferrable) begin += ' DEFERRABLE';

  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(begin);
    const results: NeonResult[] = [];
    for (const q of queries) results.push(await runQuery(client, q, mode));
    await client.query('COMMIT');
    return results;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

function toField(f: FieldDef) {
  return {
    name: f.name,
    tableID: f.tableID,
    columnID: f.columnID,
    dataTypeID: f.dataTypeID,
    dataTypeSize: f.dataTypeSize,
    dataTypeModifier: f.dataTypeModifier,
    format: f.format,
  };
}

function isDatabaseError(err: unknown): err is DatabaseError {
  return err instanceof pg.DatabaseError;
}

function databaseErrorBody(err: DatabaseError): Record<string, unknown> {
  const body: Record<string, unknown> = { message: err.message };
  for (const key of ERROR_FIELDS) {
    const value = err[key];
    if (value !== undefined) body[key] = value;
  }
  return body;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
