/**
 * `npm run data:synth` — write a synthetic "Innovate UK funded projects since 2004" release (or
 * several overlapping ones) in the official format, drawing real postcodes and area names from
 * the data directory.
 *
 *   npm run data:synth -- [--data-dir DIR] [--out DIR] [--rows 100000] [--seed 1]
 *                         [--format xlsx|csv] [--releases 1] [--release-date 2026-10-01]
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { calibrationTargets, loadPublishedNuts2, NUTS2_TARGET_FILE } from './calibration.ts';
import { createInnovateUkModel, releaseFileName, renderRelease } from './innovate-uk.ts';
import { loadSynthPlaces } from './places.ts';
import { writeInnovateUkCsv, writeInnovateUkXlsx } from './write.ts';

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      rows: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      format: { type: 'string', default: 'xlsx' },
      releases: { type: 'string', default: '1' },
      'release-date': { type: 'string', default: '2026-10-01' },
      'no-calibrate': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run data:synth -- [--data-dir DIR] [--out DIR] [--rows N] [--seed N] [--format xlsx|csv] [--releases N] [--release-date YYYY-MM-DD] [--no-calibrate]',
    );
    return;
  }
  const format = values.format;
  if (format !== 'xlsx' && format !== 'csv') throw new Error(`--format must be xlsx or csv, got "${format}"`);
  const releaseDate = values['release-date'];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(releaseDate))
    throw new Error(`--release-date must be YYYY-MM-DD, got "${releaseDate}"`);
  const dataDir = resolve(values['data-dir'] || process.env.DATA_DIR || 'test/fixtures/sample');
  // Never default into the data directory: the shared one is read-only.
  const outDir = resolve(values.out ?? '.data/innovate_uk');
  const rows = positiveInt('rows', values.rows);
  const seed = Number.parseInt(values.seed, 10);
  if (!Number.isFinite(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  const releases = positiveInt('releases', values.releases);

  const t0 = performance.now();
  const places = await loadSynthPlaces(dataDir, { seed, sample: Math.min(40_000, Math.max(500, rows)) });
  const t1 = performance.now();
  // Calibrate to the published NUTS2 × year totals when the data directory has them (and the lookup placed the postcodes).
  const published = values['no-calibrate'] ? null : await loadPublishedNuts2(dataDir);
  const placed = places.filter((p) => p.nuts2);
  const calibration =
    published && placed.length > 0
      ? calibrationTargets(published, new Set(placed.map((p) => p.nuts2 as string)))
      : undefined;
  const model = createInnovateUkModel({ rows, seed, places, releases, releaseDate, calibration });
  if (model.calibration) {
    const cells = model.calibration.cells;
    const met = cells.filter((c) => c.factor !== null).length;
    console.log(
      `synth: calibrated to ${NUTS2_TARGET_FILE}: ${met} of ${cells.length} NUTS2 × year cells met (Northern Ireland left out: GB postcodes only)`,
    );
  } else {
    console.log(
      `synth: not calibrated (${values['no-calibrate'] ? '--no-calibrate' : `no ${NUTS2_TARGET_FILE} or ITL lookup in ${dataDir}`})`,
    );
  }
  const t2 = performance.now();
  console.log(
    `synth: ${places.length} postcodes sampled from ${dataDir} in ${((t1 - t0) / 1000).toFixed(1)} s; ` +
      `model: ${model.projects.length} projects, ${model.organisations} organisations, ${model.participants} participants ` +
      `in ${((t2 - t1) / 1000).toFixed(1)} s`,
  );
  mkdirSync(outDir, { recursive: true });
  // The marker the pipeline looks for: everything loaded from this folder is labelled synthetic.
  writeFileSync(
    join(outDir, 'SYNTHETIC.md'),
    `# SYNTHETIC Innovate UK data — not real grants\n\nWritten by \`npm run data:synth\` (seed ${seed}, ${rows} participant rows, ` +
      `${releases} release(s)${model.calibration ? `, grant totals calibrated to ${NUTS2_TARGET_FILE} by NUTS2 and year 2010–2020` : ''}) in the format of Innovate UK's "funded projects since 2004" spreadsheet, from real postcodes ` +
      `and area names in ${relative(process.cwd(), dataDir) || dataDir}. Organisations, projects and amounts are invented. The API labels every answer built ` +
      `from this folder as synthetic. Replace the files with the official release to serve real figures.\n`,
  );
  for (const release of model.releases) {
    const start = performance.now();
    const file = join(outDir, releaseFileName(release.releaseDate, format));
    const written =
      format === 'xlsx'
        ? await writeInnovateUkXlsx(
            file,
            release.columns,
            renderRelease(model, release.index),
            release.releaseDate,
          )
        : await writeInnovateUkCsv(file, release.columns, renderRelease(model, release.index));
    const mb = statSync(file).size / 1_048_576;
    console.log(
      `synth: wrote ${file} (${written} rows, ${release.columnStyle} columns, ${mb.toFixed(1)} MB) in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(`synth: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
