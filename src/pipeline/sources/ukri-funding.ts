import type { SourceReporter } from '../report.ts';
import type { IndicatorValue, LepSpec } from './indicator-model.ts';
import { readIndicatorRows } from './indicator-rows.ts';
import { LepMapper } from './lep-vintages.ts';
import { lepCodeCheck, lepSpecCheck, nestaKey } from './nesta.ts';

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
  let confirmed = 0;
  const rows = readIndicatorRows(
    dataDir,
    {
      file: UKRI_FILE,
      columns: { year: 'year', code: 'lep_id', spec: 'lep_year_spec', value: 'total_ukri_funding' },
      indicator: UKRI_NESTA_INDICATOR,
      checks: [['year'], ['code', lepCodeCheck], ['spec', lepSpecCheck], ['value']],
      duplicate: {
        key: (r) => nestaKey(r.indicator, r.year, r.code, r.spec),
        field: 'value',
        of: (r) => `${r.year} ${r.code} (${r.spec})`,
      },
    },
    rep,
  );
  for await (const { line, year, code, spec, value } of rows) {
    const other = published.get(nestaKey(UKRI_NESTA_INDICATOR, year, code, spec));
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
    const m = mapper.place(code, spec as LepSpec); // lepSpecCheck let only LEP vintages through
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
