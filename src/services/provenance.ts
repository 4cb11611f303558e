import type { Db } from '../db/client.ts';
import { getDatasetStamp } from '../db/map-queries.ts';
import { ApiError } from '../http/problem.ts';
import type { Provenance, ProvenanceSource } from '../http/provenance.ts';

/**
 * What every exported file says about where it came from (docs/adr/0008-export-provenance.md):
 * the dataset's version and build time, whether it is the shipped SAMPLE, the sources the table was
 * built from and — when any of them is a generated stand-in — the SYNTHETIC label.
 */

/** A source as a table names it: a dataset source id, with text for sources the dataset does not list. */
export interface SourceRef {
  /** A dataset source id (`/v1/meta` sources[].id) or an indicator source's own id. */
  id: string;
  title?: string;
  licence?: string;
  provenance?: string;
}

/**
 * The provenance of a file built from `sources` of the current dataset, fetched from `url`.
 * Sources the dataset lists are described from the dataset (its synthetic flag decides the label);
 * others (an indicator's own source) keep the text given. One indexed read of the datasets row.
 */
export async function exportProvenance(
  db: Db,
  sources: readonly SourceRef[],
  url: string,
): Promise<Provenance> {
  const stamp = await getDatasetStamp(db);
  if (!stamp) throw new ApiError('unavailable', 'No dataset has been loaded yet. Run `npm run pipeline`.');
  const known = new Map(stamp.sources.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const listed: ProvenanceSource[] = [];
  for (const ref of sources) {
    if (seen.has(ref.id)) continue;
    seen.add(ref.id);
    const s = known.get(ref.id);
    listed.push({
      id: ref.id,
      title: ref.title ?? (s ? `${s.title}${s.publisher ? ` (${s.publisher})` : ''}` : ref.id),
      licence: ref.licence ?? s?.licence ?? '',
      provenance: ref.provenance ?? s?.provenance ?? '',
      synthetic: Boolean(s?.synthetic),
    });
  }
  return {
    version: stamp.version,
    builtAt: new Date(stamp.builtAt).toISOString(),
    sample: stamp.isSample,
    synthetic: listed.some((s) => s.synthetic),
    sources: listed,
    url,
  };
}
