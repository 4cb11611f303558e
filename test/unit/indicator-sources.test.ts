import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/pipeline/report.ts';
import {
  type IndicatorSources,
  parseCell,
  parseIndicatorSources,
} from '../../src/pipeline/sources/indicators.ts';
import { mapLepVintage } from '../../src/pipeline/sources/lep-vintages.ts';

/** Tiny copies of the real files, same headers and quoting, with deliberate errors. */
const FIXTURES: Record<string, string> = {
  'geo_lookups/dfe_leps.csv': `local_enterprise_partnership_code,local_enterprise_partnership_name,date_of_introduction,date_of_termination,status
E37000001,Black Country,,,live
E37000016,Heart of the South West,,,live
E37000043,Buckinghamshire,2021-04-01,,live
E37000058,York and North Yorkshire,2021-04-01,,live
E37000043,Buckinghamshire Thames Valley,2020-04-01,2020-04-01,terminated
E37000058,"York, North Yorkshire and East Riding",2020-04-01,2020-04-01,terminated
E37000002,Buckinghamshire Thames Valley,,2017-04-01,terminated
X1234,Nowhere,,,live
`,
  'nesta_beis_indicators/lep_labels_by_year_spec.csv': `lep_year_spec,lep_code,lep_name
2014,E37000001,Black Country
2014,E37000002,Buckinghamshire Thames Valley
2017,E37000001,Black Country
2020,E37000001,Black Country
2020,E37000043,Buckinghamshire Thames Valley
2020,E37000058,"York, North Yorkshire and East Riding"
`,
  'nesta_beis_indicators/beis_indicators_metadata.csv': `level,indicator,source_dir,file,title,subtitle,description,source_name,source_url,data_date,framework_group,is_experimental,is_public,warning,value_type,value_label,rows,year_min,year_max,n_regions
lep,total_ukri_funding,gtr,f,Total funding (GBP) for research awarded by UKRI,Sum of all research funding,Total amount of funding (GBP) awarded by UKRI.,UKRI (UK Research and Innovation),https://gtr.ukri.org,20200910.0,public_rnd,False,False,Lead organisation gets it all.,GBP,Total Funding,5,2006,2019,41
lep,air_pollution_mean_pm10,defra,f,Mean PM10 particulate background pollution,Mean PM10 for LEP regions,,DEFRA,,,place_potential,False,,,GravimetricUnit,Mean PM10 Pollution,3,2007,2018,41
lep,mystery_indicator,gtr,f,Mystery,,,Nobody,,,x,False,,,,,1,2010,2010,1
nuts2,total_ukri_funding,gtr,f,Total funding,,,UKRI,,,x,False,,,,,1,2010,2010,1
`,
  'nesta_beis_indicators/beis_indicators_lep_long.csv': `indicator,source_dir,year,region_id,region_year_spec,value
total_ukri_funding,gtr,2010,E37000001,-2014,100.5
total_ukri_funding,gtr,2015,E37000002,2014,200.0
air_pollution_mean_pm10,defra,2018,E37000058,2020,15.25
air_pollution_mean_pm10,defra,2018,E37000043,2020,14.0
air_pollution_mean_pm10,defra,2017,E37000001,2017,n/a
air_pollution_mean_pm10,defra,20x7,E37000001,2017,12
air_pollution_mean_pm10,defra,2017,E37000001,2019,12
mystery_indicator,gtr,2010,E37000001,2014,1
total_ukri_funding,gtr,2010,E37000001,-2014,100.5
`,
  'innovate_uk_aggregates/nesta_total_ukri_funding.lep.csv': `year,lep_id,lep_year_spec,total_ukri_funding
2010,E37000001,-2014,100.5
2011,E37000001,-2014,50.0
2015,E37000002,2014,201.0
`,
  'dfe_lsip_lep_business/enterprise_counts_by_size_UBC_2018_2022.csv': `"year","geographic_level","area","enterprise size","enterprise count"
"2022","COUNTRY","England","Total","2000"
"2022","COUNTRY","England","Micro_0_to_9","1800"
"2022","LEP","Black Country","Total","100"
"2022","LEP","Black Country","Micro_0_to_9","90"
"2022","LEP","Buckinghamshire","Total","50"
"2022","LEP","Buckinghamshire","Micro_0_to_9","c"
"2022","LEP","Atlantis","Total","7"
"2022","LADU","Dudley","Total","30"
"2022","LEP","Black Country","Huge_1000","1"
"2022","LEP","Heart of the South West","Total","12a"
"2022","LEP","Black Country","Total","101"
`,
  'dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv': `"area","geographic_level","year","Agriculture and Fishing","Energy and Water","Manufacturing","Construction","Distribution, Hotels and Restaurants","Transport and Communication","Banking, Finance and Insurance","Public Administration, Education and Health","Other Services"
"England","COUNTRY","2020","100","100","100","100","100","100","100","300","100"
"Black Country","LEP","2020","low","10","20","10","10","10","10","20","10"
"Heart of the South West","LEP","2020","5","5","10","10","20","10","10","25","5"
"Buckinghamshire","LEP","2020","","1","1","1","1","1","1","1","1"
`,
  'dfe_lsip_lep_business/enterprise_demography_2016_2021.csv': `"area","geographic_level","year","births","deaths","active"
"England","COUNTRY","2021","300","250","3000"
"Black Country","LEP","2021","10","5","200"
"Heart of South West","LEP","2021","0","0","0"
"Heart of South West","LEP","2020","0","0","0"
"Heart of the South West","LEP","2021","x","6","150"
`,
  // The 2021-LEP rebuild inputs: Black Country = TLG36 + TLG37 (whole); TLK43 split between Heart of
  // the South West (East Devon, Exeter) and Buckinghamshire (Mid Devon, moved there for the test).
  'geo_lookups/derived_lad21_itl3.csv': `lad21_code,lad21_name,itl321_code,itl321_name,itl2_code,itl1_code,overlap_fraction
E08000027,Dudley,TLG36,Dudley,TLG3,TLG,0.99
E08000028,Sandwell,TLG37,Sandwell,TLG3,TLG,0.99
E07000040,East Devon,TLK43,Devon CC,TLK4,TLK,0.99
E07000041,Exeter,TLK43,Devon CC,TLK4,TLK,0.99
E07000042,Mid Devon,TLK43,Devon CC,TLK4,TLK,0.99
`,
  'geo_lookups/derived_lad_region_lep_2021_2023.csv': `year,lad_code,lad_name,rgn_code,rgn_name,rgn_overlap,lep_count,lep_code_a,lep_name_a,lep_code_b,lep_name_b,lep_overlap_a,lep_overlap_b
2021,E08000027,Dudley,E12000005,West Midlands,1.0,1,E37000001,Black Country,,,1.0,
2021,E08000028,Sandwell,E12000005,West Midlands,1.0,1,E37000001,Black Country,,,1.0,
2021,E07000040,East Devon,E12000009,South West,1.0,1,E37000016,Heart of the South West,,,1.0,
2021,E07000041,Exeter,E12000009,South West,1.0,1,E37000016,Heart of the South West,,,1.0,
2021,E07000042,Mid Devon,E12000009,South West,1.0,1,E37000043,Buckinghamshire,,,1.0,
`,
  'geo_lookups/mysociety_uk_local_authorities_current.csv': `local-authority-code,gss-code,local-authority-type,pop-2020
DUD,E08000027,MD,320000
SAW,E08000028,MD,330000
EDE,E07000040,NMD,150000
EXE,E07000041,NMD,130000
MDE,E07000042,NMD,80000
OLD,E07000004,NMD,
`,
  'nesta_beis_indicators/beis_indicators_nuts3_long.csv.gz': `indicator,source_dir,year,region_id,region_year_spec,value
air_pollution_mean_pm10,defra,2018,UKG36,2016,10
air_pollution_mean_pm10,defra,2018,UKG37,2016,20
air_pollution_mean_pm10,defra,2018,UKK43,2016,30
air_pollution_mean_pm10,defra,2012,UKG36,2010,9
air_pollution_mean_pm10,defra,2017,UKG36,2016,n/a
total_ukri_funding,gtr,2015,UKG36,2013,5
`,
};

