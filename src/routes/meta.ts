import { createRoute, z } from '@hono/zod-openapi';
import type { DatasetSource } from '../db/schema.ts';
import { problemResponses } from '../http/problem.ts';
import { createRouter } from '../http/router.ts';
import { currentDataset } from '../services/datasets.ts';

const Source = z
  .object({
    id: z.string().openapi({ example: 'geo_lookups' }),
    title: z.string().openapi({ example: 'Geography lookups' }),
    files: z.array(z.string()).openapi({ description: 'Files read, relative to DATA_DIR.' }),
    publisher: z.string().openapi({ example: 'ONS, DfE, mySociety, Open Innovations' }),
    licence: z.string().openapi({ example: 'Open Government Licence v3' }),
    provenance: z.string().openapi({ description: 'Where the files came from and how they were derived.' }),
    synthetic: z.boolean().openapi({
      description:
        'True when the files are generated stand-ins (npm run data:synth), not the publisher’s data.',
      example: false,
    }),
  })
  .openapi('Source');

const SourceReport = z
  .object({
    source: z.string().openapi({ example: 'geo_lookups/dfe_leps.csv' }),
    rowsRead: z.number().int().openapi({
      description:
        'Rows (records, features) read from the file: always rowsLoaded + rowsRejected + rowsSkipped.',
    }),
    rowsLoaded: z.number().int().openapi({ description: 'Rows that entered the dataset.' }),
    rowsRejected: z
      .number()
      .int()
      .openapi({ description: 'Bad rows, each listed (up to 100) in `rejects`.' }),
    rowsSkipped: z.number().int().openapi({
      description:
        'Good rows deliberately not used (another geography level, superseded by a newer release…).',
    }),
    skipped: z
      .array(
        z.object({
          reason: z.string().openapi({ example: 'LADU row: LEP profiles use LEP and COUNTRY rows only' }),
          rows: z.number().int().openapi({ example: 7725 }),
        }),
      )
      .openapi({ description: 'Why rows were skipped and how many for each reason; sums to rowsSkipped.' }),
    rejects: z
      .array(
        z.object({
          file: z.string(),
          row: z.number().int().openapi({ description: '1-based line number in the file (header = 1).' }),
          column: z.string().nullable(),
          reason: z.string(),
        }),
      )
      .openapi({
        description: 'The first rejects (up to 100 per source), each with file, row, column and reason.',
      }),
    notes: z
      .array(z.string())
      .openapi({ description: 'Decisions taken while loading, e.g. which rows were superseded.' }),
  })
  .openapi('SourceReport');

type SourceReportJson = z.infer<typeof SourceReport>;
/** A stored report entry; datasets loaded before skipped rows were counted lack the two fields. */
type StoredReport = Omit<SourceReportJson, 'rowsSkipped' | 'skipped'> & Partial<SourceReportJson>;

/** Stored report → public shape, field by field. */
const toSourceReport = (r: StoredReport): SourceReportJson => ({
  source: r.source,
  rowsRead: r.rowsRead,
  rowsLoaded: r.rowsLoaded,
  rowsRejected: r.rowsRejected,
  rowsSkipped: r.rowsSkipped ?? 0,
  skipped: r.skipped ?? [],
  rejects: r.rejects,
  notes: r.notes,
});

const Meta = z
  .object({
    dataset: z.object({
      version: z.string().openapi({ description: 'Content hash + build time; changes with every load.' }),
      contentHash: z.string().openapi({ description: 'SHA-256 of every input file, in order.' }),
      builtAt: z.string().openapi({ description: 'When this dataset was built (ISO 8601).' }),
      isSample: z.boolean().openapi({
        description: 'True when serving the small sample shipped for development, not the real data.',
      }),
      label: z.string().openapi({ example: 'full data from DATA_DIR' }),
    }),
    sources: z.array(Source),
    report: z.array(SourceReport),
  })
  .openapi('Meta');

const route = createRoute({
  method: 'get',
  path: '/meta',
  operationId: 'getMeta',
  description:
    'Which dataset is being served (version, content hash, build time, sample or full data), every source with its files, publisher, licence and provenance, and the load report: rows read, loaded and rejected per source, with the first rejects.',
  tags: ['Service'],
  summary: 'Dataset version, sources with licences and provenance, and the load report',
  responses: {
    200: { description: 'The dataset being served', content: { 'application/json': { schema: Meta } } },
    ...problemResponses('unavailable'),
  },
});

/** Stored source entry → the public shape (explicit, so a new pipeline field is not published by accident). */
const toSource = (s: DatasetSource): z.infer<typeof Source> => ({
  id: s.id,
  title: s.title,
  files: s.files,
  publisher: s.publisher,
  licence: s.licence,
  provenance: s.provenance,
  synthetic: Boolean(s.synthetic),
});

export function metaRoutes() {
  return createRouter().openapi(route, async (c) => {
    const ds = await currentDataset(c.var.deps.db);
    return c.json(
      {
        dataset: {
          version: ds.version,
          contentHash: ds.contentHash,
          builtAt: new Date(ds.builtAt).toISOString(),
          isSample: ds.isSample,
          label: ds.isSample
            ? 'SAMPLE data (test/fixtures/sample: a small cut of the real sources, not the full dataset)'
            : 'full data from DATA_DIR',
        },
        sources: ds.sources.map(toSource),
        report: (ds.report as StoredReport[]).map(toSourceReport),
      },
      200,
    );
  });
}
