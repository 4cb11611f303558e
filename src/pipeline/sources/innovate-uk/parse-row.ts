import { normalisePostcode } from '../../../domain/geography.ts';
import type { ColumnMap, FieldName } from './columns.ts';
import {
  type CellValue,
  cellText,
  financialYearOf,
  normaliseCrn,
  normaliseOrgName,
  type OrgType,
  orgTypeFromEnterpriseSize,
  type Parsed,
  parseCompetitionYear,
  parseDateIso,
  parseFlag,
  parseMoneyPence,
} from './values.ts';

/** One participant in one project, as the spreadsheet states it, normalised. */
export interface InnovateUkParticipantRow {
  projectNumber: string;
  applicationNumber: string | null;
  competitionReference: string | null;
  competitionTitle: string | null;
  programmeTitle: string | null;
  sector: string | null;
  /** First calendar year of the competition's financial year ("2019/20" → 2019). */
  competitionYear: number | null;
  /** Where competitionYear came from: the column, or the financial year of the start date. */
  competitionYearSource: 'column' | 'start_date' | null;
  projectTitle: string | null;
  publicDescription: string | null;
  productType: string | null;
  /** Project Status as written (trimmed). */
  projectStatus: string | null;
  /** Project Status says Withdrawn. */
  projectWithdrawn: boolean;
  participantName: string;
  /** Comparison form of the name (see normaliseOrgName). */
  participantNameNormalised: string;
  /** Canonical Companies House number, or null. */
  crn: string | null;
  crnRaw: string | null;
  isLead: boolean;
  /** "Participant Withdrawn From Project" says so. */
  participantWithdrawn: boolean;
  /** Enterprise Size as written (trimmed), or null when blank. */
  enterpriseSize: string | null;
  orgType: OrgType;
  postcodeRaw: string | null;
  /** "SW1A 1AA" form, or null when blank or not a full postcode. */
  postcode: string | null;
  /** "SW1A1AA" form, for joins. */
  postcodeKey: string | null;
  addressRegion: string | null;
  /** "Address LEP" split on ";" — zero, one or two LEP names. */
  addressLeps: string[];
  addressLocalAuthority: string | null;
  inMultipleLeps: boolean | null;
  isIscf: boolean | null;
  grantOfferedPence: number | null;
  totalCostsPence: number | null;
  actualSpendPence: number | null;
  startDate: string | null;
  endDate: string | null;
  /** File name within the folder, and the 1-based sheet row / CSV line. */
  sourceFile: string;
  sourceRow: number;
  /** Release the row came from (see readInnovateUkFolder). */
  releaseDate: string;
}

/** Why a row could not be used: the column (as headed in the file) and the reason. */
export interface RowProblem {
  column: string | null;
  reason: string;
}

/** Side facts about a row worth counting in the load report but not worth rejecting it for. */
export interface RowNotes {
  unknownEnterpriseSize: string | null;
  unusablePostcode: boolean;
  unusableCrn: boolean;
  roundedMoney: boolean;
}

export type RowResult =
  | { ok: true; row: InnovateUkParticipantRow; notes: RowNotes }
  | { ok: false; problems: RowProblem[] };

export interface RowContext {
  columns: ColumnMap;
  sourceFile: string;
  releaseDate: string;
  /**
   * Returns one shared copy of a repeated string. Project-level text (titles, descriptions) repeats
   * on every participant row; sharing it roughly halves the memory of a 100k-row load.
   */
  intern?: (text: string) => string;
}

/**
 * Turn one data row (cells in header order) into a participant row, or say everything wrong with
 * it. A row is rejected when it has no project number, no participant name and no CRN, or a
 * non-empty money, date or yes/no cell that cannot be read: loading a guess would put wrong money
 * in the totals.
 */
