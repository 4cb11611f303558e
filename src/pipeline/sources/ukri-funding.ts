import { join } from 'node:path';
import { readCsv } from '../csv.ts';
import type { SourceReporter } from '../report.ts';
import type { IndicatorValue } from './indicator-model.ts';
import { parseCell, parseYear } from './indicator-model.ts';
import { isLepSpec, LepMapper } from './lep-vintages.ts';
import { nestaKey } from './nesta.ts';

/**
 * innovate_uk_aggregates/nesta_total_ukri_funding.lep.csv: Nesta's GtR total (all UKRI councils,
 * whole project attributed to the lead organisation) as its own per-indicator file. It is the same
 * series as `total_ukri_funding` in the long BEIS file, so it is used as a check: equal rows confirm,
 * differing rows are rejected with both numbers, rows the long file lacks are added.
 */

export const UKRI_FILE = 'innovate_uk_aggregates/nesta_total_ukri_funding.lep.csv';
export const UKRI_SOURCE_ID = 'nesta_gtr_total_ukri_funding';
/** The Nesta indicator this file duplicates. */
export const UKRI_NESTA_INDICATOR = 'total_ukri_funding';

export async function readUkriFunding(
  dataDir: string,
  indicatorId: string,
  published: ReadonlyMap<string, number>,
  mapper: LepMapper,
  rep: SourceReporter,
): Promise<IndicatorValue[]> {
  const added: IndicatorValue[] = [];
  const seen = new Set<string>();
  let confirmed = 0;
  for await (const { line, values: v } of readCsv(join(dataDir, UKRI_FILE), UKRI_FILE, [
    'year',
    'lep_id',
    'lep_year_spec',
    'total_ukri_funding',
  ])) {
    rep.read();
    const year = parseYear(v.year);
    if (year === null) {
      rep.reject(line, 'year', `not a year: "${v.year ?? ''}"`);
      continue;
    }
    const code = v.lep_id?.trim() ?? '';
    if (!/^E37\d{6}$/.test(code)) {
      rep.reject(line, 'lep_id', `not a LEP (E37) code: "${code}"`);
      continue;
    }
    const spec = v.lep_year_spec?.trim() ?? '';
    if (!isLepSpec(spec)) {
      rep.reject(line, 'lep_year_spec', `unknown LEP vintage "${spec}"`);
      continue;
    }
    const cell = parseCell(v.total_ukri_funding, []);
    if (!cell.ok) {
      rep.reject(line, 'total_ukri_funding', cell.reason);
      continue;
    }
    const value = cell.value as number;
    const key = nestaKey(UKRI_NESTA_INDICATOR, year, code, spec);
    if (seen.has(key)) {
      rep.reject(line, 'total_ukri_funding', `duplicate of an earlier row for ${year} ${code} (${spec})`);
      continue;
    }
    seen.add(key);
    const other = published.get(key);
    if (other !== undefined) {
      if (other === value) {
        confirmed += 1;
        rep.loaded();
      } else {
        rep.reject(
          line,
          'total_ukri_funding',
          `${value} differs from ${other} in the BEIS long file for ${year} ${code} (${spec}); the long file's value is kept`,
        );
      }
      continue;
    }
    const m = mapper.place(code, spec);
    added.push({
      indicatorId,
      ...LepMapper.target(m),
      year,
      value,
      suppressed: false,
      suppressionMarker: null,
      sourceId: UKRI_SOURCE_ID,
      sourceCode: code,
      sourceVintage: spec,
    });
    rep.loaded();
  }
  rep.note(
    `${confirmed} rows equal the BEIS long file's ${UKRI_NESTA_INDICATOR}; ${added.length} rows it lacked were added.`,
  );
  return added;
}
