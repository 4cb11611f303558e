import { createRoute, z } from '@hono/zod-openapi';
import { LEP_VINTAGE, LEP_VINTAGES } from '../domain/geography.ts';
import { exportResponse, formatQuery } from '../http/export.ts';
import { mapResponse } from '../http/geojson.ts';
import { PageSchema, pageQuery, paginate, textKeyCursor } from '../http/pagination.ts';
import { areaCodeListQuery, INDICATOR_ID, yearQuery } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import {
  allIndicators,
  indicatorDetail,
  indicatorPage,
  indicatorRanking,
  indicatorSeries,
} from '../services/indicators.ts';
import { indicatorMap, isMapFormat } from '../services/maps.ts';
import {
  ACTORS,
  DIMENSIONS,
  exportSourcesOf,
  INDICATOR_EXPORT_COLUMNS,
  Indicator,
  IndicatorSummary,
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

/** Most areas one series request may name (every LEP of every vintage fits). */
const MAX_SERIES_AREAS = 100;

const IndicatorId = z
  .string()
  .regex(INDICATOR_ID, 'Expected an indicator id such as university-research-income')
  .openapi({ description: 'Indicator id from /v1/indicators.', example: 'university-research-income' });

const listRoute = createRoute({
  method: 'get',
  path: '/indicators',
  operationId: 'listIndicators',
  description:
    'The indicator catalogue: every indicator with its actor (research base, business, place), dimension (funding, talent, outputs, environment), unit, polarity and years available, optionally filtered, cursor-paginated. JSON, CSV or XLSX.',
  tags: ['Indicators'],
  summary: 'The indicator catalogue',
  request: {
    query: z.object({
      actor: z
        .enum(ACTORS)
        .optional()
        .openapi({ description: 'Only indicators about this actor.', example: 'business' }),
      dimension: z
        .enum(DIMENSIONS)
        .optional()
        .openapi({ description: 'Only this dimension.', example: 'talent' }),
      format: formatQuery,
      ...pageQuery(textKeyCursor),
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
  operationId: 'getIndicator',
  description:
    'One indicator: plain-English definition, unit, polarity (whether higher is better), source and licence, and the years and LEP vintages it has values for.',
  tags: ['Indicators'],
  summary: 'One indicator: definition, unit, polarity, source and licence, years available',
  request: { params: z.object({ id: IndicatorId }) },
  responses: {
    200: {
      description: 'The indicator',
      content: {
        'application/json': {
          schema: Indicator.extend({
            rankedYears: z.array(z.number().int()).openapi({
              description:
                'Years the ranking and maps answer on the 2021 LEPs: every live LEP has a value (any other year there is a 404). Oldest first.',
              example: [2019, 2020, 2021],
            }),
          }).openapi('IndicatorDetail'),
        },
      },
    },
    ...problemResponses('bad_request', 'not_found'),
  },
});

const rankingRoute = createRoute({
  method: 'get',
  path: '/indicators/{id}/ranking',
  operationId: 'getIndicatorRanking',
  description:
    'The LEPs ranked on one indicator for one year (default: the latest) and vintage, with rank, percentile and the England value. Only a year whose 2021 cohort holds every live LEP is ranked on the 2021 geography: another year is a 404 naming the complete years and the `vintage=` that holds the values as published. A `neutral` indicator (size, structure) is not ranked: its values come in order by value, highest first, each with its `order`. JSON, CSV, XLSX, or a map (GeoJSON, TopoJSON, HexJSON) with the values and their classes joined to the 2021 LEP shapes.',
  tags: ['Indicators'],
  summary: 'League table of the LEPs for one indicator and year',
  request: {
    params: z.object({ id: IndicatorId }),
    query: z.object({
      year: yearQuery(`Default: the latest year on the ${LEP_VINTAGE} LEP geography.`).optional(),
      vintage: z
        .enum(LEP_VINTAGES)
        .default(LEP_VINTAGE)
        .openapi({
          description: `LEP geography: ${LEP_VINTAGE} (final) or an earlier vintage for values that could not be mapped.`,
          example: LEP_VINTAGE,
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
  operationId: 'getIndicatorSeries',
  description:
    'One indicator over every year it has, for the LEPs asked for (default: all 38 LEPs of 2021) and England. JSON, CSV or XLSX.',
  tags: ['Indicators'],
  summary: 'Time series of one indicator for some LEPs (default: all 2021 LEPs)',
  request: {
    params: z.object({ id: IndicatorId }),
    query: z.object({
      areas: areaCodeListQuery({
        min: 1,
        max: MAX_SERIES_AREAS,
        description: `Comma-separated LEP codes (up to ${MAX_SERIES_AREAS}, any case); default: every ${LEP_VINTAGE} LEP.`,
        example: 'E37000015,E37000051',
      }).optional(),
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

export function indicatorRoutes() {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      if (q.format !== 'json') {
        const rows = await allIndicators(c.var.deps.db, { actor: q.actor, dimension: q.dimension });
        return exportResponse(c, q.format, {
          filename: 'indicators',
          title: 'Indicator catalogue',
          rows: rows.map(toIndicator),
          columns: INDICATOR_EXPORT_COLUMNS,
          sources: exportSourcesOf(rows),
        });
      }
      const { rows, total } = await indicatorPage(c.var.deps.db, {
        actor: q.actor,
        dimension: q.dimension,
        after: q.cursor?.[0],
        limit: q.limit,
      });
      const { data, page } = paginate(rows, q.limit, total, textKeyCursor, (r) => [r.id] as [string]);
      return c.json({ data: data.map(toIndicatorSummary), page }, 200);
    })
    .openapi(getRouteDef, async (c) => {
      const d = await indicatorDetail(c.var.deps.db, c.req.valid('param').id);
      return c.json({ ...toIndicator(d.indicator), rankedYears: d.rankedYears }, 200);
    })
    .openapi(rankingRoute, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      if (isMapFormat(q.format)) {
        const { format, classes, k, year, vintage } = q;
        return mapResponse(c, await indicatorMap(c.var.deps.db, { id, year, vintage, format, classes, k }));
      }
      const {
        indicator: i,
        year,
        rows,
      } = await indicatorRanking(c.var.deps.db, id, {
        year: q.year,
        vintage: q.vintage,
      });
      const data = rows.map((r) => toValueView(r.v, i, r.areaName));
      if (q.format === 'csv' || q.format === 'xlsx') {
        return exportResponse(c, q.format, {
          filename: `ranking-${id}-${year}`,
          title: `${i.title}, ${year}: LEP ranking`,
          rows: data,
          columns: VALUE_EXPORT_COLUMNS,
          notes: [i.description, ...i.caveats],
          sources: exportSourcesOf([i]),
        });
      }
      return c.json({ indicator: toIndicatorSummary(i), year, vintage: q.vintage, data }, 200);
    })
    .openapi(seriesRoute, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const { indicator: i, rows } = await indicatorSeries(c.var.deps.db, id, q.areas ?? []);
      const views = rows.map((r) => toValueView(r.v, i, r.areaName));
      if (q.format !== 'json') {
        return exportResponse(c, q.format, {
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
