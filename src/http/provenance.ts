import { z } from '@hono/zod-openapi';

/**
 * Provenance carried inside every exported file, written the same way for every route
 * (docs/adr/0008-export-provenance.md): the dataset version and build time, the sources, the
 * SYNTHETIC label when a source is a generated stand-in and SAMPLE when the shipped sample is served.
 * Each format gets it where a downloaded copy keeps it:
 *
 * - CSV: four columns on every row (`dataset_version`, `synthetic`, `sample`, `sources`), as SDMX-CSV
 *   repeats the dataflow id, so any CSV parser reads the file and a filtered copy keeps the stamp;
 * - XLSX: the same columns, an "About" sheet first, and the workbook properties (docProps/core.xml);
 * - GeoJSON, TopoJSON, HexJSON: a top-level `provenance` member (an RFC 7946 §6.1 foreign member);
 * - PDF: printed on every page and in the document information (src/render/pdf);
 * - every download's file name carries the version.
 */

export interface ProvenanceSource {
  id: string;
  title: string;
  licence: string;
  provenance: string;
  /** A generated stand-in (npm run data:synth), not the publisher's data. */
  synthetic: boolean;
}

export interface Provenance {
  /** Dataset version (see /v1/meta). */
  version: string;
  /** When the dataset was built (ISO 8601): the file's date, never the clock. */
  builtAt: string;
  /** The shipped SAMPLE, not the full data. */
  sample: boolean;
  /** Any source of this file is generated. */
  synthetic: boolean;
  sources: ProvenanceSource[];
  /** The absolute URL that fetches this file again. */
  url: string;
}

export const PUBLISHER = 'innovation-observatory';

/** "SYNTHETIC", "SAMPLE", both, or none. */
export function labelsOf(p: Pick<Provenance, 'synthetic' | 'sample'>): ('SYNTHETIC' | 'SAMPLE')[] {
  return [...(p.synthetic ? (['SYNTHETIC'] as const) : []), ...(p.sample ? (['SAMPLE'] as const) : [])];
}

/** One sentence per label, loud, for the places a person reads (About sheet, PDF, warnings). */
export function warningsOf(p: Pick<Provenance, 'synthetic' | 'sample'>): string[] {
  return [
    ...(p.synthetic
      ? [
          'SYNTHETIC DATA: generated stand-in for the Innovate UK spreadsheet (npm run data:synth), not real grants.',
        ]
      : []),
    ...(p.sample
      ? ['SAMPLE DATA: a small cut of the real sources (test/fixtures/sample), not the full dataset.']
      : []),
  ];
}

/** The columns every CSV/XLSX row ends with, so a copied or filtered table keeps them. */
export const PROVENANCE_COLUMNS = [
  { header: 'dataset_version', description: 'Version of the dataset the row comes from (see /v1/meta).' },
  {
    header: 'synthetic',
    description: 'true when the row is built from generated stand-in data, not real data.',
  },
  { header: 'sample', description: 'true when the dataset is the shipped SAMPLE, not the full data.' },
  { header: 'sources', description: 'Ids of the sources the table is built from (see /v1/meta sources).' },
] as const;

export function provenanceCells(p: Provenance): [string, boolean, boolean, string] {
  return [p.version, p.synthetic, p.sample, p.sources.map((s) => s.id).join(' ')];
}

/** The `provenance` foreign member of a GeoJSON/TopoJSON/HexJSON document. */
export function provenanceMember(p: Provenance) {
  return {
    publisher: PUBLISHER,
    datasetVersion: p.version,
    builtAt: p.builtAt,
    labels: labelsOf(p),
    synthetic: p.synthetic,
    sample: p.sample,
    ...(warningsOf(p).length ? { warning: warningsOf(p).join(' ') } : {}),
    sources: p.sources.map((s) => ({ id: s.id, title: s.title, licence: s.licence, synthetic: s.synthetic })),
    url: p.url,
  };
}

export const ProvenanceSchema = z
  .object({
    publisher: z.literal(PUBLISHER),
    datasetVersion: z
      .string()
      .openapi({ description: 'Dataset version (see /v1/meta).', example: '20261201T000000Z-abcdef012345' }),
    builtAt: z.string().openapi({ description: 'When the dataset was built (ISO 8601).' }),
    labels: z
      .array(z.enum(['SYNTHETIC', 'SAMPLE']))
      .openapi({ description: 'SYNTHETIC: generated stand-in data; SAMPLE: the shipped sample dataset.' }),
    synthetic: z.boolean(),
    sample: z.boolean(),
    warning: z.string().optional().openapi({ description: 'Present (and loud) when a label applies.' }),
    sources: z.array(
      z.object({ id: z.string(), title: z.string(), licence: z.string(), synthetic: z.boolean() }),
    ),
    url: z.string().openapi({ description: 'The absolute URL that fetches this document again.' }),
  })
  .openapi('ExportProvenance', {
    description:
      'Where the file comes from (a GeoJSON foreign member, RFC 7946 §6.1): kept inside a downloaded copy.',
  });

/** The About sheet (and PDF/README wording): label, value pairs. */
export function aboutRows(p: Provenance, title: string): [string, string][] {
  const labels = labelsOf(p);
  return [
    ['Title', title],
    ...warningsOf(p).map((w) => ['Warning', w] as [string, string]),
    ['Labels', labels.length ? labels.join(', ') : 'none (published data, full dataset)'],
    ['Dataset version', p.version],
    ['Dataset built', p.builtAt],
    ['Publisher', PUBLISHER],
    ['Fetched from', p.url],
    ...p.sources.map(
      (s) =>
        [
          'Source',
          `${s.title}${s.synthetic ? ' [SYNTHETIC]' : ''} (${s.id}). Licence: ${s.licence || 'see source'}`,
        ] as [string, string],
    ),
  ];
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 120);

/**
 * `Content-Disposition` with the dataset version (and labels) in the file name, e.g.
 * `ranking-x-2019_20261201T000000Z-abcdef012345_SYNTHETIC.csv`, so two downloads never collide
 * and the name alone says which data it holds.
 */
export function dispositionOf(
  p: Pick<Provenance, 'version' | 'synthetic' | 'sample'>,
  filename: string,
  ext: string,
  how: 'attachment' | 'inline',
) {
  const tags = labelsOf(p)
    .map((l) => `_${l}`)
    .join('');
  return `${how}; filename="${safeName(filename)}_${safeName(p.version)}${tags}.${ext}"`;
}
