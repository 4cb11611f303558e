import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { feature } from 'topojson-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadDataset, SAMPLE_DATA_DIR } from '../../src/pipeline/load.ts';
import {
  AreaFeature,
  AreasGeoJson,
  AreasHexJson,
  AreasTopoJson,
  IndicatorGeoJson,
  IndicatorHexJson,
  IndicatorTopoJson,
  InvestmentGeoJson,
  InvestmentHexJson,
  PointsGeoJson,
} from '../../src/routes/map-views.ts';
import {
  appFor,
  createTestDatabase,
  DATA_DIR,
  getJson,
  loadedTestDatabase,
  type TestDatabase,
} from './harness.ts';

/**
 * Maps on the loaded dataset (the full data in CI, else the sample). Expected values come from the
 * source files (boundaries, lookups) or from the JSON answers the rest of the suite checks against
 * the sources; the rules (RFC 7946, class breaks, hex adjacency) are recomputed here independently.
 */

let tdb: TestDatabase;
let app: ReturnType<typeof appFor>;

beforeAll(async () => {
  tdb = await loadedTestDatabase();
  app = appFor(tdb.db);
});
afterAll(async () => tdb?.close());

type Pos = [number, number];
type Geometry = { type: 'Polygon'; coordinates: Pos[][] } | { type: 'MultiPolygon'; coordinates: Pos[][][] };
type Feature = { type: 'Feature'; id: string; properties: Record<string, unknown>; geometry: Geometry };
type Collection = { type: 'FeatureCollection'; metadata: Record<string, unknown>; features: Feature[] };

const polys = (g: Geometry): Pos[][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const area2 = (ring: Pos[]) => {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++)
    s += (ring[i] as Pos)[0] * (ring[i + 1] as Pos)[1] - (ring[i + 1] as Pos)[0] * (ring[i] as Pos)[1];
  return s;
};

/** RFC 7946 §3.1.6 and our stated precision, checked on the raw text and the parsed geometry. */
function rfc7946Problems(text: string, fc: Collection): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/"coordinates":(\[[^a-z"]*\])/g)) {
    for (const n of (m[1] ?? '').match(/-?\d+\.\d+/g) ?? []) {
      if ((n.split('.')[1] ?? '').length > 6) problems.push(`more than 6 decimals: ${n}`);
    }
  }
  for (const f of fc.features) {
    for (const p of polys(f.geometry)) {
      p.forEach((ring, i) => {
        const first = ring[0];
        const last = ring.at(-1);
        if (ring.length < 4) problems.push(`${f.id}: ring of ${ring.length} positions`);
        if (!first || !last || first[0] !== last[0] || first[1] !== last[1])
          problems.push(`${f.id}: ring not closed`);
        for (const [x, y] of ring) {
          if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90))
            problems.push(`${f.id}: ${x},${y} not lon/lat`);
        }
        const a = area2(ring);
        if (i === 0 && a <= 0) problems.push(`${f.id}: exterior ring not counter-clockwise`);
        if (i > 0 && a >= 0) problems.push(`${f.id}: hole not clockwise`);
      });
    }
  }
  return problems;
}

/** Parse with the published schema: zod drops undocumented members, so equality means there are none. */
function expectDocumented(schema: z.ZodType, body: unknown) {
  const parsed = schema.safeParse(body);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  expect(parsed.data).toEqual(body);
}

async function text(path: string) {
  const res = await app.request(path);
  return { res, status: res.status, text: await res.text() };
}

async function liveCodes(type: string): Promise<Set<string>> {
  const r = await getJson(app, `/v1/areas?type=${type}&limit=500`);
  expect(r.status).toBe(200);
  const all: { code: string; status: string }[] = [...r.body.data];
  let cursor = r.body.page.nextCursor;
  while (cursor) {
    const next = await getJson(app, `/v1/areas?type=${type}&limit=500&cursor=${cursor}`);
    all.push(...next.body.data);
    cursor = next.body.page.nextCursor;
  }
  return new Set(all.filter((a) => type !== 'lep' || a.status === 'live').map((a) => a.code));
}

