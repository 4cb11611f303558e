import type { Db } from '../db/client.ts';
import { getPostcodeBodies } from '../db/queries.ts';
import { normalisePostcode } from '../domain/geography.ts';

/**
 * Answers the pipeline stored whole, for the Node front (./fast-path.ts) to read straight from the
 * database without the app: today a postcode's JSON (`postcodes.body`). A different postcode each
 * request can never be a cache hit, so this is the whole cost of a lookup: one indexed read of
 * precomputed bytes, shared by every lookup waiting in the same turn of the event loop.
 *
 * The route decides only which requests are its own and how to read them; everything else (a
 * malformed or unknown postcode, the database failing, a query string, rate limits spent) is left
 * to the app, which answers it with its problem+json.
 */
export interface StoredAnswerRoute {
  /** The stored answer's key for a request path without a query string; undefined when not ours. */
  keyOf(pathname: string): string | undefined;
  /** The stored body of a key; undefined when there is none (the app then answers 404 or 503). */
  read(key: string): Promise<string | undefined>;
}

const POSTCODE_PATH = /^\/v1\/postcodes\/([^/]{1,48})$/;
/** As the route's parameter schema (src/routes/postcodes.ts): longer input is the app's 400. */
const MAX_POSTCODE_PARAM = 16;

/**
 * `GET /v1/postcodes/{postcode}` (src/routes/postcodes.ts): up to 64 postcodes a read, at most 4
 * reads at once (the server's pool holds 10 connections; the app keeps the rest).
 */
export function postcodeAnswers(db: Db, opts = { maxBatch: 64, maxInFlight: 4 }): StoredAnswerRoute {
  return {
    keyOf(pathname) {
      const m = POSTCODE_PATH.exec(pathname);
      if (!m?.[1]) return undefined;
      let raw: string;
      try {
        raw = decodeURIComponent(m[1]);
      } catch {
        return undefined;
      }
      if (raw.length > MAX_POSTCODE_PARAM) return undefined;
      return normalisePostcode(raw)?.key;
    },
    read: batchedReader((keys) => getPostcodeBodies(db, keys), opts),
  };
}

/**
 * One read per key, coalesced: keys asked for while `maxInFlight` reads are already running (or in
 * the same turn of the event loop) wait, and go to `readMany` together, at most `maxBatch` at a
 * time, as soon as a read finishes. Under load a read carries as many keys as there are lookups
 * waiting, so the database answers one query for all of them; alone, a lookup waits for nothing
 * but the end of its own turn.
 */
export function batchedReader(
  readMany: (keys: string[]) => Promise<Map<string, string>>,
  opts: { maxBatch: number; maxInFlight: number },
): (key: string) => Promise<string | undefined> {
  type Waiter = { resolve: (v: string | undefined) => void; reject: (e: unknown) => void };
  const pending = new Map<string, Waiter[]>();
  let scheduled = false;
  let inFlight = 0;

  const run = async (batch: Map<string, Waiter[]>) => {
    try {
      const found = await readMany([...batch.keys()]);
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  };
  const pump = () => {
    scheduled = false;
    while (inFlight < opts.maxInFlight && pending.size > 0) {
      const batch = new Map<string, Waiter[]>();
      for (const [key, waiters] of pending) {
        batch.set(key, waiters);
        pending.delete(key);
        if (batch.size >= opts.maxBatch) break;
      }
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (key) =>
    new Promise((resolve, reject) => {
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
      if (!scheduled && inFlight < opts.maxInFlight) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
