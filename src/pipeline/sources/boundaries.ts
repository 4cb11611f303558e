import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { AreaType } from '../../domain/geography.ts';
import { type AreaGeometry, COORDINATE_DECIMALS, normaliseGeometry } from '../../domain/geometry.ts';
import { SourceError, SourceReporter } from '../report.ts';
import type { AreaRecord } from './geography.ts';

/**
 * Generalised (BUC) boundaries for every area type the API maps, normalised once per dataset to
 * RFC 7946 (lon/lat, right-hand winding, 5 decimals), and the published 2024 constituency hex
 * layout. Each feature is matched to an area of the dataset; anything that cannot be is reported.
 */

export const BOUNDARY_FILES = {
  leps: 'geo_boundaries/Local_Enterprise_Partnerships_May_2021_EN_BUC.geojson',
  topojson: 'geo_boundaries/ons_uk_topojson_2014_2025.topo.json',
  pcon2010: 'geo_boundaries/Westminster_Parliamentary_Constituencies_Dec_2022_UK_BUC.geojson',
  pcon2024: 'geo_boundaries/Westminster_Parliamentary_Constituencies_July_2024_UK_BUC.geojson',
  pcon2024Hexes: 'geo_boundaries/uk-constituencies-2024.hexjson',
} as const;

/** Area types that have boundaries, in the order the API lists them. */
export const MAPPED_TYPES = [
  'country',
  'region',
  'lep',
  'lad',
  'pcon',
  'pcon2024',
] as const satisfies readonly AreaType[];
export type MappedType = (typeof MAPPED_TYPES)[number];

export interface AreaShape {
  type: MappedType;
  code: string;
  geometry: AreaGeometry;
  positions: number;
  source: string;
}

export interface PublishedHex {
  code: string;
  q: number;
  r: number;
}

export interface Boundaries {
  shapes: AreaShape[];
  /** The published 2024 constituency layout, restricted to the dataset's constituencies. */
  pcon2024Hexes: { layout: string; hexes: PublishedHex[] };
  reports: SourceReporter[];
}

type GeoFeature = {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: { type: string } | null;
};

/** Which areas of a type may carry a shape: only the 38 live LEPs (the 2021 geography has boundaries). */
function areaIndex(areas: readonly AreaRecord[], type: MappedType) {
  return new Map(
    areas.filter((a) => a.type === type && (type !== 'lep' || a.status === 'live')).map((a) => [a.code, a]),
  );
}

