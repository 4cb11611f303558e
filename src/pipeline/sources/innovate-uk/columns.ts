/**
 * Column recognition for the Innovate UK spreadsheet. Releases rename columns ("Grant Offered (£)"
 * became "Award Offered (£)"), add them ("Address Local Authority") and vary case, spacing and the
 * currency suffix, so headers are matched by a normalised key against a table of aliases.
 */

export type FieldName =
  | 'competitionReference'
  | 'competitionTitle'
  | 'programmeTitle'
  | 'sector'
  | 'competitionYear'
  | 'applicationNumber'
  | 'projectNumber'
  | 'projectTitle'
  | 'publicDescription'
  | 'productType'
  | 'participantName'
  | 'crn'
  | 'isLead'
  | 'participantWithdrawn'
  | 'projectStatus'
  | 'enterpriseSize'
  | 'postcode'
  | 'addressRegion'
  | 'addressLep'
  | 'addressLocalAuthority'
  | 'inMultipleLeps'
  | 'isIscf'
  | 'grantOffered'
  | 'totalCosts'
  | 'actualSpend'
  | 'startDate'
  | 'endDate';

export interface ColumnSpec {
  field: FieldName;
  /** Header spellings; compared after `headerKey` so case, spacing and "(£)" do not matter. */
  aliases: readonly string[];
  /** The file cannot be used without it. */
  required?: boolean;
}

/** Field → header aliases. Order matters only for the report. */
export const COLUMN_SPECS: readonly ColumnSpec[] = [
  {
    field: 'competitionReference',
    aliases: ['Competition Reference', 'Competition Ref', 'Competition Code'],
  },
  { field: 'competitionTitle', aliases: ['Competition Title', 'Competition Name'] },
  { field: 'programmeTitle', aliases: ['Programme Title', 'Program Title', 'Programme'] },
  { field: 'sector', aliases: ['Sector', 'Innovate UK Sector'] },
  { field: 'competitionYear', aliases: ['Competition Year', 'Financial Year', 'Competition Financial Year'] },
  { field: 'applicationNumber', aliases: ['Application Number', 'Application No', 'Application Reference'] },
  {
    field: 'projectNumber',
    aliases: ['Project Number', 'Project No', 'Project Reference', 'Project ID'],
    required: true,
  },
  { field: 'projectTitle', aliases: ['Project Title', 'Project Name'] },
  {
    field: 'publicDescription',
    aliases: ['Public Description', 'Project Description', 'Public Project Summary'],
  },
  { field: 'productType', aliases: ['Innovate UK Product Type', 'Product Type', 'Funding Product'] },
  {
    field: 'participantName',
    aliases: ['Participant Name', 'Organisation Name', 'Organization Name'],
    required: true,
  },
  {
    field: 'crn',
    aliases: ['CRN', 'Company Registration Number', 'Company Number', 'Companies House Number'],
  },
  { field: 'isLead', aliases: ['Is Lead Participant', 'Lead Participant', 'Is Lead'] },
  {
    field: 'participantWithdrawn',
    aliases: ['Participant Withdrawn From Project', 'Participant Withdrawn', 'Withdrawn From Project'],
  },
  { field: 'projectStatus', aliases: ['Project Status', 'Status'] },
  {
    field: 'enterpriseSize',
    aliases: ['Enterprise Size', 'Organisation Size', 'Organisation Type', 'Participant Size'],
  },
  { field: 'postcode', aliases: ['Postcode', 'Post Code', 'Address Postcode', 'Participant Postcode'] },
  { field: 'addressRegion', aliases: ['Address Region', 'Region'] },
  { field: 'addressLep', aliases: ['Address LEP', 'LEP', 'Address Local Enterprise Partnership'] },
  { field: 'addressLocalAuthority', aliases: ['Address Local Authority', 'Local Authority', 'Address LA'] },
  { field: 'inMultipleLeps', aliases: ['In Multiple LEPs', 'In Multiple LEP', 'Multiple LEPs'] },
  { field: 'isIscf', aliases: ['Industrial Strategy Challenge Fund', 'ISCF'] },
  {
    field: 'grantOffered',
    aliases: ['Grant Offered', 'Award Offered', 'Grant Awarded', 'Amount Offered'],
    required: true,
  },
  { field: 'totalCosts', aliases: ['Total Costs', 'Total Cost', 'Total Eligible Costs'] },
  { field: 'actualSpend', aliases: ['Actual Spend to Date', 'Actual Spend', 'Spend to Date'] },
  { field: 'startDate', aliases: ['Project Start Date', 'Start Date'] },
  { field: 'endDate', aliases: ['Project End Date', 'End Date'] },
];

/**
 * Header → comparison key: lower-case, any bracketed suffix dropped ("(£)", "(GBP)", "(ISCF)"),
 * a trailing currency word dropped, and everything but letters and digits removed.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/(?:£|\bgbp\b|\bin pounds\b|\uFFFD)/g, ' ')
    .replace(/[^a-z0-9]+/g, '');
}

const FIELD_BY_KEY: ReadonlyMap<string, FieldName> = new Map(
  COLUMN_SPECS.flatMap((spec) => spec.aliases.map((alias) => [headerKey(alias), spec.field] as const)),
);

export const REQUIRED_FIELDS: readonly FieldName[] = COLUMN_SPECS.filter((s) => s.required).map(
  (s) => s.field,
);

export interface ColumnMap {
  /** Field → 0-based column index in the header row. */
  index: Partial<Record<FieldName, number>>;
  /** Field → the header text as written, for reject messages. */
  header: Partial<Record<FieldName, string>>;
  unrecognised: string[];
  /** Headers that named a field already taken by an earlier column. */
  duplicates: string[];
  missingRequired: FieldName[];
}

/** Recognise a header row. The first column naming a field wins. */
export function mapColumns(headers: readonly string[]): ColumnMap {
  const map: ColumnMap = { index: {}, header: {}, unrecognised: [], duplicates: [], missingRequired: [] };
  headers.forEach((raw, i) => {
    const text = raw.trim();
    if (text === '') return;
    const field = FIELD_BY_KEY.get(headerKey(text));
    if (!field) map.unrecognised.push(text);
    else if (map.index[field] !== undefined) map.duplicates.push(text);
    else {
      map.index[field] = i;
      map.header[field] = text;
    }
  });
  map.missingRequired = REQUIRED_FIELDS.filter((f) => map.index[f] === undefined);
  return map;
}
