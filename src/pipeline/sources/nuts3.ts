import type { SourceReporter } from '../report.ts';
import { readIndicatorRows } from './indicator-rows.ts';
import { NESTA_LONG_COLUMNS } from './nesta.ts';

/**
 * Nesta's BEIS indicators on NUTS3 areas (beis_indicators_nuts3_long.csv.gz). Only rows on the
 * NUTS 2013 or 2016 geography are placed: for England the two are the same 133 areas with the same
 * codes (the 2016 revision changed Scotland only), and NUTS3 2016 = ITL3 2021 with `TL` for `UK`,
 * except Dorset (below). Rows on NUTS 2006/2010 use London, Greater Manchester, Merseyside… areas
 * that no longer exist and cannot be placed on districts: they are counted in a note, not used.
 */

export const NUTS3_FILE = 'nesta_beis_indicators/beis_indicators_nuts3_long.csv.gz';

/** NUTS vintages whose English areas are the 2016 ones. */
export const PLACEABLE_NUTS_SPECS: readonly string[] = ['2013', '2016'];

/**
 * NUTS 2016 areas that ITL 2021 redrew: Bournemouth and Poole (UKK21) and Dorset CC (UKK22) became
 * BCP (TLK24, with Christchurch) and Dorset (TLK25). Both lie wholly in Dorset LEP, so sums are
 * exact; as population weights each is given its successor's, which moves Christchurch (~50k of
 * Dorset's ~770k) from one weight to the other.
 */
export const NUTS2016_TO_ITL2021: Readonly<Record<string, string>> = { UKK21: 'TLK24', UKK22: 'TLK25' };

/** The ITL3 2021 code a NUTS3 2016 code denotes (`UKC11` → `TLC11`). */
export const itl3Of = (nuts3: string): string => NUTS2016_TO_ITL2021[nuts3] ?? `TL${nuts3.slice(2)}`;

export interface Nuts3Value {
  indicator: string;
  year: number;
  /** As published (NUTS 2013/2016). */
  nuts3: string;
  /** The ITL3 2021 area it is placed on. */
  itl3: string;
  value: number;
}

/** England's NUTS1 letters (C North East … K South West). */
const ENGLISH_NUTS1 = /^UK[C-K]/;

/**
 * Read the English NUTS3 rows of the indicators in `wanted` (Nesta ids). Returns values keyed
 * `${indicator}|${year}` → itl3 → value. Bad cells and duplicates are rejected with their line.
 */
export async function readNuts3Values(
  dataDir: string,
  wanted: ReadonlySet<string>,
  rep: SourceReporter,
): Promise<Map<string, Map<string, Nuts3Value>>> {
  const out = new Map<string, Map<string, Nuts3Value>>();
  const unplaced = new Map<string, number>();
  let otherCountries = 0;
  let otherIndicators = 0;
  const rows = readIndicatorRows(
    dataDir,
    {
      file: NUTS3_FILE,
      columns: NESTA_LONG_COLUMNS,
      checks: [
        [
          'indicator',
          (r) => {
            if (wanted.has(r.indicator)) return;
            otherIndicators += 1;
            return { skip: 'an indicator not rebuilt on LEPs' };
          },
        ],
        [
          'code',
          (r) => {
            if (!/^UK[C-N][0-9A-Z]{2}$/.test(r.code)) return { reject: `not a UK NUTS3 code: "${r.code}"` };
            if (ENGLISH_NUTS1.test(r.code)) return;
            otherCountries += 1;
            return { skip: 'Wales, Scotland or Northern Ireland' };
          },
        ],
        ['year'],
        [
          'spec',
          (r) => {
            if (PLACEABLE_NUTS_SPECS.includes(r.spec)) return;
            const k = `${r.indicator} ${r.year} (NUTS ${r.spec})`;
            unplaced.set(k, (unplaced.get(k) ?? 0) + 1);
            return { skip: 'on NUTS 2006/2010 areas, which do not nest in 2021 districts' };
          },
        ],
        ['value'],
      ],
      duplicate: {
        key: (r) => `${r.indicator}|${r.year}|${itl3Of(r.code)}`,
        field: 'code',
        of: (r) => `${r.indicator} ${r.year} ${r.code}`,
      },
    },
    rep,
  );
  for await (const { indicator, year, code, value } of rows) {
    const key = `${indicator}|${year}`;
    let m = out.get(key);
    if (!m) {
      m = new Map();
      out.set(key, m);
    }
    const itl3 = itl3Of(code);
    m.set(itl3, { indicator, year, nuts3: code, itl3, value });
    rep.loaded();
  }
  if (unplaced.size) {
    rep.note(
      `Not used: rows on NUTS 2006/2010 areas, which do not nest in 2021 districts (${[...unplaced]
        .map(([k, n]) => `${k}: ${n}`)
        .join('; ')}).`,
    );
  }
  rep.note(
    `${otherCountries} rows for Wales, Scotland or Northern Ireland and ${otherIndicators} rows of indicators not rebuilt on LEPs were skipped.`,
  );
  return out;
}
