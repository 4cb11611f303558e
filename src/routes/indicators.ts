import { createRoute, z } from '@hono/zod-openapi';
import {
  FINAL_VINTAGE,
  getIndicator,
  getIndicatorYears,
  getRanking,
  getSeries,
  listIndicators,
} from '../db/indicator-queries.ts';
import { GSS_CODE } from '../domain/geography.ts';
import { exportResponse, formatQuery } from '../http/export.ts';
import { mapResponse } from '../http/geojson.ts';
import { decodeCursor, PageSchema, pageQuery, paginate } from '../http/pagination.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { indicatorMap, isMapFormat } from '../services/maps.ts';
import {
  ACTORS,
  DIMENSIONS,
  exportSourcesOf,
  Indicator,
  IndicatorSummary,
  splitList,
  tableResponse,
  toIndicator,
  toIndicatorSummary,
  toValueView,
  VALUE_EXPORT_COLUMNS,
  ValueView,
} from './indicator-views.ts';
import {
  IndicatorGeoJson,
  IndicatorHexJson,
  IndicatorTopoJson,
  mapContent,
  mapFormatQuery,
} from './map-views.ts';

const IndicatorId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,80}$/, 'Expected an indicator id such as university-research-income')
  .openapi({ description: 'Indicator id from /v1/indicators.', example: 'university-research-income' });

const Year = z.coerce.number().int().min(1990).max(2100);

