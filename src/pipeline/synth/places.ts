import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { readCsv } from '../csv.ts';
import { loadLadNuts2 } from './calibration.ts';
import { createRng } from './prng.ts';

/** A real postcode with the names the official spreadsheet prints beside it. */
export interface SynthPlace {
  /** Canonical form, single space ("LS1 4AP"). */
  postcode: string;
  countryCode: string;
  ladCode: string;
  ladName: string;
  /** "Address Region": the English region name, or "Scotland" / "Wales". */
  regionName: string;
  /** "Address LEP": zero (Scotland, Wales), one or two LEP names. */
  lepNames: string[];
  /** NUTS2 (2016) region of the district, when the data directory has the ITL lookup (calibration.ts). */
  nuts2?: string;
}

export const POSTCODE_FILE = 'postcodes/codepoint_open_postcode_lad_ward_latlong.csv.gz';
export const LAD_LEP_FILE = 'geo_lookups/derived_lad_region_lep_2021_2023.csv';

interface LadInfo {
  ladName: string;
  regionName: string;
  lepNames: string[];
}

/** LAD code → name, region and LEP names, from the 2023 rows of the derived LAD lookup. */
export async function loadLadLookup(dataDir: string): Promise<Map<string, LadInfo>> {
  const lads = new Map<string, LadInfo>();
  const path = join(dataDir, LAD_LEP_FILE);
  const required = ['year', 'lad_code', 'lad_name', 'rgn_name', 'lep_name_a', 'lep_name_b'];
  for await (const { values } of readCsv(path, LAD_LEP_FILE, required)) {
    // 2023 matches the LAD codes of the Code-Point Open release we sample postcodes from.
    if (values.year !== '2023' || !values.lad_code) continue;
    const lepNames = [values.lep_name_a, values.lep_name_b].filter((n): n is string => Boolean(n));
    lads.set(values.lad_code, {
      ladName: values.lad_name ?? '',
      regionName: values.rgn_name ?? '',
      lepNames,
    });
  }
  return lads;
}

export interface LoadPlacesOptions {
  /** How many postcodes to keep (reservoir sample over the whole file). */
  sample?: number;
  seed?: number;
}

/**
 * Draw a uniform random sample of live GB postcodes that have a district in the LAD lookup, so
 * England, Scotland and Wales appear in proportion to their postcodes. The file (1.7M lines) is
 * streamed once; only the sample is kept.
 */
export async function loadSynthPlaces(dataDir: string, opts: LoadPlacesOptions = {}): Promise<SynthPlace[]> {
  const sample = opts.sample ?? 40_000;
  const postcodePath = join(dataDir, POSTCODE_FILE);
  for (const p of [postcodePath, join(dataDir, LAD_LEP_FILE)]) {
    if (!existsSync(p)) throw new Error(`synthetic data needs ${p} (set --data-dir or DATA_DIR)`);
  }
  const lads = await loadLadLookup(dataDir);
  const nuts2 = await loadLadNuts2(dataDir);
  const rng = createRng(opts.seed ?? 1);
  const reservoir: SynthPlace[] = [];
  let seen = 0;
  const lines = createInterface({
    input: createReadStream(postcodePath).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    // Plain comma-separated with no quoted fields: splitting is 10× faster than a CSV parser here.
    const f = line.split(',');
    const postcode = f[0];
    const quality = f[1];
    const countryCode = f[4];
    const ladCode = f[5];
    if (!postcode || !ladCode || !countryCode || quality === '90') continue;
    const lad = lads.get(ladCode);
    if (!lad) continue;
    seen += 1;
    const region = nuts2?.get(ladCode);
    const place = (): SynthPlace => ({
      postcode,
      countryCode,
      ladCode,
      ...lad,
      ...(region ? { nuts2: region } : {}),
    });
    if (reservoir.length < sample) reservoir.push(place());
    else {
      const j = Math.floor(rng.next() * seen);
      if (j < sample) reservoir[j] = place();
    }
  }
  if (reservoir.length === 0) throw new Error(`no usable postcodes in ${postcodePath}`);
  return reservoir;
}
