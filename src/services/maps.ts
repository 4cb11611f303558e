import type { Db } from '../db/client.ts';
import type { GroupBy } from '../db/investment-queries.ts';
import {
  getDatasetStamp,
  getMapLayer,
  getShape,
  listShapes,
  type ShapeRow,
  shapeTypesOf,
} from '../db/map-queries.ts';
import { type AreaType, LEP_VINTAGE, TYPE_PREFERENCE } from '../domain/geography.ts';
import { type AreaGeometry, COORDINATE_DECIMALS } from '../domain/geometry.ts';
import {
  type ClassMethod,
  DEFAULT_CLASSES,
  fillOf,
  type MapClasses,
  mapClasses,
  NO_DATA_COLOUR,
} from '../domain/map-classes.ts';
import { areaHref } from '../domain/postcode-json.ts';
import type { FeatureText, MapDocument } from '../http/geojson.ts';
import { ApiError } from '../http/problem.ts';
import { formatNumber, formatPounds, ordinal, shortLabels } from '../render/format.ts';
import { renderSvgMap, type SvgMapArea, type SvgMapInput } from '../render/svg-map.ts';
import { toIndicatorSummary, toValueView } from '../routes/indicator-views.ts';
import { toInvestment } from '../routes/investment-views.ts';
import { indicatorRanking } from './indicators.ts';
import type { FilterQuery } from './investment-filters.ts';
import { investmentExport, investmentSummary } from './investments.ts';

/**
 * Maps: figures joined to the shapes the pipeline stored. Every document states the dataset
 * version, the sources and licences, the classes (method, breaks, colours) and, for Innovate UK
 * figures built from generated data, that they are SYNTHETIC.
 */

export const MAP_FORMATS = ['geojson', 'topojson', 'hexjson'] as const;
export type MapFormat = (typeof MAP_FORMATS)[number];
export const isMapFormat = (f: string): f is MapFormat => (MAP_FORMATS as readonly string[]).includes(f);

/** Types with a hex layout: computed (LEPs) or published (2024 constituencies). */
export const HEX_TYPES = ['lep', 'pcon2024'] as const;
/** Types the Innovate UK map groups by. */
export const INVESTMENT_MAP_TYPES = ['lep', 'lad', 'pcon2024'] as const;
export type InvestmentMapType = (typeof INVESTMENT_MAP_TYPES)[number];

export { areaHref };

const TYPE_LABEL: Record<string, string> = {
  country: 'Countries',
  region: 'Regions of England',
  lep: 'Local Enterprise Partnerships (2021)',
  lad: 'Local authority districts (2023)',
  pcon: 'Westminster constituencies (2010–2024 boundaries)',
  pcon2024: 'Westminster constituencies (2024 boundaries)',
};

interface SourceBrief {
  id: string;
  title: string;
  publisher: string;
  licence: string;
}

interface Stamp {
  dataset: { version: string; isSample: boolean; builtAt: string };
  sources: SourceBrief[];
}

/** Districts overlap across vintages (2021 and 2023), so a map draws only those in force. */
const drawnShapes = (rows: ShapeRow[], type: string) =>
  type === 'lad' ? rows.filter((r) => r.status === 'live') : rows;

async function stampOf(db: Db, type: string, extra: string[] = []): Promise<Stamp> {
  const stamp = await getDatasetStamp(db);
  const ids = new Set([
    type === 'pcon' || type === 'pcon2024' ? 'constituency_boundaries' : 'map_boundaries',
    ...extra,
  ]);
  if (type === 'pcon2024') ids.add('map_boundaries');
  const sources = ((stamp?.sources ?? []) as SourceBrief[])
    .filter((s) => ids.has(s.id))
    .map((s) => ({ id: s.id, title: s.title, publisher: s.publisher, licence: s.licence }));
  return {
    dataset: {
      version: stamp?.version ?? 'none',
      isSample: stamp?.isSample ?? false,
      builtAt: stamp?.builtAt ? new Date(stamp.builtAt).toISOString() : '',
    },
    sources,
  };
}

