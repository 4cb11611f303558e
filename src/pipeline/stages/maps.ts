import { neighbors } from 'topojson-client';
import { topology } from 'topojson-server';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { bboxOf, centroidOf } from '../../domain/geometry.ts';
import { layoutHexes } from '../../domain/hex-layout.ts';
import type { SourceInfo } from '../catalogue.ts';
import { type AreaShape, BOUNDARY_FILES, MAPPED_TYPES, readBoundaries } from '../sources/boundaries.ts';
import type { AreaRecord } from '../sources/geography.ts';
import type { Stage } from './stage.ts';

export const MAP_SOURCES: SourceInfo[] = [
  {
    id: 'map_boundaries',
    title:
      'Generalised (BUC) boundaries: LEPs May 2021, ONS UK TopoJSON 2014–2025 (districts, regions, countries), 2024 constituency hex layout',
    files: [BOUNDARY_FILES.leps, BOUNDARY_FILES.topojson, BOUNDARY_FILES.pcon2024Hexes],
    publisher:
      'ONS Open Geography (via DfE lsip_dashboard and ONSvisual uk-topojson); Open Innovations (hex layout)',
    licence:
      'Open Government Licence v3: Source: Office for National Statistics licensed under the Open Government Licence v.3.0. Contains OS data © Crown copyright and database right. Hex layout: Open Innovations, no explicit licence.',
    provenance:
      'Constituency boundaries are those of the constituency_boundaries source. Every boundary is rounded to 5 decimals and rewound to RFC 7946; TopoJSON is rebuilt per area type with shared arcs, quantised to 1e5; the LEP hex layout is computed by the pipeline (METHODS.md "Maps").',
  },
];

/** TopoJSON quantisation: 10⁵ steps across each type's extent (≈ 10 m over England). */
export const TOPOJSON_QUANTIZATION = 100_000;

/** Spherical-enough projection for England: x = lon · cos(53°), y = lat. */
const PROJECTION_LAT = 53;

interface LayerRow {
  areaType: string;
  format: 'topojson' | 'hexjson';
  body: string;
  features: number;
  notes: Record<string, unknown>;
}

/** One type's shapes as a TopoJSON topology: object named after the type, geometries keyed by code. */
export function buildTopology(
  type: string,
  shapes: readonly AreaShape[],
  names: Map<string, string>,
): Topology {
  const fc = {
    type: 'FeatureCollection' as const,
    features: shapes.map((s) => ({
      type: 'Feature' as const,
      id: s.code,
      properties: { code: s.code, name: names.get(s.code) ?? s.code },
      geometry: s.geometry,
    })),
  };
  // biome-ignore lint/suspicious/noExplicitAny: topojson-server takes any GeoJSON object map.
  return topology({ [type]: fc } as any, TOPOJSON_QUANTIZATION);
}

/** Neighbouring areas of a topology's object: pairs that share an arc (a stretch of boundary). */
export function sharedBoundaryPairs(topo: Topology, object: string): [string, string][] {
  const geoms = (topo.objects[object] as GeometryCollection).geometries;
  const pairs: [string, string][] = [];
  neighbors(geoms as never).forEach((js, i) => {
    for (const j of js) {
      if (i < j) pairs.push([String(geoms[i]?.id), String(geoms[j]?.id)]);
    }
  });
  return pairs;
}

