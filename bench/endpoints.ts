/**
 * What `npm run bench` measures: one line per endpoint. `path` is a fixed path, or a function of
 * data read from the database at start (requested in turn, so no single row stays hot in a cache).
 * `read` names the table whose read should be one indexed query; the run checks it in the plans
 * (left off where the read spans most of the table, e.g. every LEP, so a seq scan may be right).
 */

export interface BenchContext {
  /** Real postcodes spread over the whole table, e.g. "M1 1AE". */
  postcodes: readonly string[];
  /** Innovate UK project numbers, organisation ids and organisation name words from the loaded data. */
  projects: readonly string[];
  organisations: readonly string[];
  nameWords: readonly string[];
}

export interface Endpoint {
  /** Short, file-name-safe label for the table and the baseline's file. */
  name: string;
  path: string | ((ctx: BenchContext) => readonly string[]);
  read?: string;
}

const pc = (postcode: string) => `/v1/postcodes/${encodeURIComponent(postcode)}`;

export const ENDPOINTS: readonly Endpoint[] = [
  { name: 'health', path: '/health' },
  { name: 'areas-lep', path: '/v1/areas?type=lep' },
  { name: 'area', path: '/v1/areas/E37000015', read: 'area_links' },
  { name: 'area-children', path: '/v1/areas/E37000015/children?type=lad', read: 'area_links' },
  { name: 'postcode', path: pc('M1 1AE'), read: 'postcodes' },
  { name: 'postcode-rotating', path: (ctx) => ctx.postcodes.map(pc), read: 'postcodes' },
  { name: 'meta', path: '/v1/meta' },
  { name: 'indicators', path: '/v1/indicators' },
  { name: 'ranking', path: '/v1/indicators/university-research-income/ranking', read: 'indicator_values' },
  { name: 'profile', path: '/v1/leps/E37000015/profile', read: 'indicator_values' },
  {
    name: 'compare',
    path: '/v1/compare?areas=E37000015,E37000051,E37000012&indicators=enterprises,enterprise-birth-rate',
    read: 'indicator_values',
  },
  { name: 'series', path: '/v1/indicators/enterprises/series?areas=E37000015', read: 'indicator_values' },
  { name: 'peers', path: '/v1/leps/E37000015/peers' },
  { name: 'strengths', path: '/v1/leps/E37000015/strengths', read: 'indicator_values' },
  { name: 'leps', path: '/v1/leps' },
  // Innovate UK (on the full generated dataset unless a real release is in DATA_DIR/innovate_uk).
  { name: 'iuk-list-lep', path: '/v1/investments?area=E37000015', read: 'iuk_participants' },
  // A page and its count: two indexed reads (the count cannot come from the totals with yearFrom).
  { name: 'iuk-list-lad-sector', path: '/v1/investments?area=E08000003&yearFrom=2015&sort=date' },
  { name: 'iuk-list-all', path: '/v1/investments?limit=100' },
  {
    name: 'iuk-list-name',
    path: (ctx) => ctx.nameWords.map((w) => `/v1/investments?q=${encodeURIComponent(w)}`),
  },
  { name: 'iuk-summary-lep', path: '/v1/investments/summary?groupBy=lep&overlap=split' },
  {
    name: 'iuk-summary-area-sector',
    path: '/v1/investments/summary?area=E37000015&groupBy=sector',
    read: 'iuk_totals',
  },
  {
    name: 'iuk-summary-lad-year',
    path: '/v1/investments/summary?area=E08000003&groupBy=year',
    read: 'iuk_totals',
  },
  // The area's totals and England's (two primary-key reads of iuk_totals) plus its top organisations.
  { name: 'iuk-area', path: '/v1/areas/E37000015/investments' },
  { name: 'iuk-area-pcon', path: '/v1/areas/E14001352/investments' },
  {
    name: 'iuk-project',
    path: (ctx) => ctx.projects.map((p) => `/v1/projects/${encodeURIComponent(p)}`),
    read: 'iuk_participants',
  },
  {
    name: 'iuk-organisation',
    path: (ctx) => ctx.organisations.map((o) => `/v1/organisations/${o}`),
    read: 'iuk_participants',
  },
  {
    name: 'iuk-org-search',
    path: (ctx) => ctx.nameWords.map((w) => `/v1/organisations?q=${encodeURIComponent(w)}`),
  },
  { name: 'iuk-area-pdf', path: '/v1/areas/E37000015/investments.pdf' },
  // The area's and England's sector totals: two primary-key reads of iuk_totals.
  { name: 'specialisation', path: '/v1/areas/E37000015/specialisation' },
  // Specialisation across LEPs: one primary-key range of the precomputed spec_* tables each.
  { name: 'spec-matrix-employment', path: '/v1/specialisation?measure=employment' },
  { name: 'spec-matrix-grant-programme', path: '/v1/specialisation?measure=grant&categories=programme' },
  { name: 'spec-matrix-grant-sector', path: '/v1/specialisation?measure=grant' },
  { name: 'spec-matrix-projects', path: '/v1/specialisation?measure=projects' },
  { name: 'spec-matrix-csv', path: '/v1/specialisation?measure=employment&format=csv' },
  { name: 'spec-matrix-xlsx', path: '/v1/specialisation?measure=employment&format=xlsx' },
  { name: 'spec-heatmap-svg', path: '/v1/specialisation.svg?measure=employment' },
  { name: 'spec-portfolio', path: '/v1/specialisation/portfolio?measure=employment' },
  { name: 'spec-trends', path: '/v1/specialisation/trends?measure=participants' },
  { name: 'relatedness', path: '/v1/relatedness?measure=grant' },
  { name: 'relatedness-employment', path: '/v1/relatedness?measure=employment' },
  { name: 'relatedness-density', path: '/v1/relatedness/density?measure=employment' },
  { name: 'smart-specialisation', path: '/v1/leps/E37000015/smart-specialisation' },
  // Collaboration network: the precomputed all-years rows, and a filtered request adding up year × sector cells.
  { name: 'network-lep', path: '/v1/network?level=lep', read: 'iuk_network_edges' },
  {
    name: 'network-lep-filtered',
    path: '/v1/network?level=lep&measure=organisations&yearFrom=2016&yearTo=2020',
  },
  { name: 'network-lad', path: '/v1/network?level=lad&measure=grant' },
  { name: 'network-lad-csv', path: '/v1/network?level=lad&format=csv' },
  { name: 'collaborations', path: '/v1/leps/E37000015/collaborations' },
  { name: 'collaborations-filtered', path: '/v1/leps/E37000015/collaborations?yearFrom=2018' },
  // One stored document per year: a primary-key read.
  { name: 'scoreboard', path: '/v1/scoreboard', read: 'scoreboards' },
  { name: 'lep-coverage', path: '/v1/leps/E37000062/coverage', read: 'indicator_coverage' },
  { name: 'coverage-matrix', path: '/v1/coverage' },
  { name: 'coverage-csv', path: '/v1/coverage?format=csv' },
  { name: 'download-csv', path: '/v1/download?format=csv', read: 'dataset_download_parts' },
  { name: 'download-xlsx', path: '/v1/download?format=xlsx', read: 'dataset_download_parts' },
  // Maps, embeds and search: their size (the KB column) matters as much as their latency.
  { name: 'map-lep-geojson', path: '/v1/areas?type=lep&format=geojson', read: 'area_shapes' },
  { name: 'map-lep-topojson', path: '/v1/areas?type=lep&format=topojson', read: 'map_layers' },
  { name: 'map-lad-geojson', path: '/v1/areas?type=lad&format=geojson', read: 'area_shapes' },
  { name: 'map-pcon24-hexjson', path: '/v1/areas?type=pcon2024&format=hexjson', read: 'map_layers' },
  { name: 'map-area-geojson', path: '/v1/areas/E37000015?format=geojson', read: 'area_shapes' },
  { name: 'map-ranking-geojson', path: '/v1/indicators/enterprise-birth-rate/ranking?format=geojson' },
  { name: 'map-ranking-topojson', path: '/v1/indicators/enterprise-birth-rate/ranking?format=topojson' },
  { name: 'map-ranking-hexjson', path: '/v1/indicators/enterprise-birth-rate/ranking?format=hexjson' },
  { name: 'map-iuk-lad-geojson', path: '/v1/investments/summary?groupBy=lad&format=geojson' },
  { name: 'map-iuk-pcon24-hexjson', path: '/v1/investments/summary?groupBy=pcon2024&format=hexjson' },
  { name: 'map-iuk-points-lep', path: '/v1/investments?area=E37000015&format=geojson' },
  { name: 'map-svg-boundaries', path: '/v1/indicators/enterprise-birth-rate/map.svg' },
  { name: 'map-svg-hex', path: '/v1/indicators/enterprise-birth-rate/map.svg?shape=hex' },
  { name: 'map-svg-iuk-lad', path: '/v1/investments/map.svg?groupBy=lad' },
  { name: 'map-lep-hexjson', path: '/v1/areas?type=lep&format=hexjson', read: 'map_layers' },
  { name: 'embed-lep', path: '/embed/leps/E37000015' },
  { name: 'embed-map', path: '/embed/indicators/enterprise-birth-rate/map' },
  { name: 'embed-iuk', path: '/embed/areas/E37000015/investments' },
  { name: 'search-name', path: '/v1/search?q=stoke%20%26%20staffs', read: 'search_names' },
  {
    name: 'search-postcode',
    path: (ctx) => ctx.postcodes.map((p) => `/v1/search?q=${encodeURIComponent(p)}`),
    read: 'postcodes',
  },
  { name: 'widget-js', path: '/widget.js' },
  { name: 'landing', path: '/' },
];

export const pathsOf = (e: Endpoint, ctx: BenchContext): readonly string[] =>
  typeof e.path === 'string' ? [e.path] : e.path(ctx);