const coordinates = {
  crs: 'WGS84 longitude/latitude (RFC 7946)',
  decimals: COORDINATE_DECIMALS,
  winding: 'exterior rings counter-clockwise, holes clockwise',
  generalisation: 'ONS BUC (ultra-generalised, 500 m, clipped to the coastline)',
};

function classesMember(c: MapClasses, k: number) {
  return {
    method: c.method,
    requested: c.method === 'diverging' ? null : k,
    breaks: c.breaks,
    colours: c.colours,
    scale: c.scale,
    noDataColour: NO_DATA_COLOUR,
    rule: 'class i holds values v with breaks[i] ≤ v < breaks[i+1]; the last class includes its upper break',
  };
}

async function shapesOrThrow(db: Db, type: string): Promise<ShapeRow[]> {
  const shapes = drawnShapes(await listShapes(db, type), type);
  if (shapes.length === 0) throw new ApiError('not_found', `No boundaries are loaded for ${type}.`);
  return shapes;
}

const pointOf = (s: ShapeRow) => ({ centroidLat: s.centroidLat, centroidLng: s.centroidLng });

/** The layer's HexJSON, parsed: { layout, hexes: { code: { q, r, n } } }. */
async function hexLayer(db: Db, type: string) {
  const layer = await getMapLayer(db, type, 'hexjson');
  if (!layer) {
    throw new ApiError(
      'bad_request',
      `There is no hex layout for ${type}; hex maps exist for ${HEX_TYPES.join(', ')}.`,
      [{ location: 'query.format', message: `No hexjson for ${type}` }],
    );
  }
  const doc = JSON.parse(layer.body) as {
    layout: string;
    hexes: Record<string, { q: number; r: number; n: string }>;
  };
  return { doc, notes: layer.notes };
}

async function topoLayer(db: Db, type: string) {
  const layer = await getMapLayer(db, type, 'topojson');
  if (!layer) throw new ApiError('not_found', `No boundaries are loaded for ${type}.`);
  // biome-ignore lint/suspicious/noExplicitAny: a TopoJSON topology, whose geometries get properties.
  return { doc: JSON.parse(layer.body) as any, notes: layer.notes };
}

/** Set each geometry's properties in the stored topology (geometries carry `id` = area code). */
function topologyWith(
  // biome-ignore lint/suspicious/noExplicitAny: TopoJSON topology as stored.
  doc: any,
  type: string,
  props: (code: string) => Record<string, unknown> | null,
  metadata: Record<string, unknown>,
) {
  const object = doc.objects?.[type];
  object.geometries = (object.geometries as { id: string }[]).flatMap((g) => {
    const p = props(g.id);
    return p ? [{ ...g, properties: p }] : [];
  });
  return {
    type: 'Topology',
    metadata,
    bbox: doc.bbox,
    transform: doc.transform,
    objects: doc.objects,
    arcs: doc.arcs,
  };
}

/** A hex map of `type`: each hex with its area's figures (`props` of its code and its hex's name), coloured by its fill. */
async function hexMap(
  db: Db,
  type: string,
  props: (code: string, hexName: string) => { fill: string },
  metadata: Record<string, unknown>,
): Promise<MapDocument> {
  const { doc, notes } = await hexLayer(db, type);
  return {
    kind: 'json',
    format: 'hexjson',
    body: hexjsonWith(
      doc,
      (c) => {
        const p = props(c, doc.hexes[c]?.n ?? c);
        return { ...p, colour: p.fill };
      },
      { ...metadata, layoutMethod: notes },
    ),
  };
}
function hexjsonWith(
  doc: { layout: string; hexes: Record<string, { q: number; r: number; n: string }> },
  props: (code: string) => Record<string, unknown> | null,
  metadata: Record<string, unknown>,
) {
  const hexes: Record<string, unknown> = {};
  for (const [code, h] of Object.entries(doc.hexes)) {
    const p = props(code);
    if (p) hexes[code] = { q: h.q, r: h.r, n: h.n, ...p };
  }
  return { layout: doc.layout, hexes, metadata };
}