/** Table 6 of the ONS regional accounts, as laid out in the real workbook, for three areas. */
async function writePopulation(path: string) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Table 6');
  ws.addRow(['Table 6: Total resident population numbers, persons']);
  ws.addRow(['ITL', 'ITL code', 'Region name', '2017', '2018']);
  ws.addRow(['Other', 'TLB', 'England', 1000000, 1010000]);
  ws.addRow(['ITL3', 'TLG36', 'Dudley', 300000, 300000]);
  ws.addRow(['ITL3', 'TLG37', 'Sandwell', 100000, 100000]);
  ws.addRow(['ITL3', 'TLK43', 'Devon CC', 500000, 500000]);
  mkdirSync(dirname(path), { recursive: true });
  await wb.xlsx.writeFile(path);
}

let dir: string;
let out: IndicatorSources;
const reportOf = (file: string) => out.reports.find((r) => r.source.endsWith(file));
const valuesOf = (id: string) => out.values.filter((v) => v.indicatorId === id);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'indicator-sources-'));
  for (const [file, text] of Object.entries(FIXTURES)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), file.endsWith('.gz') ? gzipSync(text) : text);
  }
  await writePopulation(join(dir, 'ons_itl_economy/ons_regional_gdp_all_itl_regions_2023-04-25.xlsx'));
  out = await parseIndicatorSources(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Nesta BEIS indicators', () => {
  it('catalogues level=lep indicators from the table and rejects uncatalogued ones', () => {
    const ukri = out.indicators.find((i) => i.id === 'ukri-research-funding');
    expect(ukri).toMatchObject({
      title: 'Total funding (GBP) for research awarded by UKRI',
      unit: 'GBP per project',
      measure: 'average',
      polarity: 'higher_is_better',
      actor: 'research_base',
      dimension: 'funding',
      sourceIndicator: 'total_ukri_funding',
      years: [2010, 2011, 2015],
      rateVariantId: null,
    });
    expect(ukri?.caveats[0]).toBe('Lead organisation gets it all.');
    expect(ukri?.description).toMatch(/per project/);
    expect(ukri?.source.licence).toMatch(/Open Government Licence v3/);
    expect(ukri?.source.files).toContain('innovate_uk_aggregates/nesta_total_ukri_funding.lep.csv');
    const pm10 = out.indicators.find((i) => i.id === 'pm10-background-pollution');
    expect(pm10).toMatchObject({
      polarity: 'lower_is_better',
      description: 'Mean PM10 for LEP regions',
      areaVintages: ['2020', '2021'],
    });
    expect(reportOf('beis_indicators_metadata.csv')?.rejects).toEqual([
      {
        file: 'nesta_beis_indicators/beis_indicators_metadata.csv',
        row: 4,
        column: 'indicator',
        reason:
          'LEP indicator "mystery_indicator" has no catalogue entry (actor, dimension, polarity) in NESTA_INDICATORS',
      },
    ]);
  });

  it('maps vintage codes only where the footprint is the same, keeping the source code', () => {
    const onOwnCode = (v: { areaCode: string; sourceCode: string; areaVintage: string }) =>
      v.areaVintage === '2021' ||
      !out.values.some((o) => o !== v && o.areaVintage === '2021' && o.sourceCode === v.sourceCode);
    expect(
      valuesOf('ukri-research-funding').filter((v) => v.sourceId === 'nesta_beis_indicators' && onOwnCode(v)),
    ).toEqual([
      {
        indicatorId: 'ukri-research-funding',
        areaCode: 'E37000001',
        areaVintage: '2021',
        year: 2010,
        value: 100.5,
        suppressed: false,
        suppressionMarker: null,
        sourceId: 'nesta_beis_indicators',
        sourceCode: 'E37000001',
        sourceVintage: '-2014',
      },
      expect.objectContaining({
        areaCode: 'E37000002',
        areaVintage: '2014',
        value: 200,
        sourceVintage: '2014',
      }),
    ]);
    const pm = valuesOf('pm10-background-pollution');
    expect(
      pm.map((v) => [v.sourceCode, v.areaCode, v.areaVintage, v.value, v.method ?? 'as-published']),
    ).toEqual([
      ['E37000058', 'E37000058', '2020', 15.25, 'as-published'],
      ['E37000043', 'E37000043', '2021', 14, 'as-published'],
      // the published value also stays on the vintage it was published on (vintage=2020)
      ['E37000043', 'E37000043', '2020', 14, 'as-published'],
      // rebuilt from NUTS3: (10 × 300k + 20 × 100k) / 400k; Devon CC apportioned to HotSW
      ['UKG36+UKG37', 'E37000001', '2021', 12.5, 'nuts3-weighted'],
      ['UKK43', 'E37000016', '2021', 30, 'apportioned'],
    ]);
  });

  it('reports every bad row with file, row, column and reason', () => {
    expect(reportOf('beis_indicators_lep_long.csv')?.rejects).toEqual([
      {
        file: 'nesta_beis_indicators/beis_indicators_lep_long.csv',
        row: 6,
        column: 'value',
        reason: 'not a number: "n/a"',
      },
      {
        file: 'nesta_beis_indicators/beis_indicators_lep_long.csv',
        row: 7,
        column: 'year',
        reason: 'not a year: "20x7"',
      },
      {
        file: 'nesta_beis_indicators/beis_indicators_lep_long.csv',
        row: 8,
        column: 'region_year_spec',
        reason: 'unknown LEP vintage "2019"',
      },
      {
        file: 'nesta_beis_indicators/beis_indicators_lep_long.csv',
        row: 9,
        column: 'indicator',
        reason: 'unknown LEP indicator "mystery_indicator" (not in the level=lep metadata)',
      },
      {
        file: 'nesta_beis_indicators/beis_indicators_lep_long.csv',
        row: 10,
        column: 'value',
        reason: 'duplicate of an earlier row for total_ukri_funding 2010 E37000001 (-2014)',
      },
    ]);
    expect(reportOf('beis_indicators_lep_long.csv')).toMatchObject({
      rowsRead: 9,
      rowsLoaded: 4,
      rowsRejected: 5,
    });
    expect(reportOf('dfe_leps.csv')?.rejects).toEqual([
      {
        file: 'geo_lookups/dfe_leps.csv',
        row: 9,
        column: 'local_enterprise_partnership_code',
        reason: 'not a LEP (E37) code: "X1234"',
      },
    ]);
  });

  it('publishes the mapping table with reasons and value counts', () => {
    const find = (code: string, spec: string) =>
      out.lepMapping.find((m) => m.fromCode === code && m.fromSpec === spec);
    expect(find('E37000001', '-2014')).toMatchObject({
      fromName: 'Black Country',
      toCode: 'E37000001',
      rule: 'same_code_and_name',
      values: 2,
    });
    expect(find('E37000043', '2020')).toMatchObject({
      toCode: 'E37000043',
      toName: 'Buckinghamshire',
      rule: 'documented_rename',
      values: 1,
    });
    expect(find('E37000058', '2020')).toMatchObject({
      toCode: null,
      rule: 'unmapped',
      codeReusedIn2021: true,
      values: 1,
    });
    expect(find('E37000058', '2020')?.reason).toMatch(/East Riding/);
    expect(find('E37000002', '2014')).toMatchObject({
      toCode: null,
      rule: 'unmapped',
      codeReusedIn2021: false,
      values: 1,
    });
    // Labelled pairs without values are listed too.
    expect(find('E37000001', '2017')).toMatchObject({ toCode: 'E37000001', values: 0 });
  });
});

