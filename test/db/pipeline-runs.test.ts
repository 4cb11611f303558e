import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentDataset, loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import { PipelineBusyError } from '../../src/pipeline/lock.ts';
import { appFor, getJson, loadedTestDatabase, type TestDatabase } from './harness.ts';

// Two pipeline runs against one database, and a run killed mid-load (SIGKILL, in a child process,
// as `npm run pipeline` runs): the previous dataset must keep serving, and the next run must clean
// up what the dead one left. The killed run needs a Postgres server (a separate process can only
// share a database over the network); the lock test runs on PGlite too, where it cannot collide.

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await loadedTestDatabase();
});
afterAll(async () => tdb?.close());

const leftovers = async () =>
  (
    await tdb.run.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname like 'staging\\_%' or nspname like 'retired\\_%'`,
    )
  ).map((r) => r.nspname);

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('two pipeline runs at once (Postgres)', () => {
  it('the second run stops at once with a clear error and changes nothing; the first completes', async () => {
    const before = await currentDataset(tdb.run);
    let second: unknown;
    let stagingSeenBySecond: string[] = [];
    const first = await loadDataset(tdb.run, {
      dataDir: SAMPLE_DATA_DIR,
      // While the first run holds its staged, indexed tables, a second run starts.
      afterStage: async () => {
        second = await loadDataset(tdb.run, { dataDir: SAMPLE_DATA_DIR }).catch((e: unknown) => e);
        stagingSeenBySecond = await leftovers();
      },
    });
    expect(second).toBeInstanceOf(PipelineBusyError);
    expect(String((second as Error).message)).toMatch(
      /another pipeline run is loading into this database \(Postgres backend pid \d+/,
    );
    // The second run did not drop the first one's staging schema as a "leftover".
    expect(stagingSeenBySecond).toHaveLength(1);
    expect((await currentDataset(tdb.run))?.version).toBe(first.version);
    expect(first.version).not.toBe(before?.version);
    expect(await leftovers()).toEqual([]);
    // The lock was released: a third run goes through.
    const third = await loadDataset(tdb.run, { dataDir: SAMPLE_DATA_DIR });
    expect((await currentDataset(tdb.run))?.version).toBe(third.version);
  });

  it('a run killed with SIGKILL mid-load leaves the previous dataset serving; the next run cleans up', async () => {
    const before = await currentDataset(tdb.run);
    const app = appFor(tdb.db);
    const metaBefore = await getJson(app, '/v1/meta');
    expect(metaBefore.status).toBe(200);
    const areasBefore = await getJson(app, '/v1/areas?type=lep&limit=500');
    expect(areasBefore.status).toBe(200);

    // `npm run pipeline` on the sample into this database, in its own process.
    const { DATA_DIR: _d, INNOVATE_UK_DIR: _i, PGLITE_DIR: _p, ...env } = process.env;
    const child = spawn(process.execPath, ['src/pipeline/cli.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...env, DATABASE_URL: tdb.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Kill it once it has created its staging schema and is loading into it.
    const deadline = Date.now() + 90_000;
    let staged: string[] = [];
    while (Date.now() < deadline) {
      staged = await leftovers();
      if (staged.length > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(staged, stderr).toHaveLength(1);
    child.kill('SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });

    // The previous dataset still serves, unchanged, through the API.
    expect((await currentDataset(tdb.run))?.version).toBe(before?.version);
    const metaAfter = await getJson(app, '/v1/meta');
    expect(metaAfter.status).toBe(200);
    expect(metaAfter.body.dataset.version).toBe(metaBefore.body.dataset.version);
    const areasAfter = await getJson(app, '/v1/areas?type=lep&limit=500');
    expect(areasAfter.body).toEqual(areasBefore.body);
    expect((await getJson(app, '/ready')).status).toBe(200);

    // The dead run's staging schema is still there; its session (and lock) died with it.
    const left = await leftovers();
    expect(left).toEqual(staged);

    // The next run takes the lock, drops the leftovers and swaps its dataset in.
    const logs: string[] = [];
    const next = await loadDataset(tdb.run, { dataDir: SAMPLE_DATA_DIR, log: (m) => logs.push(m) });
    expect(logs.some((m) => m.includes(`dropped leftovers of an interrupted load: ${staged[0]}`))).toBe(true);
    expect(await leftovers()).toEqual([]);
    expect((await currentDataset(tdb.run))?.version).toBe(next.version);
    expect((await getJson(app, '/v1/meta')).body.dataset.version).toBe(next.version);
  });
});

describe('pipeline lock on PGlite', () => {
  it.runIf(!process.env.TEST_DATABASE_URL)(
    'a load takes and releases the lock (one session: no collision possible)',
    async () => {
      const first = await loadDataset(tdb.run, { dataDir: SAMPLE_DATA_DIR });
      const locks = await tdb.run.query(`select 1 from pg_locks where locktype = 'advisory'`);
      expect(locks).toEqual([]);
      expect((await currentDataset(tdb.run))?.version).toBe(first.version);
    },
  );
});
