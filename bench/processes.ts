import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { get, keepAliveAgent } from './http-load.ts';

/** Child-process plumbing: free loopback ports, waiting until a server answers, stopping it, its memory. */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wait until `child` answers 200 on `probePath` (up to `timeoutMs`), keeping the tail of its stderr
 * for the error message. `stop()` sends SIGTERM to that one process and waits for it to exit.
 */
export async function spawnServer(
  child: ChildProcess,
  port: number,
  probePath: string,
  label: string,
  timeoutMs = 60_000,
) {
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exit;
    }
  };
  const agent = keepAliveAgent(1);
  const deadline = performance.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`${label} exited (${exited}) before answering:\n${stderr}`);
      try {
        const res = await get(agent, port, probePath, 2000);
        if (res.status === 200) return { stop, stderr: () => stderr };
      } catch {
        // not listening yet
      }
      if (performance.now() > deadline) {
        await stop();
        throw new Error(
          `${label} did not answer 200 on ${probePath} within ${timeoutMs / 1000} s:\n${stderr}`,
        );
      }
      await sleep(100);
    }
  } finally {
    agent.destroy();
  }
}

/** Resident and peak resident memory of a process in MiB, from /proc (Linux only; undefined elsewhere). */
export function memoryOf(pid: number | undefined): { rssMiB: number; peakMiB: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1]);
    const rss = kib('VmRSS');
    const peak = kib('VmHWM');
    if (!Number.isFinite(rss)) return undefined;
    return { rssMiB: rss / 1024, peakMiB: peak / 1024 };
  } catch {
    return undefined;
  }
}
