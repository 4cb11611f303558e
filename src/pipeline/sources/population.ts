import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readCsv } from '../csv.ts';
import { SourceError, type SourceReporter } from '../report.ts';

/**
 * Resident population: ONS regional accounts Table 6 (every ITL1–3 area and England, mid-year,
 * 1998–2021) for per-head figures and for weighting NUTS3 rates, and mySociety's register of
 * councils (ONS mid-2020 population per district) for splitting a NUTS3 area between LEPs.
 */

export const POPULATION_FILES = {
  itl: 'ons_itl_economy/ons_regional_gdp_all_itl_regions_2023-04-25.xlsx',
  districts: 'geo_lookups/mysociety_uk_local_authorities_current.csv',
} as const;

export const POPULATION_SHEET = 'Table 6';

export interface ItlPopulation {
  /** ITL code (TLB = England, TLC11 …) → year → persons. */
  byArea: Map<string, Map<number, number>>;
  names: Map<string, string>;
  /** ITL level of each code: 'UK', 'Other' (England), 'ITL1', 'ITL2', 'ITL3'. */
  level: Map<string, string>;
  years: number[];
}

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return String(v);
};

/** Table 6 as published: a header row "ITL, ITL code, Region name, 1998 … 2021", then one row per area. */
export async function readItlPopulation(dataDir: string, rep: SourceReporter): Promise<ItlPopulation> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(dataDir, POPULATION_FILES.itl));
  const ws = wb.getWorksheet(POPULATION_SHEET);
  if (!ws) throw new SourceError(POPULATION_FILES.itl, `no sheet "${POPULATION_SHEET}"`);
  let header: { row: number; years: Map<number, number> } | null = null;
  const out: ItlPopulation = { byArea: new Map(), names: new Map(), level: new Map(), years: [] };
  ws.eachRow((row, rowNumber) => {
    const cells = (row.values as ExcelJS.CellValue[]).map(cellText);
    if (!header) {
      if (cells[1]?.trim() === 'ITL' && cells[2]?.trim() === 'ITL code') {
        const years = new Map<number, number>();
        cells.forEach((c, i) => {
          if (/^\d{4}$/.test(c.trim())) years.set(i, Number(c.trim()));
        });
        header = { row: rowNumber, years };
        out.years = [...years.values()].sort((a, b) => a - b);
      }
      return;
    }
    rep.read();
    const level = cells[1]?.trim() ?? '';
    const code = cells[2]?.trim() ?? '';
    if (!/^(TL[A-N0-9]{1,3}|UK|UKX|TLZ)$/.test(code)) {
      rep.reject(rowNumber, 'ITL code', `not an ITL code: "${code}"`);
      return;
    }
    const series = new Map<number, number>();
    for (const [col, year] of header.years) {
      const text = cells[col]?.trim() ?? '';
      const n = Number(text);
      if (text === '' || !Number.isFinite(n) || n < 0) {
        rep.reject(rowNumber, String(year), `not a population count: "${text}"`);
        continue;
      }
      series.set(year, n);
    }
    out.byArea.set(code, series);
    out.names.set(code, cells[3]?.trim() ?? code);
    out.level.set(code, level);
    rep.loaded();
  });
  if (!header)
    throw new SourceError(POPULATION_FILES.itl, `${POPULATION_SHEET} has no "ITL, ITL code" header row`);
  rep.note(
    `${POPULATION_SHEET}: resident population for ${[...out.level.values()].filter((l) => l === 'ITL3').length} ITL3 areas, ${out.years[0]}–${out.years.at(-1)}.`,
  );
  return out;
}

/** Population of `code` in `year`, else the nearest year published (earliest wins a tie). */
export function populationIn(
  pop: ItlPopulation,
  code: string,
  year: number,
): { year: number; value: number } | null {
  const s = pop.byArea.get(code);
  if (!s || s.size === 0) return null;
  const exact = s.get(year);
  if (exact !== undefined) return { year, value: exact };
  let best: number | null = null;
  for (const y of s.keys()) if (best === null || Math.abs(y - year) < Math.abs(best - year)) best = y;
  return best === null ? null : { year: best, value: s.get(best) as number };
}

/** Mid-2020 population of every district (GSS code → persons) from the mySociety register. */
export async function readDistrictPopulation(
  dataDir: string,
  rep: SourceReporter,
  needed: ReadonlySet<string>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let other = 0;
  for await (const { line, values } of readCsv(
    join(dataDir, POPULATION_FILES.districts),
    POPULATION_FILES.districts,
    ['gss-code', 'pop-2020', 'local-authority-type'],
  )) {
    rep.read();
    const code = values['gss-code']?.trim() ?? '';
    if (!needed.has(code)) {
      other += 1; // other tiers, nations, or districts abolished before 2021
      rep.skip('not a 2021 English district (another tier, a nation, or abolished before 2021)');
      continue;
    }
    const text = values['pop-2020']?.trim() ?? '';
    const n = Number(text);
    if (text === '' || !Number.isFinite(n) || n <= 0) {
      rep.reject(line, 'pop-2020', `no population for district ${code}: "${text}"`);
      continue;
    }
    out.set(code, n);
    rep.loaded();
  }
  const lacking = [...needed].filter((c) => !out.has(c));
  rep.note(
    `mid-2020 population of ${out.size} of the ${needed.size} 2021 English districts${lacking.length ? ` (none for ${lacking.join(', ')})` : ''}; ${other} other councils not used.`,
  );
  return out;
}
