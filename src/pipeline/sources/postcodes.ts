import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { normalisePostcode } from '../../domain/geography.ts';
import { readCsv } from '../csv.ts';
import { SourceReporter } from '../report.ts';
import { countryOf, type Geography } from './geography.ts';

export const POSTCODE_FILES = {
  codepoint: 'postcodes/codepoint_open_postcode_lad_ward_latlong.csv.gz',
  wards: 'geo_lookups/dfe_ward_lad_la_pcon_hierarchy.csv.gz',
  boundaries2010: 'geo_boundaries/Westminster_Parliamentary_Constituencies_Dec_2022_UK_BUC.geojson',
  boundaries2024: 'geo_boundaries/Westminster_Parliamentary_Constituencies_July_2024_UK_BUC.geojson',
} as const;

/** Column order matches the postcodes table, for COPY. */
export type PostcodeTuple = [
  key: string,
  postcode: string,
  quality: number | null,
  lat: number | null,
  lng: number | null,
  countryCode: string | null,
  ladCode: string | null,
  wardCode: string | null,
  wardName: string | null,
  regionCode: string | null,
  pconCode: string | null,
  pconMethod: string | null,
  pcon2024Code: string | null,
  pcon2024Method: string | null,
  lepCodes: string[],
];

export const POSTCODE_COLUMNS = [
  'key',
  'postcode',
  'quality',
  'lat',
  'lng',
  'country_code',
  'lad_code',
  'ward_code',
  'ward_name',
  'region_code',
  'pcon_code',
  'pcon_method',
  'pcon2024_code',
  'pcon2024_method',
  'lep_codes',
] as const;

const COUNTRY_BY_CP: Record<string, string> = {
  E92000001: 'E92000001',
  W92000004: 'W92000004',
  S92000003: 'S92000003',
};

interface WardInfo {
  name: string;
  pcon2010: Set<string>;
  pcon2024: Set<string>;
}

/** Ward → name and constituencies, from the DfE ward hierarchy (rows valid in 2023 for 2010 seats, 2024 for the new ones). */
async function readWards(dir: string, geo: Geography, rep: SourceReporter): Promise<Map<string, WardInfo>> {
  const wards = new Map<string, WardInfo>();
  for await (const { line, values } of readCsv(join(dir, POSTCODE_FILES.wards), POSTCODE_FILES.wards, [
    'first_available_year_included',
    'most_recent_year_included',
    'ward_name',
    'ward_code',
    'pcon_code',
  ])) {
    rep.read();
    const first = Number(values.first_available_year_included);
    const last = Number(values.most_recent_year_included);
    const code = values.ward_code?.trim() ?? '';
    const pcon = values.pcon_code?.trim() ?? '';
    if (!Number.isInteger(first) || !Number.isInteger(last)) {
      rep.reject(line, 'first_available_year_included', 'year range is not numeric');
      continue;
    }
    if (!code) {
      rep.reject(line, 'ward_code', 'blank ward code');
      continue;
    }
    const w = wards.get(code) ?? {
      name: values.ward_name?.trim() ?? '',
      pcon2010: new Set(),
      pcon2024: new Set(),
    };
    if (last >= 2024 || !w.name) w.name = values.ward_name?.trim() ?? w.name;
    if (first <= 2023 && last >= 2023 && geo.pcon2010Codes.has(pcon)) w.pcon2010.add(pcon);
    if (last >= 2024 && geo.pcon2024Codes.has(pcon)) w.pcon2024.add(pcon);
    wards.set(code, w);
    rep.loaded();
  }
  return wards;
}

interface Shape {
  code: string;
  bbox: [number, number, number, number];
  feature: Feature<Polygon | MultiPolygon>;
}

/** Constituency boundaries with bounding boxes, for the point-in-polygon fallback. */
async function readShapes(
  dir: string,
  file: string,
  codeProp: string,
  rep: SourceReporter,
): Promise<Shape[]> {
  const gj = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
    features: Feature<Polygon | MultiPolygon>[];
  };
  const shapes: Shape[] = [];
  gj.features.forEach((f, i) => {
    rep.read();
    const code = String(f.properties?.[codeProp] ?? '');
    if (!code || !f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) {
      rep.reject(i + 1, codeProp, 'feature without a code or a polygon geometry');
      return;
    }
    const rings = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of rings) {
      for (const [x, y] of poly[0] ?? []) {
        if (x === undefined || y === undefined) continue;
        bbox[0] = Math.min(bbox[0], x);
        bbox[1] = Math.min(bbox[1], y);
        bbox[2] = Math.max(bbox[2], x);
        bbox[3] = Math.max(bbox[3], y);
      }
    }
    shapes.push({ code, bbox, feature: f });
    rep.loaded();
  });
  rep.note(
    'Generalised (BUC) boundaries: used only when the ward lookup cannot place a postcode; points near a border may be misassigned.',
  );
  return shapes;
}

function locate(shapes: Shape[], lng: number, lat: number): string | null {
  for (const s of shapes) {
    if (lng < s.bbox[0] || lng > s.bbox[2] || lat < s.bbox[1] || lat > s.bbox[3]) continue;
    if (booleanPointInPolygon([lng, lat], s.feature)) return s.code;
  }
  return null;
}

