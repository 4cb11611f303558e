/**
 * Organisation names as people type them. Shared by the pipeline (de-duplication, the stored
 * search form) and the API (the `q` search), so both fold names the same way.
 */

/** Legal-form spellings folded to one token each, after punctuation is stripped. */
const LEGAL_FORMS: readonly (readonly [RegExp, string])[] = [
  [/\b(?:limited liability partnership|l l p|llp)$/, 'llp'],
  [/\b(?:public limited company|p l c|plc)$/, 'plc'],
  [/\b(?:limited|ltd)$/, 'ltd'],
];

/**
 * Organisation name → comparison form: lower-case, "&" read as "and", punctuation dropped
 * (full stops vanish so "P.L.C." is "plc"), a leading "The" dropped, and the legal form folded
 * (Ltd/Limited/LTD. → "ltd", PLC/Public Limited Company → "plc", LLP → "llp").
 */
export function normaliseOrgName(name: string): string {
  let s = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
  for (const [pattern, token] of LEGAL_FORMS) {
    if (pattern.test(s)) {
      s = s.replace(pattern, token);
      break;
    }
  }
  return s;
}

/** Legal-form tokens ignored by search, so "Acme Limited" finds "Acme Technologies Ltd". */
const LEGAL_TOKENS = new Set(['ltd', 'llp', 'plc', 'limited', 'l', 'p', 'c']);

/**
 * Search words from a user's query: the normalised name split into words, legal forms dropped.
 * Every word must occur in the organisation's normalised name.
 */
export function searchTerms(q: string): string[] {
  return normaliseOrgName(q)
    .split(' ')
    .filter((w) => w.length > 0 && !LEGAL_TOKENS.has(w));
}

/** Canonical organisation types: every Enterprise Size spelling maps to one of these. */
export const ORG_TYPES = [
  'micro',
  'small',
  'medium',
  'large',
  'academic',
  'rto',
  'public_sector',
  'charity',
  'other',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export const ORG_TYPE_LABELS: Record<OrgType, string> = {
  micro: 'Micro enterprise',
  small: 'Small enterprise',
  medium: 'Medium enterprise',
  large: 'Large enterprise',
  academic: 'Academic',
  rto: 'Research and technology organisation',
  public_sector: 'Public sector',
  charity: 'Charity / non-profit',
  other: 'Other or not stated',
};
