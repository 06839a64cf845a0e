import type { Breaker } from '../config/repo-config/schema.js';
import type { BreakerState, CircuitBreaker } from '../pipeline/execute/breaker.js';
import type { ExecutionJournal } from './execution-journal.js';
import type { Db } from './store.js';

/**
 * The circuit breaker's latch, kept in the settings table (one key per
 * repository, so every replica sees it); failures are counted from the
 * execution journal.
 */
const PREFIX = 'execution.breaker:';

interface Latch {
  openedAt: number | null;
  resetAt: number | null;
}

export function storedBreaker(db: Db, journal: ExecutionJournal): CircuitBreaker {
  const key = (repo: string) => `${PREFIX}${repo.toLowerCase()}`;
  const read = async (repo: string): Promise<Latch & { by: string | null }> => {
    const row = await db.selectFrom('settings').selectAll().where('key', '=', key(repo)).executeTakeFirst();
    if (!row) return { openedAt: null, resetAt: null, by: null };
    const latch = JSON.parse(row.value) as Latch;
    return { ...latch, by: row.updated_by };
  };
  const write = async (repo: string, latch: Latch, by: string, now: number) => {
    const row = { key: key(repo), value: JSON.stringify(latch), updated_at: now, updated_by: by };
    await db.insertInto('settings').values(row).onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: now, updated_by: by })).execute();
  };
  const state = async (repo: string, config: Breaker, now: number): Promise<BreakerState> => {
    const latch = await read(repo);
    const since = Math.max(now - config.windowMinutes * 60_000, (latch.resetAt ?? -1) + 1);
    const { count } = await journal.failuresSince(repo, since);
    return {
      repo,
      open: latch.openedAt !== null,
      failures: count,
      threshold: config.failures,
      windowMinutes: config.windowMinutes,
      openedAt: latch.openedAt,
      resetAt: latch.resetAt,
      resetBy: latch.resetAt !== null ? latch.by : null,
    };
  };
  return {
    state,
    recordFailure: async (repo, config, now) => {
      const current = await state(repo, config, now);
      if (current.open || current.failures < config.failures) return current;
      await write(repo, { openedAt: now, resetAt: current.resetAt }, 'pitcrew', now);
      return { ...current, open: true, openedAt: now };
    },
    reset: async (repo, by, now) => {
      await write(repo, { openedAt: null, resetAt: now }, by, now);
    },
    all: async () => {
      const rows = await db.selectFrom('settings').selectAll().where('key', 'like', `${PREFIX}%`).execute();
      return rows.map((row) => {
        const latch = JSON.parse(row.value) as Latch;
        return { repo: row.key.slice(PREFIX.length), open: latch.openedAt !== null, openedAt: latch.openedAt, resetAt: latch.resetAt, resetBy: latch.resetAt !== null ? row.updated_by : null };
      });
    },
  };
}