/** The ward decides when it lies in exactly one constituency; otherwise the point is tested against the boundaries. */
function placeConstituency(
  fromWard: Set<string> | undefined,
  shapes: Shape[],
  lat: number | null,
  lng: number | null,
): [string | null, 'ward' | 'point-in-polygon' | null] {
  if (fromWard?.size === 1) return [[...fromWard][0] as string, 'ward'];
  const hit = lat !== null && lng !== null ? locate(shapes, lng, lat) : null;
  return hit ? [hit, 'point-in-polygon'] : [null, null];
}

/**
 * Read Code-Point Open and place every postcode: district and ward from Code-Point, region and LEP(s)
 * from the district, constituencies from the ward (or the boundaries when the ward cannot decide).
 */
export async function readPostcodes(dir: string, geo: Geography) {
  const wardRep = new SourceReporter(POSTCODE_FILES.wards);
  const wards = await readWards(dir, geo, wardRep);
  const b10Rep = new SourceReporter(POSTCODE_FILES.boundaries2010);
  const b24Rep = new SourceReporter(POSTCODE_FILES.boundaries2024);
  const shapes10 = await readShapes(dir, POSTCODE_FILES.boundaries2010, 'PCON22CD', b10Rep);
  const shapes24 = await readShapes(dir, POSTCODE_FILES.boundaries2024, 'PCON24CD', b24Rep);

  const rep = new SourceReporter(POSTCODE_FILES.codepoint);
  const rows: PostcodeTuple[] = [];
  const seen = new Set<string>();
  const methods = {
    ward10: 0,
    pip10: 0,
    none10: 0,
    ward24: 0,
    pip24: 0,
    none24: 0,
    noLad: 0,
    unknownLad: 0,
    noCoords: 0,
  };
  for await (const { line, values } of readCsv(
    join(dir, POSTCODE_FILES.codepoint),
    POSTCODE_FILES.codepoint,
    ['postcode', 'positional_quality', 'country_code', 'lad_code', 'ward_code', 'lat', 'long'],
  )) {
    rep.read();
    const pc = normalisePostcode(values.postcode ?? '');
    if (!pc) {
      rep.reject(line, 'postcode', `malformed postcode "${values.postcode}"`);
      continue;
    }
    if (seen.has(pc.key)) {
      rep.reject(line, 'postcode', `duplicate postcode ${pc.display}`);
      continue;
    }
    const qualityText = values.positional_quality?.trim() ?? '';
    const quality = qualityText === '' ? null : Number(qualityText);
    if (quality !== null && !Number.isInteger(quality)) {
      rep.reject(line, 'positional_quality', `not an integer: "${qualityText}"`);
      continue;
    }
    const latText = values.lat?.trim() ?? '';
    const lngText = values.long?.trim() ?? '';
    let lat: number | null = null;
    let lng: number | null = null;
    if (latText !== '' || lngText !== '') {
      lat = Number(latText);
      lng = Number(lngText);
      if (!(lat >= 49 && lat <= 61) || !(lng >= -9 && lng <= 2.5)) {
        rep.reject(line, 'lat', `coordinates outside Great Britain: ${latText}, ${lngText}`);
        continue;
      }
    } else {
      methods.noCoords += 1;
    }
    seen.add(pc.key);
    const lad = values.lad_code?.trim() || null;
    const wardCode = values.ward_code?.trim() || null;
    const place = lad ? geo.districts2023.get(lad) : undefined;
    if (!lad) methods.noLad += 1;
    else if (!place && lad.startsWith('E')) methods.unknownLad += 1;
    const ward = wardCode ? wards.get(wardCode) : undefined;

    const [pcon, pconMethod] = placeConstituency(ward?.pcon2010, shapes10, lat, lng);
    const [pcon24, pcon24Method] = placeConstituency(ward?.pcon2024, shapes24, lat, lng);
    if (pconMethod === 'ward') methods.ward10 += 1;
    else if (pconMethod) methods.pip10 += 1;
    else methods.none10 += 1;
    if (pcon24Method === 'ward') methods.ward24 += 1;
    else if (pcon24Method) methods.pip24 += 1;
    else methods.none24 += 1;

    const country =
      COUNTRY_BY_CP[values.country_code?.trim() ?? ''] ?? (lad ? (countryOf(lad) ?? null) : null);
    rows.push([
      pc.key,
      pc.display,
      quality,
      lat,
      lng,
      country,
      lad,
      wardCode,
      ward?.name || null,
      place?.regionCode ?? null,
      pcon,
      pconMethod,
      pcon24,
      pcon24Method,
      place?.lepCodes ?? [],
    ]);
    rep.loaded();
  }
  rep.note(
    `2010-boundary constituency: ${methods.ward10} by ward, ${methods.pip10} by point-in-polygon, ${methods.none10} unplaced. ` +
      `2024 constituency: ${methods.ward24} by ward, ${methods.pip24} by point-in-polygon, ${methods.none24} unplaced.`,
  );
  rep.note(
    `${methods.noLad} postcodes carry no district code and ${methods.noCoords} no coordinates in Code-Point (loaded with those fields empty); ` +
      `${methods.unknownLad} English postcodes have a district missing from the district→LEP lookup.`,
  );
  return { rows, reports: [wardRep, b10Rep, b24Rep, rep] };
}
