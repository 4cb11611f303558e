/**
 * Innovate UK "funded projects since 2004" source: reads the official spreadsheet releases from
 * `$DATA_DIR/innovate_uk/` into normalised participant rows. Node-only; the Worker never imports it.
 */
export {
  COLUMN_SPECS,
  type ColumnMap,
  type FieldName,
  headerKey,
  mapColumns,
} from './innovate-uk/columns.ts';
export {
  countsTowardsTotals,
  type InnovateUkParticipantRow,
  parseParticipantRow,
  participantKey,
} from './innovate-uk/parse-row.ts';
export {
  type InnovateUkLoad,
  type InnovateUkRelease,
  readInnovateUkFolder,
  releaseDateFromName,
} from './innovate-uk/read.ts';
export {
  ENTERPRISE_SIZE_TYPES,
  excelSerialToIso,
  normaliseCrn,
  normaliseOrgName,
  ORG_TYPES,
  type OrgType,
  orgTypeFromEnterpriseSize,
  parseCompetitionYear,
  parseDateIso,
  parseFlag,
  parseMoneyPence,
} from './innovate-uk/values.ts';