/** The 2021 LEP boundaries as published, and which LEPs share a stretch of boundary (≥ 2 vertices). */
function sourceLeps() {
  const fc = JSON.parse(
    readFileSync(
      join(DATA_DIR, 'geo_boundaries', 'Local_Enterprise_Partnerships_May_2021_EN_BUC.geojson'),
      'utf8',
    ),
  ) as { features: { properties: { LEP21CD: string }; geometry: Geometry }[] };
  const verts = fc.features.map(
    (f) =>
      new Set(polys(f.geometry).flatMap((p) => p.flat().map(([x, y]) => `${x.toFixed(4)},${y.toFixed(4)}`))),
  );
  const pairs: [string, string][] = [];
  for (let i = 0; i < verts.length; i++) {
    for (let j = i + 1; j < verts.length; j++) {
      let n = 0;
      for (const v of verts[i] ?? []) if (verts[j]?.has(v)) n++;
      if (n >= 2)
        pairs.push([fc.features[i]?.properties.LEP21CD ?? '', fc.features[j]?.properties.LEP21CD ?? '']);
    }
  }
  return { codes: fc.features.map((f) => f.properties.LEP21CD), pairs };
}

const oddRNeighbours = (a: { q: number; r: number }, b: { q: number; r: number }) => {
  const d = Math.abs(a.r) % 2 === 1 ? 0 : -1;
  if (a.r === b.r) return Math.abs(a.q - b.q) === 1;
  return Math.abs(a.r - b.r) === 1 && (b.q === a.q + d || b.q === a.q + d + 1);
};

describe('boundaries as RFC 7946 GeoJSON', () => {
  it('every mapped type: lon/lat, closed rings, counter-clockwise exteriors, ≤ 6 decimals, every code an area', async () => {
    for (const type of ['lep', 'region', 'lad', 'pcon', 'pcon2024', 'country']) {
      const r = await text(`/v1/areas?type=${type}&format=geojson`);
      expect(r.status, type).toBe(200);
      expect(r.res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
      const fc = JSON.parse(r.text) as Collection;
      expect(fc.features.length, type).toBeGreaterThan(0);
      expect(rfc7946Problems(r.text, fc), type).toEqual([]);
      const codes = await liveCodes(type);
      expect(
        fc.features.filter((f) => !codes.has(f.id)).map((f) => f.id),
        type,
      ).toEqual([]);
      expect(new Set(fc.features.map((f) => f.id)).size).toBe(fc.features.length);
      expect(fc.metadata).toMatchObject({ areaType: type, dataset: { version: expect.any(String) } });
      expectDocumented(AreasGeoJson, fc);
    }
  });

  it('has all 38 LEPs of 2021, each placed where its published boundary is', async () => {
    const fc = (await getJson(app, '/v1/areas?type=lep&format=geojson')).body as Collection;
    const src = sourceLeps();
    expect(src.codes).toHaveLength(38);
    expect(fc.features.map((f) => f.id).sort()).toEqual([...src.codes].sort());
    for (const f of fc.features) {
      expect(typeof f.properties.centroidLat).toBe('number');
      expect(f.properties.href).toBe(`/v1/areas/${f.id}`);
    }
  });

  it('one area as a Feature with its bbox; retired codes have none', async () => {
    const r = await getJson(app, '/v1/areas/E37000015?format=geojson');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      type: 'Feature',
      id: 'E37000015',
      properties: { name: 'Greater Manchester' },
    });
    expect(r.body.bbox).toHaveLength(4);
    expectDocumented(AreaFeature, r.body);
    const retired = (await getJson(app, '/v1/areas?type=lep&limit=500')).body.data.find(
      (a: { status: string }) => a.status === 'terminated',
    );
    expect(retired).toBeDefined();
    expect((await getJson(app, `/v1/areas/${retired.code}?format=geojson`)).status).toBe(404);
  });
});

