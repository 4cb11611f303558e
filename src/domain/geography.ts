/** Area types the API knows, and which types nest under which. Shared by the pipeline and routes. */
export const AREA_TYPES = ['country', 'region', 'lep', 'lad', 'pcon', 'pcon2024'] as const;
export type AreaType = (typeof AREA_TYPES)[number];

export const AREA_TYPE_LABELS: Record<AreaType, string> = {
  country: 'Country',
  region: 'Region (England)',
  lep: 'Local Enterprise Partnership',
  lad: 'Local authority district',
  pcon: 'Westminster constituency (2010–2024 boundaries)',
  pcon2024: 'Westminster constituency (2024 boundaries)',
};

/** parent type → child types it can have links to. */
export const CHILD_TYPES: Record<AreaType, readonly AreaType[]> = {
  country: ['region', 'lep', 'lad', 'pcon', 'pcon2024'],
  region: ['lad', 'pcon'],
  lep: ['lad'],
  lad: ['pcon', 'pcon2024'],
  pcon: ['lad'],
  pcon2024: ['lad'],
};

/** England's GSS code: the reference area for shares of England and location quotients. */
export const ENGLAND_CODE = 'E92000001';

/** The LEP geography every profile, comparison and ranking is on: the final LEPs of 2021. */
export const LEP_VINTAGE = '2021';

/** Earlier LEP geographies; a retired LEP code's values stay on these, newest first. */
export const EARLIER_LEP_VINTAGES = ['2020', '2017', '2014'] as const;

/** Every LEP geography vintage indicator values can be on, the final one first. */
export const LEP_VINTAGES = [LEP_VINTAGE, ...EARLIER_LEP_VINTAGES] as const;
export type LepVintage = (typeof LEP_VINTAGES)[number];

/** GSS code: a letter, two digits of entity, six of instance (e.g. E37000015). */
export const GSS_CODE = /^[EKNSW][0-9]{8}$/;

/** Full UK postcode, after spaces are removed and letters upper-cased. */
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;

/** "sw1a1aa", " SW1A  1AA " → { key: "SW1A1AA", display: "SW1A 1AA" }; null when malformed. */
export function normalisePostcode(input: string): { key: string; display: string } | null {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  const m = POSTCODE.exec(compact);
  if (!m) return null;
  return { key: compact, display: `${m[1]} ${m[2]}` };
}

/** When a code names more than one type (an unchanged seat keeps its code), prefer the current one. */
export const TYPE_PREFERENCE: readonly AreaType[] = ['pcon2024', 'lad', 'lep', 'region', 'country', 'pcon'];

/** Areas sharing one code, the preferred type first. */
export function byTypePreference<T extends { type: string }>(areas: readonly T[]): T[] {
  const rank = (a: T) => TYPE_PREFERENCE.indexOf(a.type as AreaType);
  return [...areas].sort((a, b) => rank(a) - rank(b));
}