describe('rebuild on the 2021 LEPs from NUTS3', () => {
  it('weights rates by population, apportions a cut area by district population and lists the inputs', () => {
    const devon = valuesOf('pm10-background-pollution').find((v) => v.areaCode === 'E37000016');
    // HotSW holds East Devon + Exeter: 280k of Devon CC's 360k mid-2020 residents.
    expect(devon?.inputs).toEqual({
      file: 'nesta_beis_indicators/beis_indicators_nuts3_long.csv.gz',
      areas: [{ code: 'UKK43', value: 30, share: 280000 / 360000, weight: 500000 }],
    });
    const parts = out.lepGeography.parts.get('E37000016');
    expect(parts).toEqual([
      { itl3: 'TLK43', share: 280000 / 360000, districts: ['E07000040', 'E07000041'], ofDistricts: 3 },
    ]);
  });

  it('computes England from every English NUTS3 area and keeps a published value over the rebuild', () => {
    const eng = out.englandValues.find((e) => e.indicatorId === 'pm10-background-pollution');
    expect(eng?.value).toBeCloseTo((10 * 300000 + 20 * 100000 + 30 * 500000) / 900000, 10);
    const notes = reportOf('beis_indicators_nuts3_long.csv.gz')?.notes.join('\n') ?? '';
    expect(notes).toMatch(/published vs rebuilt, pm10-background-pollution: 1 LEP-years compared, 0 equal/);
    expect(notes).toMatch(/air_pollution_mean_pm10 2012 \(NUTS 2010\): 1/);
    expect(notes).toMatch(/Not re-aggregated.*ukri-research-funding/);
    expect(reportOf('beis_indicators_nuts3_long.csv.gz')?.rejects).toEqual([
      {
        file: 'nesta_beis_indicators/beis_indicators_nuts3_long.csv.gz',
        row: 6,
        column: 'value',
        reason: 'not a number: "n/a"',
      },
    ]);
    expect(reportOf('mysociety_uk_local_authorities_current.csv')?.rowsRejected).toBe(0);
  });
});

