import type { SqlRunner } from './sql.ts';

/**
 * One pipeline run at a time per database. A run takes a session-level Postgres advisory lock
 * before it reads anything and keeps it until it has swapped its dataset in (or failed). A second
 * run does not wait: it stops at once with {@link PipelineBusyError}, having changed nothing —
 * waiting would rebuild the same dataset right after the first, and a run that died holding the
 * lock cannot exist (Postgres releases it when the session ends, also when the process is killed).
 * Without the lock a second run would drop the first one's staging schema as "leftovers".
 */

/** The advisory lock key (fits in 32 bits, so pg_locks shows it as objid with classid 0). */
export const PIPELINE_LOCK_KEY = 0x0b5e_7a11;

/** Another run holds the lock; nothing was changed. */
export class PipelineBusyError extends Error {
  override name = 'PipelineBusyError';
}

export async function withPipelineLock<T>(
  run: SqlRunner,
  fn: (session: SqlRunner) => Promise<T>,
): Promise<T> {
  return run.session(async (session) => {
    const [got] = await session.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
      PIPELINE_LOCK_KEY,
    ]);
    if (!got?.locked) throw new PipelineBusyError(await busyMessage(session));
    try {
      return await fn(session);
    } finally {
      await session.query('select pg_advisory_unlock($1)', [PIPELINE_LOCK_KEY]).catch(() => {});
    }
  });
}

async function busyMessage(session: SqlRunner): Promise<string> {
  const holder = await session
    .query<{ pid: number; since: string | null; app: string | null }>(
      `select a.pid, a.backend_start::text as since, a.application_name as app
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = $1`,
      [PIPELINE_LOCK_KEY],
    )
    .then((rows) => rows[0])
    .catch(() => undefined);
  const who = holder ? ` (Postgres backend pid ${holder.pid}, connected since ${holder.since})` : '';
  return `another pipeline run is loading into this database${who}; this run stopped without changing anything. Let it finish (or stop it) and run again.`;
}
