import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../deps.ts';
import type { SourceRef } from '../services/provenance.ts';
import { markStreamed } from './cache.ts';
import { provenanceOf } from './export.ts';
import { dispositionOf, provenanceMember } from './provenance.ts';

/**
 * GeoJSON (RFC 7946) answers, written as a stream: the collection's own members first (including
 * the `metadata` foreign member: dataset version, source, licence, SYNTHETIC label), then features
 * batch by batch, so a 100,000-point export never sits in memory as one string. Geometries arrive
 * as pre-serialised JSON text (the pipeline stores them that way) and are copied, not re-encoded.
 */

export const GEOJSON_TYPE = 'application/geo+json; charset=utf-8';
/** TopoJSON and HexJSON have no registered media type; these say what the JSON is. */
export const TOPOJSON_TYPE = 'application/topo+json; charset=utf-8';
export const HEXJSON_TYPE = 'application/hex+json; charset=utf-8';

export interface FeatureText {
  id?: string | number;
  properties: Record<string, unknown> | null;
  /** The geometry as JSON text, or null for a feature without a location. */
  geometry: string | null;
}

/** One Feature as JSON text; `geometry` is spliced in verbatim. */
export function featureJson(f: FeatureText): string {
  const id = f.id === undefined ? '' : `"id":${JSON.stringify(f.id)},`;
  return `{"type":"Feature",${id}"properties":${JSON.stringify(f.properties)},"geometry":${f.geometry ?? 'null'}}`;
}

type Batches = Iterable<readonly FeatureText[]> | AsyncIterable<readonly FeatureText[]>;

async function* asAsync(batches: Batches): AsyncIterable<readonly FeatureText[]> {
  yield* batches as AsyncIterable<readonly FeatureText[]>;
}

/**
 * A FeatureCollection response. `members` are written before `features` (e.g. `metadata`, `bbox`);
 * `batches` may be an array of features (one batch) or an async generator reading the database page
 * by page. A failure after the first byte can only end the stream, so the reader gets invalid JSON
 * rather than a silently short collection.
 */
export function featureCollectionResponse(
  members: Record<string, unknown>,
  batches: Batches | readonly FeatureText[],
): Response {
  const encoder = new TextEncoder();
  const source = Array.isArray(batches) ? [batches as readonly FeatureText[]] : (batches as Batches);
  const iterator = asAsync(source)[Symbol.asyncIterator]();
  let first = true;
  let started = false;
  const head = Object.entries(members)
    .filter(([k]) => k !== 'type' && k !== 'features')
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
    .join('');
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`{"type":"FeatureCollection",${head}"features":[`));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.enqueue(encoder.encode(']}\n'));
        controller.close();
        return;
      }
      if (next.value.length === 0) return;
      let chunk = '';
      for (const f of next.value) {
        chunk += (first ? '' : ',') + featureJson(f);
        first = false;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  const res = new Response(body, { status: 200, headers: { 'Content-Type': GEOJSON_TYPE } });
  // Features read page by page from the database: no cache may hold the whole stream in memory.
  return Array.isArray(batches) ? res : markStreamed(res);
}

/** A single Feature (GET /v1/areas/{code}?format=geojson), with foreign members after the geometry. */
export function featureResponse(f: FeatureText, members: Record<string, unknown>): Response {
  const extra = Object.entries(members)
    .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join('');
  const text = `${featureJson(f).slice(0, -1)}${extra}}\n`;
  return new Response(text, { status: 200, headers: { 'Content-Type': GEOJSON_TYPE } });
}

/** What the map service hands back; the route turns it into a response with {@link mapResponse}. */
export type MapDocument =
  | {
      kind: 'features';
      members: Record<string, unknown>;
      features: readonly FeatureText[] | AsyncIterable<readonly FeatureText[]>;
      filename?: string;
    }
  | { kind: 'feature'; feature: FeatureText; members: Record<string, unknown> }
  | { kind: 'json'; format: 'topojson' | 'hexjson'; body: unknown };

/** The document's own sources (metadata.sources[].id): they decide its SYNTHETIC label. */
function sourcesOf(metadata: unknown): SourceRef[] {
  const list = (metadata as { sources?: { id?: unknown }[] } | undefined)?.sources ?? [];
  return list.flatMap((s) => (typeof s.id === 'string' ? [{ id: s.id }] : []));
}

/** A file name for a map document: its own, else the path and area type ("areas-lep"). */
function stemOf(c: Context<AppEnv>, doc: MapDocument): string {
  if (doc.kind === 'features' && doc.filename) return doc.filename;
  const type = c.req.query('type') ?? c.req.query('groupBy');
  return [c.req.path.replace(/^\/v1\//, '').replaceAll('/', '-'), type].filter(Boolean).join('-');
}

const EXTENSIONS = { features: 'geojson', feature: 'geojson', topojson: 'topojson', hexjson: 'hexjson' };

/**
 * The document as a response, stamped with the dataset's provenance (a top-level `provenance`
 * member, src/http/provenance.ts) and a file name with the version. Typed as a JSON response of
 * the route (GeoJSON, TopoJSON and HexJSON are JSON media types to the router's types) although
 * the body is written here, not by c.json.
 */
export async function mapResponse(
  c: Context<AppEnv>,
  doc: MapDocument,
): Promise<TypedResponse<never, 200, 'json'>> {
  const metadata = doc.kind === 'json' ? (doc.body as { metadata?: unknown }).metadata : doc.members.metadata;
  const p = await provenanceOf(c, sourcesOf(metadata));
  const res = toResponse(doc, provenanceMember(p));
  const ext = EXTENSIONS[doc.kind === 'json' ? doc.format : doc.kind];
  res.headers.set('Content-Disposition', dispositionOf(p, stemOf(c, doc), ext, 'inline'));
  return res as unknown as TypedResponse<never, 200, 'json'>;
}

function toResponse(doc: MapDocument, provenance: Record<string, unknown>): Response {
  if (doc.kind === 'features') {
    return featureCollectionResponse(
      { ...doc.members, provenance },
      doc.features as Batches | readonly FeatureText[],
    );
  }
  if (doc.kind === 'feature') return featureResponse(doc.feature, { ...doc.members, provenance });
  return new Response(JSON.stringify({ ...(doc.body as object), provenance }), {
    status: 200,
    headers: { 'Content-Type': doc.format === 'topojson' ? TOPOJSON_TYPE : HEXJSON_TYPE },
  });
}