const listRoute = createRoute({
  method: 'get',
  path: '/indicators',
  tags: ['Indicators'],
  summary: 'The indicator catalogue',
  request: {
    query: z.object({
      actor: z.enum(ACTORS).optional().openapi({ description: 'Only indicators about this actor.' }),
      dimension: z.enum(DIMENSIONS).optional().openapi({ description: 'Only this dimension.' }),
      format: formatQuery,
      ...pageQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z.object({ data: z.array(IndicatorSummary), page: PageSchema }).openapi('IndicatorList'),
      'Indicators',
    ),
    ...problemResponses('bad_request'),
  },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/indicators/{id}',
  tags: ['Indicators'],
  summary: 'One indicator: definition, unit, polarity, source and licence, years available',
  request: { params: z.object({ id: IndicatorId }) },
  responses: {
    200: { description: 'The indicator', content: { 'application/json': { schema: Indicator } } },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const rankingRoute = createRoute({
  method: 'get',
  path: '/indicators/{id}/ranking',
  tags: ['Indicators'],
  summary: 'League table of the LEPs for one indicator and year',
  request: {
    params: z.object({ id: IndicatorId }),
    query: z.object({
      year: Year.optional().openapi({ description: 'Default: the latest year on the 2021 LEP geography.' }),
      vintage: z.enum(['2021', '2020', '2017', '2014']).default('2021').openapi({
        description: 'LEP geography: 2021 (final) or an earlier vintage for values that could not be mapped.',
      }),
      format: z.enum(['json', 'csv', 'xlsx', 'geojson', 'topojson', 'hexjson']).default('json').openapi({
        description:
          'json (default), csv, xlsx, or a map of the 2021 LEPs with each value, rank and class joined: geojson, topojson, hexjson.',
        example: 'json',
      }),
      ...mapFormatQuery,
    }),
  },
  responses: {
    200: withMaps(
      tableResponse(
        z
          .object({
            indicator: IndicatorSummary,
            year: z.number().int(),
            vintage: z.string(),
            data: z.array(ValueView),
          })
          .openapi('Ranking'),
        'Every LEP of the cohort in rank order (unranked, suppressed values last)',
      ),
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const seriesRoute = createRoute({
  method: 'get',
  path: '/indicators/{id}/series',
  tags: ['Indicators'],
  summary: 'Time series of one indicator for some LEPs (default: all 2021 LEPs)',
  request: {
    params: z.object({ id: IndicatorId }),
    query: z.object({
      areas: z
        .string()
        .max(1000)
        .optional()
        .openapi({ description: 'Comma-separated LEP codes.', example: 'E37000015,E37000051' }),
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          indicator: IndicatorSummary,
          series: z.array(
            z.object({
              area: z.object({
                code: z.string(),
                name: z.string().nullable(),
                vintage: z.string(),
                href: z.string().openapi({ example: '/v1/areas/E37000015' }),
              }),
              points: z.array(ValueView),
            }),
          ),
        })
        .openapi('Series'),
      'One series per area and vintage',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

function withMaps<T extends { content: object }>(r: T) {
  return {
    ...r,
    content: {
      ...r.content,
      ...mapContent({ geojson: IndicatorGeoJson, topojson: IndicatorTopoJson, hexjson: IndicatorHexJson }),
    },
  };
}

async function indicatorOr404(db: Parameters<typeof getIndicator>[0], id: string) {
  const i = await getIndicator(db, id);
  if (!i) throw new ApiError('not_found', `No indicator is called "${id}". See /v1/indicators.`);
  return i;
}

export function indicatorRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const after = decodeCursor(q.cursor);
      if (q.format !== 'json') {
        const { rows } = await listIndicators(c.var.deps.db, {
          actor: q.actor,
          dimension: q.dimension,
          limit: 10_000,
        });
        return exportResponse(q.format, {
          filename: 'indicators',
          title: 'Indicator catalogue',
          rows: rows.map(toIndicator),
          columns: [
            { header: 'id', description: 'Indicator id', value: (r) => r.id },
            { header: 'title', description: 'Title', value: (r) => r.title },
            { header: 'description', description: 'Plain-English definition', value: (r) => r.description },
            { header: 'unit', description: 'Unit', value: (r) => r.unit },
            {
              header: 'measure',
              description: 'total, rate, share, average or index',
              value: (r) => r.measure,
            },
            { header: 'polarity', description: 'Which direction ranks first', value: (r) => r.polarity },
            { header: 'actor', description: 'research_base, business or place', value: (r) => r.actor },
            {
              header: 'dimension',
              description: 'funding, talent, outputs or environment',
              value: (r) => r.dimension,
            },
            { header: 'years', description: 'Years with values', value: (r) => r.years.join(' ') },
            {
              header: 'rate_variant',
              description: 'Size-free variant of a total',
              value: (r) => r.rateVariantId,
            },
            { header: 'source', description: 'Source', value: (r) => r.source.title },
            { header: 'licence', description: 'Licence of the source', value: (r) => r.source.licence },
          ],
          sources: exportSourcesOf(rows),
        });
      }
      const { rows, total } = await listIndicators(c.var.deps.db, {
        actor: q.actor,
        dimension: q.dimension,
        after,
        limit: q.limit,
      });
      const { data, page } = paginate(rows, q.limit, total ?? 0, (r) => r.id);
      return c.json({ data: data.map(toIndicatorSummary), page }, 200);
    })
    .openapi(getRouteDef, async (c) => {
      const i = await indicatorOr404(c.var.deps.db, c.req.valid('param').id);
      return c.json(toIndicator(i), 200);
    })
    .openapi(rankingRoute, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const db = c.var.deps.db;
      if (isMapFormat(q.format)) {
        return mapResponse(
          await indicatorMap(db, {
            id,
            year: q.year,
            vintage: q.vintage,
            format: q.format,
            classes: q.classes,
            k: q.k,
          }),
        );
      }
      const i = await indicatorOr404(db, id);
      const year =
        q.year ??
        (q.vintage === FINAL_VINTAGE ? i.latestYear : null) ??
        (await getIndicatorYears(db, id, q.vintage)).at(-1);
      const rows = year === undefined || year === null ? [] : await getRanking(db, id, year, q.vintage);
      if (rows.length === 0) {
        const years = await getIndicatorYears(db, id, q.vintage);
        throw new ApiError(
          'not_found',
          `${id} has no values${year ? ` for ${year}` : ''} on the ${q.vintage} LEP geography.`,
          [
            {
              location: q.year ? 'query.year' : 'query.vintage',
              message: `Years available: ${years.join(', ') || 'none'}`,
            },
          ],
        );
      }
      const data = rows.map((r) => toValueView(r.v, i, r.areaName));
      if (q.format === 'csv' || q.format === 'xlsx') {
        return exportResponse(q.format, {
          filename: `ranking-${id}-${year}`,
          title: `${i.title}, ${year}: LEP ranking`,
          rows: data,
          columns: VALUE_EXPORT_COLUMNS,
          notes: [i.description, ...i.caveats],
          sources: exportSourcesOf([i]),
        });
      }
      return c.json(
        { indicator: toIndicatorSummary(i), year: year as number, vintage: q.vintage, data },
        200,
      );
    })
    .openapi(seriesRoute, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const codes = splitList(q.areas);
      const bad = codes.filter((code) => !GSS_CODE.test(code));
      if (bad.length) {
        throw new ApiError('bad_request', 'Some area codes are malformed.', [
          { location: 'query.areas', message: `Not GSS codes: ${bad.join(', ')}` },
        ]);
      }
      const i = await indicatorOr404(c.var.deps.db, id);
      const rows = await getSeries(c.var.deps.db, id, codes.length ? codes : undefined);
      const missing = codes.filter((code) => !rows.some((r) => r.v.areaCode === code));
      if (missing.length) {
        throw new ApiError('not_found', `${id} has no values for ${missing.join(', ')}.`, [
          { location: 'query.areas', message: `No values for: ${missing.join(', ')}` },
        ]);
      }
      const views = rows.map((r) => toValueView(r.v, i, r.areaName));
      if (q.format !== 'json') {
        return exportResponse(q.format, {
          filename: `series-${id}`,
          title: `${i.title}: time series`,
          rows: views,
          columns: VALUE_EXPORT_COLUMNS,
          notes: [i.description, ...i.caveats],
          sources: exportSourcesOf([i]),
        });
      }
      const series = new Map<string, { area: (typeof views)[number]['area']; points: typeof views }>();
      for (const v of views) {
        const key = `${v.area.code}|${v.area.vintage}`;
        const s = series.get(key) ?? { area: v.area, points: [] };
        s.points.push(v);
        series.set(key, s);
      }
      return c.json({ indicator: toIndicatorSummary(i), series: [...series.values()] }, 200);
    });
}
