import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

/**
 * Fallback static baseline when nginx is not installed: serves every file of a folder from memory,
 * in its own process (like nginx) so it never shares an event loop with the load generator.
 * Usage: node bench/static-server.ts <folder> <port>
 */
const [dir, port] = process.argv.slice(2);
if (!dir || !port) throw new Error('usage: node bench/static-server.ts <folder> <port>');
const files = new Map(readdirSync(dir).map((name) => [`/${name}`, readFileSync(join(dir, name))]));

http
  .createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  })
  .listen(Number(port), '127.0.0.1', () => console.error(`static baseline on 127.0.0.1:${port}`));