export function parseParticipantRow(
  cells: readonly CellValue[],
  rowNumber: number,
  ctx: RowContext,
): RowResult {
  const { columns } = ctx;
  const problems: RowProblem[] = [];
  const cell = (field: FieldName): CellValue => {
    const i = columns.index[field];
    return i === undefined ? null : (cells[i] ?? null);
  };
  const text = (field: FieldName): string | null => cellText(cell(field)) || null;
  const intern = ctx.intern ?? ((s: string) => s);
  /** Text that repeats across rows (project, competition, place): one shared copy. */
  const shared = (field: FieldName): string | null => {
    const t = cellText(cell(field));
    return t === '' ? null : intern(t);
  };
  const need = <T>(field: FieldName, parsed: Parsed<T>): T | null => {
    if (parsed.ok) return parsed.value;
    problems.push({ column: columns.header[field] ?? field, reason: parsed.reason });
    return null;
  };

  const projectCell = cell('projectNumber');
  let projectNumber = '';
  if (typeof projectCell === 'number') {
    if (Number.isInteger(projectCell) && projectCell > 0) projectNumber = String(projectCell);
    else
      problems.push({
        column: columns.header.projectNumber ?? null,
        reason: `not a project number: ${projectCell}`,
      });
  } else {
    projectNumber = cellText(projectCell);
    if (projectNumber === '')
      problems.push({ column: columns.header.projectNumber ?? null, reason: 'no project number' });
  }

  const participantName = text('participantName');
  const crnRawCell = cell('crn');
  const crnRaw = typeof crnRawCell === 'number' ? String(crnRawCell) : text('crn');
  const crn = normaliseCrn(crnRawCell);
  if (!participantName && !crn) {
    problems.push({ column: columns.header.participantName ?? null, reason: 'no participant name or CRN' });
  }

  const money = (field: FieldName) => need(field, parseMoneyPence(cell(field)));
  const grant = money('grantOffered');
  const costs = money('totalCosts');
  const spend = money('actualSpend');
  const startDate = need('startDate', parseDateIso(cell('startDate')));
  const endDate = need('endDate', parseDateIso(cell('endDate')));
  const isLead = need('isLead', parseFlag(cell('isLead')));
  const withdrawn = need('participantWithdrawn', parseFlag(cell('participantWithdrawn')));
  const inMultipleLeps = need('inMultipleLeps', parseFlag(cell('inMultipleLeps')));
  const isIscf = need('isIscf', parseFlag(cell('isIscf')));
  const yearFromColumn = need('competitionYear', parseCompetitionYear(cell('competitionYear')));

  if (problems.length > 0) return { ok: false, problems };

  const enterpriseSize = shared('enterpriseSize');
  const size = orgTypeFromEnterpriseSize(enterpriseSize ?? '');
  const postcodeRaw = cellText(cell('postcode')) ? String(cell('postcode')) : null;
  const pc = postcodeRaw ? normalisePostcode(postcodeRaw) : null;
  const projectStatus = shared('projectStatus');
  const lep = text('addressLep');
  const competitionYear = yearFromColumn ?? (startDate ? financialYearOf(startDate) : null);

  const row: InnovateUkParticipantRow = {
    projectNumber,
    applicationNumber: text('applicationNumber'),
    competitionReference: shared('competitionReference'),
    competitionTitle: shared('competitionTitle'),
    programmeTitle: shared('programmeTitle'),
    sector: shared('sector'),
    competitionYear,
    competitionYearSource:
      yearFromColumn !== null ? 'column' : competitionYear !== null ? 'start_date' : null,
    projectTitle: shared('projectTitle'),
    publicDescription: shared('publicDescription'),
    productType: shared('productType'),
    projectStatus,
    projectWithdrawn: projectStatus?.toLowerCase() === 'withdrawn',
    participantName: participantName ?? '',
    participantNameNormalised: normaliseOrgName(participantName ?? ''),
    crn,
    crnRaw,
    isLead: isLead ?? false,
    participantWithdrawn: withdrawn ?? false,
    enterpriseSize,
    orgType: size.type,
    postcodeRaw,
    postcode: pc?.display ?? null,
    postcodeKey: pc?.key ?? null,
    addressRegion: shared('addressRegion'),
    addressLeps: lep
      ? lep
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
    addressLocalAuthority: shared('addressLocalAuthority'),
    inMultipleLeps,
    isIscf,
    grantOfferedPence: grant?.pence ?? null,
    totalCostsPence: costs?.pence ?? null,
    actualSpendPence: spend?.pence ?? null,
    startDate,
    endDate,
    sourceFile: ctx.sourceFile,
    sourceRow: rowNumber,
    releaseDate: ctx.releaseDate,
  };
  return {
    ok: true,
    row,
    notes: {
      unknownEnterpriseSize: size.known ? null : (enterpriseSize ?? ''),
      unusablePostcode: postcodeRaw !== null && pc === null,
      unusableCrn: crnRaw !== null && crn === null && !/^(?:n\/?a|none|-|0+)$/i.test(crnRaw.trim()),
      roundedMoney: Boolean(grant?.rounded || costs?.rounded || spend?.rounded),
    },
  };
}

/**
 * The METHODS.md default counting rule: a row counts towards totals unless the participant
 * withdrew or the project was withdrawn. `includeWithdrawn` switches the rule off.
 */
export function countsTowardsTotals(row: InnovateUkParticipantRow, includeWithdrawn = false): boolean {
  return includeWithdrawn || !(row.participantWithdrawn || row.projectWithdrawn);
}

/** The participant identity used to de-duplicate releases: Project Number + (CRN, else name). */
export function participantKey(
  row: Pick<InnovateUkParticipantRow, 'projectNumber' | 'crn' | 'participantNameNormalised'>,
): string {
  return `${row.projectNumber}|${row.crn ? `crn:${row.crn}` : `name:${row.participantNameNormalised}`}`;
}
