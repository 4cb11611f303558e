import type { Db } from '../db/client.ts';
import { getOutcode, getPostcodePlace, searchPlaces } from '../db/map-queries.ts';
import { normalisePostcode } from '../domain/geography.ts';
import { OUTWARD_CODE, searchKey } from '../domain/search.ts';
import { areaHref } from './maps.ts';

/**
 * GET /v1/search: one box for places. A full postcode answers with its postcode, an outward code
 * ("M1") with its postcode district, anything else by name against every area name and former
 * name (LEPs, regions, districts, constituencies), ranked: exact, prefix, word prefix, substring,
 * then similar spellings; among equals, LEPs before regions, districts, 2024 then 2010 seats.
 */

export interface LepRef {
  code: string;
  name: string;
  href: string;
  /** Share (0–1) of the place's postcodes in this LEP. */
  share: number | null;
}

export interface SearchResult {
  kind: 'area' | 'postcode' | 'outcode';
  type: string;
  code: string;
  name: string;
  /** The name that matched, when it is a former name. */
  matchedName: string | null;
  status: 'live' | 'terminated';
  score: number;
  href: string;
  centroid: { lat: number; lng: number } | null;
  leps: LepRef[];
}

const lepRef = (l: { code: string; name: string; share?: number }): LepRef => ({
  code: l.code,
  name: l.name,
  href: areaHref('lep', l.code),
  share: l.share ?? null,
});

export async function search(
  db: Db,
  q: { q: string; types?: readonly string[] | undefined; limit: number },
): Promise<{ query: string; key: string; results: SearchResult[] }> {
  const text = q.q.trim();
  const key = searchKey(text);
  const results: SearchResult[] = [];
  const wantsPlaces = !q.types?.length || q.types.includes('postcode');

  const pc = normalisePostcode(text);
  if (pc && wantsPlaces) {
    const row = await getPostcodePlace(db, pc.key);
    if (row) {
      results.push({
        kind: 'postcode',
        type: 'postcode',
        code: row.postcode,
        name: `${row.postcode}${row.ladName ? `, ${row.ladName}` : ''}`,
        matchedName: null,
        status: 'live',
        score: 1,
        href: `/v1/postcodes/${pc.key}`,
        centroid: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
        leps: row.leps.map((l) => lepRef({ ...l, share: 1 })),
      });
    }
    return { query: text, key, results };
  }

  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (OUTWARD_CODE.test(compact) && wantsPlaces) {
    const row = await getOutcode(db, compact);
    if (row) {
      results.push({
        kind: 'outcode',
        type: 'outcode',
        code: row.outcode,
        name: `${row.outcode} postcode district${row.ladName ? `, mostly in ${row.ladName}` : ''}`,
        matchedName: null,
        status: 'live',
        score: 1,
        // No resource of its own: the district holding most of its postcodes.
        href: row.ladCode ? areaHref('lad', row.ladCode) : '/v1/areas?type=lad',
        centroid: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
        leps: row.leps.map(lepRef),
      });
    }
  }

  const areaTypes = q.types?.filter((t) => t !== 'postcode');
  if (key.length >= 2 && (!q.types?.length || (areaTypes && areaTypes.length > 0))) {
    const rows = await searchPlaces(db, key, { types: areaTypes, limit: q.limit });
    const seen = new Set<string>();
    for (const r of rows) {
      const id = `${r.type}|${r.code}`;
      if (seen.has(id)) continue;
      seen.add(id);
      results.push({
        kind: 'area',
        type: r.type,
        code: r.code,
        name: r.name,
        matchedName: r.matchedName !== r.name ? r.matchedName : null,
        status: r.status as 'live' | 'terminated',
        score: Math.round(r.score * 1000) / 1000,
        href: areaHref(r.type, r.code),
        centroid:
          r.centroidLat !== null && r.centroidLng !== null
            ? { lat: r.centroidLat, lng: r.centroidLng }
            : null,
        leps: r.type === 'lep' ? [] : r.leps.map(lepRef),
      });
    }
  }
  return { query: text, key, results: results.slice(0, q.limit) };
}
