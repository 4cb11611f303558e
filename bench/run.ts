import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PROJECT_ROOT } from '../src/node/databases.ts';
import { isSampleDir, SAMPLE_DATA_DIR } from '../src/pipeline/load.ts';
import { type Baseline, startBaseline } from './baseline.ts';
import { benchWorkerBundle } from './bundle.ts';
import { openBenchDatabase, redact, sampleInvestments, samplePostcodes } from './database.ts';
import { type BenchContext, ENDPOINTS, pathsOf } from './endpoints.ts';
import { get, keepAliveAgent, type LoadResult, runLoad, summarise } from './http-load.ts';
import { type EndpointPlan, planEndpoint, readCatalog } from './plans.ts';
import { freePort, memoryOf, spawnServer } from './processes.ts';
import { allPostcodeKeys, formatTargets, measureTargets, type TargetsReport, wrkOnPath } from './wrk.ts';

/**
 * `npm run bench`: the real app in a child process (`node src/node/main.ts`, on a Postgres server or on
 * the bench's own PGlite folder via PGLITE_DIR) and a static-file baseline on loopback,
 * each endpoint measured in rounds interleaved with the baseline so the shared machine's noise
 * lands on both; plus EXPLAIN ANALYZE of the SQL each endpoint issues and the server's memory.
 */

const USAGE = `npm run bench -- [options]
  --requests N      requests per endpoint (default 1000)
  --duration S      at most S seconds of load per endpoint (default 8)
  --concurrency C   requests in flight (default 4)
  --rounds R        endpoint/baseline alternations per endpoint (default 4); each baseline round
                    lasts as long as the endpoint's round before it (at least 250 ms)
  --warmup N        unmeasured requests per endpoint before the rounds (default 100)
  --only a,b        only these endpoints (names from bench/endpoints.ts)
  --node-baseline   use the node:http static baseline even when nginx is installed
  --wrk-seconds S   seconds per wrk run in the static-file comparison (default 5; 4 runs per request)
  --soak-seconds S  the concurrency-64 soak (default 30)
  --skip-wrk        leave out the wrk comparison, the soak and the CSV-export memory check
  --fresh           rebuild the bench database from scratch (drop BENCH_DATABASE_URL's database and
                    create it again, or delete .data/bench-pglite) before loading
env: DATA_DIR (default: the sample), BENCH_DATABASE_URL (a Postgres server; default: embedded PGlite),
     INNOVATE_UK_DIR (as for npm start)`;

