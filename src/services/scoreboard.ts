import type { Db } from '../db/client.ts';
import { getScoreboard, getScoreboardYears } from '../db/scoreboard-queries.ts';
import { ApiError } from '../http/problem.ts';

/** The stored scoreboard of a year (default: the latest), or a 404 naming the years there are. */
export async function scoreboardFor(db: Db, q: { year?: number | undefined }) {
  const years = await getScoreboardYears(db);
  const year = q.year ?? years[0];
  const row = year === undefined ? undefined : await getScoreboard(db, year);
  if (!row) {
    throw new ApiError(
      'not_found',
      `No scoreboard${q.year !== undefined ? ` for ${q.year}` : ''}: too few size-free indicators have values.`,
      [{ location: 'query.year', message: `Years available: ${[...years].reverse().join(', ') || 'none'}` }],
    );
  }
  return { year: row.year, years: [...years].reverse(), body: row.body as unknown as ScoreboardBody };
}

/** The stored document (see src/pipeline/stages/scoreboard.ts). */
export interface ScoreboardBody {
  year: number;
  settings: Record<string, unknown>;
  reference: { code: string; label: string; composite: number };
  indicators: {
    id: string;
    title: string;
    unit: string;
    measure: string;
    polarity: string;
    yearUsed: number;
    areasWithValue: number;
    transform: 'none' | 'sqrt';
    min: number;
    max: number;
    historyValues: number;
    outliersExcluded: number;
    englandValue: number | null;
    englandNormalised: number;
    englandImputed: boolean;
  }[];
  /** Absent in documents built before variants were deduplicated. */
  excluded?: { id: string; numerator: string; keptInstead: string }[];
  leps: {
    code: string;
    name: string;
    index: number | null;
    composite: number | null;
    group: string | null;
    rank: number | null;
    monteCarlo: { median: number; p5: number; p95: number; indexP5: number; indexP95: number } | null;
    coverage: { available: number; of: number; share: number };
    inputs: { indicator: string; year: number; value: number | null; normalised: number | null }[];
  }[];
}
