import { createRoute, z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { MISSING_REASONS } from '../domain/coverage.ts';
import { LEP_VINTAGE } from '../domain/geography.ts';
import { VALUE_METHODS } from '../domain/lep-rebuild.ts';
import { markStreamed } from '../http/cache.ts';
import { type ExportColumn, exportResponse, formatQuery } from '../http/export.ts';
import { INDICATOR_ID, LepCode } from '../http/params.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import {
  coverageMatrix,
  type DownloadFormat,
  downloadFile,
  lepCoverage,
  missingReasons,
} from '../services/coverage.ts';
import { tableResponse } from './indicator-views.ts';

/**
 * The coverage report (GET /v1/leps/{code}/coverage, GET /v1/coverage) and the whole-dataset
 * download (GET /v1/download, GET /v1/download.csv-metadata.json).
 */

const METHOD_NOTE =
  'as-published: the source’s own LEP value on an unchanged footprint; nuts3-sum / nuts3-weighted: rebuilt from whole NUTS3 areas (summed, or weighted by resident population); apportioned: a NUTS3 area cut by the LEP boundary counted with its population share; derived: a rate computed from two served values.';

/** The dataset sources the indicator values (and so their coverage) come from (/v1/meta sources). */
const INDICATOR_SOURCE_REFS = [
  { id: 'nesta_beis_indicators' },
  { id: 'dfe_lsip_lep_business' },
  { id: 'nesta_gtr_total_ukri_funding' },
];

const Reason = z.object({
  code: z.enum(MISSING_REASONS),
  description: z.string(),
});

const LepRef = z.object({
  code: z.string().openapi({ example: 'E37000062' }),
  name: z.string().openapi({ example: 'Leeds City Region' }),
  href: z.string(),
});

const IndicatorCoverageView = z.object({
  id: z.string().openapi({ example: 'university-research-income' }),
  title: z.string(),
  unit: z.string(),
  href: z.string(),
  firstYear: z.number().int().nullable().openapi({ description: 'First year of the indicator’s series.' }),
  lastYear: z.number().int().nullable().openapi({ description: 'Last year of the indicator’s series.' }),
  counts: z.object({
    withValue: z.number().int().openapi({ description: 'Years with a value for this LEP.' }),
    expected: z
      .number()
      .int()
      .openapi({ description: 'Years of the indicator’s series (first to last year).' }),
    missing: z.number().int().openapi({ description: 'Years of the series without a value.' }),
  }),
  values: z.array(z.object({ year: z.number().int(), method: z.enum(VALUE_METHODS) })),
  missing: z.array(
    z.object({
      year: z.number().int(),
      reason: z.enum(MISSING_REASONS),
      inSeries: z.boolean().openapi({
        description:
          'false for years of the source the indicator’s series does not reach (not-yet-published, source-ends): not counted as expected.',
      }),
    }),
  ),
});

const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const lepCoverageRoute = createRoute({
  method: 'get',
  path: '/leps/{code}/coverage',
  operationId: 'getLepCoverage',
  description: `For one ${LEP_VINTAGE} LEP and every indicator: the years with a value and how each was obtained, and why the others have none (see reasons). Built by the pipeline.`,
  tags: ['LEP profiles'],
  summary: 'Which years of every indicator a LEP has, how they were obtained, and why the rest are missing',
  request: {
    params: z.object({ code: LepCode }),
    query: z.object({
      indicator: z
        .string()
        .regex(INDICATOR_ID, 'Expected an indicator id such as university-research-income')
        .optional()
        .openapi({ description: 'Only this indicator.', example: 'university-research-income' }),
    }),
  },
  responses: {
    200: jsonResponse(
      z
        .object({
          lep: LepRef,
          counts: z.object({
            indicators: z.number().int(),
            complete: z
              .number()
              .int()
              .openapi({ description: 'Indicators with a value in every year of their series.' }),
            partial: z.number().int().openapi({ description: 'Indicators with some years missing.' }),
            none: z.number().int().openapi({ description: 'Indicators with no value at all for this LEP.' }),
            yearsWithValue: z.number().int(),
            yearsExpected: z.number().int(),
          }),
          indicators: z.array(IndicatorCoverageView),
          methods: z.string(),
          reasons: z.array(Reason),
        })
        .openapi('LepCoverage'),
      'Coverage of one LEP',
    ),
    ...problemResponses('bad_request', 'not_found'),
  },
});

