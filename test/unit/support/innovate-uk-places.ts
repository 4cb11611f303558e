import type { SynthPlace } from '../../../src/pipeline/synth/places.ts';

/**
 * A small in-memory geography for generator tests: England (including two districts that sit in
 * two LEPs), Scotland and Wales, with real postcodes and the names the official file prints.
 */
export function testPlaces(): SynthPlace[] {
  const england = 'E92000001';
  const rows: [string, string, string, string, string, string[]][] = [
    ['LS1 4AP', england, 'E08000035', 'Leeds', 'Yorkshire and The Humber', ['Leeds City Region']],
    ['LS6 2AA', england, 'E08000035', 'Leeds', 'Yorkshire and The Humber', ['Leeds City Region']],
    ['M1 1AE', england, 'E08000003', 'Manchester', 'North West', ['Greater Manchester']],
    ['M13 9PL', england, 'E08000003', 'Manchester', 'North West', ['Greater Manchester']],
    ['SW1A 1AA', england, 'E09000033', 'Westminster', 'London', ['London']],
    ['EC1A 1BB', england, 'E09000001', 'City of London', 'London', ['London']],
    [
      'CB2 1TN',
      england,
      'E07000008',
      'Cambridge',
      'East of England',
      ['Greater Cambridge and Greater Peterborough'],
    ],
    [
      'WS11 1BG',
      england,
      'E07000192',
      'Cannock Chase',
      'West Midlands',
      ['Greater Birmingham and Solihull', 'Stoke-on-Trent and Staffordshire'],
    ],
    [
      'B60 1AA',
      england,
      'E07000234',
      'Bromsgrove',
      'West Midlands',
      ['Greater Birmingham and Solihull', 'Worcestershire'],
    ],
    ['PE30 1EX', england, 'E07000146', "King's Lynn and West Norfolk", 'East of England', ['New Anglia']],
    ['WA10 1HJ', england, 'E08000013', 'St. Helens', 'North West', ['Liverpool City Region']],
    ['G1 1XQ', 'S92000003', 'S12000049', 'Glasgow City', 'Scotland', []],
    ['EH1 1YZ', 'S92000003', 'S12000036', 'City of Edinburgh', 'Scotland', []],
    ['CF10 1EP', 'W92000004', 'W06000015', 'Cardiff', 'Wales', []],
  ];
  return rows.map(([postcode, countryCode, ladCode, ladName, regionName, lepNames]) => ({
    postcode,
    countryCode,
    ladCode,
    ladName,
    regionName,
    lepNames,
  }));
}