// ---------------------------------------------------------------- areas

/** GET /v1/areas?type=…&format=geojson|topojson|hexjson: every drawn area of a type, no figures. */
export async function areasMap(db: Db, type: AreaType, format: MapFormat): Promise<MapDocument> {
  const stamp = await stampOf(db, type);
  const metadata = {
    title: TYPE_LABEL[type] ?? type,
    areaType: type,
    ...stamp,
    coordinates,
    ...(type === 'lad'
      ? { note: 'Districts in force in 2023; retired 2021 districts are served one by one.' }
      : {}),
  };
  const props = (s: { code: string; name: string }) => ({
    code: s.code,
    name: s.name,
    type,
    href: areaHref(type, s.code),
  });
  if (format === 'geojson') {
    const shapes = await shapesOrThrow(db, type);
    return {
      kind: 'features',
      members: { metadata },
      features: shapes.map((s) => ({
        id: s.code,
        properties: { ...props(s), ...pointOf(s) },
        geometry: s.geometry,
      })),
      filename: `areas-${type}`,
    };
  }
  if (format === 'topojson') {
    const [{ doc, notes }, shapes] = await Promise.all([topoLayer(db, type), shapesOrThrow(db, type)]);
    const byCode = new Map(shapes.map((s) => [s.code, s]));
    return {
      kind: 'json',
      format,
      body: topologyWith(
        doc,
        type,
        (c) =>
          byCode.has(c)
            ? { ...props(byCode.get(c) as ShapeRow), ...pointOf(byCode.get(c) as ShapeRow) }
            : null,
        {
          ...metadata,
          topology: notes,
        },
      ),
    };
  }
  const { doc, notes } = await hexLayer(db, type);
  return {
    kind: 'json',
    format,
    body: hexjsonWith(doc, (c) => ({ code: c, type, href: areaHref(type, c) }), {
      ...metadata,
      layoutMethod: notes,
    }),
  };
}

/** GET /v1/areas/{code}?format=geojson: one area's boundary as a Feature. */
export async function areaMap(db: Db, code: string, type: AreaType | undefined): Promise<MapDocument> {
  const types = await shapeTypesOf(db, code);
  const chosen = type ?? TYPE_PREFERENCE.find((t) => types.includes(t));
  const shape = chosen && types.includes(chosen) ? await getShape(db, chosen, code) : undefined;
  if (!shape) {
    throw new ApiError(
      'not_found',
      types.length
        ? `${code} has no ${type} boundary; it has: ${types.join(', ')}.`
        : `No boundary is loaded for ${code} (retired LEP codes and areas outside the boundary files have none).`,
    );
  }
  const stamp = await stampOf(db, shape.type);
  return {
    kind: 'feature',
    feature: {
      id: shape.code,
      properties: {
        code: shape.code,
        name: shape.name,
        type: shape.type,
        href: areaHref(shape.type, shape.code),
        ...pointOf(shape),
      },
      geometry: shape.geometry,
    },
    members: {
      bbox: shape.bbox,
      metadata: { title: shape.name, areaType: shape.type, ...stamp, coordinates },
    },
  };
}

// ---------------------------------------------------------------- indicators

export interface IndicatorMapQuery {
  id: string;
  year?: number | undefined;
  /** Maps draw the 2021 LEPs; another vintage is a 400. */
  vintage?: string | undefined;
  classes?: 'quantile' | 'jenks' | undefined;
  k?: number | undefined;
}

/** Location quotients are read against 1: they get the diverging scale. */
const isLocationQuotient = (i: { id: string; title: string; unit: string }) =>
  /location.quotient|(^|[-_])lq([-_]|$)/i.test(`${i.id} ${i.title} ${i.unit}`);