const coverageRoute = createRoute({
  method: 'get',
  path: '/coverage',
  operationId: 'getCoverage',
  description: `The indicator × LEP matrix: for every indicator, how many years of its series each ${LEP_VINTAGE} LEP has a value for, against the years expected. Per-year detail and reasons: /v1/leps/{code}/coverage. JSON, CSV or XLSX (one row per indicator, one column per LEP).`,
  tags: ['Indicators'],
  summary: 'How many years of every indicator each LEP has',
  request: { query: z.object({ format: formatQuery }) },
  responses: {
    200: tableResponse(
      z
        .object({
          leps: z.array(LepRef),
          data: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              href: z.string(),
              firstYear: z.number().int().nullable(),
              lastYear: z.number().int().nullable(),
              expected: z.number().int().openapi({ description: 'Years of the indicator’s series.' }),
              lepsComplete: z.number().int().openapi({ description: 'LEPs with a value in every year.' }),
              lepsWithNone: z.number().int().openapi({ description: 'LEPs with no value at all.' }),
              withValue: z
                .record(z.string(), z.number().int())
                .openapi({ description: 'LEP code → years with a value.', example: { E37000015: 13 } }),
            }),
          ),
          counts: z.object({
            indicators: z.number().int(),
            leps: z.number().int(),
            cellsComplete: z
              .number()
              .int()
              .openapi({ description: 'Indicator × LEP pairs with every year.' }),
            cells: z.number().int(),
          }),
          methods: z.string(),
          reasons: z.array(Reason),
        })
        .openapi('CoverageMatrix'),
      'Coverage matrix',
    ),
  },
});

const fileHeaders = {
  'Content-Disposition': z.string().openapi({
    description: 'attachment; the file name carries the dataset version (and _SAMPLE for the sample).',
    example: 'attachment; filename="lep-indicators_20261201T000000Z-abcdef012345.csv"',
  }),
};

const downloadRoute = createRoute({
  method: 'get',
  path: '/download',
  operationId: 'downloadAllLepData',
  description: `Every indicator × ${LEP_VINTAGE} LEP × year in one long table: value, unit, how it was obtained (method), rank and cohort size, England value and, for totals, the per-head variant. CSV (UTF-8, with CSVW metadata at /v1/download.csv-metadata.json, linked by a \`Link: rel="describedby"\` header) or XLSX (About, data, definitions, columns and sources sheets). Built once per dataset by the pipeline and streamed; the dataset version is in the file name, in a column of every row and in the metadata. No row cap applies.`,
  tags: ['Indicators'],
  summary: 'All LEP indicator data in one file (CSV or XLSX)',
  request: {
    query: z.object({
      format: z
        .enum(['csv', 'xlsx'])
        .default('csv')
        .openapi({ description: 'csv (default) or xlsx.', example: 'csv' }),
    }),
  },
  responses: {
    200: {
      description: 'The file',
      headers: z.object({
        ...fileHeaders,
        Link: z.string().openapi({
          description: 'CSV only: the CSVW metadata describing it.',
          example: '</v1/download.csv-metadata.json>; rel="describedby"; type="application/csvm+json"',
        }),
      }),
      content: {
        'text/csv': { schema: z.string().openapi({ format: 'binary' }) },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
          schema: z.string().openapi({ format: 'binary' }),
        },
      },
    },
    ...problemResponses('bad_request', 'unavailable'),
  },
});

const CsvwColumn = z.object({
  name: z.string(),
  titles: z.string(),
  datatype: z.enum(['string', 'integer', 'double', 'boolean']),
  'dc:description': z.string(),
  required: z.boolean().optional(),
});

const CsvwMetadata = z
  .object({
    '@context': z.literal('http://www.w3.org/ns/csvw'),
    url: z.string(),
    'dc:title': z.string(),
    'dc:description': z.string(),
    'dc:publisher': z.string(),
    'dc:created': z.string(),
    'schema:version': z.string(),
    'dc:identifier': z.string(),
    'rdfs:comment': z.string().optional().openapi({ description: 'The SAMPLE label, when it applies.' }),
    'dc:extent': z.string(),
    'schema:sha256': z.string().openapi({ description: 'SHA-256 (hex) of the CSV bytes.' }),
    dialect: z.object({
      header: z.boolean(),
      encoding: z.string(),
      delimiter: z.string(),
      doubleQuote: z.boolean(),
    }),
    tableSchema: z.object({ columns: z.array(CsvwColumn), primaryKey: z.array(z.string()) }),
  })
  .openapi('CsvwMetadata');