function buildLayers(
  shapes: readonly AreaShape[],
  areas: readonly AreaRecord[],
  pcon2024Hexes: { layout: string; hexes: { code: string; q: number; r: number }[] },
): LayerRow[] {
  const rows: LayerRow[] = [];
  for (const type of MAPPED_TYPES) {
    const of = shapes.filter((s) => s.type === type);
    if (of.length === 0) continue;
    const names = new Map(areas.filter((a) => a.type === type).map((a) => [a.code, a.name]));
    const topo = buildTopology(type, of, names);
    rows.push({
      areaType: type,
      format: 'topojson',
      body: JSON.stringify(topo),
      features: of.length,
      notes: { quantization: TOPOJSON_QUANTIZATION, object: type },
    });
    if (type === 'lep') rows.push(lepHexLayer(of, names, sharedBoundaryPairs(topo, type)));
    if (type === 'pcon2024' && pcon2024Hexes.hexes.length) {
      const hexes = Object.fromEntries(
        pcon2024Hexes.hexes.map((h) => [h.code, { q: h.q, r: h.r, n: names.get(h.code) ?? h.code }]),
      );
      rows.push({
        areaType: type,
        format: 'hexjson',
        body: JSON.stringify({ layout: pcon2024Hexes.layout, hexes }),
        features: pcon2024Hexes.hexes.length,
        notes: { method: 'published by Open Innovations (uk-constituencies-2024.hexjson)' },
      });
    }
  }
  return rows;
}

/** The LEP hex cartogram, computed from the boundaries (nobody publishes one). */
function lepHexLayer(
  shapes: readonly AreaShape[],
  names: Map<string, string>,
  pairs: [string, string][],
): LayerRow {
  const k = Math.cos((PROJECTION_LAT * Math.PI) / 180);
  const sites = shapes.map((s) => {
    const [lng, lat] = centroidOf(s.geometry);
    return { code: s.code, x: lng * k, y: lat };
  });
  const out = layoutHexes(sites, pairs);
  const hexes = Object.fromEntries(
    [...out.hexes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, c]) => [code, { ...c, n: names.get(code) ?? code }]),
  );
  return {
    areaType: 'lep',
    format: 'hexjson',
    body: JSON.stringify({ layout: out.layout, hexes }),
    features: shapes.length,
    notes: {
      method:
        'computed by the pipeline: Hungarian assignment of boundary centroids to hex cells minimising squared displacement, then moves and swaps that keep neighbouring LEPs adjacent (METHODS.md "Maps")',
      neighbourPairs: out.neighbourPairs,
      neighboursKept: out.neighboursKept,
      meanDisplacementHexes: Math.round(out.meanDisplacement * 1000) / 1000,
    },
  };
}

/** Boundaries per area type (GeoJSON geometry per area, TopoJSON per type) and the hex layouts. */
export const mapStage: Stage = {
  name: 'maps',
  tables: ['area_shapes', 'map_layers'],
  sources: () => MAP_SOURCES,
  async prepare(ctx) {
    const geo = ctx.geography;
    if (!geo) throw new Error('the maps stage needs the geography stage first');
    const b = await readBoundaries(ctx.dataDir, geo.areas);
    const layers = buildLayers(b.shapes, geo.areas, b.pcon2024Hexes);
    ctx.log(`maps: ${b.shapes.length} boundaries, ${layers.length} layers`);
    return {
      reports: b.reports.map((r) => r.report),
      async copy(run, schema) {
        await run.copyRows(
          `"${schema}".area_shapes`,
          ['type', 'code', 'geometry', 'bbox', 'centroid_lat', 'centroid_lng', 'positions'],
          b.shapes.map((s) => {
            const [lng, lat] = centroidOf(s.geometry);
            return [
              s.type,
              s.code,
              JSON.stringify(s.geometry),
              bboxOf(s.geometry),
              round6(lat),
              round6(lng),
              s.positions,
            ];
          }),
        );
        await run.copyRows(
          `"${schema}".map_layers`,
          ['area_type', 'format', 'body', 'features', 'notes'],
          layers.map((l) => [l.areaType, l.format, l.body, l.features, l.notes]),
        );
      },
      async derive(run, schema) {
        const s = `"${schema}"`;
        // Areas no postcode falls in (e.g. the sample's LEPs outside its districts) take the
        // boundary's centroid, so every mapped area has a position; the API states which it is.
        await run.exec(`
          update ${s}.areas a set centroid_lat = sh.centroid_lat, centroid_lng = sh.centroid_lng
          from ${s}.area_shapes sh
          where a.type = sh.type and a.code = sh.code and a.centroid_lat is null`);
      },
    };
  },
};

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