async function readJson(dir: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dir, file), 'utf8'));
  } catch (err) {
    throw new SourceError(file, `cannot read as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function isAreaGeometry(g: GeoFeature['geometry']): g is AreaGeometry {
  return !!g && (g.type === 'Polygon' || g.type === 'MultiPolygon');
}

/**
 * Features → shapes of one type. `row` in a reject is the feature's 1-based position in the file
 * (or TopoJSON layer); `skipUnknown` counts codes the dataset does not serve instead of rejecting
 * them (the ONS TopoJSON holds every district since 2014; only the dataset's are wanted).
 */
function collect(
  features: readonly GeoFeature[],
  opts: {
    type: MappedType;
    file: string;
    codeProp: string;
    areas: Map<string, AreaRecord>;
    rep: SourceReporter;
    skipUnknown?: boolean;
  },
): AreaShape[] {
  const { rep, areas } = opts;
  const out = new Map<string, AreaShape>();
  let skipped = 0;
  const changed = new Map<string, number>();
  features.forEach((f, i) => {
    const row = i + 1;
    const code = String(f.properties?.[opts.codeProp] ?? '').trim();
    rep.read();
    if (!areas.has(code)) {
      if (opts.skipUnknown) {
        skipped++;
        rep.skip(`${opts.type} code this dataset does not serve`);
        return;
      }
      rep.reject(row, opts.codeProp, `"${code}" is not a ${opts.type} of this dataset`);
      return;
    }
    if (out.has(code)) {
      rep.reject(row, opts.codeProp, `second boundary for ${code}; the first is kept`);
      return;
    }
    if (!isAreaGeometry(f.geometry)) {
      rep.reject(row, 'geometry', `${code}: not a Polygon or MultiPolygon`);
      return;
    }
    const n = normaliseGeometry(f.geometry);
    if (!n.geometry) {
      rep.reject(row, 'geometry', `${code}: ${n.issues.join('; ')}`);
      return;
    }
    if (n.issues.length) changed.set(code, n.issues.length);
    out.set(code, { type: opts.type, code, geometry: n.geometry, positions: n.positions, source: opts.file });
    rep.loaded();
  });
  if (changed.size) {
    const list = [...changed].map(([c, k]) => `${c} (${k})`);
    rep.note(
      `${[...changed.values()].reduce((a, b) => a + b, 0)} ${opts.type} polygon(s) or hole(s) smaller than the rounding were dropped (islets): ${list.slice(0, 20).join(', ')}${list.length > 20 ? ', …' : ''}`,
    );
  }
  if (skipped)
    rep.note(`${skipped} ${opts.type} features are for codes this dataset does not serve (other years).`);
  const without = [...areas.keys()].filter((c) => !out.has(c));
  if (without.length) {
    rep.note(
      `${without.length} ${opts.type} area(s) have no boundary in this file: ${without.slice(0, 20).join(', ')}${without.length > 20 ? ', …' : ''}`,
    );
  }
  rep.note(`Rounded to ${COORDINATE_DECIMALS} decimals; exterior rings wound counter-clockwise (RFC 7946).`);
  return [...out.values()];
}

async function readGeoJsonFile(dir: string, file: string): Promise<GeoFeature[]> {
  const doc = (await readJson(dir, file)) as { type?: string; features?: GeoFeature[] };
  if (doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new SourceError(file, 'not a GeoJSON FeatureCollection');
  }
  return doc.features;
}

/** Read every boundary file under `dir` and match it to `areas`. */
export async function readBoundaries(dir: string, areas: readonly AreaRecord[]): Promise<Boundaries> {
  const reports: SourceReporter[] = [];
  const reporter = (file: string) => {
    const r = new SourceReporter(file);
    reports.push(r);
    return r;
  };
  const shapes: AreaShape[] = [];

  shapes.push(
    ...collect(await readGeoJsonFile(dir, BOUNDARY_FILES.leps), {
      type: 'lep',
      file: BOUNDARY_FILES.leps,
      codeProp: 'LEP21CD',
      areas: areaIndex(areas, 'lep'),
      rep: reporter(BOUNDARY_FILES.leps),
    }),
  );

  const topo = (await readJson(dir, BOUNDARY_FILES.topojson)) as Topology;
  if (topo?.type !== 'Topology' || typeof topo.objects !== 'object') {
    throw new SourceError(BOUNDARY_FILES.topojson, 'not a TopoJSON Topology');
  }
  const topoRep = reporter(BOUNDARY_FILES.topojson);
  for (const [layer, type] of [
    ['ctry', 'country'],
    ['rgn', 'region'],
    ['ltla', 'lad'],
  ] as const) {
    const object = topo.objects[layer] as GeometryCollection | undefined;
    if (!object) throw new SourceError(BOUNDARY_FILES.topojson, `has no "${layer}" layer`);
    const fc = feature(topo, object) as unknown as { features: GeoFeature[] };
    // A district code is reused only while the district is unchanged; when the layer lists one code
    // in several periods (start/end years), the latest is current.
    const latest = [...fc.features].sort(
      (a, b) => Number(b.properties?.start ?? 0) - Number(a.properties?.start ?? 0),
    );
    const seen = new Set<string>();
    const once = latest.filter((f) => {
      const code = String(f.properties?.areacd ?? '');
      if (seen.has(code)) return false;
      seen.add(code);
      return true;
    });
    // The earlier periods of a code are read, and skipped for the latest.
    for (let i = once.length; i < fc.features.length; i++) topoRep.read();
    topoRep.skip(
      `${type}: an earlier period of a code listed again (the latest is kept)`,
      fc.features.length - once.length,
    );
    shapes.push(
      ...collect(once, {
        type,
        file: `${BOUNDARY_FILES.topojson}#${layer}`,
        codeProp: 'areacd',
        areas: areaIndex(areas, type),
        rep: topoRep,
        skipUnknown: true,
      }),
    );
  }

  for (const [file, type, codeProp] of [
    [BOUNDARY_FILES.pcon2010, 'pcon', 'PCON22CD'],
    [BOUNDARY_FILES.pcon2024, 'pcon2024', 'PCON24CD'],
  ] as const) {
    shapes.push(
      ...collect(await readGeoJsonFile(dir, file), {
        type,
        file,
        codeProp,
        areas: areaIndex(areas, type),
        rep: reporter(file),
      }),
    );
  }

  return { shapes, pcon2024Hexes: await readHexJson(dir, areaIndex(areas, 'pcon2024'), reporter), reports };
}

/** The published HexJSON: integer q/r, one hex per cell, codes of the dataset's 2024 constituencies. */
async function readHexJson(
  dir: string,
  areas: Map<string, AreaRecord>,
  reporter: (file: string) => SourceReporter,
): Promise<Boundaries['pcon2024Hexes']> {
  const file = BOUNDARY_FILES.pcon2024Hexes;
  const rep = reporter(file);
  const doc = (await readJson(dir, file)) as {
    layout?: unknown;
    hexes?: Record<string, { q?: unknown; r?: unknown }>;
  };
  if (
    typeof doc.layout !== 'string' ||
    !['odd-r', 'even-r', 'odd-q', 'even-q'].includes(doc.layout) ||
    !doc.hexes
  ) {
    throw new SourceError(file, 'not HexJSON (needs "layout" odd-r/even-r/odd-q/even-q and "hexes")');
  }
  const hexes: PublishedHex[] = [];
  const cells = new Map<string, string>();
  let skipped = 0;
  Object.entries(doc.hexes).forEach(([code, h], i) => {
    rep.read();
    if (!areas.has(code)) {
      skipped++;
      rep.skip('constituency this dataset does not serve (not in the constituency list)');
      return;
    }
    if (!Number.isInteger(h.q) || !Number.isInteger(h.r)) {
      rep.reject(i + 1, 'q/r', `${code}: q and r must be integers`);
      return;
    }
    const cell = `${h.q},${h.r}`;
    const other = cells.get(cell);
    if (other) {
      rep.reject(i + 1, 'q/r', `${code} is on the same cell (${cell}) as ${other}`);
      return;
    }
    cells.set(cell, code);
    hexes.push({ code, q: h.q as number, r: h.r as number });
    rep.loaded();
  });
  if (skipped) rep.note(`${skipped} hexes are for constituencies this dataset does not serve.`);
  rep.note(
    'Open Innovations layout (github.com/open-innovations/constituencies); no explicit licence in the repository.',
  );
  return { layout: doc.layout, hexes };
}
