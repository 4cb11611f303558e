import { request as httpRequest } from 'node:http';

/** One request over a socket: status, headers and the body's bytes exactly as sent (no decoding). */
export function raw(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers minus the ones that differ between any two requests (id, date) and those named. */
export function stable(h: Record<string, string>, ...also: string[]) {
  const drop = new Set(['x-request-id', 'date', 'connection', 'keep-alive', ...also]);
  return Object.fromEntries(Object.entries(h).filter(([k]) => !drop.has(k)));
}