describe('TopoJSON', () => {
  it('decodes back to the GeoJSON shapes (within the quantisation step)', async () => {
    for (const type of ['lep', 'pcon2024']) {
      const topo = (await getJson(app, `/v1/areas?type=${type}&format=topojson`)).body;
      const geo = (await getJson(app, `/v1/areas?type=${type}&format=geojson`)).body as Collection;
      expectDocumented(AreasTopoJson, topo);
      const decoded = feature(topo, topo.objects[type]) as unknown as Collection;
      expect(geo.features.length, type).toBeGreaterThan(0);
      expect(decoded.features.length).toBe(geo.features.length);
      const [sx, sy] = topo.transform.scale as [number, number];
      const byId = new Map(decoded.features.map((f) => [String(f.id), f]));
      for (const g of geo.features) {
        const d = byId.get(g.id);
        expect(d, g.id).toBeDefined();
        expect(d?.properties.name).toBe(g.properties.name);
        const ring = (x: Geometry) => polys(x).map((p) => p[0] as Pos[]);
        const [a, b] = [ring(g.geometry), ring(d?.geometry as Geometry)];
        expect(b.length, g.id).toBe(a.length);
        a.forEach((r, i) => {
          // Every published vertex lies within one quantisation step of a decoded vertex.
          const dr = b[i] as Pos[];
          for (const [x, y] of r.filter((_, k) => k % 7 === 0)) {
            const near = dr.some(([u, v]) => Math.abs(u - x) <= sx * 1.01 && Math.abs(v - y) <= sy * 1.01);
            expect(near, `${g.id} ${x},${y}`).toBe(true);
          }
        });
        // The enclosed area is kept (islets of a few steps may change shape, the whole may not).
        const total = (rings: Pos[][]) => rings.reduce((s, r) => s + area2(r), 0);
        expect(Math.abs(total(b) - total(a)) / total(a), g.id).toBeLessThan(0.01);
      }
    }
  });
});

describe('HexJSON', () => {
  it('the computed LEP layout: 38 distinct cells, most neighbouring LEPs adjacent', async () => {
    const r = await getJson(app, '/v1/areas?type=lep&format=hexjson');
    expect(r.status).toBe(200);
    expect(r.res.headers.get('content-type')).toBe('application/hex+json; charset=utf-8');
    expectDocumented(AreasHexJson, r.body);
    expect(r.body.layout).toBe('odd-r');
    const hexes = r.body.hexes as Record<string, { q: number; r: number }>;
    const src = sourceLeps();
    expect(Object.keys(hexes).sort()).toEqual([...src.codes].sort());
    const cells = Object.values(hexes).map((h) => `${h.q},${h.r}`);
    expect(new Set(cells).size).toBe(38);
    expect(src.pairs.length).toBeGreaterThan(80);
    const kept = src.pairs.filter(([a, b]) => oddRNeighbours(hexes[a] as never, hexes[b] as never));
    expect(kept.length / src.pairs.length).toBeGreaterThanOrEqual(0.7);
    expect(r.body.metadata.layoutMethod.neighbourPairs).toBeGreaterThan(80);
  });

  it('the 2024 constituencies: the published layout, unique cells', async () => {
    const r = await getJson(app, '/v1/areas?type=pcon2024&format=hexjson');
    const published = JSON.parse(
      readFileSync(join(DATA_DIR, 'geo_boundaries', 'uk-constituencies-2024.hexjson'), 'utf8'),
    );
    const hexes = Object.entries(r.body.hexes as Record<string, { q: number; r: number }>);
    expect(hexes.length).toBe((await liveCodes('pcon2024')).size);
    expect(new Set(hexes.map(([, h]) => `${h.q},${h.r}`)).size).toBe(hexes.length);
    for (const [code, h] of hexes)
      expect([h.q, h.r]).toEqual([published.hexes[code].q, published.hexes[code].r]);
  });

  it('has no layout for districts (400, not a guess)', async () => {
    const r = await getJson(app, '/v1/areas?type=lad&format=hexjson');
    expect(r.status).toBe(400);
    expect(r.body.errors[0].location).toBe('query.format');
  });
});

/** Type-7 quantile, written out again for the check. */
const q7 = (sorted: number[], p: number) => {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return (
    (sorted[lo] as number) +
    (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] as number) - (sorted[lo] as number))
  );
};

