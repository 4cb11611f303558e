import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** The little SQL surface the pipeline needs, over PGlite or a Postgres server (incl. Neon). */
export interface SqlRunner {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Run one or more statements without parameters. */
  exec(text: string): Promise<void>;
  /** Bulk-load rows (tuples in column order) with COPY … FROM in CSV format. */
  copyRows(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void>;
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Run `fn` on one connection held throughout, for session state such as an advisory lock. */
  session<T>(fn: (run: SqlRunner) => Promise<T>): Promise<T>;
}

/**
 * COPY's CSV: null → unquoted empty field (NULL); every string quoted, so '' stays an empty string;
 * arrays → Postgres array literals; objects → JSON text.
 */
export function toCopyCsv(rows: readonly unknown[][]): string {
  const field = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`cannot load non-finite number ${v}`);
      return String(v);
    }
    if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
    const text = Array.isArray(v)
      ? `{${v.map((x) => `"${String(x).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);
    return `"${text.replaceAll('"', '""')}"`;
  };
  let out = '';
  for (const r of rows) out += `${r.map(field).join(',')}\n`;
  return out;
}

const COPY_BATCH = 50_000;

function copySql(table: string, columns: readonly string[], source: string) {
  return `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM ${source} WITH (FORMAT csv)`;
}

export function pgliteRunner(db: PGlite | Transaction): SqlRunner {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query<T>(text, params)).rows;
    },
    async exec(text: string) {
      await db.exec(text);
    },
    async copyRows(table, columns, rows) {
      for (let i = 0; i < rows.length; i += COPY_BATCH) {
        const csv = toCopyCsv(rows.slice(i, i + COPY_BATCH));
        await db.query(copySql(table, columns, `'/dev/blob'`), [], { blob: new Blob([csv]) });
      }
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>) {
      if (!('transaction' in db)) return fn(this);
      return (db as PGlite).transaction((tx) => fn(pgliteRunner(tx)));
    },
    async session<T>(fn: (run: SqlRunner) => Promise<T>) {
      // PGlite is one session already.
      return fn(this);
    },
  };
}

type PgQueryable = pg.Pool | pg.PoolClient;

export function pgRunner(db: PgQueryable): SqlRunner {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query(text, params)).rows as T[];
    },
    async exec(text: string) {
      await db.query(text);
    },
    async copyRows(table, columns, rows) {
      const client = db instanceof pg.Pool ? await db.connect() : db;
      try {
        for (let i = 0; i < rows.length; i += COPY_BATCH) {
          const csv = toCopyCsv(rows.slice(i, i + COPY_BATCH));
          await pipeline(Readable.from([csv]), client.query(copyFrom(copySql(table, columns, 'STDIN'))));
        }
      } finally {
        if (client !== db) (client as pg.PoolClient).release();
      }
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>) {
      const client = db instanceof pg.Pool ? await db.connect() : db;
      try {
        await client.query('BEGIN');
        const out = await fn(pgRunner(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        if (client !== db) (client as pg.PoolClient).release();
      }
    },
    async session<T>(fn: (run: SqlRunner) => Promise<T>) {
      if (!(db instanceof pg.Pool)) return fn(this);
      const client = await db.connect();
      let failed = false;
      try {
        return await fn(pgRunner(client));
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        // A session that failed may be broken: discard it rather than return it to the pool.
        client.release(failed);
      }
    },
  };
}
