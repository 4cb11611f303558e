import { createRoute, z } from '@hono/zod-openapi';
import { exportResponse, formatQuery } from '../http/export.ts';
import { areaCodeListQuery, indicatorListQuery, yearQuery } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { compareLeps } from '../services/compare.ts';
import {
  exportSourcesOf,
  IndicatorSummary,
  tableResponse,
  toIndicatorSummary,
  toValueView,
  VALUE_EXPORT_COLUMNS,
  ValueView,
} from './indicator-views.ts';

export const MIN_COMPARE = 2;
export const MAX_COMPARE = 38;

const route = createRoute({
  method: 'get',
  path: '/compare',
  operationId: 'compareLeps',
  description:
    'Two to 38 LEPs side by side on chosen indicators (default: every indicator) for a year (default: each indicator’s latest). A LEP with no value for an indicator gets null in that cell. JSON, CSV or XLSX.',
  tags: ['LEP profiles'],
  summary: `LEPs side by side (${MIN_COMPARE}–${MAX_COMPARE} areas) on chosen indicators`,
  request: {
    query: z.object({
      areas: areaCodeListQuery({
        min: MIN_COMPARE,
        max: MAX_COMPARE,
        description: `Comma-separated LEP codes (any case), ${MIN_COMPARE} to ${MAX_COMPARE}.`,
        example: 'E37000015,E37000051',
      }),
      indicators: indicatorListQuery('Comma-separated indicator ids; default: all.').optional(),
      year: yearQuery('Default: the latest year of each indicator for each LEP.').optional(),
      format: formatQuery,
    }),
  },
  responses: {
    200: tableResponse(
      z
        .object({
          areas: z.array(
            z.object({ code: z.string(), name: z.string(), status: z.string(), href: z.string() }),
          ),
          year: z.number().int().nullable(),
          rows: z.array(
            z.object({
              indicator: IndicatorSummary,
              values: z.array(z.union([ValueView, z.null()])).openapi({
                description:
                  'One per area, in the order of `areas`; null when that LEP has no value for the indicator.',
              }),
            }),
          ),
        })
        .openapi('Comparison'),
      'One row per indicator, one value per area',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

export function compareRoutes() {
  return createRouter().openapi(route, async (c) => {
    const q = c.req.valid('query');
    const { leps, rows, indicators } = await compareLeps(c.var.deps.db, {
      codes: q.areas,
      indicators: q.indicators ?? [],
      year: q.year,
    });
    const table = rows.map((r) => ({
      indicator: toIndicatorSummary(r.indicator),
      values: r.cells.map((cell, i) => (cell ? toValueView(cell.v, cell.i, leps[i]?.name ?? null) : null)),
    }));
    if (q.format !== 'json') {
      return exportResponse(c, q.format, {
        filename: `compare-${q.areas.join('-')}`.slice(0, 100),
        title: `Comparison of ${leps.map((l) => l.name).join(', ')}`,
        rows: table.flatMap((t) => t.values.filter((v) => v !== null)),
        columns: VALUE_EXPORT_COLUMNS,
        sources: exportSourcesOf(indicators),
      });
    }
    return c.json(
      {
        areas: leps.map((l) => ({
          code: l.code,
          name: l.name,
          status: l.status,
          href: `/v1/areas/${l.code}`,
        })),
        year: q.year ?? null,
        rows: table,
      },
      200,
    );
  });
}