describe('indicator rankings on the map', () => {
  const id = 'enterprise-birth-rate';

  it('GeoJSON values, ranks and percentiles equal the JSON ranking; classes follow the stated breaks', async () => {
    const json = (await getJson(app, `/v1/indicators/${id}/ranking`)).body;
    const fc = (await getJson(app, `/v1/indicators/${id}/ranking?format=geojson`)).body as Collection;
    expectDocumented(IndicatorGeoJson, fc);
    expect(fc.features).toHaveLength(38);
    const rows = new Map<string, { value: number | null; rank: number | null; percentile: number | null }>(
      json.data.map((v: { area: { code: string } }) => [v.area.code, v]),
    );
    expect(rows.size).toBeGreaterThan(0);
    const values = [...rows.values()]
      .map((v) => v.value)
      .filter((v): v is number => v !== null)
      .sort((a, b) => a - b);
    const m = fc.metadata as {
      year: number;
      classes: { breaks: number[]; colours: string[]; method: string };
    };
    expect(m.year).toBe(json.year);
    expect(m.classes.method).toBe('quantile');
    expect(m.classes.breaks).toEqual([
      values[0],
      q7(values, 0.2),
      q7(values, 0.4),
      q7(values, 0.6),
      q7(values, 0.8),
      values.at(-1),
    ]);
    for (const f of fc.features) {
      const row = rows.get(f.id);
      expect(f.properties.value).toBe(row?.value ?? null);
      expect(f.properties.rank).toBe(row?.rank ?? null);
      expect(f.properties.percentile).toBe(row?.percentile ?? null);
      const v = f.properties.value as number | null;
      const b = m.classes.breaks;
      const cls = v === null ? null : Math.min(b.filter((x) => x <= v).length - 1, b.length - 2);
      expect(f.properties.class, f.id).toBe(cls);
      expect(f.properties.fill).toBe(cls === null ? '#d9d9d9' : m.classes.colours[cls]);
    }
  });

  it('TopoJSON and HexJSON carry the same figures', async () => {
    const geo = (await getJson(app, `/v1/indicators/${id}/ranking?format=geojson&classes=jenks&k=4`))
      .body as Collection;
    const topo = (await getJson(app, `/v1/indicators/${id}/ranking?format=topojson&classes=jenks&k=4`)).body;
    const hex = (await getJson(app, `/v1/indicators/${id}/ranking?format=hexjson&classes=jenks&k=4`)).body;
    expectDocumented(IndicatorTopoJson, topo);
    expectDocumented(IndicatorHexJson, hex);
    expect(geo.metadata.classes).toMatchObject({ method: 'jenks', requested: 4 });
    const fromTopo = new Map(
      (topo.objects.lep.geometries as { id: string; properties: unknown }[]).map((g) => [g.id, g.properties]),
    );
    expect(fromTopo.size).toBe(38);
    expect(geo.features).toHaveLength(38);
    for (const f of geo.features) {
      expect(fromTopo.get(f.id)).toEqual(f.properties);
      const { q: _q, r: _r, n, colour, ...props } = hex.hexes[f.id];
      expect(props).toEqual(f.properties);
      expect(n).toBe(f.properties.name);
      expect(colour).toBe(f.properties.fill);
    }
  });

  it('refuses map formats on older vintages and unknown class methods', async () => {
    expect((await getJson(app, `/v1/indicators/${id}/ranking?format=geojson&vintage=2017`)).status).toBe(400);
    expect((await getJson(app, `/v1/indicators/${id}/ranking?format=geojson&classes=equal`)).status).toBe(
      400,
    );
    expect((await getJson(app, `/v1/indicators/${id}/ranking?format=geojson&k=12`)).status).toBe(400);
    expect((await getJson(app, `/v1/indicators/no-such-thing/ranking?format=geojson`)).status).toBe(404);
  });
});

