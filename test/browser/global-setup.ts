import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createApp } from '../../src/app.ts';
import { nodeAssets } from '../../src/node/assets.ts';
import { openPglite, openPostgres } from '../../src/node/databases.ts';
import { loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import { pgliteRunner, pgRunner } from '../../src/pipeline/sql.ts';
import { hostPages } from './host-pages.ts';

/**
 * Node side of the `browser` project: the API as `npm start` serves it (createApp on Node with the
 * public/ assets) on the full data when DATA_DIR is set (on TEST_DATABASE_URL's server, else the
 * embedded database), otherwise the sample; and a second server on another origin serving the pages
 * a LEP or council site would write (iframes, widget.js). Both listen on port 0.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    apiOrigin: string;
    hostOrigin: string;
    fullData: boolean;
  }
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

export default async function setup(project: TestProject) {
  const dataDir = process.env.DATA_DIR ?? SAMPLE_DATA_DIR;
  const url = process.env.TEST_DATABASE_URL;
  let db: Parameters<typeof createApp>[0]['db'];
  let closeDb: () => Promise<void>;
  if (url) {
    const name = `obs_browser_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    await admin(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const opened = await openPostgres(target.toString(), { migrate: true, max: 4 });
    await loadDataset(pgRunner(opened.pool), { dataDir });
    db = opened.db;
    closeDb = async () => {
      await opened.pool.end();
      await admin(`drop database if exists ${name} with (force)`);
    };
  } else {
    const { pglite, db: pgdb } = await openPglite(undefined);
    await loadDataset(pgliteRunner(pglite), { dataDir });
    db = pgdb;
    closeDb = () => pglite.close();
  }

  const app = createApp({
    db,
    runtime: 'node',
    log: () => {},
    now: () => performance.now(),
    assets: nodeAssets(),
  });
  const api = await new Promise<{ server: { close(cb?: () => void): void }; port: number }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server: server as never, port: info.port }),
    );
  });
  // The host site answers on "localhost", the API on "127.0.0.1": two origins, as on the web.
  const apiOrigin = `http://127.0.0.1:${api.port}`;
  const host = createServer((req, res) => {
    const page = hostPages(apiOrigin)[req.url?.split('?')[0] ?? ''];
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? 'not found');
  });
  const hostPort = await listen(host);

  project.provide('apiOrigin', apiOrigin);
  project.provide('hostOrigin', `http://localhost:${hostPort}`);
  project.provide('fullData', Boolean(process.env.DATA_DIR));
  return async () => {
    await new Promise<void>((r) => host.close(() => r()));
    await new Promise<void>((r) => api.server.close(() => r()));
    await closeDb();
  };
}
