import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy a fault test puts between a client and its server (Postgres, or the local Neon
 * HTTP endpoint), to make that server fail the ways networks do:
 *
 * - `refuse()`: nothing listens on the port any more (ECONNREFUSED) and open connections drop;
 * - `blackhole()`: connections are accepted and bytes are swallowed, nothing ever comes back —
 *   also on connections that were open and working (a silent partition);
 * - `heal()`: the port listens again and forwards; connections left from the black hole are
 *   reset, as a NAT that lost their state would.
 *
 * Node only (node:net); the worker project drives one from its global setup.
 */
export type FaultMode = 'pass' | 'blackhole' | 'refuse';

interface Pair {
  client: Socket;
  upstream: Socket | null;
  /** Bytes are forwarded only while true. */
  live: boolean;
}

export class FaultProxy {
  #server: Server | null = null;
  #port = 0;
  #mode: FaultMode = 'pass';
  readonly #pairs = new Set<Pair>();
  readonly #target: { host: string; port: number };

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  get port(): number {
    return this.#port;
  }

  get mode(): FaultMode {
    return this.#mode;
  }

  /** Listen on 127.0.0.1 (a free port the first time, the same port after a refusal). */
  async start(): Promise<number> {
    const server = createServer((client) => this.#accept(client));
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('FaultProxy: no TCP address');
    this.#port = addr.port;
    this.#server = server;
    return this.#port;
  }

  async refuse(): Promise<void> {
    this.#mode = 'refuse';
    const server = this.#server;
    this.#server = null;
    this.#dropAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  blackhole(): void {
    this.#mode = 'blackhole';
    for (const p of this.#pairs) p.live = false;
  }

  async heal(): Promise<void> {
    const wasBlackhole = this.#mode === 'blackhole';
    this.#mode = 'pass';
    if (wasBlackhole) this.#dropAll();
    if (!this.#server) await this.start();
  }

  async close(): Promise<void> {
    await this.refuse();
  }

  #dropAll() {
    for (const p of this.#pairs) {
      p.client.resetAndDestroy();
      p.upstream?.destroy();
    }
    this.#pairs.clear();
  }

  #accept(client: Socket) {
    const pair: Pair = { client, upstream: null, live: this.#mode === 'pass' };
    this.#pairs.add(pair);
    const forget = () => {
      this.#pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', forget);
    client.on('close', forget);
    if (!pair.live) {
      client.on('data', () => {}); // swallowed
      return;
    }
    const upstream = connect(this.#target.port, this.#target.host);
    pair.upstream = upstream;
    upstream.on('error', forget);
    upstream.on('close', forget);
    client.on('data', (chunk) => {
      if (pair.live) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (pair.live) client.write(chunk);
    });
  }
}
