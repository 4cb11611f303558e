/**
 * The JSON of GET /v1/postcodes/{postcode}, built once per postcode by the pipeline and stored with
 * the row, so a lookup is one indexed read of ready bytes (postcodes.io's `toJson`, done at load).
 * The route's zod schema (src/routes/postcodes.ts) is the contract these bytes follow.
 */

export interface PostcodeFacts {
  postcode: string;
  quality: number | null;
  lat: number | null;
  lng: number | null;
  countryCode: string | null;
  ladCode: string | null;
  wardCode: string | null;
  wardName: string | null;
  regionCode: string | null;
  pconCode: string | null;
  pconMethod: string | null;
  pcon2024Code: string | null;
  pcon2024Method: string | null;
  lepCodes: readonly string[];
}

/** An area's address in this API (`?type=pcon` tells a 2010-boundary seat from a 2024 one with the same code). */
export const areaHref = (type: string, code: string) =>
  `/v1/areas/${code}${type === 'pcon' ? '?type=pcon' : ''}`;

export const POSTCODE_SOURCE = 'OS Code-Point Open';

/** The answer's text. `nameOf` finds an area's name (null when the area is not loaded). */
export function postcodeBody(
  p: PostcodeFacts,
  nameOf: (type: string, code: string) => string | null,
): string {
  const area = (type: string, code: string | null) =>
    code ? { code, name: nameOf(type, code), href: areaHref(type, code) } : null;
  const seat = (type: 'pcon' | 'pcon2024', code: string | null, method: string | null) =>
    code ? { ...(area(type, code) as object), method } : null;
  const leps = [...p.lepCodes].sort().flatMap((code) => {
    const name = nameOf('lep', code);
    return name === null ? [] : [{ code, name, href: areaHref('lep', code) }];
  });
  return JSON.stringify({
    postcode: p.postcode,
    location: p.lat !== null && p.lng !== null ? { lat: p.lat, lng: p.lng, quality: p.quality } : null,
    country: area('country', p.countryCode),
    region: area('region', p.regionCode),
    lad: area('lad', p.ladCode),
    ward: p.wardCode ? { code: p.wardCode, name: p.wardName } : null,
    pcon: seat('pcon', p.pconCode, p.pconMethod),
    pcon2024: seat('pcon2024', p.pcon2024Code, p.pcon2024Method),
    leps,
    source: POSTCODE_SOURCE,
  });
}
