import { join } from 'node:path';
import { readCsv } from '../csv.ts';
import type { SourceReporter } from '../report.ts';
import { readDistrictPopulation } from './population.ts';

/**
 * How each 2021 LEP is made of ITL3 (= NUTS3 2016) areas: an ITL3 area is placed through its
 * districts (derived_lad21_itl3.csv, best fit by area) and the districts' LEPs (the 2021 overlay).
 * A part whose every district is in the LEP is whole (share 1); otherwise the LEP gets the share of
 * the area's mid-2020 population living in its districts, and the part is flagged.
 */

export const LEP_NUTS3_FILES = {
  ladItl3: 'geo_lookups/derived_lad21_itl3.csv',
  ladLep: 'geo_lookups/derived_lad_region_lep_2021_2023.csv',
} as const;

export interface LepPart {
  itl3: string;
  /** Population share of the ITL3 area inside the LEP (1 = wholly inside). */
  share: number;
  /** Districts of the ITL3 area that are in the LEP. */
  districts: string[];
  /** Districts of the ITL3 area (English, 2021). */
  ofDistricts: number;
}

export interface LepGeography {
  /** Mid-2020 population of each 2021 English district. */
  districtPop: Map<string, number>;
  /** Live LEP code → parts, sorted by ITL3 code. */
  parts: Map<string, LepPart[]>;
  /** English ITL3 areas (those holding 2021 English districts). */
  englishItl3: Set<string>;
}

export async function readLepNuts3(
  dataDir: string,
  liveLeps: ReadonlyMap<string, string>,
  rep: { itl: SourceReporter; lep: SourceReporter; pop: SourceReporter },
): Promise<LepGeography> {
  const itlOf = new Map<string, string>();
  for await (const { line, values } of readCsv(
    join(dataDir, LEP_NUTS3_FILES.ladItl3),
    LEP_NUTS3_FILES.ladItl3,
    ['lad21_code', 'itl321_code'],
  )) {
    rep.itl.read();
    const lad = values.lad21_code?.trim() ?? '';
    const itl = values.itl321_code?.trim() ?? '';
    if (!/^[EWSN]\d{8}$/.test(lad)) {
      rep.itl.reject(line, 'lad21_code', `not a district code: "${lad}"`);
      continue;
    }
    if (!/^TL[C-N][0-9A-Z]{2}$/.test(itl)) {
      rep.itl.reject(line, 'itl321_code', `not an ITL3 code: "${itl}"`);
      continue;
    }
    itlOf.set(lad, itl);
    rep.itl.loaded();
  }
  const lepsOf = new Map<string, string[]>();
  for await (const { line, values } of readCsv(
    join(dataDir, LEP_NUTS3_FILES.ladLep),
    LEP_NUTS3_FILES.ladLep,
    ['year', 'lad_code', 'lep_code_a', 'lep_code_b'],
  )) {
    rep.lep.read();
    if (values.year?.trim() !== '2021') {
      rep.lep.skip('not a 2021 row: LEP figures are apportioned over 2021 districts');
      continue;
    }
    const lad = values.lad_code?.trim() ?? '';
    const leps = [values.lep_code_a, values.lep_code_b].map((c) => c?.trim() ?? '').filter((c) => c !== '');
    const unknown = leps.filter((c) => !liveLeps.has(c));
    if (unknown.length) {
      rep.lep.reject(line, 'lep_code_a', `not a live 2021 LEP: ${unknown.join(', ')}`);
      continue;
    }
    lepsOf.set(lad, leps);
    rep.lep.loaded();
  }
  const districtsOf = new Map<string, string[]>();
  for (const [lad, itl] of itlOf) {
    if (!lad.startsWith('E')) continue;
    districtsOf.set(itl, [...(districtsOf.get(itl) ?? []), lad]);
  }
  const districtPop = await readDistrictPopulation(
    dataDir,
    rep.pop,
    new Set([...districtsOf.values()].flat()),
  );
  const parts = new Map<string, LepPart[]>();
  for (const [itl, lads] of [...districtsOf].sort(([a], [b]) => a.localeCompare(b))) {
    const total = lads.reduce((s, l) => s + (districtPop.get(l) ?? 0), 0);
    const byLep = new Map<string, string[]>();
    for (const lad of lads) {
      const leps = lepsOf.get(lad);
      if (!leps) {
        rep.lep.note(`district ${lad} (in ${itl}) has no 2021 LEP: its population counts in no LEP`);
        continue;
      }
      for (const lep of leps) byLep.set(lep, [...(byLep.get(lep) ?? []), lad]);
    }
    for (const [lep, inside] of byLep) {
      const whole = inside.length === lads.length;
      const pop = inside.reduce((s, l) => s + (districtPop.get(l) ?? 0), 0);
      if (!whole && (total <= 0 || inside.some((l) => !districtPop.has(l)))) {
        rep.lep.note(`cannot apportion ${itl} to ${lep}: a district population is missing`);
        continue;
      }
      parts.set(lep, [
        ...(parts.get(lep) ?? []),
        { itl3: itl, share: whole ? 1 : pop / total, districts: inside.sort(), ofDistricts: lads.length },
      ]);
    }
  }
  for (const code of liveLeps.keys())
    if (!parts.has(code)) rep.lep.note(`live LEP ${code} has no district placed in ITL3`);
  const split = [...parts].filter(([, ps]) => ps.some((p) => p.share < 1)).map(([c]) => c);
  rep.lep.note(
    `LEPs on ITL3/NUTS3: ${parts.size - split.length} exact unions of areas, ${split.length} cutting an area that is apportioned by mid-2020 district population (${split.join(', ')}).`,
  );
  return { parts, englishItl3: new Set(districtsOf.keys()), districtPop };
}
