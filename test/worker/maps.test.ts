import { describe, expect, it } from 'vitest';
import { workerFetch } from './checked.ts';

// Maps, embeds, search and the static pages inside workerd: the same routes as on Node, reading the
// sample as the real pipeline loaded it through the Neon driver, and files through the ASSETS binding.

const BASE = 'http://api.test';
const get = (path: string) => workerFetch(`${BASE}${path}`);

type Collection = {
  type: string;
  metadata: Record<string, unknown>;
  features: { id: string; properties: Record<string, unknown> }[];
};

describe('maps in workerd', () => {
  it('serves the 38 LEP boundaries as GeoJSON, TopoJSON and HexJSON', async () => {
    const geo = await get('/v1/areas?type=lep&format=geojson');
    expect(geo.status).toBe(200);
    expect(geo.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    const fc = (await geo.json()) as Collection;
    expect(fc.features).toHaveLength(38);
    expect(fc.metadata).toMatchObject({ areaType: 'lep', dataset: { isSample: true } });
    const topo = (await (await get('/v1/areas?type=lep&format=topojson')).json()) as {
      type: string;
      objects: { lep: { geometries: unknown[] } };
    };
    expect(topo.type).toBe('Topology');
    expect(topo.objects.lep.geometries).toHaveLength(38);
    const hex = (await (await get('/v1/areas?type=lep&format=hexjson')).json()) as {
      layout: string;
      hexes: Record<string, { q: number; r: number }>;
    };
    expect(hex.layout).toBe('odd-r');
    const cells = Object.values(hex.hexes).map((h) => `${h.q},${h.r}`);
    expect(new Set(cells).size).toBe(38);
  });

  it('joins a ranking to the shapes with classes (quantile and Jenks computed in the Worker)', async () => {
    const ranking = (await (await get('/v1/indicators/enterprise-birth-rate/ranking')).json()) as {
      data: { area: { code: string }; value: number | null }[];
    };
    expect(ranking.data.length).toBeGreaterThan(0);
    for (const classes of ['quantile', 'jenks']) {
      const fc = (await (
        await get(`/v1/indicators/enterprise-birth-rate/ranking?format=geojson&classes=${classes}`)
      ).json()) as Collection;
      expect(fc.features).toHaveLength(38);
      expect((fc.metadata.classes as { method: string }).method).toBe(classes);
      for (const row of ranking.data) {
        expect(fc.features.find((f) => f.id === row.area.code)?.properties.value).toBe(row.value);
      }
    }
  });

  it('renders the SVG choropleth and the Innovate UK map', async () => {
    const svg = await get('/v1/indicators/enterprise-birth-rate/map.svg?shape=hex');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const text = await svg.text();
    expect(text.match(/<title>[^<]+<\/title>/g)?.length).toBeGreaterThanOrEqual(38);
    const iuk = await get('/v1/investments/summary?groupBy=lep&format=hexjson');
    expect(iuk.status).toBe(200);
    expect(((await iuk.json()) as { metadata: { synthetic: boolean } }).metadata.synthetic).toBe(true);
    expect((await get('/v1/investments/map.svg?groupBy=lep')).status).toBe(200);
  });

  it('streams participants as GeoJSON points', async () => {
    const res = await get('/v1/investments?area=E37000015&format=geojson');
    expect(res.status).toBe(200);
    const fc = (await res.json()) as Collection;
    expect(fc.features.length).toBeGreaterThan(0);
  });
});

describe('embeds in workerd', () => {
  it('each embed is framable (CSP frame-ancestors *, no X-Frame-Options); the API is not', async () => {
    for (const path of [
      '/embed/leps/E37000015',
      '/embed/indicators/enterprise-birth-rate/map',
      '/embed/areas/E37000015/investments',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('x-frame-options'), path).toBeNull();
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
      expect(await res.text()).toContain('innovation-observatory:height');
    }
    expect((await get('/v1/leps')).headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('oEmbed answers for this origin', async () => {
    const res = await get(`/oembed?url=${encodeURIComponent(`${BASE}/embed/leps/E37000015`)}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: string }).type).toBe('rich');
  });

  it('search finds a LEP by a loose name (pg_trgm through Neon)', async () => {
    const res = await get('/v1/search?q=stoke%20%26%20staffordshire&types=lep');
    const body = (await res.json()) as { results: { code: string; href: string }[] };
    expect(body.results[0]).toMatchObject({ code: 'E37000032', href: '/v1/areas/E37000032' });
  });
});

describe('static files from the assets binding', () => {
  it('the landing page, widget.js and Swagger UI’s own files', async () => {
    const landing = await get('/');
    expect(landing.status).toBe(200);
    expect(landing.headers.get('content-type')).toMatch(/text\/html/);
    expect(landing.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await landing.text()).toContain('<lep-indicator-map');
    const widget = await get('/widget.js');
    expect(widget.status).toBe(200);
    expect(await widget.text()).toContain("customElements.define('lep-profile'");
    const docs = await get('/docs');
    expect(await docs.text()).toContain('/vendor/swagger-ui/swagger-ui-bundle.js');
    for (const f of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      const res = await get(`/vendor/swagger-ui/${f}`);
      expect(res.status, f).toBe(200);
      expect((await res.text()).length).toBeGreaterThan(10_000);
    }
    expect((await get('/assets/nothing-here.js')).status).toBe(404);
  });
});
