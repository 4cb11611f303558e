import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { decode } from '@jridgewell/sourcemap-codec';

/**
 * The Worker's bundle, measured as Cloudflare receives it: `wrangler deploy --dry-run --outdir` (the
 * same esbuild build, minified per wrangler.toml) with a metafile and a source map, then
 *  - per package: minified bytes (esbuild's metafile `bytesInOutput`) and gzipped bytes (gzip of that
 *    package's own stretches of the output, found through the source map; gzip of a part on its own,
 *    so the parts add up to more than the whole);
 *  - in all: gzip of every uploaded module together, as wrangler's "Total Upload … gzip" line.
 * `npm run bench` prints it (and fails over budget); `npm run bench:bundle` prints only this;
 * test/unit/worker-bundle.test.ts holds the budget.
 */

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Cloudflare's free plan allows 3 MiB gzipped; ours is tighter: cold starts parse every byte. */
export const BUNDLE_BUDGET_GZIP_BYTES = 350 * 1024;

export interface PackageSize {
  /** npm package name, or `src/<dir>` for the project's own code. */
  name: string;
  minifiedBytes: number;
  gzipBytes: number;
}

export interface BundleReport {
  /** Every module uploaded (one unless something is split out). */
  modules: { file: string; bytes: number }[];
  totalBytes: number;
  totalGzipBytes: number;
  budgetGzipBytes: number;
  packages: PackageSize[];
  /** Every source file esbuild put in, relative to the project (for checks of what is left out). */
  inputs: string[];
}

/** `node_modules/@scope/name/…` → `@scope/name`; the project's files → `src/<first dir>`. */
export function packageOf(path: string): string {
  const parts = path.split(/[\\/]/);
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0) {
    const first = parts[nm + 1] ?? '?';
    return first.startsWith('@') ? `${first}/${parts[nm + 2] ?? '?'}` : first;
  }
  const src = parts.lastIndexOf('src');
  if (src >= 0) {
    const next = parts[src + 1] ?? '?';
    return parts.length > src + 2 ? `src/${next}` : `src/${next.replace(/\.[jt]s$/, '')}`;
  }
  return path.startsWith('<') ? path : `(other) ${path}`;
}

/**
 * A package's own source maps (drizzle-orm's, say) lead the bundle's map to files that may not exist
 * under that package (`node_modules/src/…`): map each such original file back to the package of the
 * input that named it.
 */
function originalSources(inputs: string[]): Map<string, string> {
  const origin = new Map<string, string>();
  for (const input of inputs) {
    if (!input.includes('node_modules')) continue;
    const file = resolve(PROJECT_ROOT, input);
    let map: { sources?: string[]; sourceRoot?: string };
    try {
      map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    } catch {
      continue;
    }
    for (const s of map.sources ?? []) {
      origin.set(resolve(dirname(file), map.sourceRoot ?? '', s), packageOf(input));
    }
  }
  return origin;
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** Builds the Worker like `wrangler deploy` would and measures it (about 5 s). */
export function measureWorkerBundle(): BundleReport {
  const out = mkdtempSync(join(tmpdir(), 'obs-bundle-'));
  try {
    const r = spawnSync(
      join(PROJECT_ROOT, 'node_modules', '.bin', 'wrangler'),
      ['deploy', '--dry-run', '--outdir', out, '--metafile', join(out, 'meta.json')],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      },
    );
    if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}\n${r.stderr}`);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as Metafile;
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(m?js|wasm)$/.test(f))
      .sort();
    if (files.length === 0) throw new Error(`wrangler wrote no module into ${out}`);
    const contents = files.map((f) => readFileSync(join(out, f)));
    const minified = new Map<string, number>();
    for (const output of Object.values(meta.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const name = packageOf(input);
        minified.set(name, (minified.get(name) ?? 0) + bytesInOutput);
      }
    }
    const origin = originalSources(Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs)));
    const slices = new Map<string, string[]>();
    files.forEach((f, i) => {
      if (!/\.m?js$/.test(f)) return;
      let map: { sources: string[]; mappings: string };
      try {
        map = JSON.parse(readFileSync(join(out, `${f}.map`), 'utf8'));
      } catch {
        return; // a module without a map is counted in the total only
      }
      const lines = (contents[i] as Buffer).toString('utf8').split('\n');
      decode(map.mappings).forEach((segments, line) => {
        const text = lines[line] ?? '';
        segments.forEach((seg, k) => {
          const end = segments[k + 1]?.[0] ?? text.length;
          const source = seg.length > 1 ? map.sources[seg[1] as number] : undefined;
          const path = source === undefined ? undefined : resolve(out, source);
          const name = path === undefined ? '(unmapped)' : (origin.get(path) ?? packageOf(path));
          const list = slices.get(name) ?? [];
          if (list.length === 0) slices.set(name, list);
          list.push(text.slice(seg[0], end));
        });
      });
    });
    const packages = [...minified.entries()]
      .map(([name, minifiedBytes]) => ({
        name,
        minifiedBytes,
        gzipBytes: gzipSync((slices.get(name) ?? []).join('')).byteLength,
      }))
      .sort((a, b) => b.minifiedBytes - a.minifiedBytes);
    return {
      modules: files.map((file, i) => ({ file, bytes: (contents[i] as Buffer).byteLength })),
      totalBytes: contents.reduce((s, c) => s + c.byteLength, 0),
      // wrangler's own figure: gzip of all modules back to back.
      totalGzipBytes: gzipSync(Buffer.concat(contents)).byteLength,
      budgetGzipBytes: BUNDLE_BUDGET_GZIP_BYTES,
      packages,
      inputs: Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs)),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const kib = (n: number) => (n / 1024).toFixed(1);

export function formatBundleReport(r: BundleReport): string {
  const lines = [
    `Worker bundle (wrangler deploy --dry-run, minified): ${kib(r.totalBytes)} KiB, ` +
      `${kib(r.totalGzipBytes)} KiB gzipped — budget ${kib(r.budgetGzipBytes)} KiB gzipped ` +
      (r.totalGzipBytes <= r.budgetGzipBytes ? '✓' : '✗ OVER BUDGET'),
    `modules: ${r.modules.map((m) => `${m.file} ${kib(m.bytes)} KiB`).join(', ')}`,
    'per package (gzip of each part alone, so the parts sum to more than the total):',
    `  ${'package'.padEnd(36)} ${'min KiB'.padStart(8)} ${'gz KiB'.padStart(7)}`,
  ];
  for (const p of r.packages) {
    lines.push(`  ${p.name.padEnd(36)} ${kib(p.minifiedBytes).padStart(8)} ${kib(p.gzipBytes).padStart(7)}`);
  }
  return lines.join('\n');
}

/** For `npm run bench`: print the report, save it next to the other results, fail over budget. */
export function benchWorkerBundle(): BundleReport {
  const report = measureWorkerBundle();
  console.log(`\n${formatBundleReport(report)}`);
  const dir = join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'bundle.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${relative(process.cwd(), file).split(sep).join('/')}`);
  if (report.totalGzipBytes > report.budgetGzipBytes) {
    console.error(
      `[bench] FAILED: the Worker bundle is ${kib(report.totalGzipBytes)} KiB gzipped, over ${kib(report.budgetGzipBytes)} KiB`,
    );
    process.exitCode = 1;
  }
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchWorkerBundle();