const BenchEnv = z.object({
  BENCH_DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).optional(),
  INNOVATE_UK_DIR: z.string().min(1).optional(),
});

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '1000' },
      duration: { type: 'string', default: '8' },
      concurrency: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '4' },
      warmup: { type: 'string', default: '100' },
      only: { type: 'string' },
      'node-baseline': { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      'wrk-seconds': { type: 'string', default: '5' },
      'soak-seconds': { type: 'string', default: '30' },
      'skip-wrk': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = z.coerce.number().positive();
  const int = z.coerce.number().int().positive();
  const parsed = z
    .object({
      requests: int,
      duration: positive,
      concurrency: int.max(256),
      rounds: int.max(100),
      warmup: z.coerce.number().int().min(0),
      'wrk-seconds': int.max(600),
      'soak-seconds': int.max(3600),
    })
    .safeParse(values);
  if (!parsed.success) {
    throw new Error(
      `bad option: ${parsed.error.issues.map((i) => `--${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  return {
    ...parsed.data,
    only: values.only ? values.only.split(',').map((s) => s.trim()) : undefined,
    preferNginx: !values['node-baseline'],
    fresh: values.fresh,
    wrk: !values['skip-wrk'],
    wrkSeconds: parsed.data['wrk-seconds'],
    soakSeconds: parsed.data['soak-seconds'],
  };
}

/** Repeated reads the wrk comparison measures (names in bench/endpoints.ts). */
const WRK_REPEATED = ['profile', 'compare', 'ranking'];

const say = (msg: string) => console.error(`[bench] ${msg}`);
const f = (n: number | undefined, digits = 1) =>
  n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);

type Summary = ReturnType<typeof summarise>;

interface EndpointResult {
  name: string;
  path: string;
  paths: number;
  bytes: number;
  app: Summary;
  baseline: Summary;
  /** How many times slower than the static file: app / baseline for latency, baseline / app for req/s. */
  ratio: { p50: number; p95: number; p99: number; throughput: number };
}

/**
 * The real Innovate UK release is not on these machines: unless DATA_DIR/innovate_uk has one, bench
 * on a full-size generated release (100,000 participant rows), written once under .data/.
 */
function ensureInnovateUk(dataDir: string, isSample: boolean): string | undefined {
  if (existsSync(join(dataDir, 'innovate_uk'))) return undefined;
  const dir = join(PROJECT_ROOT, '.data', 'bench-innovate_uk');
  if (!existsSync(join(dir, 'SYNTHETIC.md'))) {
    say(`generating a synthetic Innovate UK release in ${relative(PROJECT_ROOT, dir)} (npm run data:synth)…`);
    const r = spawnSync(
      process.execPath,
      [
        'src/pipeline/synth/cli.ts',
        '--data-dir',
        dataDir,
        '--out',
        dir,
        '--rows',
        isSample ? '2000' : '100000',
      ],
      { cwd: PROJECT_ROOT, stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('data:synth failed');
  }
  return dir;
}

async function main() {
  const opts = options();
  const envParsed = BenchEnv.safeParse(process.env);
  if (!envParsed.success)
    throw new Error(`bad environment: ${envParsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const env = envParsed.data;
  const dataDir = env.DATA_DIR ? resolve(env.DATA_DIR) : SAMPLE_DATA_DIR;
  const isSample = isSampleDir(dataDir);
  const startedAt = new Date();
  const loadStart = loadavg();
  if (isSample) {
    const bar = '!'.repeat(78);
    say(bar);
    say(`SAMPLE DATA: ${relative(PROJECT_ROOT, dataDir)} is a small cut of the real sources.`);
    say('These numbers say little about production. For real ones: DATA_DIR=../shared/data npm run bench');
    say(bar);
  }
  const endpoints = ENDPOINTS.filter((e) => !opts.only || opts.only.includes(e.name));
  if (endpoints.length === 0)
    throw new Error(`--only matched no endpoint; names: ${ENDPOINTS.map((e) => e.name).join(', ')}`);

  // 1. The database, loaded by the real pipeline (or reused while its content hash matches).
  say(
    `database: ${env.BENCH_DATABASE_URL ? redact(env.BENCH_DATABASE_URL) : 'embedded PGlite (.data/bench-pglite)'}; data: ${dataDir}`,
  );
  const db = await openBenchDatabase({
    url: env.BENCH_DATABASE_URL,
    dataDir,
    innovateUkDir: env.INNOVATE_UK_DIR ? resolve(env.INNOVATE_UK_DIR) : ensureInnovateUk(dataDir, isSample),
    fresh: opts.fresh,
    say,
  });
  say(`dataset ${db.dataset.version} ${db.setup.reused ? 'reused' : 'loaded'} in ${db.setup.seconds} s`);
  const ctx: BenchContext = {
    postcodes: await samplePostcodes(db.run, 200),
    ...(await sampleInvestments(db.run, 200)),
  };
  if (ctx.postcodes.length === 0) throw new Error('the postcodes table is empty');

  // 2. Query plans of what each endpoint really runs, before any load (and, for PGlite, before the
  //    server opens the same data directory).
  say('capturing and explaining the SQL of one request per endpoint…');
  const catalog = await readCatalog(db.run);
  const plans = new Map<string, EndpointPlan>();
  const failures: string[] = [];
  try {
    for (const e of endpoints) {
      const plan = await planEndpoint(db, pathsOf(e, ctx)[0] as string, e.read, catalog);
      plans.set(e.name, plan);
      if (plan.status !== 200)
        failures.push(`${e.name}: in-process request ${plan.path} answered ${plan.status}`);
    }
  } finally {
    await db.close();
  }

  // 3. The servers: the app as `npm start` runs it, and the static baseline.
  const work = mkdtempSync(join(tmpdir(), 'obs-bench-'));
  const children: { stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const c of children.reverse()) await c.stop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    say('interrupted; stopping the servers');
    void stopAll().finally(() => process.exit(130));
  });

  const results: EndpointResult[] = [];
  let baseline: Baseline | undefined;
  const memory: Record<string, ReturnType<typeof memoryOf>> = {};
  let targets: TargetsReport | undefined;
  let appChild: ChildProcess | undefined;
  try {
    const appPort = await freePort();
    const serverEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const k of [
      'DATABASE_URL',
      'DATA_DIR',
      'INNOVATE_UK_DIR',
      'PGLITE_DIR',
      'PORT',
      'HOST',
      'LOG_FORMAT',
    ])
      delete serverEnv[k];
    appChild = spawn(process.execPath, [db.server.script], {
      cwd: PROJECT_ROOT,
      env: {
        ...serverEnv,
        ...db.server.env,
        PORT: String(appPort),
        HOST: '127.0.0.1',
        LOG_FORMAT: 'silent',
        // The load generator is one client: lift its quotas so the bench measures serving, not 429s.
        RATE_LIMIT_PER_MIN: '100000000',
        RATE_LIMIT_EXPORTS_PER_MIN: '100000000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const serverCommand = `node ${relative(PROJECT_ROOT, db.server.script)}`;
    const app = await spawnServer(appChild, appPort, '/ready', `the app (${serverCommand})`, 180_000);
    children.push(app);
    memory.atReady = memoryOf(appChild.pid);
    say(`app on 127.0.0.1:${appPort} (pid ${appChild.pid}, ${f(memory.atReady?.rssMiB)} MiB RSS)`);

    const appAgent = keepAliveAgent(opts.concurrency);
    const files = new Map<string, Buffer>();
    // An endpoint that fails its first request is reported and not loaded: no point timing errors.
    const broken = new Set<string>();
    for (const e of endpoints) {
      const path = pathsOf(e, ctx)[0] as string;
      const res = await get(appAgent, appPort, path);
      if (res.status !== 200) {
        failures.push(`${e.name}: ${path} answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
        broken.add(e.name);
      }
      files.set(e.name, res.body);
    }
    baseline = await startBaseline({
      root: work,
      port: await freePort(),
      files,
      preferNginx: opts.preferNginx,
      say,
    });
    children.push(baseline);
    say(`baseline: ${baseline.description}`);
    const baseAgent = keepAliveAgent(opts.concurrency);

    // 4. Load: warm both, then alternate baseline and endpoint rounds (who goes first alternates too).
    memory.beforeLoad = memoryOf(appChild.pid);
    const perRound = {
      requests: Math.ceil(opts.requests / opts.rounds),
      maxMs: (opts.duration * 1000) / opts.rounds,
      concurrency: opts.concurrency,
    };
    for (const e of endpoints) {
      if (broken.has(e.name)) {
        say(`${e.name.padEnd(18)} skipped: it does not answer 200`);
        continue;
      }
      const paths = pathsOf(e, ctx);
      const base = { port: baseline.port, paths: [baseline.pathOf(e.name)], agent: baseAgent };
      const target = { port: appPort, paths, agent: appAgent };
      if (opts.warmup > 0) {
        const warm = { requests: opts.warmup, maxMs: 5000, concurrency: opts.concurrency };
        await runLoad({ ...base, ...warm });
        await runLoad({ ...target, ...warm });
      }
      const appRuns: LoadResult[] = [];
      const baseRuns: LoadResult[] = [];
      // The baseline gets as much wall time as the endpoint's last round (at least 250 ms, so a fast
      // endpoint still yields a steady baseline), whichever of the two goes first.
      const baseRound = () => {
        const last = appRuns.at(-1)?.elapsedMs ?? perRound.maxMs;
        return {
          requests: 1_000_000,
          maxMs: Math.min(perRound.maxMs, Math.max(250, last)),
          concurrency: opts.concurrency,
        };
      };
      for (let r = 0; r < opts.rounds; r++) {
        if (r % 2 === 0) {
          baseRuns.push(await runLoad({ ...base, ...baseRound() }));
          appRuns.push(await runLoad({ ...target, ...perRound }));
        } else {
          appRuns.push(await runLoad({ ...target, ...perRound }));
          baseRuns.push(await runLoad({ ...base, ...baseRound() }));
        }
      }
      const a = summarise(appRuns);
      const b = summarise(baseRuns);
      for (const [who, s] of [
        ['app', a],
        ['baseline', b],
      ] as const) {
        if (Object.keys(s.failures).length)
          failures.push(`${e.name} (${who}): ${JSON.stringify(s.failures)}; e.g. ${s.firstFailure}`);
      }
      const result: EndpointResult = {
        name: e.name,
        path: paths[0] as string,
        paths: paths.length,
        bytes: files.get(e.name)?.length ?? 0,
        app: a,
        baseline: b,
        ratio: {
          p50: a.p50 / b.p50,
          p95: a.p95 / b.p95,
          p99: a.p99 / b.p99,
          throughput: b.reqPerSec / a.reqPerSec,
        },
      };
      results.push(result);
      say(
        `${e.name.padEnd(18)} ${f(a.reqPerSec, 0).padStart(6)} req/s  p50 ${f(a.p50, 2)} ms  ` +
          `(baseline ${f(b.reqPerSec, 0)} req/s, p50 ${f(b.p50, 2)} ms)  ${f(result.ratio.p50)}× p50`,
      );
    }
    memory.afterLoad = memoryOf(appChild.pid);

    // 5. The issue-10 targets with wrk, against nginx serving the same bytes (bench/wrk.ts).
    if (opts.wrk && !wrkOnPath()) failures.push('wrk is not on PATH: the static-file comparison did not run');
    else if (opts.wrk && baseline) {
      const usable = (name: string) => files.has(name) && !broken.has(name);
      const repeated = WRK_REPEATED.filter(usable).map((name) => ({
        name,
        path: pathsOf(ENDPOINTS.find((e) => e.name === name) as (typeof ENDPOINTS)[number], ctx)[0] as string,
      }));
      const basePort = baseline.port;
      const pathOf = baseline.pathOf;
      targets = await measureTargets({
        appPort,
        appPid: appChild.pid,
        baselinePort: basePort,
        baselinePathOf: pathOf,
        repeated,
        ...(usable('postcode')
          ? { postcodes: { keys: allPostcodeKeys(dataDir), baselineName: 'postcode' } }
          : {}),
        csvPath: '/v1/investments?format=csv',
        workDir: work,
        seconds: opts.wrkSeconds,
        soakSeconds: opts.soakSeconds,
        say,
      });
      if (!baseline.kind.startsWith('nginx'))
        say('note: the baseline is not nginx (install nginx for the real comparison)');
      for (const c of targets.comparisons)
        if (c.app.errors) failures.push(`wrk ${c.name}: ${c.app.errors} errors`);
      if (targets.soak.result.errors) failures.push(`soak: ${targets.soak.result.errors} errors`);
      if (targets.csv.status !== 200)
        failures.push(`CSV export ${targets.csv.path} answered ${targets.csv.status}`);
    }
    appAgent.destroy();
    baseAgent.destroy();
  } finally {
    await stopAll();
  }

  const finishedAt = new Date();
  const report = {
    startedAt: startedAt.toISOString(),
    seconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 100) / 10,
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      loadavgBefore: loadStart,
      loadavgAfter: loadavg(),
    },
    settings: {
      requests: opts.requests,
      duration: opts.duration,
      concurrency: opts.concurrency,
      rounds: opts.rounds,
      warmup: opts.warmup,
      only: opts.only ?? null,
      nodeBaseline: !opts.preferNginx,
      fresh: opts.fresh,
    },
    data: {
      dataDir,
      isSample,
      database: db.kind,
      url: env.BENCH_DATABASE_URL ? redact(env.BENCH_DATABASE_URL) : null,
      dataset: db.dataset.version,
      setup: db.setup,
    },
    baseline: baseline ? { kind: baseline.kind, description: baseline.description } : null,
    server: {
      command: `node ${relative(PROJECT_ROOT, db.server.script)}`,
      pid: appChild?.pid ?? null,
      memoryMiB: memory,
    },
    endpoints: results.map((r) => {
      const plan = plans.get(r.name);
      return {
        ...r,
        sql: plan
          ? {
              statements: plan.statements.length,
              sqlMs: plan.sqlMs,
              read: plan.readVerdict ?? null,
              bigSeqScans: plan.statements.flatMap((s) => s.bigSeqScans),
            }
          : null,
      };
    }),
    targets: targets ?? null,
    plans: Object.fromEntries(plans),
    failures,
  };
  const outDir = join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

  printReport(report, results, plans);
  if (targets) console.log(['', ...formatTargets(targets)].join('\n'));
  benchWorkerBundle(); // the Worker's size per package, and its budget (bench/bundle.ts)
  say(`wrote ${relative(process.cwd(), join(outDir, 'latest.json'))} (${report.seconds} s in all)`);
  if (failures.length) {
    console.error('\n[bench] FAILED: not every request answered 200:');
    for (const line of failures) console.error(`  - ${line}`);
    process.exitCode = 1;
  }
}

