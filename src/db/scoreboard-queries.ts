import { desc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { scoreboards } from './schema.ts';

/** Named queries behind GET /v1/scoreboard. */

/** One year's stored scoreboard document. */
export async function getScoreboard(db: Db, year: number) {
  const rows = await db.select().from(scoreboards).where(eq(scoreboards.year, year)).limit(1);
  return rows[0];
}

/** The years that have a scoreboard, newest first. */
export async function getScoreboardYears(db: Db): Promise<number[]> {
  const rows = await db.select({ year: scoreboards.year }).from(scoreboards).orderBy(desc(scoreboards.year));
  return rows.map((r) => r.year);
}
