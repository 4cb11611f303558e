import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { isDatabaseUnavailable } from './db/availability.ts';
import { getCurrentDatasetVersion } from './db/queries.ts';
import type { AppEnv, Deps } from './deps.ts';
import { versionedCache } from './http/cache.ts';
import { framePolicy } from './http/frame-policy.ts';
import { cacheControl, readOnly, requestLog } from './http/middleware.ts';
import {
  type ResponseExamples,
  readResponseExamples,
  withResponseExamples,
} from './http/openapi-examples.ts';
import { ApiError, PROBLEMS, type ProblemCode, problemResponse } from './http/problem.ts';
import { enforceRateLimit, RATE_POLICIES, rateLimitHeaders } from './http/rate-limit.ts';
import { requestId } from './http/request-id.ts';
import { areaRoutes } from './routes/areas.ts';
import { compareRoutes } from './routes/compare.ts';
import { coverageRoutes } from './routes/coverage.ts';
import { embedRoutes } from './routes/embeds.ts';
import { healthRoutes } from './routes/health.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { investmentRoutes } from './routes/investments.ts';
import { lepRoutes } from './routes/leps.ts';
import { mapRoutes } from './routes/maps.ts';
import { metaRoutes } from './routes/meta.ts';
import { networkRoutes } from './routes/network.ts';
import { organisationRoutes } from './routes/organisations.ts';
import { postcodeRoutes } from './routes/postcodes.ts';
import { problemRoutes } from './routes/problems.ts';
import { projectRoutes } from './routes/projects.ts';
import { scoreboardRoutes } from './routes/scoreboard.ts';
import { searchRoutes } from './routes/search.ts';
import { siteRoutes } from './routes/site.ts';
import { smartSpecialisationRoutes } from './routes/smart-specialisation.ts';
import { specialisationRoutes } from './routes/specialisation.ts';
import { specialisationLepRoutes } from './routes/specialisation-leps.ts';

export const API_VERSION = '1.0.0';

/** Every tag an operation uses, described (a test checks no operation uses another). */
export const API_TAGS = [
  {
    name: 'Service',
    description: 'Liveness, readiness, the dataset being served and what error types mean.',
  },
  {
    name: 'Geography',
    description:
      'Areas (England, regions, the 38 LEPs of 2021, districts, constituencies), their parents and children, and where a postcode falls.',
  },
  {
    name: 'Indicators',
    description: 'The indicator catalogue, LEP league tables and time series, from the published sources.',
  },
  {
    name: 'LEP profiles',
    description:
      'A LEP’s innovation profile, its statistical peers, strengths and weaknesses, and comparisons.',
  },
  {
    name: 'Innovate UK',
    description:
      'Innovate UK funded projects: participant rows, summaries, area headlines and reports, projects and organisations.',
  },
  {
    name: 'Smart specialisation',
    description: 'Where an area is specialised: location quotients, relatedness and portfolio measures.',
  },
  {
    name: 'Collaboration network',
    description: 'Who works with whom: co-participation in Innovate UK projects between LEPs and districts.',
  },
  {
    name: 'Maps',
    description: 'Choropleths as SVG; GeoJSON, TopoJSON and HexJSON come from the list routes.',
  },
  {
    name: 'Embeds',
    description: 'Pages to frame on another site, and oEmbed for content management systems.',
  },
];