/** The 2021 LEP cohort of one indicator-year with classes, and the LEP shapes. */
async function indicatorFigures(db: Db, q: IndicatorMapQuery) {
  if (q.vintage && q.vintage !== LEP_VINTAGE) {
    throw new ApiError(
      'bad_request',
      `Maps draw the ${LEP_VINTAGE} LEPs; earlier vintages have no boundaries.`,
      [
        {
          location: 'query.vintage',
          message: `Use vintage=${LEP_VINTAGE} (the default) with a map format`,
        },
      ],
    );
  }
  const {
    indicator: i,
    year,
    rows,
  } = await indicatorRanking(db, q.id, { year: q.year, vintage: LEP_VINTAGE });
  const views = new Map(rows.map((r) => [r.v.areaCode, toValueView(r.v, i, r.areaName)]));
  const k = q.k ?? DEFAULT_CLASSES;
  const method: ClassMethod = isLocationQuotient(i) ? 'diverging' : (q.classes ?? 'quantile');
  const classes = mapClasses(
    [...views.values()].map((v) => v.value),
    method,
    k,
  );
  return { indicator: i, year: year as number, views, classes, k };
}

type Figures = Awaited<ReturnType<typeof indicatorFigures>>;

function indicatorProps(f: Figures, code: string, name: string) {
  const v = f.views.get(code);
  const { cls, fill } = fillOf(v?.value ?? null, f.classes);
  return {
    code,
    name,
    href: areaHref('lep', code),
    value: v?.value ?? null,
    suppressed: v?.suppressed ?? false,
    rank: v?.rank ?? null,
    order: v?.order ?? null,
    of: v?.of ?? null,
    percentile: v?.percentile ?? null,
    class: cls,
    fill,
    profile: `/v1/leps/${code}/profile`,
  };
}

async function indicatorMetadata(db: Db, f: Figures, type: string) {
  const stamp = await stampOf(db, type);
  const src = f.indicator.source as { title: string; publisher?: string; licence: string };
  return {
    title: `${f.indicator.title}, ${f.year}`,
    indicator: toIndicatorSummary(f.indicator),
    year: f.year,
    areaType: 'lep',
    ...stamp,
    sources: [
      ...stamp.sources,
      { id: 'indicator', title: src.title, publisher: src.publisher ?? '', licence: src.licence },
    ],
    classes: classesMember(f.classes, f.k),
    ranking: `/v1/indicators/${f.indicator.id}/ranking?year=${f.year}`,
    coordinates,
  };
}

/** GET /v1/indicators/{id}/ranking?format=geojson|topojson|hexjson: the league table on the map. */
export async function indicatorMap(
  db: Db,
  q: IndicatorMapQuery & { format: MapFormat },
): Promise<MapDocument> {
  const f = await indicatorFigures(db, q);
  const metadata = await indicatorMetadata(db, f, 'lep');
  if (q.format === 'geojson') {
    const shapes = await shapesOrThrow(db, 'lep');
    return {
      kind: 'features',
      members: { metadata },
      features: shapes.map((s) => ({
        id: s.code,
        properties: indicatorProps(f, s.code, s.name),
        geometry: s.geometry,
      })),
      filename: `ranking-${f.indicator.id}-${f.year}`,
    };
  }
  if (q.format === 'topojson') {
    const { doc } = await topoLayer(db, 'lep');
    const names = new Map((await listShapes(db, 'lep')).map((s) => [s.code, s.name]));
    return {
      kind: 'json',
      format: 'topojson',
      body: topologyWith(
        doc,
        'lep',
        (c) => (names.has(c) ? indicatorProps(f, c, names.get(c) as string) : null),
        metadata,
      ),
    };
  }
  return hexMap(db, 'lep', (c, hexName) => indicatorProps(f, c, hexName), metadata);
}

// ---------------------------------------------------------------- Innovate UK

export interface InvestmentMapQuery {
  /** The Innovate UK filters as asked (checked against the data by the investments service). */
  filters: FilterQuery;
  groupBy: InvestmentMapType;
  classes?: 'quantile' | 'jenks' | undefined;
  k?: number | undefined;
}

