import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { memoryOf } from './processes.ts';

/**
 * The issue-10 targets, measured with wrk (C, two threads: a load generator that is not the
 * bottleneck, unlike a Node one) against the app and nginx serving the same bytes, in one run:
 *
 * - repeated reads (profile, compare, ranking) at concurrency 8: app req/s ≥ 0.5 × nginx's;
 * - a different postcode each request at concurrency 8: ≥ 0.1 × nginx serving one postcode's bytes;
 * - a soak at concurrency 64: zero errors, p99 ≤ 10 × p50, RSS flat;
 * - a 100k-row CSV export streamed while RSS is sampled: growth < 50 MB.
 */

export interface WrkResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx/3xx answers plus socket errors (connect, read, write, timeout). */
  errors: number;
  /** Postcode runs: answers the response cache gave (X-Cache: hit), of all counted. */
  cacheHits?: { hits: number; of: number };
}

export function wrkOnPath(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).status === 0;
}

const toMs = (v: string): number => {
  const m = v.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
};

export function parseWrk(out: string): WrkResult {
  const num = (re: RegExp) => Number(out.match(re)?.[1] ?? Number.NaN);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrors = socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0;
  const non2xx = out.match(/Non-2xx or 3xx responses: (\d+)/);
  const hits = out.match(/^cache hits (\d+) of (\d+)$/m);
  return {
    reqPerSec: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: toMs(out.match(/^\s+50%\s+(\S+)/m)?.[1] ?? ''),
    p99Ms: toMs(out.match(/^\s+99%\s+(\S+)/m)?.[1] ?? ''),
    requests: num(/(\d+) requests in/),
    errors: socketErrors + (non2xx ? Number(non2xx[1]) : 0),
    ...(hits ? { cacheHits: { hits: Number(hits[1]), of: Number(hits[2]) } } : {}),
  };
}

export function runWrk(opts: {
  url: string;
  connections: number;
  seconds: number;
  script?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<WrkResult> {
  const args = ['-t2', `-c${opts.connections}`, `-d${opts.seconds}s`, '--latency', '--timeout', '10s'];
  if (opts.script) args.push('-s', opts.script);
  args.push(opts.url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`wrk exited ${code}: ${out.slice(0, 500)}`));
      else resolve(parseWrk(out));
    });
  });
}

/**
 * Every postcode of the source the app serves, spaces removed (the API takes any spacing), for a
 * request stream where each lookup is a different postcode.
 */
export function allPostcodeKeys(dataDir: string): string[] {
  const text = gunzipSync(
    readFileSync(join(dataDir, 'postcodes', 'codepoint_open_postcode_lad_ward_latlong.csv.gz')),
  ).toString();
  const keys: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const k = line.slice(0, line.indexOf(',')).replaceAll(' ', '').replaceAll('"', '');
    if (k) keys.push(k);
  }
  return keys;
}

/**
 * A wrk script requesting `/v1/postcodes/<key>` for a key drawn at random from PC_KEYS per request,
 * counting the answers the response cache gave (so a run that mostly hits the cache shows it).
 */
export function writePostcodeScript(
  dir: string,
  keys: readonly string[],
): { script: string; env: NodeJS.ProcessEnv } {
  const keysFile = join(dir, 'postcode-keys.txt');
  writeFileSync(keysFile, `${keys.join('\n')}\n`);
  const script = join(dir, 'postcodes.lua');
  writeFileSync(
    script,
    `local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  keys = {}
  for line in io.lines(os.getenv("PC_KEYS")) do keys[#keys + 1] = line end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  hits = 0
  seen = 0
end
function request() return wrk.format("GET", "/v1/postcodes/" .. keys[math.random(#keys)]) end
function response(status, headers, body)
  seen = seen + 1
  if headers["X-Cache"] == "hit" or headers["x-cache"] == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local h, n = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); n = n + t:get("seen") end
  io.write(string.format("cache hits %d of %d\\n", h, n))
end
`,
  );
  return { script, env: { PC_KEYS: keysFile } };
}

/** RSS of `pid` sampled every `everyMs` while `work` runs. */
export async function sampleRss<T>(
  pid: number | undefined,
  everyMs: number,
  work: () => Promise<T>,
): Promise<{ result: T; samplesMiB: number[]; beforeMiB: number; peakMiB: number; afterMiB: number }> {
  const samplesMiB: number[] = [];
  const read = () => memoryOf(pid)?.rssMiB ?? Number.NaN;
  const beforeMiB = read();
  const timer = setInterval(() => samplesMiB.push(read()), everyMs);
  try {
    const result = await work();
    const afterMiB = read();
    return { result, samplesMiB, beforeMiB, peakMiB: Math.max(beforeMiB, afterMiB, ...samplesMiB), afterMiB };
  } finally {
    clearInterval(timer);
  }
}

