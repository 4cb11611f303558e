import { describe, isValid, zScore } from './ranking.ts';

/**
 * Nearest-neighbour peer groups (the ONS/CIPFA method): standardise a chosen set of indicators to
 * z-scores over all areas, measure Euclidean distance between areas, return the k nearest with the
 * share of the distance each indicator contributes. Pure; the caller chooses the indicator-years.
 */

/** One area's values, keyed by indicator id. Missing: absent key, `null` or a non-finite number. */
export interface PeerArea {
  areaCode: string;
  values: Readonly<Record<string, number | null>>;
}

export interface PeerOptions {
  /** How many neighbours to return (fewer when fewer areas qualify). */
  k: number;
  /** Indicator ids to compare on, in the order contributions are reported. */
  indicators: readonly string[];
  /**
   * Minimum number of indicators the target and a candidate must both have. Default: half of the
   * usable indicators rounded up (at least 1), so a distance never rests on a minority of them.
   */
  minOverlap?: number;
}

/** Mean and population sd used to standardise one indicator. */
export interface IndicatorScale {
  indicatorId: string;
  n: number;
  mean: number;
  sd: number;
}

export interface Contribution {
  indicatorId: string;
  targetValue: number;
  peerValue: number;
  targetZ: number;
  peerZ: number;
  /** (targetZ − peerZ)². */
  squaredDiff: number;
  /** squaredDiff / Σ squaredDiff over the indicators used: 0–1, summing to 1 (all 0 when the distance is 0). */
  share: number;
}

export interface Peer {
  areaCode: string;
  /**
   * Euclidean distance in z units, rescaled to the full indicator set when some indicators were
   * missing: √(Σ d² × usable / used), the "nan-Euclidean" rule (as scikit-learn's
   * nan_euclidean_distances), so areas compared on fewer indicators do not look artificially close.
   */
  distance: number;
  /** Number of indicators both areas have. */
  indicatorsUsed: number;
  /** Sorted by share, largest first: which indicators drive the distance. */
  contributions: Contribution[];
}

export interface PeerResult {
  areaCode: string;
  /** Indicators that could be standardised (≥ 2 areas with values and a non-zero sd). */
  scales: IndicatorScale[];
  /** Requested indicators that could not be standardised, with why. */
  unusableIndicators: { indicatorId: string; reason: string }[];
  minOverlap: number;
  peers: Peer[];
  /** Candidates skipped because they share too few indicators with the target. */
  excluded: { areaCode: string; indicatorsShared: number }[];
}

/**
 * Mean and population sd of each indicator over every area that has it. Indicators with fewer
 * than two values or no spread cannot be standardised and are returned in `unusable`.
 */
export function indicatorScales(
  areas: readonly PeerArea[],
  indicators: readonly string[],
): { scales: IndicatorScale[]; unusable: { indicatorId: string; reason: string }[] } {
  const scales: IndicatorScale[] = [];
  const unusable: { indicatorId: string; reason: string }[] = [];
  for (const id of indicators) {
    const xs: number[] = [];
    for (const a of areas) {
      const v = indicatorValue(a, id);
      if (v !== null) xs.push(v);
    }
    const st = describe(xs);
    if (st === null || st.n < 2)
      unusable.push({ indicatorId: id, reason: `only ${xs.length} area(s) have a value` });
    else if (st.sd === 0) unusable.push({ indicatorId: id, reason: 'every area has the same value' });
    else scales.push({ indicatorId: id, n: st.n, mean: st.mean, sd: st.sd });
  }
  return { scales, unusable };
}

/**
 * The k areas nearest to `areaCode` on standardised indicators. Ties in distance are broken by area
 * code so the answer is deterministic. Throws RangeError when the target is unknown, k < 1, no
 * indicator is usable, or the target itself has fewer than `minOverlap` of them.
 */
export function nearestNeighbours(
  areaCode: string,
  areas: readonly PeerArea[],
  options: PeerOptions,
): PeerResult {
  if (!Number.isInteger(options.k) || options.k < 1) throw new RangeError('k must be a positive integer');
  const indicators = [...new Set(options.indicators)];
  const target = areas.find((a) => a.areaCode === areaCode);
  if (!target) throw new RangeError(`unknown area ${areaCode}`);
  const { scales, unusable } = indicatorScales(areas, indicators);
  if (scales.length === 0) throw new RangeError('none of the indicators can be standardised');
  const minOverlap = options.minOverlap ?? Math.max(1, Math.ceil(scales.length / 2));
  if (!Number.isInteger(minOverlap) || minOverlap < 1)
    throw new RangeError('minOverlap must be a positive integer');
  const targetHas = scales.filter((s) => indicatorValue(target, s.indicatorId) !== null).length;
  if (targetHas < minOverlap) {
    throw new RangeError(
      `${areaCode} has ${targetHas} of the ${scales.length} usable indicators; at least ${minOverlap} needed`,
    );
  }

  const peers: Peer[] = [];
  const excluded: { areaCode: string; indicatorsShared: number }[] = [];
  for (const other of areas) {
    if (other.areaCode === areaCode) continue;
    const parts: Omit<Contribution, 'share'>[] = [];
    for (const s of scales) {
      const tv = indicatorValue(target, s.indicatorId);
      const pv = indicatorValue(other, s.indicatorId);
      if (tv === null || pv === null) continue;
      const targetZ = zScore(tv, s);
      const peerZ = zScore(pv, s);
      parts.push({
        indicatorId: s.indicatorId,
        targetValue: tv,
        peerValue: pv,
        targetZ,
        peerZ,
        squaredDiff: (targetZ - peerZ) ** 2,
      });
    }
    if (parts.length < minOverlap) {
      excluded.push({ areaCode: other.areaCode, indicatorsShared: parts.length });
      continue;
    }
    const total = parts.reduce((acc, p) => acc + p.squaredDiff, 0);
    const contributions = parts
      .map((p) => ({ ...p, share: total === 0 ? 0 : p.squaredDiff / total }))
      .sort((a, b) => b.share - a.share || a.indicatorId.localeCompare(b.indicatorId));
    peers.push({
      areaCode: other.areaCode,
      distance: Math.sqrt((total * scales.length) / parts.length),
      indicatorsUsed: parts.length,
      contributions,
    });
  }
  peers.sort((a, b) => a.distance - b.distance || a.areaCode.localeCompare(b.areaCode));
  return {
    areaCode,
    scales,
    unusableIndicators: unusable,
    minOverlap,
    peers: peers.slice(0, options.k),
    excluded,
  };
}

function indicatorValue(area: PeerArea, id: string): number | null {
  const v = area.values[id];
  return v !== undefined && isValid({ value: v }) ? v : null;
}
