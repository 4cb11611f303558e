import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { ApiError } from '../http/problem.ts';

/**
 * What people open in a browser: the landing page, the interactive API docs (Swagger UI served
 * from this API, so they work offline) and the static files behind them. Not API operations, so
 * not in the OpenAPI document. Each page's CSP allows only this origin: nothing loads from elsewhere.
 */

// The widgets style their shadow roots with <style> elements, which style-src treats as inline.
const PAGE_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";
// Swagger UI sets style attributes as it renders.
const DOCS_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>innovation-observatory API</title>
<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="/vendor/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-spec="/openapi.json"></div>
<script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/assets/docs.js"></script>
</body>
</html>
`;

async function asset(c: { var: AppEnv['Variables'] }, path: string, policy?: string): Promise<Response> {
  const res = await c.var.deps.assets?.fetch(path);
  if (!res) throw new ApiError('not_found', `Nothing is served at ${path}.`);
  if (policy) res.headers.set('Content-Security-Policy', policy);
  return res;
}

export function siteRoutes() {
  return new Hono<AppEnv>()
    .get('/', (c) => asset(c, '/index.html', PAGE_POLICY))
    .get('/docs', (c) => {
      c.header('Content-Security-Policy', DOCS_POLICY);
      return c.html(DOCS_HTML);
    })
    .get('/widget.js', (c) => asset(c, '/widget.js'))
    .get('/assets/*', (c) => asset(c, c.req.path))
    .get('/vendor/swagger-ui/*', (c) => asset(c, c.req.path));
}