describe('Innovate UK on the map', () => {
  // The full data has no Innovate UK spreadsheet (it is not public); the sample carries a synthetic
  // release, so these run on a database loaded from the sample whatever DATA_DIR says.
  let iuk: TestDatabase;
  let app: ReturnType<typeof appFor>;
  beforeAll(async () => {
    iuk = await createTestDatabase();
    await loadDataset(iuk.run, { dataDir: SAMPLE_DATA_DIR });
    app = appFor(iuk.db);
  });
  afterAll(async () => iuk?.close());
  const text = async (path: string) => {
    const res = await app.request(path);
    return { res, status: res.status, text: await res.text() };
  };

  it('summary GeoJSON equals the JSON summary, £0 where no participant, and says SYNTHETIC when it is', async () => {
    for (const groupBy of ['lep', 'lad', 'pcon2024']) {
      const json = (await getJson(app, `/v1/investments/summary?groupBy=${groupBy}`)).body;
      const fc = (await getJson(app, `/v1/investments/summary?groupBy=${groupBy}&format=geojson`))
        .body as Collection;
      expectDocumented(InvestmentGeoJson, fc);
      const groups = new Map<string, { grantOffered: { pence: number }; projects: number }>(
        json.groups.map((g: { key: string }) => [g.key, g]),
      );
      expect(groups.size).toBeGreaterThan(0);
      let matched = 0;
      for (const f of fc.features) {
        const g = groups.get(f.id);
        expect(f.properties.grantOfferedPence, f.id).toBe(g?.grantOffered.pence ?? 0);
        expect(f.properties.projects).toBe(g?.projects ?? 0);
        if (g) matched++;
      }
      // Every area with money is on the map (British participants outside England included for lad/pcon2024).
      expect(matched).toBe([...groups.keys()].filter((k) => fc.features.some((f) => f.id === k)).length);
      expect(matched).toBeGreaterThan(0);
      // The sample's release is synthetic (its SYNTHETIC.md marker), and the map says so.
      expect(json.source.synthetic).toBe(true);
      expect(fc.metadata.synthetic).toBe(true);
      expect(String(fc.metadata.warning)).toMatch(/SYNTHETIC/);
    }
    const hex = (await getJson(app, '/v1/investments/summary?groupBy=lep&format=hexjson')).body;
    expectDocumented(InvestmentHexJson, hex);
    expect(Object.keys(hex.hexes)).toHaveLength(38);
  });

  it('participants as points: as many features as the list has rows, each at its postcode', async () => {
    const area = 'E37000015';
    const list = (await getJson(app, `/v1/investments?area=${area}&limit=1`)).body;
    expect(list.page.total).toBeGreaterThan(0);
    const r = await text(`/v1/investments?area=${area}&format=geojson`);
    expect(r.res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    const fc = JSON.parse(r.text);
    expectDocumented(PointsGeoJson, fc);
    expect(fc.features.length).toBe(list.page.total);
    // The ETag is set before the stream is read (so no middleware hashes the whole body), and works.
    const etag = r.res.headers.get('etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]{24}"$/);
    const again = await app.request(`/v1/investments?area=${area}&format=geojson`, {
      headers: { 'If-None-Match': etag as string },
    });
    expect(again.status).toBe(304);
    const located = fc.features.filter((f: { geometry: unknown }) => f.geometry !== null);
    expect(located.length).toBeGreaterThan(0);
    for (const f of located) {
      const [lng, lat] = f.geometry.coordinates;
      expect(Math.abs(lng - f.properties.place.lng)).toBeLessThan(1e-5);
      expect(Math.abs(lat - f.properties.place.lat)).toBeLessThan(1e-5);
    }
  });

  it('needs an area grouping to map', async () => {
    expect((await getJson(app, '/v1/investments/summary?groupBy=sector&format=geojson')).status).toBe(400);
    expect((await getJson(app, '/v1/investments/summary?format=hexjson')).status).toBe(400);
    expect((await getJson(app, '/v1/investments/summary?groupBy=lad&format=hexjson')).status).toBe(400);
  });
});

describe('SVG choropleths', () => {
  it('boundaries and hexes: a title, a <title> per LEP, a legend, source and dataset, no script or external reference', async () => {
    const meta = (await getJson(app, '/v1/meta')).body;
    for (const shape of ['boundaries', 'hex']) {
      const r = await text(`/v1/indicators/enterprise-birth-rate/map.svg?shape=${shape}`);
      expect(r.status).toBe(200);
      expect(r.res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(r.text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(r.text.match(/<g class="area"><path [^>]*><title>[^<]+: [^<]+<\/title>/g)).toHaveLength(38);
      expect(r.text).toContain('<title id="map-title">Enterprise birth rate');
      expect(r.text).toContain(meta.dataset.version);
      expect(r.text).toMatch(/Source: /);
      expect(r.text).not.toMatch(/<script|href=|xlink|@import|url\(/);
    }
    const iuk = await text('/v1/investments/map.svg?groupBy=lad');
    expect(iuk.status).toBe(200);
    expect(iuk.text).toMatch(/SYNTHETIC|Innovate UK funded projects/);
    expect((await text('/v1/investments/map.svg?groupBy=lad&shape=hex')).status).toBe(400);
  });
});

describe('embeds', () => {
  const pages = [
    '/embed/leps/E37000015',
    '/embed/indicators/enterprise-birth-rate/map',
    '/embed/areas/E37000015/investments',
  ];

  it('may be framed anywhere; every other page keeps its frame policy', async () => {
    for (const p of pages) {
      const r = await text(p);
      expect(r.status, p).toBe(200);
      expect(r.res.headers.get('x-frame-options'), p).toBeNull();
      expect(r.res.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    }
    for (const p of ['/v1/areas?type=lep', '/', '/docs', '/v1/indicators/enterprise-birth-rate/map.svg']) {
      const r = await app.request(p);
      expect(r.headers.get('x-frame-options'), p).toBe('SAMEORIGIN');
    }
  });

  it('are self-contained: only the inline style and script the CSP hashes, nothing from another host', async () => {
    const meta = (await getJson(app, '/v1/meta')).body;
    for (const p of pages) {
      const r = await text(p);
      expect(r.text).toMatch(/^<!doctype html>\n<html lang="en-GB">/);
      expect(r.text).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(r.text).not.toMatch(/ style="/);
      const scripts = [...r.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
      const styles = [...r.text.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
      expect(scripts).toHaveLength(1);
      expect(styles).toHaveLength(1);
      expect((scripts[0] ?? '').length).toBeLessThan(2048);
      const csp = r.res.headers.get('content-security-policy') ?? '';
      const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
      expect(csp).toContain(`script-src ${sha(scripts[0] ?? '')}`);
      expect(csp).toContain(`style-src ${sha(styles[0] ?? '')}`);
      expect(csp).toContain("default-src 'none'");
      expect(r.text).toContain('postMessage');
      expect(r.text).toContain(meta.dataset.version);
      expect(r.text).toMatch(/Source: /);
    }
  });

  it('answer 404 for unknown areas and indicators, 400 for malformed codes', async () => {
    expect((await app.request('/embed/leps/E37999999')).status).toBe(404);
    expect((await app.request('/embed/leps/nonsense')).status).toBe(400);
    expect((await app.request('/embed/indicators/no-such-thing/map')).status).toBe(404);
    expect((await app.request('/embed/areas/E37999999/investments')).status).toBe(404);
  });

  it('oEmbed describes our embed URLs only, JSON only', async () => {
    const url = 'http://localhost/embed/leps/E37000015';
    const r = await getJson(app, `/oembed?url=${encodeURIComponent(url)}&maxwidth=400`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      version: '1.0',
      type: 'rich',
      width: 400,
      provider_name: 'innovation-observatory',
    });
    expect(r.body.html).toContain(`<iframe src="${url}"`);
    expect(
      (
        await getJson(
          app,
          `/oembed?url=${encodeURIComponent('https://elsewhere.example/embed/leps/E37000015')}`,
        )
      ).status,
    ).toBe(404);
    expect((await getJson(app, `/oembed?url=${encodeURIComponent('http://localhost/v1/leps')}`)).status).toBe(
      404,
    );
    expect((await getJson(app, '/oembed?url=not-a-url')).status).toBe(400);
    expect((await getJson(app, `/oembed?url=${encodeURIComponent(url)}&format=xml`)).status).toBe(501);
  });
});

describe('search', () => {
  const search = async (q: string, extra = '') =>
    (await getJson(app, `/v1/search?q=${encodeURIComponent(q)}${extra}`)).body;

  it('finds a LEP by name forgiving case, punctuation and "and"/"&"', async () => {
    for (const q of [
      'Stoke-on-Trent and Staffordshire',
      'stoke on trent & staffordshire',
      'STOKE ON TRENT, STAFFORDSHIRE',
      'stoke & staffs',
    ]) {
      const r = await search(q, '&types=lep');
      expect(r.results[0]?.code, q).toBe('E37000032');
      expect(r.results[0]?.href).toBe('/v1/areas/E37000032');
    }
    expect((await search('stoke on trent & staffordshire')).results[0]?.score).toBe(1);
  });

  it('finds a postcode and an outward code with their LEPs (from the source lookups)', async () => {
    const pcs = parse(
      gunzipSync(
        readFileSync(join(DATA_DIR, 'postcodes', 'codepoint_open_postcode_lad_ward_latlong.csv.gz')),
      ),
      {
        columns: true,
      },
    ) as { postcode: string; lad_code: string }[];
    const lookup = parse(
      readFileSync(join(DATA_DIR, 'geo_lookups', 'derived_lad_region_lep_2021_2023.csv')),
      {
        columns: true,
      },
    ) as { year: string; lad_code: string; lep_code_a: string; lep_code_b: string }[];
    const pc = pcs.find((p) => p.postcode === 'M1 1AE');
    expect(pc).toBeDefined();
    const leps = lookup
      .filter((l) => l.year === '2023' && l.lad_code === pc?.lad_code)
      .flatMap((l) => [l.lep_code_a, l.lep_code_b].filter(Boolean))
      .sort();
    expect(leps.length).toBeGreaterThan(0);
    const r = await search('m11ae');
    expect(r.results[0]).toMatchObject({ kind: 'postcode', code: 'M1 1AE', href: '/v1/postcodes/M11AE' });
    expect(r.results[0].leps.map((l: { code: string }) => l.code).sort()).toEqual(leps);
    const out = await search('m1');
    expect(out.results[0]).toMatchObject({ kind: 'outcode', code: 'M1', href: `/v1/areas/${pc?.lad_code}` });
    expect(out.results[0].leps[0].code).toBe(leps[0]);
  });

  it('ranks the exact district first and every result’s href answers', async () => {
    const r = await search('manchester');
    expect(r.results[0]).toMatchObject({ type: 'lad', name: 'Manchester', score: 1 });
    expect(r.results.length).toBeGreaterThan(1);
    for (const res of r.results) expect((await app.request(res.href)).status, res.href).toBe(200);
    const typo = await search('manchestr');
    expect(typo.results.some((x: { code: string }) => x.code === 'E08000003')).toBe(true);
  });

  it('rejects empty queries and unknown types', async () => {
    expect((await getJson(app, '/v1/search?q=')).status).toBe(400);
    expect((await getJson(app, '/v1/search?q=leeds&types=planet')).status).toBe(400);
  });
});

describe('lists carry centroids', () => {
  it('every live LEP in /v1/leps and /v1/areas has a position and says how it was found', async () => {
    const leps = (await getJson(app, '/v1/leps')).body.data;
    expect(leps).toHaveLength(38);
    for (const l of leps)
      expect(l.centroid, l.code).toMatchObject({ lat: expect.any(Number), method: expect.any(String) });
    const areas = (await getJson(app, '/v1/areas?type=lep&limit=500')).body.data.filter(
      (a: { status: string }) => a.status === 'live',
    );
    expect(areas).toHaveLength(38);
    for (const a of areas) expect(a.centroid?.lat, a.code).toBeGreaterThan(49);
  });
});

describe('pages and files', () => {
  it('/docs loads Swagger UI from this server; the files are served', async () => {
    const r = await text('/docs');
    expect(r.status).toBe(200);
    const refs = [...r.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref.startsWith('/'), ref).toBe(true);
      expect((await app.request(ref)).status, ref).toBe(200);
    }
    expect((await app.request('/vendor/swagger-ui/package.json')).status).toBe(404);
    expect((await app.request('/assets/../../package.json')).status).toBe(404);
  });

  it('the landing page and widget.js (≤ 15 KB gzipped)', async () => {
    const landing = await text('/');
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('<html lang="en-GB">');
    const widget = await app.request('/widget.js');
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
    const bytes = Buffer.from(await widget.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(1000);
    expect(gzipSync(bytes, { level: 9 }).length).toBeLessThanOrEqual(15 * 1024);
  });
});

describe('every area in a response carries its href', () => {
  /** Objects naming an area: a GSS `code` beside a `name`. */
  function areasIn(body: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
    if (Array.isArray(body)) for (const x of body) areasIn(x, out);
    else if (body && typeof body === 'object') {
      const o = body as Record<string, unknown>;
      if (typeof o.code === 'string' && /^[EKNSW]\d{8}$/.test(o.code) && 'name' in o) out.push(o);
      for (const v of Object.values(o)) areasIn(v, out);
    }
    return out;
  }

  it('areas, parents, rankings, profiles, comparisons, LEP lists, search and specialisation', async () => {
    const paths = [
      '/v1/areas?type=lep',
      '/v1/areas/E07000234',
      '/v1/areas/E37000015/children?type=lad',
      '/v1/indicators/enterprise-birth-rate/ranking',
      '/v1/leps',
      '/v1/leps/E37000015/profile',
      '/v1/compare?areas=E37000015,E37000032',
      '/v1/search?q=manchester',
      '/v1/areas/E37000015/investments',
      '/v1/areas/E37000015/specialisation',
    ];
    for (const path of paths) {
      const r = await getJson(app, path);
      expect(r.status, path).toBe(200);
      const found = areasIn(r.body);
      expect(found.length, path).toBeGreaterThan(0);
      const missing = found.filter(
        (a) => typeof a.href !== 'string' || !String(a.href).startsWith(`/v1/areas/${a.code}`),
      );
      expect(missing.slice(0, 3), path).toEqual([]);
    }
  });
});
