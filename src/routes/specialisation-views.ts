import { z } from '@hono/zod-openapi';
import { ENGLAND_CODE } from '../domain/geography.ts';
import type { ExportColumn, ExportTable } from '../http/export.ts';
import {
  CATEGORY_SYSTEMS,
  type CategorySystem,
  MATRIX_MEASURES,
  type MatrixMeasure,
} from '../services/specialisation.ts';

/**
 * What the LEP × category answers (/v1/specialisation…, /v1/relatedness…, the smart-specialisation
 * questions) share: the words for a basis, the basis fields every table states, the area and source
 * mappers, and how a table is named as a file.
 */

/** Units of x for each measure, stated in every answer. */
export const UNIT_OF: Record<MatrixMeasure, string> = {
  employment: 'people in employment (APS estimate, rounded)',
  grant: 'pence of grant offered to counted participants',
  participants: 'counted participants (one row per participant per project)',
  projects: 'distinct projects with a counted participant',
};

export const CATEGORY_WORDS: Record<CategorySystem, string> = {
  industry: 'APS broad industry group (9)',
  sector: 'Innovate UK sector (the spreadsheet’s own column)',
  programme: 'Innovate UK programme (project’s programme title)',
};

/** A LEP as the answers link it. */
export const areaRef = (code: string, name: string) => ({ code, name, href: `/v1/leps/${code}` });

/** The fields of a source the answers state (the service's source carries more). */
export const toSource = (s: { loaded: boolean; synthetic: boolean; title: string; licence: string }) => ({
  loaded: s.loaded,
  synthetic: s.synthetic,
  title: s.title,
  licence: s.licence,
});

export const Reference = z
  .object({ code: z.literal(ENGLAND_CODE), label: z.literal('England') })
  .openapi({ description: 'Every LQ is against England’s own totals.' });
export const REFERENCE = { code: ENGLAND_CODE, label: 'England' as const };

/** What a table of one measure and period is computed on, as the service answers it. */
export interface Basis {
  measure: MatrixMeasure;
  categories: CategorySystem;
  period: string | null;
  periods: string[];
}

/** The fields that open every answer of one measure and period (schema: `basisFields`). */
export const basisJson = (b: Basis) => ({
  measure: b.measure,
  categories: b.categories,
  unit: UNIT_OF[b.measure],
  period: b.period,
  periods: b.periods,
  reference: REFERENCE,
});

export const basisFields = {
  measure: z.enum(MATRIX_MEASURES),
  categories: z.enum(CATEGORY_SYSTEMS),
  unit: z.string(),
  period: z.string().nullable(),
  periods: z.array(z.string()),
  reference: Reference,
};

/** Where a specialisation table's x comes from: APS employment by industry, or Innovate UK participants. */
export const specSources = (measure: string) => [
  { id: measure === 'employment' ? 'dfe_aps_employment_by_industry' : 'innovate_uk' },
  { id: 'geo_lookups' },
];

/**
 * A table of one measure and period as a file: `<file>-<measure>-<categories>-<period>` titled
 * "<title>: <measure> by <categories>, <period>", from the measure's sources.
 */
export function basisTable<T>(
  name: { file: string; title: string },
  b: Basis,
  table: { rows: T[]; columns: ExportColumn<T>[]; notes: string[] },
): ExportTable<T> {
  return {
    filename: `${name.file}-${b.measure}-${b.categories}-${b.period ?? 'none'}`,
    title: `${name.title}: ${b.measure} by ${b.categories}, ${b.period ?? 'no data'}`,
    ...table,
    sources: specSources(b.measure),
  };
}

/** The LEP columns that open the files of rows carrying an `area`. */
export const lepColumns = <T extends { area: { code: string; name: string } }>(): ExportColumn<T>[] => [
  { header: 'lep_code', description: '2021 LEP code', value: (r) => r.area.code },
  { header: 'lep_name', description: 'LEP name', value: (r) => r.area.name },
];
