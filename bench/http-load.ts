import http from 'node:http';

/** A small keep-alive load generator: `concurrency` loops, each one request at a time, on loopback. */

export interface LoadOptions {
  port: number;
  /** Requested in turn (request i gets paths[i % paths.length]). */
  paths: readonly string[];
  /** Stop after this many requests… */
  requests: number;
  /** …or after this long, whichever comes first. */
  maxMs: number;
  concurrency: number;
  agent: http.Agent;
  /** A request slower than this is aborted and counted as an error. */
  timeoutMs?: number;
}

export interface LoadResult {
  /** Per-request latency, first byte sent to last byte read. */
  latenciesMs: number[];
  elapsedMs: number;
  ok: number;
  /** Non-200 answers and transport errors, by status or error message. */
  failures: Record<string, number>;
  /** One example of a failure: path and status/message. */
  firstFailure?: string;
  bytes: number;
}

export const keepAliveAgent = (concurrency: number) =>
  new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });

export function get(
  agent: http.Agent,
  port: number,
  path: string,
  timeoutMs = 30_000,
): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const failures: Record<string, number> = {};
  let firstFailure: string | undefined;
  let issued = 0;
  let ok = 0;
  let bytes = 0;
  const started = performance.now();
  const deadline = started + opts.maxMs;
  const fail = (key: string, path: string) => {
    failures[key] = (failures[key] ?? 0) + 1;
    firstFailure ??= `${path}: ${key}`;
  };
  const worker = async () => {
    while (issued < opts.requests && performance.now() < deadline) {
      const path = opts.paths[issued % opts.paths.length] as string;
      issued++;
      const t0 = performance.now();
      try {
        const res = await get(opts.agent, opts.port, path, opts.timeoutMs);
        latenciesMs.push(performance.now() - t0);
        bytes += res.body.length;
        if (res.status === 200) ok++;
        else fail(`HTTP ${res.status}`, path);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err), path);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  const result: LoadResult = { latenciesMs, elapsedMs: performance.now() - started, ok, failures, bytes };
  if (firstFailure) result.firstFailure = firstFailure;
  return result;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** Merge rounds: latencies pooled, throughput = all requests over all time spent. */
export function summarise(runs: readonly LoadResult[]) {
  const all = runs.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const elapsed = runs.reduce((s, r) => s + r.elapsedMs, 0);
  const ok = runs.reduce((s, r) => s + r.ok, 0);
  const failures: Record<string, number> = {};
  for (const r of runs) for (const [k, n] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + n;
  return {
    requests: all.length,
    ok,
    failures,
    firstFailure: runs.find((r) => r.firstFailure)?.firstFailure,
    reqPerSec: elapsed > 0 ? (all.length / elapsed) * 1000 : 0,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: all.at(-1) ?? Number.NaN,
  };
}