/** Stream a GET to its end without keeping it: bytes, lines, time to first byte and to the end. */
export function drain(
  port: number,
  path: string,
): Promise<{ status: number; bytes: number; lines: number; firstByteMs: number; totalMs: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      let lines = 0;
      let firstByteMs = Number.NaN;
      res.on('data', (c: Buffer) => {
        if (bytes === 0) firstByteMs = performance.now() - start;
        bytes += c.byteLength;
        for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          bytes,
          lines,
          firstByteMs,
          totalMs: performance.now() - start,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export interface TargetsInput {
  appPort: number;
  appPid: number | undefined;
  baselinePort: number;
  /** The baseline's URL path for an endpoint's bytes (bench/baseline.ts). */
  baselinePathOf: (name: string) => string;
  /** Repeated reads: endpoint name → app path (their bytes are the baseline's files of that name). */
  repeated: readonly { name: string; path: string }[];
  /** Random postcodes against the baseline file `baselineName` (one postcode's bytes). */
  postcodes?: { keys: readonly string[]; baselineName: string };
  csvPath: string;
  workDir: string;
  seconds: number;
  soakSeconds: number;
  say: (msg: string) => void;
}

const TARGET_REPEATED = 0.5;
const TARGET_POSTCODES = 0.1;
const TARGET_TAIL = 10;
const TARGET_CSV_MB = 50;
/** "RSS flat": the last third of the soak's samples average within this of the first third's. */
const FLAT_MIB = 16;

export interface Comparison {
  name: string;
  path: string;
  app: WrkResult;
  nginx: WrkResult;
  ratio: number;
  target: number;
  ok: boolean;
}

export interface TargetsReport {
  comparisons: Comparison[];
  soak: {
    path: string;
    connections: number;
    seconds: number;
    result: WrkResult;
    tail: number;
    /** nginx serving the same bytes under the same load just before: the machine's own tail. */
    nginx: WrkResult;
    nginxTail: number;
    rss: { firstThirdMiB: number; lastThirdMiB: number; peakMiB: number; samplesMiB: number[] };
    ok: boolean;
  };
  csv: {
    path: string;
    status: number;
    rows: number;
    bytes: number;
    firstByteMs: number;
    totalMs: number;
    rssBeforeMiB: number;
    rssPeakMiB: number;
    growthMB: number;
    ok: boolean;
  };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** Two rounds, alternating who goes first; req/s and latencies averaged over the rounds. */
async function compare(
  app: Parameters<typeof runWrk>[0],
  nginx: Parameters<typeof runWrk>[0],
): Promise<{ app: WrkResult; nginx: WrkResult }> {
  const a: WrkResult[] = [];
  const n: WrkResult[] = [];
  n.push(await runWrk(nginx));
  a.push(await runWrk(app));
  a.push(await runWrk(app));
  n.push(await runWrk(nginx));
  const avg = (rs: WrkResult[]): WrkResult => ({
    reqPerSec: mean(rs.map((r) => r.reqPerSec)),
    p50Ms: mean(rs.map((r) => r.p50Ms)),
    p99Ms: mean(rs.map((r) => r.p99Ms)),
    requests: rs.reduce((s, r) => s + r.requests, 0),
    errors: rs.reduce((s, r) => s + r.errors, 0),
    ...(rs[0]?.cacheHits
      ? {
          cacheHits: {
            hits: rs.reduce((s, r) => s + (r.cacheHits?.hits ?? 0), 0),
            of: rs.reduce((s, r) => s + (r.cacheHits?.of ?? 0), 0),
          },
        }
      : {}),
  });
  return { app: avg(a), nginx: avg(n) };
}

export async function measureTargets(input: TargetsInput): Promise<TargetsReport> {
  const app = (path: string) => `http://127.0.0.1:${input.appPort}${path}`;
  const base = (name: string) => `http://127.0.0.1:${input.baselinePort}${input.baselinePathOf(name)}`;
  const at8 = { connections: 8, seconds: input.seconds };
  const comparisons: Comparison[] = [];
  for (const e of input.repeated) {
    const r = await compare({ url: app(e.path), ...at8 }, { url: base(e.name), ...at8 });
    const ratio = r.app.reqPerSec / r.nginx.reqPerSec;
    comparisons.push({
      name: e.name,
      path: e.path,
      ...r,
      ratio,
      target: TARGET_REPEATED,
      ok: ratio >= TARGET_REPEATED && r.app.errors === 0,
    });
    input.say(
      `wrk ${e.name}: ${r.app.reqPerSec.toFixed(0)} req/s vs nginx ${r.nginx.reqPerSec.toFixed(0)} (${ratio.toFixed(2)}×)`,
    );
  }
  if (input.postcodes) {
    const { script, env } = writePostcodeScript(input.workDir, input.postcodes.keys);
    const r = await compare(
      { url: app('/'), script, env, ...at8 },
      { url: base(input.postcodes.baselineName), ...at8 },
    );
    const ratio = r.app.reqPerSec / r.nginx.reqPerSec;
    comparisons.push({
      name: `postcode-random (${input.postcodes.keys.length} keys)`,
      path: '/v1/postcodes/{random}',
      ...r,
      ratio,
      target: TARGET_POSTCODES,
      ok: ratio >= TARGET_POSTCODES && r.app.errors === 0,
    });
    input.say(
      `wrk postcodes: ${r.app.reqPerSec.toFixed(0)} req/s vs nginx ${r.nginx.reqPerSec.toFixed(0)} (${ratio.toFixed(2)}×)`,
    );
  }

  const soakPath = input.repeated[0]?.path ?? '/v1/leps';
  const soakName = input.repeated[0]?.name;
  input.say(`soak: ${soakPath} at concurrency 64 for ${input.soakSeconds} s, nginx first…`);
  const nginxSoak = soakName
    ? await runWrk({ url: base(soakName), connections: 64, seconds: input.soakSeconds })
    : undefined;
  const soak = await sampleRss(input.appPid, 1000, () =>
    runWrk({ url: app(soakPath), connections: 64, seconds: input.soakSeconds }),
  );
  const third = Math.max(1, Math.floor(soak.samplesMiB.length / 3));
  const firstThirdMiB = mean(soak.samplesMiB.slice(0, third));
  const lastThirdMiB = mean(soak.samplesMiB.slice(-third));
  const tail = soak.result.p99Ms / soak.result.p50Ms;

  input.say(`CSV export ${input.csvPath} with RSS sampled every 50 ms…`);
  const csv = await sampleRss(input.appPid, 50, () => drain(input.appPort, input.csvPath));
  const growthMB = ((csv.peakMiB - csv.beforeMiB) * 1024 * 1024) / 1e6;
  return {
    comparisons,
    soak: {
      path: soakPath,
      connections: 64,
      seconds: input.soakSeconds,
      result: soak.result,
      tail,
      nginx: nginxSoak ?? soak.result,
      nginxTail: nginxSoak ? nginxSoak.p99Ms / nginxSoak.p50Ms : Number.NaN,
      rss: { firstThirdMiB, lastThirdMiB, peakMiB: soak.peakMiB, samplesMiB: soak.samplesMiB },
      ok: soak.result.errors === 0 && tail <= TARGET_TAIL && lastThirdMiB - firstThirdMiB < FLAT_MIB,
    },
    csv: {
      path: input.csvPath,
      status: csv.result.status,
      rows: Math.max(0, csv.result.lines - 1),
      bytes: csv.result.bytes,
      firstByteMs: csv.result.firstByteMs,
      totalMs: csv.result.totalMs,
      rssBeforeMiB: csv.beforeMiB,
      rssPeakMiB: csv.peakMiB,
      growthMB,
      ok: csv.result.status === 200 && growthMB < TARGET_CSV_MB,
    },
  };
}

/** The targets as lines of the printed report. */
export function formatTargets(t: TargetsReport): string[] {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const out: string[] = [];
  out.push('wrk (2 threads, concurrency 8) against the app and nginx serving the same bytes, same run:');
  const rows = t.comparisons.map((c) => [
    c.name,
    f(c.app.reqPerSec),
    f(c.app.p50Ms, 2),
    f(c.app.p99Ms, 2),
    f(c.nginx.reqPerSec),
    f(c.ratio, 2),
    `≥ ${c.target}`,
    `${mark(c.ok)}${c.app.cacheHits ? `  (${f((100 * c.app.cacheHits.hits) / Math.max(1, c.app.cacheHits.of), 1)}% cache hits)` : ''}${c.app.errors ? `  ${c.app.errors} errors` : ''}`,
  ]);
  const header = ['request', 'app req/s', 'p50 ms', 'p99 ms', 'nginx req/s', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 7 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  out.push(`  ${line(header)}`);
  for (const r of rows) out.push(`  ${line(r)}`);
  const s = t.soak;
  out.push(
    `soak: ${s.path} at concurrency ${s.connections} for ${s.seconds} s: ${f(s.result.reqPerSec)} req/s, ` +
      `p50 ${f(s.result.p50Ms, 2)} ms, p99 ${f(s.result.p99Ms, 2)} ms (p99/p50 ${f(s.tail, 1)}, target ≤ ${TARGET_TAIL}), ` +
      `${s.result.errors} errors of ${s.result.requests}; RSS ${f(s.rss.firstThirdMiB)} → ${f(s.rss.lastThirdMiB)} MiB ` +
      `(first vs last third, flat within ${FLAT_MIB} MiB), peak ${f(s.rss.peakMiB)} MiB  ${mark(s.ok)}`,
  );
  out.push(
    `  nginx, same bytes, same load, just before: ${f(s.nginx.reqPerSec)} req/s, p50 ${f(s.nginx.p50Ms, 2)} ms, ` +
      `p99 ${f(s.nginx.p99Ms, 2)} ms (p99/p50 ${f(s.nginxTail, 1)}: the machine's own tail)`,
  );
  const c = t.csv;
  out.push(
    `CSV export: ${c.path}: ${c.status}, ${c.rows} rows, ${f(c.bytes / 1e6, 1)} MB, first byte ${f(c.firstByteMs)} ms, ` +
      `all ${f(c.totalMs)} ms; RSS ${f(c.rssBeforeMiB)} → peak ${f(c.rssPeakMiB)} MiB: +${f(c.growthMB, 1)} MB ` +
      `(target < ${TARGET_CSV_MB} MB)  ${mark(c.ok)}`,
  );
  return out;
}
