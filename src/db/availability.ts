/**
 * Which failures mean "the database is not available right now" (answered 503 with Retry-After)
 * rather than a bug (500). Drizzle wraps driver errors (`DrizzleQueryError.cause`), the Neon
 * driver wraps fetch failures (`NeonDbError.sourceError`), so the whole cause chain is searched.
 * Nothing here imports a driver: it runs in the Worker and on Node.
 */

/** Socket-level failures reaching the server (Node's `err.code`). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that say the server cannot serve now: class 08 (connection exception), 57014
 * (query_canceled: our statement timeout), 57P01–57P03 (shutting down, crashed, starting up),
 * 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57014|57P0[123]|53300)$/;

/** Messages of node-postgres / pg-pool / the Neon driver for timeouts and dropped connections. */
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connection timeout|Client has encountered a connection error|Error connecting to database|Server error \(HTTP status 5\d\d\)|database did not answer/i;

/** Error names of an aborted or timed-out fetch (AbortSignal.timeout gives TimeoutError). */
const ABORT_NAMES = new Set(['AbortError', 'TimeoutError']);

export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
    const x = e as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      sourceError?: unknown;
    };
    if (typeof x.code === 'string' && (NETWORK_CODES.has(x.code) || UNAVAILABLE_SQLSTATE.test(x.code)))
      return true;
    if (typeof x.name === 'string' && ABORT_NAMES.has(x.name)) return true;
    if (typeof x.message === 'string' && UNAVAILABLE_MESSAGE.test(x.message)) return true;
    e = x.sourceError ?? x.cause;
  }
  return false;
}

/** Timeouts for a connection pool that serves the API. */
export interface DbTimeouts {
  /** Longest wait for a connection (TCP + startup + auth), or for a free one in the pool. */
  connectMs: number;
  /** Server-side `statement_timeout`: Postgres cancels a statement running longer. */
  statementMs: number;
  /**
   * Client-side deadline for an answer: catches a server that accepted the connection and went
   * silent (a statement timeout cannot fire there). Slightly above statementMs.
   */
  queryMs: number;
}

/** Default `DB_TIMEOUT_MS`: the API's statement timeout. */
export const DEFAULT_DB_TIMEOUT_MS = 2_000;

/**
 * For request handling, from one number (`DB_TIMEOUT_MS`). The bar is a 503 within 3 s when the
 * database is unreachable or silent: with the default 2 s, an unreachable server is given up on
 * after 2 s and a silent one after 2.5 s.
 */
export function apiDbTimeouts(ms: number = DEFAULT_DB_TIMEOUT_MS): DbTimeouts {
  return { connectMs: ms, statementMs: ms, queryMs: ms + 500 };
}

/** For the pipeline: long set-based statements are normal, a wedged one still ends the run. */
export const PIPELINE_DB_TIMEOUTS: DbTimeouts = { connectMs: 10_000, statementMs: 600_000, queryMs: 610_000 };
