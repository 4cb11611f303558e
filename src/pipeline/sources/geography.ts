import { join } from 'node:path';
import type { AreaType } from '../../domain/geography.ts';
import { GSS_CODE } from '../../domain/geography.ts';
import { readCsv } from '../csv.ts';
import { SourceReporter } from '../report.ts';

/** Geography sources: area lists, LEP vintages, district → region/LEP, constituency ↔ district overlaps. */

export interface AreaRecord {
  type: AreaType;
  code: string;
  name: string;
  vintage: string;
  status: 'live' | 'terminated';
  validFrom: string | null;
  validTo: string | null;
  formerNames: string[];
}

export interface LinkRecord {
  parentType: AreaType;
  parentCode: string;
  childType: AreaType;
  childCode: string;
  relation: 'contains' | 'overlaps';
  vintage: string;
  share: number | null;
}

/** District (2023 codes, as used by the postcode directory) → region and 2021 LEP(s). */
export interface DistrictPlace {
  regionCode: string | null;
  lepCodes: string[];
}

export interface Geography {
  areas: AreaRecord[];
  links: LinkRecord[];
  districts2023: Map<string, DistrictPlace>;
  /** Code sets used to validate constituency assignments of postcodes. */
  pcon2010Codes: Set<string>;
  pcon2024Codes: Set<string>;
  reports: SourceReporter[];
}

export const GEOGRAPHY_FILES = {
  countries: 'geo_lookups/ons_list_ctry22.csv',
  regions: 'geo_lookups/ons_list_rgn22.csv',
  leps: 'geo_lookups/dfe_leps.csv',
  lepLabels: 'nesta_beis_indicators/lep_labels_by_year_spec.csv',
  lads2022: 'geo_lookups/ons_list_ltla22.csv',
  lads2023: 'geo_lookups/ons_list_ltla23.csv',
  ladDates: 'geo_lookups/dfe_lads.csv',
  ladRegionLep: 'geo_lookups/derived_lad_region_lep_2021_2023.csv',
  pcon2010: 'geo_lookups/ons_list_wpc22.csv',
  pcon2010Regions: 'geo_lookups/oi_constituencies_2010.csv',
  pcon2024: 'geo_lookups/ons_list_wpc24.csv',
  pcon2010Lad: 'geo_lookups/mysociety_PARL10_LAD23_overlap.csv',
  pcon2024Lad: 'geo_lookups/mysociety_PARL25_LAD23_overlap.csv',
} as const;

const COUNTRY_BY_PREFIX: Record<string, string> = {
  E: 'E92000001',
  W: 'W92000004',
  S: 'S92000003',
  N: 'N92000002',
};

/** The country a GSS code belongs to, from its first letter. */
export const countryOf = (code: string): string | undefined => COUNTRY_BY_PREFIX[code[0] ?? ''];