async function investmentFigures(db: Db, q: InvestmentMapQuery) {
  const [summary, shapes] = await Promise.all([
    investmentSummary(db, { ...q.filters, groupBy: q.groupBy as GroupBy }),
    shapesOrThrow(db, q.groupBy),
  ]);
  const groups = new Map(summary.groups.flatMap((g) => (g.key ? [[g.key, g] as const] : [])));
  const k = q.k ?? DEFAULT_CLASSES;
  // An area with no counted participant received £0: a true zero, not a missing value.
  const pounds = (code: string) => Number(groups.get(code)?.grantPence ?? 0) / 100;
  const classes = mapClasses(
    shapes.map((s) => pounds(s.code)),
    q.classes ?? 'quantile',
    k,
  );
  return {
    groups,
    shapes,
    classes,
    k,
    source: summary.source,
    filters: summary.filters,
    pounds,
    computedFrom: summary.fromTotals ? ('precomputed totals' as const) : ('participants' as const),
  };
}

type InvestmentFigures = Awaited<ReturnType<typeof investmentFigures>>;

function investmentProps(f: InvestmentFigures, type: string, code: string, name: string) {
  const g = f.groups.get(code);
  const value = f.pounds(code);
  const { cls, fill } = fillOf(value, f.classes);
  return {
    code,
    name,
    href: areaHref(type, code),
    grantOfferedPounds: value,
    grantOfferedPence: Number(g?.grantPence ?? 0),
    participants: Number(g?.participants ?? 0),
    projects: g?.projects ?? 0,
    organisations: g?.organisations ?? 0,
    class: cls,
    fill,
    investments: `/v1/areas/${code}/investments`,
  };
}

async function investmentMetadata(db: Db, f: InvestmentFigures, q: InvestmentMapQuery) {
  const stamp = await stampOf(db, q.groupBy, ['innovate_uk']);
  return {
    title: `Innovate UK grant offered by ${TYPE_LABEL[q.groupBy] ?? q.groupBy}${f.source.synthetic ? ' (SYNTHETIC data)' : ''}`,
    measure: 'grant offered, £ (counted participants)',
    areaType: q.groupBy,
    synthetic: f.source.synthetic,
    ...(f.source.synthetic
      ? {
          warning:
            'SYNTHETIC: generated stand-in for the Innovate UK spreadsheet (npm run data:synth), not real grants.',
        }
      : {}),
    ...stamp,
    filters: { overlap: f.filters.overlap ?? 'full', includeWithdrawn: f.filters.includeWithdrawn ?? false },
    computedFrom: f.computedFrom,
    classes: classesMember(f.classes, f.k),
    coordinates,
  };
}

/** GET /v1/investments/summary?groupBy=lep|lad|pcon2024&format=geojson|hexjson. */
export async function investmentMap(
  db: Db,
  q: InvestmentMapQuery & { format: 'geojson' | 'hexjson' },
): Promise<MapDocument> {
  const f = await investmentFigures(db, q);
  const metadata = await investmentMetadata(db, f, q);
  if (q.format === 'geojson') {
    return {
      kind: 'features',
      members: { metadata },
      features: f.shapes.map((s) => ({
        id: s.code,
        properties: investmentProps(f, q.groupBy, s.code, s.name),
        geometry: s.geometry,
      })),
      filename: `innovate-uk-by-${q.groupBy}`,
    };
  }
  const names = new Map(f.shapes.map((s) => [s.code, s.name]));
  return hexMap(
    db,
    q.groupBy,
    (c, hexName) => investmentProps(f, q.groupBy, c, names.get(c) ?? hexName),
    metadata,
  );
}

/**
 * GET /v1/investments?…&format=geojson: every matching participant as a Point (its postcode's
 * position; null geometry where it could not be placed), read batch by batch by keyset (the
 * investments service's export reader) so memory stays bounded whatever the count.
 */
