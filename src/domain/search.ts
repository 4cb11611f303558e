/**
 * How place names are matched (GET /v1/search): a search key folds case, accents and punctuation,
 * reads "&" as "and", and then drops the filler words "and" and "the", so "Stoke-on-Trent &
 * Staffordshire", "stoke on trent and staffordshire" and "Stoke on Trent, Staffordshire" are one key.
 * The pipeline stores each area name's key; the API computes the query's the same way.
 */

const FILLER = new Set(['and', 'the']);

export function searchKey(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Apostrophes join (King's Lynn → kings lynn); every other non-alphanumeric separates.
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  const kept = words.filter((w) => !FILLER.has(w));
  // A query made only of filler ("The", "and") keeps its words rather than becoming empty.
  return (kept.length ? kept : words).join(' ');
}

/** Outward code of a UK postcode ("M1", "SW1A", "B33"): letters, a digit, then a digit or letter. */
export const OUTWARD_CODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

/** How strongly each area type is preferred among equally good name matches. */
export const SEARCH_TYPE_WEIGHT: Record<string, number> = {
  lep: 6,
  region: 5,
  country: 5,
  lad: 4,
  pcon2024: 3,
  pcon: 1,
};