/** Build the whole API from explicit dependencies. Both runtime entries call this and nothing else. */
export function createApp(given: Deps) {
  const deps: Deps = {
    ...given,
    datasetVersion: given.datasetVersion ?? { current: () => getCurrentDatasetVersion(given.db) },
  };
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', requestLog());
  app.use(
    '*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'HEAD', 'OPTIONS'],
      exposeHeaders: ['X-Request-Id', 'ETag', 'X-Cache', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
      maxAge: 86400,
    }),
  );
  // X-Frame-Options is set by framePolicy: everything but /embed/* stays unframable elsewhere.
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin', xFrameOptions: false }));
  app.use('*', framePolicy());
  app.use('*', readOnly());
  app.use('*', rateLimitHeaders());
  // ETag from (build, dataset version, URL) and 304s before any handler; stored answers on hits.
  // Everything below runs only when the answer is not already known: hits are never counted.
  app.use('*', versionedCache());
  app.use('*', enforceRateLimit());
  app.use('*', cacheControl());

  app.route('/', healthRoutes());
  app.route('/', problemRoutes());
  app.route('/v1', metaRoutes());
  app.route('/v1', areaRoutes());
  app.route('/v1', postcodeRoutes());
  app.route('/v1', indicatorRoutes());
  app.route('/v1', lepRoutes());
  app.route('/v1', compareRoutes());
  app.route('/v1', coverageRoutes());
  app.route('/v1', investmentRoutes());
  app.route('/v1', projectRoutes());
  app.route('/v1', organisationRoutes());
  app.route('/v1', specialisationRoutes());
  app.route('/v1', specialisationLepRoutes());
  app.route('/v1', smartSpecialisationRoutes());
  app.route('/v1', networkRoutes());
  app.route('/v1', scoreboardRoutes());
  app.route('/v1', searchRoutes());
  app.route('/v1', mapRoutes());
  app.route('/', embedRoutes());
  app.route('/', siteRoutes());

  // The spec, with a real response example per operation (src/http/openapi-examples.ts).
  const openApiConfig: Parameters<typeof app.getOpenAPI31Document>[0] = {
    openapi: '3.1.0',
    info: {
      title: 'innovation-observatory',
      version: API_VERSION,
      description:
        'Public, read-only JSON API for England’s Local Enterprise Partnership innovation profiles, ' +
        'Innovate UK investment and the geography that joins them. Errors are RFC 9457 problem+json.\n\n' +
        '**Caching.** Every answer is a function of the dataset version and the URL: each 200 carries a weak ' +
        '`ETag` derived from them (send `If-None-Match` for a 304) and `Cache-Control: public, max-age=3600`.\n\n' +
        `**Rate limits** (per client, fixed windows): ${RATE_POLICIES.default.quota} requests per ` +
        `${RATE_POLICIES.default.window} s, of which exports (\`format=csv|xlsx|geojson\`, PDF reports, downloads) ` +
        `${RATE_POLICIES.exports.quota} per ${RATE_POLICIES.exports.window} s. Answers served from a cache and 304s ` +
        'are not counted. Every response carries `RateLimit-Policy` and `RateLimit` (IETF httpapi RateLimit ' +
        'header fields); over the limit the answer is 429 problem+json (`/problems/rate-limited`) with `Retry-After`.',
      license: {
        name: 'Data: Open Government Licence v3 unless a source says otherwise',
        url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
      },
      contact: { name: 'innovation-observatory maintainers (quote the requestId of any error)' },
    },
    // Relative: the API is served from whichever host answered this document (Workers or Node).
    servers: [{ url: '/', description: 'The host that served this document' }],
    tags: API_TAGS,
  };
  let examples: Promise<ResponseExamples> | undefined;
  app.get('/openapi.json', async (c) => {
    examples ??= readResponseExamples(deps.assets);
    const found = await examples;
    if (Object.keys(found).length === 0) examples = undefined; // try the static file again next time
    return c.json(withResponseExamples(app.getOpenAPI31Document(openApiConfig), found));
  });

  app.notFound((c) =>
    problemResponse(c, 'not_found', `Nothing is served at ${c.req.path}. See /docs for the API.`),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return problemResponse(c, err.code, err.message, err.errors);
    if (err instanceof HTTPException) {
      const code =
        (Object.keys(PROBLEMS) as ProblemCode[]).find((k) => PROBLEMS[k].status === err.status) ??
        'bad_request';
      return problemResponse(c, code, err.message || PROBLEMS[code].description);
    }
    // The database refused, dropped or did not answer in time: a 503 the client may retry, not a bug.
    if (isDatabaseUnavailable(err)) {
      deps.log({
        level: 'warn',
        msg: 'database unavailable',
        request_id: c.var.requestId,
        path: c.req.path,
        error: describeError(err),
      });
      return problemResponse(c, 'unavailable', PROBLEMS.unavailable.description);
    }
    // Unexpected: log it with the request id, never send the message (it may hold SQL or a URL).
    deps.log({
      level: 'error',
      msg: 'unhandled error',
      request_id: c.var.requestId,
      path: c.req.path,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    });
    return problemResponse(c, 'internal', PROBLEMS.internal.description);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;

/** An error and its causes on one line, for the log (never for a response body). */
function describeError(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    const x = e as { cause?: unknown; sourceError?: unknown };
    e = typeof e === 'object' ? (x.sourceError ?? x.cause) : undefined;
  }
  return parts.join(' <- ');
}