export async function investmentPoints(
  db: Db,
  q: FilterQuery & { sort: 'amount' | 'date'; order: 'asc' | 'desc' },
): Promise<MapDocument> {
  const [{ source, batches }, stamp] = await Promise.all([
    investmentExport(db, q),
    stampOf(db, 'lad', ['innovate_uk', 'postcodes']),
  ]);
  async function* features(): AsyncIterable<FeatureText[]> {
    for await (const rows of batches) {
      yield rows.map((r) => ({
        id: r.p.id,
        properties: toInvestment(r.p, r.projectTitle, r.orgName),
        geometry:
          r.p.lat !== null && r.p.lng !== null
            ? `{"type":"Point","coordinates":[${Math.round(r.p.lng * 1e5) / 1e5},${Math.round(r.p.lat * 1e5) / 1e5}]}`
            : null,
      }));
    }
  }
  return {
    kind: 'features',
    members: {
      metadata: {
        title: `Innovate UK participants${source.synthetic ? ' (SYNTHETIC data)' : ''}`,
        synthetic: source.synthetic,
        ...(source.synthetic
          ? {
              warning:
                'SYNTHETIC: generated stand-in for the Innovate UK spreadsheet (npm run data:synth), not real grants.',
            }
          : {}),
        ...stamp,
        position:
          'each participant at its postcode (OS Code-Point Open); null geometry where it could not be placed',
        coordinates: { crs: coordinates.crs, decimals: COORDINATE_DECIMALS },
      },
    },
    features: features(),
    filename: 'innovate-uk-participants',
  };
}

// ---------------------------------------------------------------- SVG

export type MapShape = 'boundaries' | 'hex';

function legendOf(c: MapClasses, fmt: (v: number) => string, hasNoData: boolean) {
  const items = c.colours.map((colour, i) => ({
    colour,
    // Classes include their lower break; only the last includes its upper one.
    label: `${fmt(c.breaks[i] as number)} to ${i === c.colours.length - 1 ? '' : 'under '}${fmt(c.breaks[i + 1] as number)}`,
  }));
  if (hasNoData) items.push({ colour: NO_DATA_COLOUR, label: 'No data (suppressed or not published)' });
  return items;
}

async function placedAreas(
  db: Db,
  type: string,
  shape: MapShape,
  base: (code: string, name: string) => Omit<SvgMapArea, 'geometry' | 'hex' | 'label'>,
) {
  const shapes = await shapesOrThrow(db, type);
  if (shape === 'boundaries') {
    return shapes.map((s) => ({ ...base(s.code, s.name), geometry: JSON.parse(s.geometry) as AreaGeometry }));
  }
  const { doc } = await hexLayer(db, type);
  const codes = Object.keys(doc.hexes).filter((c) => shapes.some((s) => s.code === c));
  const names = new Map(shapes.map((s) => [s.code, s.name]));
  const labels = type === 'lep' ? shortLabels(codes.map((c) => names.get(c) ?? c)) : [];
  return codes.map((c, i) => {
    const h = doc.hexes[c] as { q: number; r: number };
    return {
      ...base(c, names.get(c) ?? c),
      hex: { q: h.q, r: h.r },
      ...(labels[i] ? { label: labels[i] } : {}),
    };
  });
}

function footerOf(stamp: Stamp, extra: string[]) {
  return [
    ...extra,
    `Boundaries: ${stamp.sources
      .map((s) => s.publisher)
      .filter(Boolean)
      .join('; ')} (OGL v3; contains OS data © Crown copyright and database right).`,
    `Dataset ${stamp.dataset.version}${stamp.dataset.isSample ? ' — SAMPLE data, not the full dataset' : ''}.`,
  ];
}

