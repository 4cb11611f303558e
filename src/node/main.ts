import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { createApp } from '../app.ts';
import { apiDbTimeouts, isDatabaseUnavailable } from '../db/availability.ts';
import { getCurrentDataset, getCurrentDatasetVersion } from '../db/queries.ts';
import { MemoryRateLimiter, RATE_POLICIES } from '../http/rate-limit.ts';
import { nodeAssets } from './assets.ts';
import { nodeBuildId } from './build-id.ts';
import { parseNodeEnv } from './config.ts';
import { openPostgres } from './databases.ts';
import {
  DatasetVersionCell,
  listenForSwapsOnPglite,
  listenForSwapsOnPostgres,
  type SwapListener,
} from './dataset-version.ts';
import { nodeClientKey, nodeFront } from './fast-path.ts';
import { datasetLabel, openEmbeddedDatabase } from './local-db.ts';
import { MemoryResponseCache } from './response-cache.ts';
import { postcodeAnswers } from './stored-answers.ts';

/** `npm start`: the API on Node, on the embedded database by default or on DATABASE_URL. */
async function main() {
  const env = parseNodeEnv(process.env);
  // V8 lets the heap grow up to 4× what survived the last full collection before the next one;
  // a streamed export's garbage would then take hundreds of MB. Collect at +HEAP_GROWTH_PERCENT.
  if (env.HEAP_GROWTH_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${env.HEAP_GROWTH_PERCENT}`);
  const say = (msg: string) => console.error(`[observatory] ${msg}`);
  const dataDir = env.DATA_DIR ? resolve(env.DATA_DIR) : undefined;

  let db: Awaited<ReturnType<typeof openPostgres>>['db'];
  let label: string;
  let version: string;
  let close: () => Promise<void>;
  let listen: (cell: DatasetVersionCell) => Promise<SwapListener>;
  if (env.DATABASE_URL) {
    const pgdb = await openPostgres(env.DATABASE_URL, {
      migrate: false,
      timeouts: apiDbTimeouts(env.DB_TIMEOUT_MS),
    });
    db = pgdb.db;
    // A database that is down at start is no reason not to listen: routes answer 503 until it is back.
    const ds = await getCurrentDataset(db).catch((err: unknown) => {
      if (!isDatabaseUnavailable(err)) throw err;
      say('warning: DATABASE_URL does not answer; serving 503 until it does.');
      return null;
    });
    if (ds === undefined)
      say('warning: DATABASE_URL has no dataset loaded yet — run `npm run db:migrate && npm run pipeline`.');
    label = ds ? `${ds.isSample ? 'SAMPLE' : 'full'} data in DATABASE_URL` : 'no data yet from DATABASE_URL';
    version = ds?.version ?? 'none';
    close = () => pgdb.pool.end();
    const url = env.DATABASE_URL;
    listen = async (cell) =>
      listenForSwapsOnPostgres({ url, cell, readVersion: () => getCurrentDatasetVersion(pgdb.db), log: say });
  } else {
    const started = performance.now();
    const embedded = await openEmbeddedDatabase({
      dataDir,
      innovateUkDir: env.INNOVATE_UK_DIR ? resolve(env.INNOVATE_UK_DIR) : undefined,
      ...(env.PGLITE_DIR ? { dir: resolve(env.PGLITE_DIR) } : {}),
      log: say,
    });
    db = embedded.db;
    label = datasetLabel(embedded.dataset.isSample, dataDir ?? 'test/fixtures/sample');
    version = embedded.dataset.version;
    close = embedded.close;
    listen = (cell) => listenForSwapsOnPglite(embedded.pglite, cell);
    say(
      `${embedded.reused ? 'reused' : 'built'} the embedded database in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }

  // The version in memory, moved on by the pipeline's NOTIFY; the cache is dropped when it moves.
  const datasetVersion = new DatasetVersionCell(version === 'none' ? null : version);
  const responseCache =
    env.RESPONSE_CACHE_MB > 0
      ? new MemoryResponseCache({ maxBytes: Math.round(env.RESPONSE_CACHE_MB * 1024 * 1024) })
      : undefined;
  datasetVersion.onChange((v) => {
    responseCache?.clear();
    say(`dataset is now ${v ?? 'none'}; cached answers dropped`);
  });
  const swaps = await listen(datasetVersion);

  const log =
    env.LOG_FORMAT === 'json'
      ? (line: Record<string, unknown>) =>
          console.log(JSON.stringify({ time: new Date().toISOString(), ...line }))
      : () => {};
  const now = () => performance.now();
  const buildId = nodeBuildId();
  const rateLimiter = new MemoryRateLimiter({
    now: () => Date.now(),
    policies: {
      default: { ...RATE_POLICIES.default, quota: env.RATE_LIMIT_PER_MIN },
      exports: { ...RATE_POLICIES.exports, quota: env.RATE_LIMIT_EXPORTS_PER_MIN },
    },
  });
  const clientKey = nodeClientKey(env.RATE_LIMIT_CLIENT_HEADER);
  const app = createApp({
    db,
    runtime: 'node',
    log,
    now,
    assets: nodeAssets(),
    datasetVersion,
    buildId,
    ...(responseCache ? { responseCache } : {}),
    rateLimiter,
    clientKey: clientKey.forApp,
  });
  // Repeated reads answered from the cache before the app; the rest compressed on the way out.
  const front = nodeFront({
    app,
    ...(responseCache ? { cache: responseCache } : {}),
    datasetVersion,
    buildId,
    rateLimiter,
    clientOf: clientKey.of,
    log,
    now,
    // A different postcode each request is never a cache hit: read its stored JSON without the app.
    stored: postcodeAnswers(db),
  });
  const server = createServer(front);
  server.listen(env.PORT, env.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    say(`serving ${label} (dataset ${version})`);
    say(`listening on http://${env.HOST}:${port}  — try /v1/areas?type=lep and /docs`);
  });
  const stop = () => {
    server.close();
    void swaps
      .close()
      .then(close)
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`[observatory] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