describe('UKRI funding file', () => {
  it('confirms equal rows, adds missing ones and rejects differing ones', () => {
    expect(
      valuesOf('ukri-research-funding').filter(
        (v) => v.sourceId === 'nesta_gtr_total_ukri_funding' && v.areaVintage === '2021',
      ),
    ).toEqual([
      expect.objectContaining({
        areaCode: 'E37000001',
        areaVintage: '2021',
        year: 2011,
        value: 50,
        sourceVintage: '-2014',
      }),
    ]);
    expect(reportOf('nesta_total_ukri_funding.lep.csv')?.rejects).toEqual([
      {
        file: 'innovate_uk_aggregates/nesta_total_ukri_funding.lep.csv',
        row: 4,
        column: 'total_ukri_funding',
        reason:
          "201 differs from 200 in the BEIS long file for 2015 E37000002 (2014); the long file's value is kept",
      },
    ]);
  });
});

describe('DfE business counts', () => {
  it('joins LEP names to 2021 codes and reads England from COUNTRY rows', () => {
    expect(valuesOf('enterprises')).toEqual([
      {
        indicatorId: 'enterprises',
        areaCode: 'E37000001',
        areaVintage: '2021',
        year: 2022,
        value: 100,
        suppressed: false,
        suppressionMarker: null,
        sourceId: 'dfe_ubc_enterprises_by_size',
        sourceCode: 'Black Country',
        sourceVintage: '2021',
      },
      expect.objectContaining({ areaCode: 'E37000043', value: 50 }),
    ]);
    expect(
      out.englandValues.filter(
        (e) => e.indicatorId.startsWith('enterprises') && !e.indicatorId.endsWith('-per-head'),
      ),
    ).toEqual([
      expect.objectContaining({ indicatorId: 'enterprises', areaCode: 'E92000001', year: 2022, value: 2000 }),
      expect.objectContaining({ indicatorId: 'enterprises-micro', value: 1800 }),
      expect.objectContaining({ indicatorId: 'enterprises-micro-share', value: 90 }),
    ]);
  });

  it('keeps suppressed cells as suppressed (not zero) and suppresses rates built on them', () => {
    const micro = valuesOf('enterprises-micro').find((v) => v.areaCode === 'E37000043');
    expect(micro).toMatchObject({ value: null, suppressed: true, suppressionMarker: 'c' });
    expect(valuesOf('enterprises-micro-share').map((v) => [v.areaCode, v.value, v.suppressed])).toEqual([
      ['E37000001', 90, false],
      ['E37000043', null, true],
    ]);
    const agri = valuesOf('employment-agriculture-fishing').find((v) => v.areaCode === 'E37000001');
    expect(agri).toMatchObject({ value: null, suppressed: true, suppressionMarker: 'low' });
    // One suppressed industry ("low": below 500) leaves the denominator between 100 and 600: the other
    // shares are bounded (20 / 600 and 20 / 100) and served at the midpoint, not suppressed.
    expect(
      valuesOf('employment-manufacturing-share').map((v) => [v.areaCode, v.value, v.suppressed, v.method]),
    ).toEqual([
      ['E37000001', (100 / 30 + 20) / 2, false, 'derived'],
      ['E37000016', 10, false, 'derived'],
    ]);
    const bounds = valuesOf('employment-manufacturing-share')[0]?.bounds;
    expect(bounds?.lower).toBeCloseTo(100 / 30, 12);
    expect(bounds?.upper).toBe(20);
    expect(bounds?.note).toMatch(
      /Agriculture and Fishing \(500 \(low = Nomis "~", an estimate below 500\)\)/,
    );
    // The suppressed group's own share stays null, with its range: 0 to 500 / 600.
    const agriShare = valuesOf('employment-agriculture-fishing-share').find(
      (v) => v.areaCode === 'E37000001',
    );
    expect(agriShare).toMatchObject({ value: null, suppressed: true, suppressionMarker: 'low' });
    expect(agriShare?.bounds?.upper).toBeCloseTo((500 / 600) * 100, 12);
    expect(agri?.bounds).toMatchObject({ lower: 0, upper: 500 });
    const births = valuesOf('enterprise-births').find((v) => v.areaCode === 'E37000016');
    expect(births).toMatchObject({ value: null, suppressed: true, suppressionMarker: 'x' });
  });

  it('derives rates only from numerator and denominator in the source', () => {
    expect(valuesOf('enterprise-birth-rate').map((v) => [v.areaCode, v.value, v.suppressed])).toEqual([
      ['E37000001', 50, false],
      ['E37000016', null, true],
    ]);
    expect(valuesOf('enterprise-death-rate').map((v) => [v.areaCode, v.value])).toEqual([
      ['E37000001', 25],
      ['E37000016', 40],
    ]);
    expect(out.englandValues.find((e) => e.indicatorId === 'enterprise-birth-rate')?.value).toBe(100);
    const def = out.indicators.find((i) => i.id === 'enterprise-births');
    expect(def?.rateVariantId).toBe('enterprise-birth-rate');
    expect(out.indicators.find((i) => i.id === 'enterprise-birth-rate')?.rateOf).toEqual({
      numeratorId: 'enterprise-births',
      denominatorId: 'active-enterprises',
      denominator: 'active enterprises',
      per: 1000,
    });
  });

  it('reports rejects and notes the deliberate drop of "Heart of South West"', () => {
    const ubc = 'dfe_lsip_lep_business/enterprise_counts_by_size_UBC_2018_2022.csv';
    expect(reportOf('enterprise_counts_by_size_UBC_2018_2022.csv')?.rejects).toEqual([
      { file: ubc, row: 8, column: 'area', reason: '"Atlantis" is not the name of a 2021 LEP' },
      { file: ubc, row: 10, column: 'enterprise size', reason: 'unknown size band "Huge_1000"' },
      { file: ubc, row: 11, column: 'enterprise count', reason: 'not a number: "12a"' },
      { file: ubc, row: 12, column: 'enterprise size', reason: 'duplicate Total for Black Country 2022' },
    ]);
    expect(reportOf('enterprise_counts_by_size_UBC_2018_2022.csv')?.notes).toContain(
      'not loaded (LEP profiles use LEP and COUNTRY rows only): 1 LADU rows.',
    );
    expect(reportOf('employment_by_industry_APS_2018_2022.csv')?.rejects).toEqual([
      {
        file: 'dfe_lsip_lep_business/employment_by_industry_APS_2018_2022.csv',
        row: 5,
        column: 'Agriculture and Fishing',
        reason: 'blank value',
      },
    ]);
    const demo = reportOf('enterprise_demography_2016_2021.csv');
    expect(demo?.rejects).toEqual([]);
    expect(demo?.notes.some((n) => n.startsWith('dropped 2 rows for "Heart of South West"'))).toBe(true);
    expect(out.values.some((v) => v.sourceCode === 'Heart of South West')).toBe(false);
  });
});

