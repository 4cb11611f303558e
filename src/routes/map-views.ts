import { z } from '@hono/zod-openapi';
import { COORDINATE_DECIMALS } from '../domain/geometry.ts';
import { CLASS_METHODS, MAX_CLASSES, MIN_CLASSES } from '../domain/map-classes.ts';
import { intQuery } from '../http/params.ts';
import { ProvenanceSchema } from '../http/provenance.ts';
import { IndicatorSummary } from './indicator-views.ts';
import { InvestmentSchema } from './investment-views.ts';

/**
 * The published shapes of the map documents (GeoJSON, TopoJSON, HexJSON), written by hand like
 * every other response schema, and the query parameters the map formats add to a route.
 */

export const GEOJSON_MEDIA = 'application/geo+json';
export const TOPOJSON_MEDIA = 'application/topo+json';
export const HEXJSON_MEDIA = 'application/hex+json';

export const mapFormatQuery = {
  classes: z.enum(CLASS_METHODS).optional().openapi({
    description:
      'Map formats only: how values are grouped into colour classes — quantile (default) or jenks (natural breaks). Location quotients always use fixed breaks around 1.',
    example: 'quantile',
  }),
  k: intQuery({
    min: MIN_CLASSES,
    max: MAX_CLASSES,
    description: `Map formats only: number of classes (${MIN_CLASSES}–${MAX_CLASSES}); default 5.`,
    example: 5,
  }).optional(),
};

const Position = z
  .array(z.number())
  .openapi({ description: '[longitude, latitude]', example: [-2.24, 53.48] });

const Polygon = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(Position)).openapi({
      description:
        'Linear rings: the exterior counter-clockwise first, then holes clockwise; first = last position.',
    }),
  })
  .openapi('GeoJsonPolygon');

const MultiPolygon = z
  .object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) })
  .openapi('GeoJsonMultiPolygon');

const AreaGeometry = z.union([Polygon, MultiPolygon]).openapi('GeoJsonAreaGeometry');

const Point = z.object({ type: z.literal('Point'), coordinates: Position }).openapi('GeoJsonPoint');

const MapDataset = z
  .object({
    version: z
      .string()
      .openapi({ description: 'Dataset version (see /v1/meta).', example: '20261201T000000Z-abcdef012345' }),
    isSample: z
      .boolean()
      .openapi({ description: 'True when serving the shipped SAMPLE, not the full data.' }),
    builtAt: z.string().openapi({ description: 'When the dataset was built (ISO 8601).' }),
  })
  .openapi('MapDataset');

const MapSource = z
  .object({
    id: z.string().openapi({ example: 'map_boundaries' }),
    title: z.string(),
    publisher: z.string(),
    licence: z.string(),
  })
  .openapi('MapSource');

const Coordinates = z
  .object({
    crs: z.string().openapi({ example: 'WGS84 longitude/latitude (RFC 7946)' }),
    decimals: z
      .number()
      .int()
      .openapi({ description: 'Decimals kept in every coordinate.', example: COORDINATE_DECIMALS }),
    winding: z.string(),
    generalisation: z.string(),
  })
  .openapi('MapCoordinates');

const MapClasses = z
  .object({
    method: z.enum([...CLASS_METHODS, 'diverging']).openapi({
      description:
        'quantile (type-7 quantiles), jenks (natural breaks) or diverging (fixed breaks around 1).',
    }),
    requested: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Classes asked for (fewer when values repeat).' }),
    breaks: z.array(z.number()).openapi({
      description: 'Each class’s lower limit, then the maximum (k + 1 numbers).',
      example: [1, 3, 5, 7, 9],
    }),
    colours: z
      .array(z.string())
      .openapi({ description: 'One colour per class, lowest first.', example: ['#fde725'] }),
    scale: z.enum(['sequential', 'diverging']).openapi({
      description:
        'sequential: viridis light (low) to dark (high); diverging: ColorBrewer PuOr around 1. Both colour-blind safe.',
    }),
    noDataColour: z.string().openapi({ example: '#d9d9d9' }),
    rule: z.string().openapi({ description: 'Which class a value equal to a break falls in.' }),
  })
  .openapi('MapClasses');

const TopologyNotes = z
  .object({
    quantization: z.number().int().openapi({
      description: 'TopoJSON quantisation: positions are integers on a grid this many steps wide.',
      example: 100000,
    }),
    object: z.string().openapi({ description: 'Name of the object holding the areas.', example: 'lep' }),
  })
  .openapi('MapTopologyNotes');