function table(header: string[], rows: string[][], rightAlignFrom = 1) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function printReport(
  report: {
    machine: { node: string; cpus: number; loadavgBefore: number[]; loadavgAfter: number[] };
    data: { dataDir: string; isSample: boolean; database: string; dataset: string };
    baseline: { description: string } | null;
    settings: { requests: number; duration: number; concurrency: number; rounds: number; warmup: number };
    server: { command: string; memoryMiB: Record<string, ReturnType<typeof memoryOf>> };
  },
  results: EndpointResult[],
  plans: Map<string, EndpointPlan>,
) {
  const out: string[] = [];
  const s = report.settings;
  out.push('');
  out.push(
    `${report.data.isSample ? 'SAMPLE DATA (not the full dataset) — ' : ''}dataset ${report.data.dataset} on ${report.data.database}; ` +
      `node ${report.machine.node}, ${report.machine.cpus} CPUs, load ${report.machine.loadavgBefore.map((x) => x.toFixed(2)).join(' ')}`,
  );
  out.push(`baseline: ${report.baseline?.description ?? 'none'}`);
  out.push(
    `load: ${s.requests} requests or ${s.duration} s per endpoint, concurrency ${s.concurrency}, ` +
      `${s.rounds} rounds alternating with the baseline, ${s.warmup} warm-up requests; loopback only`,
  );
  out.push('');
  out.push(
    table(
      [
        'endpoint',
        'KiB',
        'SQL',
        'SQL ms',
        'req/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'base req/s',
        'base p50',
        '×p50',
        '×p99',
        '×req/s',
      ],
      results.map((r) => {
        const plan = plans.get(r.name);
        return [
          r.paths > 1 ? `${r.name} (${r.paths} paths)` : r.name,
          f(r.bytes / 1024, 1),
          String(plan?.statements.length ?? '–'),
          f(plan?.sqlMs, 2),
          f(r.app.reqPerSec, 0),
          f(r.app.p50, 2),
          f(r.app.p95, 2),
          f(r.app.p99, 2),
          f(r.baseline.reqPerSec, 0),
          f(r.baseline.p50, 2),
          f(r.ratio.p50, 1),
          f(r.ratio.p99, 1),
          f(r.ratio.throughput, 1),
        ];
      }),
    ),
  );
  out.push(
    'KiB: response body. SQL: statements per request; SQL ms: their planning + execution (EXPLAIN ANALYZE, median of 5).\n' +
      '×p50/×p99: app latency ÷ the baseline serving the same bytes; ×req/s: baseline req/s ÷ app req/s (same run, interleaved).',
  );
  const m = report.server.memoryMiB;
  const mem = (k: string) => (m[k] ? `${f(m[k]?.rssMiB, 0)} MiB` : 'n/a');
  out.push('');
  out.push(
    `server memory (VmRSS of ${report.server.command}): ready ${mem('atReady')}, before load ${mem('beforeLoad')}, ` +
      `after load ${mem('afterLoad')}, peak ${m.afterLoad ? `${f(m.afterLoad.peakMiB, 0)} MiB` : 'n/a'}`,
  );
  out.push('');
  out.push(
    `query plans (EXPLAIN ANALYZE on ${report.data.database}; SQL captured from one real request through createApp):`,
  );
  for (const [name, plan] of plans) {
    const verdict = plan.readVerdict
      ? `  → ${plan.readVerdict.text}${plan.readVerdict.ok ? ' ✓' : ' ✗'}`
      : '';
    out.push(
      `  ${name}  ${plan.path}  — ${plan.statements.length} statement(s), ${f(plan.sqlMs, 2)} ms${verdict}`,
    );
    plan.statements.forEach((st, i) => {
      const how = st.access
        .filter((a) => a.node !== 'Bitmap Heap Scan')
        .map((a) => `${a.table}: ${a.node}${a.index ? ` ${a.index}` : ''}`)
        .join('; ');
      const warn = st.bigSeqScans.length ? `  !! seq scan on ${st.bigSeqScans.join(', ')}` : '';
      out.push(
        `     ${i + 1}. ${how || '(no table)'}  [plan ${f(st.planningMs, 2)} + exec ${f(st.executionMs, 2)} ms, ${st.rows ?? '?'} rows]${warn}`,
      );
    });
  }
  console.log(out.join('\n'));
}

main().catch((err) => {
  console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof Error && err.cause === undefined && err.stack) console.error(err.stack);
  process.exit(1);
});
