import { createRoute, z } from '@hono/zod-openapi';
import { FINAL_VINTAGE, getAreaValues, getIndicatorsByIds, getLepsByCodes } from '../db/indicator-queries.ts';
import { GSS_CODE } from '../domain/geography.ts';
import { exportResponse, formatQuery } from '../http/export.ts';
import { ApiError, problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import {
  exportSourcesOf,
  IndicatorSummary,
  splitList,
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
  tags: ['LEP profiles'],
  summary: `LEPs side by side (${MIN_COMPARE}–${MAX_COMPARE} areas) on chosen indicators`,
  request: {
    query: z.object({
      areas: z
        .string()
        .max(1000)
        .openapi({
          description: `Comma-separated LEP codes, ${MIN_COMPARE} to ${MAX_COMPARE}.`,
          example: 'E37000015,E37000051',
        }),
      indicators: z
        .string()
        .max(2000)
        .optional()
        .openapi({ description: 'Comma-separated indicator ids; default: all.' }),
      year: z.coerce
        .number()
        .int()
        .min(1990)
        .max(2100)
        .optional()
        .openapi({ description: 'Default: the latest year of each indicator for each LEP.' }),
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
              values: z.array(ValueView.nullable()).openapi({
                description: 'One per area, in the order asked; null when the area has no value.',
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
    const db = c.var.deps.db;
    const codes = splitList(q.areas);
    const errors: { location: string; message: string }[] = [];
    const malformed = codes.filter((code) => !GSS_CODE.test(code));
    if (malformed.length)
      errors.push({ location: 'query.areas', message: `Not GSS codes: ${malformed.join(', ')}` });
    if (codes.length < MIN_COMPARE || codes.length > MAX_COMPARE) {
      errors.push({
        location: 'query.areas',
        message: `Give ${MIN_COMPARE} to ${MAX_COMPARE} distinct LEP codes (got ${codes.length})`,
      });
    }
    if (errors.length) throw new ApiError('bad_request', 'The areas to compare are invalid.', errors);

    const byCode = new Map((await getLepsByCodes(db, codes)).map((a) => [a.code, a]));
    const found = codes.map((code) => byCode.get(code));
    const unknown = codes.filter((_, i) => !found[i]);
    if (unknown.length)
      throw new ApiError('not_found', `No LEP has code ${unknown.join(', ')}.`, [
        { location: 'query.areas', message: `Unknown: ${unknown.join(', ')}` },
      ]);
    const leps = found as NonNullable<(typeof found)[number]>[];
    const retired = leps.filter((l) => l.status !== 'live');
    if (retired.length) {
      throw new ApiError(
        'bad_request',
        `Comparisons are on the 2021 LEP geography; ${retired.map((r) => r.code).join(', ')} is a retired code.`,
        [{ location: 'query.areas', message: 'Use live 2021 LEP codes' }],
      );
    }
    const ids = splitList(q.indicators);
    if (ids.length) {
      const known = await getIndicatorsByIds(db, ids);
      const missing = ids.filter((id) => !known.some((k) => k.id === id));
      if (missing.length) {
        throw new ApiError('bad_request', `Unknown indicator(s): ${missing.join(', ')}.`, [
          { location: 'query.indicators', message: `Unknown: ${missing.join(', ')}` },
        ]);
      }
    }
    const rows = await getAreaValues(db, {
      areaCodes: codes,
      vintages: [FINAL_VINTAGE],
      indicatorIds: ids.length ? ids : undefined,
      year: q.year,
    });
    if (rows.length === 0) {
      throw new ApiError(
        'not_found',
        `No values for these LEPs${q.year ? ` in ${q.year}` : ''}.`,
        q.year ? [{ location: 'query.year', message: 'No data for this year' }] : undefined,
      );
    }
    const nameOf = new Map(leps.map((l) => [l.code, l.name]));
    const byIndicator = new Map<
      string,
      { indicator: ReturnType<typeof toIndicatorSummary>; values: (ReturnType<typeof toValueView> | null)[] }
    >();
    for (const r of rows) {
      const entry = byIndicator.get(r.i.id) ?? {
        indicator: toIndicatorSummary(r.i),
        values: codes.map(() => null),
      };
      entry.values[codes.indexOf(r.v.areaCode)] = toValueView(r.v, r.i, nameOf.get(r.v.areaCode) ?? null);
      byIndicator.set(r.i.id, entry);
    }
    const table = [...byIndicator.values()];
    if (q.format !== 'json') {
      return exportResponse(q.format, {
        filename: `compare-${codes.join('-')}`.slice(0, 100),
        title: `Comparison of ${leps.map((l) => l.name).join(', ')}`,
        rows: table.flatMap((t) => t.values.filter((v) => v !== null)),
        columns: VALUE_EXPORT_COLUMNS,
        sources: exportSourcesOf(rows.map((r) => r.i)),
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