/** "01/12/2018" or "2018-12-01" → "2018-12-01"; blank → null; anything else → undefined (invalid). */
export function isoDate(text: string | undefined): string | null | undefined {
  const t = (text ?? '').trim();
  if (t === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : undefined;
}

const yearOf = (iso: string | null) => (iso ? Number(iso.slice(0, 4)) : null);
const span = (years: number[]) => {
  const lo = Math.min(...years);
  const hi = Math.max(...years);
  return lo === hi ? String(lo) : `${lo}-${hi}`;
};

/** A row's date_of_introduction and date_of_termination (null = none), or null after rejecting the first unreadable one. */
function datesOk(
  rep: SourceReporter,
  line: number,
  values: Record<string, string>,
): { from: string | null; to: string | null } | null {
  const from = isoDate(values.date_of_introduction);
  const to = isoDate(values.date_of_termination);
  if (from !== undefined && to !== undefined) return { from, to };
  rep.reject(line, from === undefined ? 'date_of_introduction' : 'date_of_termination', 'unreadable date');
  return null;
}

function codeOk(rep: SourceReporter, line: number, column: string, code: string | undefined): code is string {
  if (code && GSS_CODE.test(code)) return true;
  rep.reject(line, column, `not a GSS code: "${code ?? ''}"`);
  return false;
}

async function readNameList(
  dir: string,
  file: string,
  rep: SourceReporter,
  codeCol: string,
  nameCol: string,
) {
  const out = new Map<string, string>();
  for await (const { line, values } of readCsv(join(dir, file), file, [codeCol, nameCol])) {
    rep.read();
    const code = values[codeCol]?.trim();
    const name = values[nameCol]?.trim();
    if (!codeOk(rep, line, codeCol, code)) continue;
    if (!name) {
      rep.reject(line, nameCol, 'blank name');
      continue;
    }
    if (out.has(code)) {
      rep.reject(line, codeCol, `duplicate code ${code}`);
      continue;
    }
    out.set(code, name);
    rep.loaded();
  }
  return out;
}

/** Parse every geography source under `dir` (laid out like shared/data). */
export async function readGeography(dir: string): Promise<Geography> {
  const reports: SourceReporter[] = [];
  const reporter = (file: string) => {
    const r = new SourceReporter(file);
    reports.push(r);
    return r;
  };
  const areas: AreaRecord[] = [];
  const links: LinkRecord[] = [];
  const link = (l: LinkRecord) => links.push(l);

  // Countries and regions: stable lists.
  const countries = await readNameList(
    dir,
    GEOGRAPHY_FILES.countries,
    reporter(GEOGRAPHY_FILES.countries),
    'areacd',
    'areanm',
  );
  for (const [code, name] of countries) {
    areas.push({
      type: 'country',
      code,
      name,
      vintage: '2022',
      status: 'live',
      validFrom: null,
      validTo: null,
      formerNames: [],
    });
  }
  const regions = await readNameList(
    dir,
    GEOGRAPHY_FILES.regions,
    reporter(GEOGRAPHY_FILES.regions),
    'areacd',
    'areanm',
  );
  for (const [code, name] of regions) {
    areas.push({
      type: 'region',
      code,
      name,
      vintage: '2022',
      status: 'live',
      validFrom: null,
      validTo: null,
      formerNames: [],
    });
    link({
      parentType: 'country',
      parentCode: 'E92000001',
      childType: 'region',
      childCode: code,
      relation: 'contains',
      vintage: '2022',
      share: null,
    });
  }

  // LEPs: every code with its names and the vintages it was published in.
  const lepRep = reporter(GEOGRAPHY_FILES.leps);
  const lepRows = new Map<
    string,
    {
      names: string[];
      live?: { name: string; from: string | null };
      from: (string | null)[];
      to: (string | null)[];
    }
  >();
  for await (const { line, values } of readCsv(join(dir, GEOGRAPHY_FILES.leps), GEOGRAPHY_FILES.leps, [
    'local_enterprise_partnership_code',
    'local_enterprise_partnership_name',
    'date_of_introduction',
    'date_of_termination',
    'status',
  ])) {
    lepRep.read();
    const code = values.local_enterprise_partnership_code?.trim();
    const name = values.local_enterprise_partnership_name?.trim() ?? '';
    if (!codeOk(lepRep, line, 'local_enterprise_partnership_code', code)) continue;
    const dates = datesOk(lepRep, line, values);
    if (!dates) continue;
    const { from, to } = dates;
    const status = values.status?.trim();
    if (status !== 'live' && status !== 'terminated') {
      lepRep.reject(line, 'status', `unknown status "${status}"`);
      continue;
    }
    const entry = lepRows.get(code) ?? { names: [], from: [], to: [] };
    if (!entry.names.includes(name)) entry.names.push(name);
    if (status === 'live') entry.live = { name, from };
    entry.from.push(from);
    entry.to.push(to);
    lepRows.set(code, entry);
    lepRep.loaded();
  }
  const specYears = new Map<string, Set<number>>();
  const labelRep = reporter(GEOGRAPHY_FILES.lepLabels);
  for await (const { line, values } of readCsv(
    join(dir, GEOGRAPHY_FILES.lepLabels),
    GEOGRAPHY_FILES.lepLabels,
    ['lep_year_spec', 'lep_code'],
  )) {
    labelRep.read();
    const code = values.lep_code?.trim();
    const year = Number(values.lep_year_spec);
    if (!codeOk(labelRep, line, 'lep_code', code)) continue;
    if (!Number.isInteger(year)) {
      labelRep.reject(line, 'lep_year_spec', 'not a year');
      continue;
    }
    if (!lepRows.has(code)) {
      labelRep.reject(line, 'lep_code', `${code} is not in ${GEOGRAPHY_FILES.leps}`);
      continue;
    }
    specYears.set(code, (specYears.get(code) ?? new Set()).add(year));
    labelRep.loaded();
  }
  let liveLeps = 0;
  for (const [code, e] of lepRows) {
    const years = [...(specYears.get(code) ?? [])];
    if (e.live) years.push(2021);
    for (const f of e.from) if (f && !e.live) years.push(yearOf(f) as number);
    const terminations = e.to.filter((t): t is string => t !== null).sort();
    const name = e.live?.name ?? e.names[0] ?? code;
    if (e.live) liveLeps += 1;
    areas.push({
      type: 'lep',
      code,
      name,
      vintage: years.length ? span(years) : 'unknown',
      status: e.live ? 'live' : 'terminated',
      validFrom: e.live ? e.live.from : (e.from.filter((f): f is string => f !== null).sort()[0] ?? null),
      validTo: e.live ? null : (terminations.at(-1) ?? null),
      formerNames: e.names.filter((n) => n !== name),
    });
    if (e.live) {
      link({
        parentType: 'country',
        parentCode: 'E92000001',
        childType: 'lep',
        childCode: code,
        relation: 'contains',
        vintage: '2021',
        share: null,
      });
    }
  }
  lepRep.note(`${lepRows.size} LEP codes, ${liveLeps} live in the final 2021 geography.`);

  // Districts: 2021/22 and 2023 lists; dates from DfE where it has them.
  const ladDates = new Map<string, { from: string | null; to: string | null }>();
  const datesRep = reporter(GEOGRAPHY_FILES.ladDates);
  for await (const { line, values } of readCsv(
    join(dir, GEOGRAPHY_FILES.ladDates),
    GEOGRAPHY_FILES.ladDates,
    ['lad_code', 'date_of_introduction', 'date_of_termination'],
  )) {
    datesRep.read();
    const code = values.lad_code?.trim();
    if (!codeOk(datesRep, line, 'lad_code', code)) continue;
    const dates = datesOk(datesRep, line, values);
    if (!dates) continue;
    const { from, to } = dates;
    ladDates.set(code, { from, to });
    datesRep.loaded();
  }
  const lads22 = await readNameList(
    dir,
    GEOGRAPHY_FILES.lads2022,
    reporter(GEOGRAPHY_FILES.lads2022),
    'areacd',
    'areanm',
  );
  const lads23 = await readNameList(
    dir,
    GEOGRAPHY_FILES.lads2023,
    reporter(GEOGRAPHY_FILES.lads2023),
    'areacd',
    'areanm',
  );
  for (const code of new Set([...lads22.keys(), ...lads23.keys()])) {
    const in22 = lads22.has(code);
    const in23 = lads23.has(code);
    const name = (lads23.get(code) ?? lads22.get(code)) as string;
    const former = lads22.get(code);
    const d = ladDates.get(code);
    areas.push({
      type: 'lad',
      code,
      name,
      vintage: in22 ? (in23 ? '2021-2023' : '2021') : '2023',
      status: in23 ? 'live' : 'terminated',
      validFrom: d?.from ?? (in22 ? null : '2023-04-01'),
      validTo: d?.to ?? (in23 ? null : '2023-04-01'),
      formerNames: former && former !== name ? [former] : [],
    });
    const country = countryOf(code);
    if (country) {
      if (in22)
        link({
          parentType: 'country',
          parentCode: country,
          childType: 'lad',
          childCode: code,
          relation: 'contains',
          vintage: '2021',
          share: null,
        });
      if (in23)
        link({
          parentType: 'country',
          parentCode: country,
          childType: 'lad',
          childCode: code,
          relation: 'contains',
          vintage: '2023',
          share: null,
        });
    }
  }

  // District → region and LEP(s), for the 2021 and 2023 district sets.
  const placeRep = reporter(GEOGRAPHY_FILES.ladRegionLep);
  const districts2023 = new Map<string, DistrictPlace>();
  const lepCodes = new Set([...lepRows.keys()]);
  for await (const { line, values } of readCsv(
    join(dir, GEOGRAPHY_FILES.ladRegionLep),
    GEOGRAPHY_FILES.ladRegionLep,
    ['year', 'lad_code', 'rgn_code', 'lep_count', 'lep_code_a', 'lep_code_b'],
  )) {
    placeRep.read();
    const year = values.year?.trim();
    const lad = values.lad_code?.trim();
    if (year !== '2021' && year !== '2023') {
      placeRep.reject(line, 'year', `expected 2021 or 2023, got "${year}"`);
      continue;
    }
    if (!codeOk(placeRep, line, 'lad_code', lad)) continue;
    const known = year === '2021' ? lads22 : lads23;
    if (!known.has(lad)) {
      placeRep.reject(line, 'lad_code', `${lad} is not a ${year} district in the ONS list`);
      continue;
    }
    const rgn = values.rgn_code?.trim() ?? '';
    const leps = [values.lep_code_a?.trim(), values.lep_code_b?.trim()].filter((c): c is string => !!c);
    const count = Number(values.lep_count);
    if (leps.length !== count) {
      placeRep.reject(line, 'lep_count', `lep_count ${values.lep_count} but ${leps.length} LEP codes given`);
      continue;
    }
    const badLep = leps.find((c) => !lepCodes.has(c));
    if (badLep) {
      placeRep.reject(line, 'lep_code_a', `unknown LEP ${badLep}`);
      continue;
    }
    const isRegion = regions.has(rgn);
    if (isRegion)
      link({
        parentType: 'region',
        parentCode: rgn,
        childType: 'lad',
        childCode: lad,
        relation: 'contains',
        vintage: year,
        share: null,
      });
    for (const lep of leps) {
      link({
        parentType: 'lep',
        parentCode: lep,
        childType: 'lad',
        childCode: lad,
        relation: 'contains',
        vintage: year,
        share: null,
      });
    }
    if (year === '2023') districts2023.set(lad, { regionCode: isRegion ? rgn : null, lepCodes: leps });
    placeRep.loaded();
  }
  placeRep.note(
    'Derived by spatial overlay (>50% of the district’s area inside the LEP May 2021 boundary); no official ONS LAD→LEP file was available. ' +
      `${[...districts2023.values()].filter((d) => d.lepCodes.length === 2).length} districts of 2023 sit in two LEPs; both memberships kept.`,
  );

  // Constituencies.
  const pcon10 = await readNameList(
    dir,
    GEOGRAPHY_FILES.pcon2010,
    reporter(GEOGRAPHY_FILES.pcon2010),
    'areacd',
    'areanm',
  );
  const pcon24 = await readNameList(
    dir,
    GEOGRAPHY_FILES.pcon2024,
    reporter(GEOGRAPHY_FILES.pcon2024),
    'areacd',
    'areanm',
  );
  for (const [code, name] of pcon10) {
    areas.push({
      type: 'pcon',
      code,
      name,
      vintage: '2010',
      status: 'terminated',
      validFrom: '2010-05-06',
      validTo: '2024-07-04',
      formerNames: [],
    });
    const country = countryOf(code);
    if (country)
      link({
        parentType: 'country',
        parentCode: country,
        childType: 'pcon',
        childCode: code,
        relation: 'contains',
        vintage: '2010',
        share: null,
      });
  }
  for (const [code, name] of pcon24) {
    areas.push({
      type: 'pcon2024',
      code,
      name,
      vintage: '2024',
      status: 'live',
      validFrom: '2024-07-04',
      validTo: null,
      formerNames: [],
    });
    const country = countryOf(code);
    if (country)
      link({
        parentType: 'country',
        parentCode: country,
        childType: 'pcon2024',
        childCode: code,
        relation: 'contains',
        vintage: '2024',
        share: null,
      });
  }
  const regionByName = new Map([...regions].map(([code, name]) => [name.toLowerCase(), code]));
  const pconRegionRep = reporter(GEOGRAPHY_FILES.pcon2010Regions);
  for await (const { line, values } of readCsv(
    join(dir, GEOGRAPHY_FILES.pcon2010Regions),
    GEOGRAPHY_FILES.pcon2010Regions,
    ['PCON10CD', 'Region'],
  )) {
    pconRegionRep.read();
    const code = values.PCON10CD?.trim();
    if (!codeOk(pconRegionRep, line, 'PCON10CD', code)) continue;
    if (!pcon10.has(code)) {
      pconRegionRep.reject(line, 'PCON10CD', `${code} is not in ${GEOGRAPHY_FILES.pcon2010}`);
      continue;
    }
    if (!code.startsWith('E')) {
      pconRegionRep.loaded(); // outside England the region column names the nation, already linked as country
      continue;
    }
    const rgn = regionByName.get(values.Region?.trim().toLowerCase() ?? '');
    if (!rgn) {
      pconRegionRep.reject(line, 'Region', `unknown English region "${values.Region}"`);
      continue;
    }
    link({
      parentType: 'region',
      parentCode: rgn,
      childType: 'pcon',
      childCode: code,
      relation: 'contains',
      vintage: '2010',
      share: null,
    });
    pconRegionRep.loaded();
  }

  await readOverlaps(
    dir,
    GEOGRAPHY_FILES.pcon2010Lad,
    'PARL10',
    'pcon',
    '2010',
    pcon10,
    lads23,
    reporter(GEOGRAPHY_FILES.pcon2010Lad),
    link,
  );
  await readOverlaps(
    dir,
    GEOGRAPHY_FILES.pcon2024Lad,
    'PCON24CD',
    'pcon2024',
    '2024',
    pcon24,
    lads23,
    reporter(GEOGRAPHY_FILES.pcon2024Lad),
    link,
  );

  return {
    areas,
    links,
    districts2023,
    pcon2010Codes: new Set(pcon10.keys()),
    pcon2024Codes: new Set(pcon24.keys()),
    reports,
  };
}

/**
 * mySociety constituency × district overlaps (by area). Links go both ways: a district's
 * constituencies (share = fraction of the constituency inside the district) and a constituency's
 * districts (share = fraction of the district inside the constituency, from the district's summed area).
 */
async function readOverlaps(
  dir: string,
  file: string,
  pconCol: string,
  pconType: 'pcon' | 'pcon2024',
  vintage: string,
  pcons: Map<string, string>,
  lads: Map<string, string>,
  rep: SourceReporter,
  link: (l: LinkRecord) => void,
) {
  const rows: { pcon: string; lad: string; area: number; pconShare: number }[] = [];
  for await (const { line, values } of readCsv(join(dir, file), file, [
    pconCol,
    'LAD23',
    'overlap_area',
    'original_area',
  ])) {
    rep.read();
    const pcon = values[pconCol]?.trim();
    const lad = values.LAD23?.trim();
    if (!codeOk(rep, line, pconCol, pcon) || !codeOk(rep, line, 'LAD23', lad)) continue;
    if (!pcons.has(pcon)) {
      rep.reject(line, pconCol, `${pcon} is not a ${pconType} constituency in the ONS list`);
      continue;
    }
    if (!lads.has(lad)) {
      rep.reject(line, 'LAD23', `${lad} is not a 2023 district`);
      continue;
    }
    const area = Number(values.overlap_area);
    const original = Number(values.original_area);
    if (!(area >= 0) || !(original > 0)) {
      rep.reject(line, 'overlap_area', 'overlap_area/original_area not positive numbers');
      continue;
    }
    rows.push({ pcon, lad, area, pconShare: Math.min(1, area / original) });
    rep.loaded();
  }
  const ladArea = new Map<string, number>();
  for (const r of rows) ladArea.set(r.lad, (ladArea.get(r.lad) ?? 0) + r.area);
  const round = (x: number) => Math.round(x * 10000) / 10000;
  for (const r of rows) {
    const ladShare = r.area / (ladArea.get(r.lad) as number);
    link({
      parentType: 'lad',
      parentCode: r.lad,
      childType: pconType,
      childCode: r.pcon,
      relation: r.pconShare >= 0.995 ? 'contains' : 'overlaps',
      vintage,
      share: round(r.pconShare),
    });
    link({
      parentType: pconType,
      parentCode: r.pcon,
      childType: 'lad',
      childCode: r.lad,
      relation: ladShare >= 0.995 ? 'contains' : 'overlaps',
      vintage,
      share: round(ladShare),
    });
  }
  rep.note(
    'Overlaps by area from mySociety (CC-BY-4.0), generalised boundaries: tiny shares are boundary slivers.',
  );
}