const downloadMetaRoute = createRoute({
  method: 'get',
  path: '/download.csv-metadata.json',
  operationId: 'getDownloadCsvMetadata',
  description:
    'CSVW metadata (W3C Metadata Vocabulary for Tabular Data) for GET /v1/download?format=csv: every column’s name, datatype and meaning, the primary key, the dataset version and the CSV’s SHA-256.',
  tags: ['Indicators'],
  summary: 'CSVW metadata of the all-data CSV',
  responses: {
    200: {
      description: 'CSVW metadata',
      headers: z.object(fileHeaders),
      content: {
        'application/csvm+json': {
          schema: CsvwMetadata,
        },
      },
    },
    ...problemResponses('unavailable'),
  },
});
const lepRef = (l: { code: string; name: string }) => ({
  code: l.code,
  name: l.name,
  href: `/v1/areas/${l.code}`,
});

/** Serve a stored download part by part. */
async function fileResponse(
  c: { var: { deps: { db: Parameters<typeof downloadFile>[0] } } },
  format: DownloadFormat,
) {
  const { file, parts } = await downloadFile(c.var.deps.db, format);
  const it = parts();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await it.return(undefined);
    },
  });
  const headers: Record<string, string> = {
    'Content-Type': file.contentType,
    'Content-Disposition': `${format === 'csvw' ? 'inline' : 'attachment'}; filename="${file.filename}"`,
    'Content-Length': String(file.bytes),
  };
  if (format === 'csv')
    headers.Link = '</v1/download.csv-metadata.json>; rel="describedby"; type="application/csvm+json"';
  return markStreamed(new Response(body, { status: 200, headers }));
}

export function coverageRoutes() {
  return (
    createRouter()
      .openapi(lepCoverageRoute, async (c) => {
        const { code } = c.req.valid('param');
        const q = c.req.valid('query');
        const found = await lepCoverage(c.var.deps.db, code, q.indicator);
        const indicators = found.indicators.map((i) => ({ ...i, href: `/v1/indicators/${i.id}` }));
        return c.json(
          {
            lep: lepRef(found.lep),
            counts: found.counts,
            indicators,
            methods: METHOD_NOTE,
            reasons: missingReasons(),
          },
          200,
        );
      })
      .openapi(coverageRoute, async (c) => {
        const q = c.req.valid('query');
        const { leps, data } = await coverageMatrix(c.var.deps.db);
        const rows = data.map((d) => ({ ...d, href: `/v1/indicators/${d.id}` }));
        if (q.format !== 'json') {
          type Row = (typeof rows)[number];
          const columns: ExportColumn<Row>[] = [
            { header: 'indicator_id', description: 'Indicator id', value: (r) => r.id },
            { header: 'indicator', description: 'Indicator title', value: (r) => r.title },
            { header: 'first_year', description: 'First year of the series', value: (r) => r.firstYear },
            { header: 'last_year', description: 'Last year of the series', value: (r) => r.lastYear },
            { header: 'expected', description: 'Years of the series (each LEP)', value: (r) => r.expected },
            {
              header: 'leps_complete',
              description: 'LEPs with a value in every year',
              value: (r) => r.lepsComplete,
            },
            ...leps.map((l) => ({
              header: l.code,
              description: `${l.name}: years with a value`,
              value: (r: Row) => r.withValue[l.code] ?? 0,
            })),
          ];
          return exportResponse(c, q.format, {
            filename: 'coverage',
            title: `Indicator coverage of the ${LEP_VINTAGE} LEPs (years with a value)`,
            rows,
            columns,
            sources: INDICATOR_SOURCE_REFS,
            notes: [
              'Each LEP column: years with a value out of `expected`. Per-year detail and reasons: /v1/leps/{code}/coverage.',
              METHOD_NOTE,
            ],
          });
        }
        const cells = rows.flatMap((r) =>
          leps.map((l) => ({ withValue: r.withValue[l.code] ?? 0, expected: r.expected })),
        );
        return c.json(
          {
            leps: leps.map(lepRef),
            data: rows,
            counts: {
              indicators: rows.length,
              leps: leps.length,
              cellsComplete: cells.filter((x) => x.expected > 0 && x.withValue === x.expected).length,
              cells: cells.length,
            },
            methods: METHOD_NOTE,
            reasons: missingReasons(),
          },
          200,
        );
      })
      .openapi(downloadRoute, async (c) => fileResponse(c, c.req.valid('query').format))
      // The pipeline wrote this exact document (src/pipeline/stages/downloads.ts); it is streamed as stored.
      .openapi(
        downloadMetaRoute,
        async (c) =>
          (await fileResponse(c, 'csvw')) as unknown as TypedResponse<
            z.infer<typeof CsvwMetadata>,
            200,
            'json'
          >,
      )
  );
}
