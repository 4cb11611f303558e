import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { DATASET_SWAP_CHANNEL } from '../db/queries.ts';
import type { DatasetVersionSource } from '../http/cache.ts';

/**
 * The dataset version a Node server is serving, held in memory (read once at start) and updated
 * when the pipeline's swap NOTIFYs: no per-request query, and caches keyed by it are dropped the
 * moment a new dataset commits.
 */
export class DatasetVersionCell implements DatasetVersionSource {
  private value: string | null;
  private resolved: Promise<string | null>;
  private readonly listeners: ((version: string | null) => void)[] = [];

  constructor(initial: string | null) {
    this.value = initial;
    this.resolved = Promise.resolve(initial);
  }

  current(): Promise<string | null> {
    return this.resolved;
  }

  get version(): string | null {
    return this.value;
  }

  set(version: string | null): void {
    if (version === this.value) return;
    this.value = version;
    this.resolved = Promise.resolve(version);
    for (const l of this.listeners) l(version);
  }

  /** Called with the new version whenever it changes. */
  onChange(listener: (version: string | null) => void): void {
    this.listeners.push(listener);
  }
}

export interface SwapListener {
  close(): Promise<void>;
}

/**
 * LISTEN on a Postgres server on one dedicated connection. When the connection drops it reconnects
 * (backing off to 30 s) and re-reads the version, so a swap missed while disconnected still lands.
 */
export function listenForSwapsOnPostgres(opts: {
  url: string;
  cell: DatasetVersionCell;
  readVersion: () => Promise<string | null>;
  log: (msg: string) => void;
}): SwapListener {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = 500;
  let timer: NodeJS.Timeout | undefined;

  const retry = () => {
    if (closed) return;
    timer = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, 30_000);
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString: opts.url });
    client = c;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      if (!closed)
        opts.log(`dataset LISTEN lost (${err instanceof Error ? err.message : String(err)}); retrying`);
      void c.end().catch(() => {});
      retry();
    };
    c.on('error', fail);
    c.on('end', () => fail(new Error('connection ended')));
    c.on('notification', (n) => {
      if (n.channel !== DATASET_SWAP_CHANNEL) return;
      if (n.payload) opts.cell.set(n.payload);
      else void opts.readVersion().then((v) => opts.cell.set(v), fail);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${DATASET_SWAP_CHANNEL}`);
      delay = 500;
      // Anything swapped in while we were not listening.
      opts.cell.set(await opts.readVersion());
    } catch (err) {
      fail(err);
    }
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}

/** The same on the embedded database (a pipeline run in this process NOTIFYs it too). */
export async function listenForSwapsOnPglite(
  pglite: PGlite,
  cell: DatasetVersionCell,
): Promise<SwapListener> {
  const unlisten = await pglite.listen(DATASET_SWAP_CHANNEL, (payload) => cell.set(payload || null));
  return { close: () => unlisten() };
}