/** Everything an indicator map shows, for the SVG and for the embed page (which lays text out in HTML). */
export async function indicatorMapParts(
  db: Db,
  q: IndicatorMapQuery & { shape: MapShape },
): Promise<SvgMapInput> {
  const f = await indicatorFigures(db, q);
  const stamp = await stampOf(db, 'lep');
  const i = f.indicator;
  const areas = await placedAreas(db, 'lep', q.shape, (code, name) => {
    const p = indicatorProps(f, code, name);
    const figure = p.value === null ? 'no data' : `${formatNumber(p.value)} ${i.unit}`;
    const rank =
      p.rank !== null
        ? `, rank ${p.rank} of ${p.of}`
        : p.order !== null
          ? `, ${ordinal(p.order)} highest of ${p.of}`
          : '';
    return { code, name, fill: p.fill, title: `${name}: ${figure}${rank}` };
  });
  const src = i.source as { title: string; licence: string };
  return {
    title: `${i.title}, ${f.year}`,
    subtitle: `Local Enterprise Partnerships (2021) · ${i.unit} · ${i.polarity.replaceAll('_', ' ')}`,
    legend: {
      title: `${i.unit} (${f.classes.method === 'jenks' ? 'Jenks natural breaks' : f.classes.method === 'diverging' ? 'around 1' : 'quantiles'})`,
      items: legendOf(
        f.classes,
        formatNumber,
        areas.some((a) => a.fill === NO_DATA_COLOUR),
      ),
    },
    footer: footerOf(stamp, [`Source: ${src.title} (${src.licence}).`]),
    shape: q.shape,
    areas,
  };
}

/** GET /v1/indicators/{id}/map.svg. */
export async function indicatorMapSvg(
  db: Db,
  q: IndicatorMapQuery & { shape: MapShape; width?: number | undefined },
): Promise<string> {
  return renderSvgMap({ ...(await indicatorMapParts(db, q)), ...(q.width ? { width: q.width } : {}) });
}

/** GET /v1/investments/map.svg. */
export async function investmentMapSvg(
  db: Db,
  q: InvestmentMapQuery & { shape: MapShape; width?: number },
): Promise<string> {
  if (q.shape === 'hex' && !(HEX_TYPES as readonly string[]).includes(q.groupBy)) {
    throw new ApiError('bad_request', `There is no hex layout for ${q.groupBy}; use shape=boundaries.`, [
      { location: 'query.shape', message: `Hex maps exist for ${HEX_TYPES.join(', ')}` },
    ]);
  }
  const f = await investmentFigures(db, q);
  const stamp = await stampOf(db, q.groupBy, ['innovate_uk']);
  const areas = await placedAreas(db, q.groupBy, q.shape, (code, name) => {
    const p = investmentProps(f, q.groupBy, code, name);
    return {
      code,
      name,
      fill: p.fill,
      title: `${name}: ${formatPounds(p.grantOfferedPounds)} offered, ${p.projects} projects`,
    };
  });
  return renderSvgMap({
    title: `Innovate UK grant offered${f.source.synthetic ? ' — SYNTHETIC data' : ''}`,
    subtitle: `${TYPE_LABEL[q.groupBy] ?? q.groupBy} · counted participants · overlap: ${q.filters.overlap}`,
    legend: {
      title: `£ offered (${f.classes.method === 'jenks' ? 'Jenks natural breaks' : 'quantiles'})`,
      items: legendOf(f.classes, formatPounds, false),
    },
    footer: footerOf(stamp, [
      f.source.synthetic
        ? 'Source: SYNTHETIC stand-in for Innovate UK funded projects (npm run data:synth) — not real grants.'
        : `Source: ${f.source.title} (${f.source.licence}).`,
    ]),
    shape: q.shape,
    areas,
    ...(q.width ? { width: q.width } : {}),
  });
}

// ---------------------------------------------------------------- centroids in lists

export const CENTROID_METHODS = {
  postcodes: 'mean position of the area’s postcodes (OS Code-Point Open)',
  boundary: 'area-weighted centroid of the generalised boundary (no postcode falls in the area)',
} as const;

/** An area's representative point for lists and bubble maps, saying how it was found. */
export function centroidView(a: {
  centroidLat: number | null;
  centroidLng: number | null;
  postcodeCount: number;
}) {
  if (a.centroidLat === null || a.centroidLng === null) return null;
  return {
    lat: a.centroidLat,
    lng: a.centroidLng,
    method: a.postcodeCount > 0 ? CENTROID_METHODS.postcodes : CENTROID_METHODS.boundary,
  };
}
