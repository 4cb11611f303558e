import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Every postcode of the source the app serves (DATA_DIR, else the sample), one per line, for bench/wrk.sh. */
const dir = process.env.DATA_DIR ?? join(import.meta.dirname, '..', 'test', 'fixtures', 'sample');
const text = gunzipSync(
  readFileSync(join(dir, 'postcodes', 'codepoint_open_postcode_lad_ward_latlong.csv.gz')),
).toString();
const lines = text.split('\n').slice(1);
const keys = lines.map((l) => l.split(',')[0]?.replaceAll(' ', '').replaceAll('"', '') ?? '').filter(Boolean);
process.stdout.write(`${keys.join('\n')}\n`);