const LayoutNotes = z
  .object({
    method: z.string().openapi({
      description: 'Where the hex layout comes from and how it was made.',
      example: 'published by Open Innovations (uk-constituencies-2024.hexjson)',
    }),
    neighbourPairs: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Computed layouts: pairs of areas that share a boundary.', example: 84 }),
    neighboursKept: z.number().int().optional().openapi({
      description: 'Computed layouts: of those pairs, how many are adjacent hexes.',
      example: 61,
    }),
    meanDisplacementHexes: z.number().optional().openapi({
      description: 'Computed layouts: mean distance, in hexes, from an area’s centroid to its cell.',
      example: 0.9,
    }),
  })
  .openapi('MapLayoutNotes');

const common = {
  title: z.string().openapi({ example: 'Local Enterprise Partnerships (2021)' }),
  areaType: z.string().openapi({ example: 'lep' }),
  dataset: MapDataset,
  sources: z.array(MapSource),
  coordinates: Coordinates,
  layoutMethod: LayoutNotes.optional().openapi({ description: 'HexJSON only: how the hex layout was made.' }),
  topology: TopologyNotes.optional().openapi({ description: 'TopoJSON only: quantisation and object name.' }),
};

export const AreasMapMetadata = z
  .object({
    ...common,
    note: z.string().optional().openapi({ description: 'What the layer leaves out, when it does.' }),
  })
  .openapi('AreasMapMetadata');

export const IndicatorMapMetadata = z
  .object({
    ...common,
    indicator: IndicatorSummary,
    year: z.number().int(),
    classes: MapClasses,
    ranking: z
      .string()
      .openapi({ description: 'The same figures as JSON.', example: '/v1/indicators/x/ranking?year=2019' }),
  })
  .openapi('IndicatorMapMetadata');

export const InvestmentMapMetadata = z
  .object({
    ...common,
    measure: z.string().openapi({ example: 'grant offered, £ (counted participants)' }),
    synthetic: z
      .boolean()
      .openapi({ description: 'True when built from the generated stand-in data (npm run data:synth).' }),
    warning: z.string().optional().openapi({ description: 'Present (and loud) when the data is SYNTHETIC.' }),
    filters: z.object({ overlap: z.enum(['full', 'split', 'primary']), includeWithdrawn: z.boolean() }),
    computedFrom: z.enum(['precomputed totals', 'participants']),
    classes: MapClasses,
  })
  .openapi('InvestmentMapMetadata');

export const PointsMetadata = z
  .object({
    title: z.string(),
    synthetic: z.boolean(),
    warning: z.string().optional(),
    dataset: MapDataset,
    sources: z.array(MapSource),
    position: z.string().openapi({ description: 'Where each point is.' }),
    coordinates: z.object({ crs: z.string(), decimals: z.number().int() }),
  })
  .openapi('InvestmentPointsMetadata');

const href = z.string().openapi({ example: '/v1/areas/E37000015' });

export const AreaFeatureProps = z
  .object({
    code: z.string().openapi({ example: 'E37000015' }),
    name: z.string().openapi({ example: 'Greater Manchester' }),
    type: z.string().openapi({ example: 'lep' }),
    href,
    centroidLat: z
      .number()
      .openapi({ description: 'Area-weighted centroid of the boundary.', example: 53.5 }),
    centroidLng: z.number().openapi({ example: -2.3 }),
  })
  .openapi('AreaFeatureProperties');

export const IndicatorFeatureProps = z
  .object({
    code: z.string(),
    name: z.string(),
    href,
    value: z
      .number()
      .nullable()
      .openapi({ description: 'As in the JSON ranking; null when suppressed or not published.' }),
    suppressed: z.boolean(),
    rank: z
      .number()
      .int()
      .nullable()
      .openapi({ description: '1 = best given the polarity; null for a neutral indicator (see order).' }),
    order: z.number().int().nullable().openapi({
      description: 'Neutral indicators only: position by value, highest first (no direction is better).',
    }),
    of: z.number().int().nullable().openapi({ description: 'Areas with a value in the cohort.' }),
    percentile: z.number().nullable(),
    class: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Index into metadata.classes (0 = lowest); null = no data.' }),
    fill: z.string().openapi({ description: 'The class colour (or the no-data grey).', example: '#21918c' }),
    profile: z.string().openapi({ example: '/v1/leps/E37000015/profile' }),
  })
  .openapi('IndicatorFeatureProperties');

export const InvestmentFeatureProps = z
  .object({
    code: z.string(),
    name: z.string(),
    href,
    grantOfferedPounds: z
      .number()
      .openapi({ description: 'Grant offered, £ (0 where no counted participant).' }),
    grantOfferedPence: z.number().int(),
    participants: z
      .number()
      .openapi({ description: 'Participant rows (fractional under the split policy).' }),
    projects: z.number().int(),
    organisations: z.number().int(),
    class: z.number().int().nullable(),
    fill: z.string(),
    investments: z.string().openapi({ example: '/v1/areas/E37000015/investments' }),
  })
  .openapi('InvestmentFeatureProperties');

