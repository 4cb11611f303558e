import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../src/app.ts';
import { openEmbeddedDatabase } from '../src/node/local-db.ts';
import { BENCH_PGLITE_DIR } from './database.ts';

/**
 * What `npm start` does on the embedded database (see src/node/main.ts), on the bench's own PGlite
 * folder: the bench must never rebuild, or open at the same time, the folder `npm start` uses.
 * Env: PORT, DATA_DIR, INNOVATE_UK_DIR.
 */
const embedded = await openEmbeddedDatabase({
  dataDir: process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : undefined,
  innovateUkDir: process.env.INNOVATE_UK_DIR ? resolve(process.env.INNOVATE_UK_DIR) : undefined,
  dir: BENCH_PGLITE_DIR,
  log: (msg) => console.error(`[bench server] ${msg}`),
});
const app = createApp({ db: embedded.db, runtime: 'node', log: () => {}, now: () => performance.now() });
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
const stop = () => {
  server.close();
  void embedded.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
