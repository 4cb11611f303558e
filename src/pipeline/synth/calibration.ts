import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../csv.ts';

/**
 * What the generator is calibrated to: Innovate UK grant offered by NUTS2 region and competition
 * year as Nesta published it for BEIS (innovate_uk_aggregates/, see its PROVENANCE.md: years
 * 2010–2020, NUTS 2010/2013/2016 codes by year, projects not Withdrawn or On Hold, by participant
 * postcode). Places are put in NUTS2 (2016) through their district (geo_lookups/derived_lad21_itl3.csv:
 * ITL2 2021 = NUTS2 2016 with "TL" for "UK").
 */

export const NUTS2_TARGET_FILE = 'innovate_uk_aggregates/nesta_gbp_innovate_uk_funding.nuts2.csv';
export const LAD_ITL_FILE = 'geo_lookups/derived_lad21_itl3.csv';
export const LAD_CHANGES_FILE = 'geo_lookups/ons_ltla_changes_2014_2025.csv';

/** One calibration cell: a competition year and one NUTS2 (2016) region or, where codes changed, a NUTS1 group. */
export interface CalibrationCell {
  year: number;
  /** A NUTS2 2016 code (UKC1), or a NUTS1 code (UKI) standing for every NUTS2 region in it. */
  key: string;
  targetPence: number;
}

/** A place's calibration key in a year: its NUTS2 code, or its NUTS1 when that year's cells are by NUTS1. */
export function cellKeyOf(nuts2: string, year: number, nuts1Years: ReadonlySet<string>): string {
  const nuts1 = nuts2.slice(0, 3);
  return nuts1Years.has(`${year}|${nuts1}`) ? nuts1 : nuts2;
}

export interface CalibrationTargets {
  cells: CalibrationCell[];
  /** "year|NUTS1" pairs whose published codes are not NUTS 2016 (London 2010–12, Scotland to 2015): compared as one group. */
  nuts1Years: ReadonlySet<string>;
  /** Northern Ireland (UKN) is left out: the postcodes sampled are Great Britain's. */
  excluded: string[];
}

/**
 * Cells from the published rows. A published code that is not a NUTS 2016 code (its boundaries
 * changed) puts its whole NUTS1 region into one cell for that year.
 */
export function calibrationTargets(
  published: readonly { year: number; code: string; pounds: number }[],
  nuts2016: ReadonlySet<string>,
): CalibrationTargets {
  const excluded = [...new Set(published.filter((p) => p.code.startsWith('UKN')).map((p) => p.code))];
  const rows = published.filter((p) => !p.code.startsWith('UKN'));
  const nuts1Years = new Set(
    rows.filter((p) => !nuts2016.has(p.code)).map((p) => `${p.year}|${p.code.slice(0, 3)}`),
  );
  const cells = new Map<string, CalibrationCell>();
  for (const p of rows) {
    const key = nuts1Years.has(`${p.year}|${p.code.slice(0, 3)}`) ? p.code.slice(0, 3) : p.code;
    const c = cells.get(`${p.year}|${key}`) ?? { year: p.year, key, targetPence: 0 };
    c.targetPence += Math.round(p.pounds * 100);
    cells.set(`${p.year}|${key}`, c);
  }
  return {
    cells: [...cells.values()].sort((a, b) => a.year - b.year || a.key.localeCompare(b.key)),
    nuts1Years,
    excluded,
  };
}

/** District (2021 or 2023 code) → NUTS2 2016 code, from the ITL lookup and the 2023 mergers. */
export async function loadLadNuts2(dataDir: string): Promise<Map<string, string> | null> {
  const path = join(dataDir, LAD_ITL_FILE);
  if (!existsSync(path)) return null;
  const out = new Map<string, string>();
  for await (const { values } of readCsv(path, LAD_ITL_FILE, ['lad21_code', 'itl2_code'])) {
    if (values.lad21_code && values.itl2_code) out.set(values.lad21_code, `UK${values.itl2_code.slice(2)}`);
  }
  const changes = join(dataDir, LAD_CHANGES_FILE);
  if (existsSync(changes)) {
    // A district formed by merging (Cumberland, North Yorkshire, Somerset, 2023) takes its predecessors' region.
    const votes = new Map<string, Map<string, number>>();
    for await (const { values } of readCsv(changes, LAD_CHANGES_FILE, ['oldcd', 'newcd', 'type'])) {
      const from = out.get(values.oldcd ?? '');
      if (values.type !== 'merger' || !from || !values.newcd || out.has(values.newcd)) continue;
      const v = votes.get(values.newcd) ?? new Map<string, number>();
      v.set(from, (v.get(from) ?? 0) + 1);
      votes.set(values.newcd, v);
    }
    for (const [lad, v] of votes)
      out.set(lad, [...v].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] as string);
  }
  return out;
}

/** The published NUTS2 × year rows, or null when the data directory has no such file. */
export async function loadPublishedNuts2(
  dataDir: string,
): Promise<{ year: number; code: string; pounds: number }[] | null> {
  const path = join(dataDir, NUTS2_TARGET_FILE);
  if (!existsSync(path)) return null;
  const rows: { year: number; code: string; pounds: number }[] = [];
  for await (const { values } of readCsv(path, NUTS2_TARGET_FILE, [
    'year',
    'nuts_id',
    'gbp_innovate_uk_funding',
  ])) {
    const year = Number(values.year);
    const pounds = Number(values.gbp_innovate_uk_funding);
    if (Number.isInteger(year) && values.nuts_id && Number.isFinite(pounds))
      rows.push({ year, code: values.nuts_id, pounds });
  }
  return rows;
}