describe('helpers', () => {
  it('parseCell reads numbers and markers and refuses the rest', () => {
    expect(parseCell(' 12.50 ')).toEqual({ ok: true, value: 12.5, marker: null });
    expect(parseCell('-3e2')).toEqual({ ok: true, value: -300, marker: null });
    expect(parseCell('LOW')).toEqual({ ok: true, value: null, marker: 'low' });
    expect(parseCell('c', [])).toEqual({ ok: false, reason: 'not a number: "c"' });
    expect(parseCell('1,234')).toEqual({ ok: false, reason: 'not a number: "1,234"' });
    expect(parseCell('')).toEqual({ ok: false, reason: 'blank value' });
  });

  it('mapLepVintage leaves unlabelled codes unmapped', () => {
    const m = mapLepVintage('E37000009', '2017', new Map(), new Map([['E37000009', 'Dorset']]));
    expect(m).toMatchObject({ toCode: null, rule: 'unmapped', codeReusedIn2021: true });
  });

  it('fails loudly when a file is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'indicator-sources-empty-'));
    await expect(parseIndicatorSources(empty)).rejects.toBeInstanceOf(SourceError);
    await expect(parseIndicatorSources(empty)).rejects.toThrow('geo_lookups/dfe_leps.csv: not found');
    rmSync(empty, { recursive: true, force: true });
  });
});