function featureCollection<P extends z.ZodType, M extends z.ZodType>(
  name: string,
  props: P,
  metadata: M,
  geometry: z.ZodType,
) {
  return z
    .object({
      type: z.literal('FeatureCollection'),
      metadata,
      provenance: ProvenanceSchema,
      features: z.array(
        z.object({
          type: z.literal('Feature'),
          id: z.union([z.string(), z.number()]).openapi({ description: 'Area code (or participant id).' }),
          properties: props,
          geometry,
        }),
      ),
    })
    .openapi(name);
}

export const AreasGeoJson = featureCollection(
  'AreasGeoJson',
  AreaFeatureProps,
  AreasMapMetadata,
  AreaGeometry,
);
export const IndicatorGeoJson = featureCollection(
  'IndicatorGeoJson',
  IndicatorFeatureProps,
  IndicatorMapMetadata,
  AreaGeometry,
);
export const InvestmentGeoJson = featureCollection(
  'InvestmentSummaryGeoJson',
  InvestmentFeatureProps,
  InvestmentMapMetadata,
  AreaGeometry,
);
export const PointsGeoJson = featureCollection(
  'InvestmentPointsGeoJson',
  InvestmentSchema,
  PointsMetadata,
  Point.nullable(),
);

export const AreaFeature = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    properties: AreaFeatureProps,
    geometry: AreaGeometry,
    bbox: z.array(z.number()).openapi({ description: '[west, south, east, north]' }),
    metadata: AreasMapMetadata,
    provenance: ProvenanceSchema,
  })
  .openapi('AreaGeoJsonFeature');

function topology<P extends z.ZodType, M extends z.ZodType>(name: string, props: P, metadata: M) {
  return z
    .object({
      type: z.literal('Topology'),
      metadata,
      provenance: ProvenanceSchema,
      bbox: z.array(z.number()).optional(),
      transform: z.object({ scale: z.array(z.number()), translate: z.array(z.number()) }).openapi({
        description: 'Quantisation: position = translate + scale × integer position.',
      }),
      objects: z.record(
        z.string(),
        z.object({
          type: z.literal('GeometryCollection'),
          geometries: z.array(
            z.object({
              type: z.enum(['Polygon', 'MultiPolygon']),
              id: z.string(),
              arcs: z
                .array(z.unknown())
                .openapi({ description: 'Indexes into the shared arcs (TopoJSON spec).' }),
              properties: props,
            }),
          ),
        }),
      ),
      arcs: z.array(z.array(z.array(z.number()))).openapi({ description: 'Shared arcs, delta-encoded.' }),
    })
    .openapi(name);
}

export const AreasTopoJson = topology('AreasTopoJson', AreaFeatureProps, AreasMapMetadata);
export const IndicatorTopoJson = topology('IndicatorTopoJson', IndicatorFeatureProps, IndicatorMapMetadata);

function hexjson<P extends z.ZodObject, M extends z.ZodType>(name: string, props: P, metadata: M) {
  return z
    .object({
      layout: z.enum(['odd-r', 'even-r', 'odd-q', 'even-q']).openapi({
        description:
          'Open Innovations HexJSON: odd-r = pointy-topped hexes, odd rows shoved right; r grows north.',
      }),
      hexes: z.record(
        z.string(),
        props.extend({
          q: z.number().int(),
          r: z.number().int(),
          n: z.string().openapi({ description: 'Area name.' }),
        }),
      ),
      metadata,
      provenance: ProvenanceSchema,
    })
    .openapi(name);
}

const HexAreaProps = z.object({ code: z.string(), type: z.string(), href });

export const AreasHexJson = hexjson('AreasHexJson', HexAreaProps, AreasMapMetadata);
export const IndicatorHexJson = hexjson(
  'IndicatorHexJson',
  IndicatorFeatureProps.extend({
    colour: z.string().openapi({ description: 'Fill, as Open Innovations’ renderer reads it.' }),
  }),
  IndicatorMapMetadata,
);
export const InvestmentHexJson = hexjson(
  'InvestmentSummaryHexJson',
  InvestmentFeatureProps.extend({ colour: z.string() }),
  InvestmentMapMetadata,
);

/** OpenAPI content entries for the map formats a route offers. */
export function mapContent(opts: { geojson?: z.ZodType; topojson?: z.ZodType; hexjson?: z.ZodType }) {
  return {
    ...(opts.geojson ? { [GEOJSON_MEDIA]: { schema: opts.geojson } } : {}),
    ...(opts.topojson ? { [TOPOJSON_MEDIA]: { schema: opts.topojson } } : {}),
    ...(opts.hexjson ? { [HEXJSON_MEDIA]: { schema: opts.hexjson } } : {}),
  };
}
