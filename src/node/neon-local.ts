import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DatabaseError, FieldDef, Pool as PgPool, PoolClient, QueryArrayConfig, QueryConfig } from 'pg';
import type { WebSocketServer as WsServer, WebSocket as WsSocket } from 'ws';

/**
 * A local stand-in for Neon's edge, so the Neon serverless driver (in workerd or Node) can talk to
 * a plain Postgres: the machine's server, or PGlite exposed by pglite-socket. Node-only; the Worker
 * never imports it. Neon's local-development guide runs the same two pieces beside a Postgres:
 *
 * - `POST /sql`: Neon's SQL-over-HTTP protocol, used by `neon()` / drizzle-orm/neon-http when
 *   `neonConfig.fetchEndpoint` points here.
 * - a WebSocket → TCP relay, used by `Pool`/`Client` / drizzle-orm/neon-serverless when
 *   `neonConfig.wsProxy` points here (with `useSecureWebSocket = false`).
 *
 * Like Neon's edge, it routes every connection to one Postgres server (`targetUrl`'s host and port)
 * and lets the client's own connection string choose the user, password and database.
 */

// Under vitest 5 with the Workers plugin, global-setup modules resolve the `browser` export
// condition, which maps `ws` to a stub and `pg` to its Cloudflare socket; `require` resolves the
// Node builds in every context.
const require = createRequire(import.meta.url);
const pg = require('pg') as typeof import('pg');
const { WebSocketServer } = require('ws') as typeof import('ws');

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
  /** Where to report connection failures; they are also answered to the client. */
  log?: (msg: string) => void;
}

/** A running local Neon stand-in. */
export interface NeonLocal {
  /** Value for `neonConfig.fetchEndpoint` (and the Worker's NEON_FETCH_ENDPOINT binding). */
  httpUrl: string;
  /** Value for `neonConfig.wsProxy` (and the Worker's NEON_WS_PROXY binding): host:port/path, no scheme. */
  wsProxy: string;
  /** Stop listening, drop every relayed socket and close the Postgres pools. */
  close(): Promise<void>;
}

/** The 5-byte frontend Terminate message: 'X', then int32 length 4. */
const TERMINATE = 0x58;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
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

/**
 * Start the HTTP endpoint and the WebSocket relay on one port of 127.0.0.1.
 * The driver's WebSocket URL is `ws://${wsProxy}?address=…`; the address is ignored because every
 * connection goes to `targetUrl`, so the relay cannot be used to reach anything else.
 */
export async function startNeonLocal(opts: NeonLocalOptions): Promise<NeonLocal> {
  const target = new URL(opts.targetUrl);
  if (target.protocol !== 'postgres:' && target.protocol !== 'postgresql:') {
    throw new Error('startNeonLocal: targetUrl must be a postgres:// URL');
  }
  const targetHost = target.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const targetPort = Number(target.port || 5432);
  const maxConnections = opts.maxConnections ?? 4;
  const log = opts.log ?? ((msg: string) => console.error(`[neon-local] ${msg}`));

  const pools = new Map<string, PgPool>();
  const poolFor = (clientConnectionString: string): PgPool => {
    const url = connectionUrl(target, clientConnectionString);
    let pool = pools.get(url);
    if (!pool) {
      pool = new pg.Pool({ connectionString: url, max: maxConnections, idleTimeoutMillis: 10_000 });
      // An idle client dropped by the server must not crash the process.
      pool.on('error', (err) => log(`idle Postgres connection failed: ${err.message}`));
      pools.set(url, pool);
    }
    return pool;
  };

  const server = createServer((req, res) => {
    handleHttp(req, res, poolFor).catch((err: unknown) => {
      log(`request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'neon-local: internal error' });
      else res.destroy();
    });
  });

  const wss: WsServer = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const relays = new Set<{ ws: WsSocket; tcp: Socket }>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const tcp = connect({ host: targetHost, port: targetPort });
      const relay = { ws, tcp };
      relays.add(relay);
      relayWebSocket(ws, tcp, log, () => relays.delete(relay));
    });
  });

  server.listen(opts.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('startNeonLocal: no TCP address');
  const hostPort = `127.0.0.1:${address.port}`;

  return {
    httpUrl: `http://${hostPort}/sql`,
    wsProxy: `${hostPort}/v2`,
    async close() {
      for (const { ws, tcp } of relays) {
        ws.terminate();
        tcp.destroy();
      }
      relays.clear();
      wss.close();
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
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
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

/**
 * Pipe a WebSocket to a TCP connection to Postgres. pglite-socket never closes a connection on its
 * own, so the driver's `end()` would wait forever: close both sides once the client sends Terminate.
 */
function relayWebSocket(ws: WsSocket, tcp: Socket, log: (msg: string) => void, onClosed: () => void): void {
  const watcher = new TerminateWatcher();
  let closed = false;
  const closeBoth = () => {
    if (closed) return;
    closed = true;
    tcp.end();
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    onClosed();
  };

  tcp.setNoDelay(true);
  tcp.on('data', (chunk) => {
    if (ws.readyState === ws.OPEN) ws.send(chunk);
  });
  tcp.on('error', (err) => {
    log(`Postgres connection failed: ${err.message}`);
    closeBoth();
  });
  tcp.on('close', closeBoth);

  // Bytes can arrive before the TCP connection is up; net.Socket buffers writes until then.
  ws.on('message', (data, isBinary) => {
    const chunk = toBuffer(data);
    if (!isBinary && chunk.length === 0) return;
    tcp.write(chunk);
    if (watcher.sawTerminate(chunk)) closeBoth();
  });
  ws.on('error', (err) => {
    log(`WebSocket failed: ${err.message}`);
    closeBoth();
  });
  ws.on('close', closeBoth);
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

/**
 * Follows the frontend message stream across arbitrary chunking: the untyped start-up phase
 * (SSLRequest / GSSENCRequest, then StartupMessage), then typed messages (1-byte type + int32
 * length), so a Terminate is recognised by position rather than by scanning for its bytes.
 * Only message headers are buffered; bodies are skipped by count.
 */
class TerminateWatcher {
  private startup = true;
  /** A partial message header carried over from the previous chunk. */
  private pending = Buffer.alloc(0);
  /** Bytes of the current message body still to come. */
  private skip = 0;
  /** Set on a malformed length: stop interpreting rather than loop or misread. */
  private lost = false;

  sawTerminate(chunk: Buffer): boolean {
    if (this.lost) return false;
    let buf = chunk;
    if (this.skip > 0) {
      const n = Math.min(this.skip, buf.length);
      this.skip -= n;
      buf = buf.subarray(n);
    }
    if (this.pending.length > 0) buf = Buffer.concat([this.pending, buf]);
    this.pending = Buffer.alloc(0);
    for (;;) {
      const headerLength = this.startup ? 8 : 5;
      if (buf.length === 0) return false;
      if (buf.length < headerLength) {
        this.pending = Buffer.from(buf);
        return false;
      }
      let total: number;
      if (this.startup) {
        total = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.startup = false;
        if (total < 8) return this.lose();
      } else {
        const len = buf.readInt32BE(1);
        if (buf[0] === TERMINATE && len === 4) return true;
        if (len < 4) return this.lose();
        total = 1 + len;
      }
      if (buf.length < total) {
        this.skip = total - buf.length;
        return false;
      }
      buf = buf.subarray(total);
    }
  }

  private lose(): false {
    this.lost = true;
    return false;
  }
}
