import { existsSync } from 'node:fs';
import type { StoreConfig } from '../../config/config.js';
import { systemClock } from '../../domain/clock.js';
import { formatDuration } from '../../cli/format.js';
import { JobQueue } from '../../store/queue/job-queue.js';
import { LocalNotifier } from '../../store/queue/notifier.js';
import { appliedMigrations, openStore } from '../../store/store.js';
import type { DoctorCheck } from './check.js';

/** The alert inbox: what is waiting, and whether anything is dead-lettered. */
export function inboxCheck(config: StoreConfig): DoctorCheck {
  return {
    name: 'inbox',
    async run() {
      if (config.kind === 'sqlite' && !existsSync(config.file)) return { status: 'ok', detail: 'empty (the store is created on first start)' };
      const store = await openStore(config, { migrate: false });
      try {
        if (!(await appliedMigrations(store)).includes('0010-jobs')) return { status: 'ok', detail: 'created at next start' };
        const counts = await new JobQueue(store, systemClock, new LocalNotifier()).counts({ open: true });
        const sum = (state: string) => counts.filter((c) => c.state === state).reduce((total, c) => total + c.count, 0);
        const oldest = Math.min(...counts.filter((c) => c.state === 'pending' && c.oldestCreatedAt !== null).map((c) => c.oldestCreatedAt!));
        const waiting = sum('pending') + sum('active');
        const detail = `${waiting} waiting${Number.isFinite(oldest) ? ` (oldest ${formatDuration(systemClock.now() - oldest)})` : ''}, ${sum('dead')} dead`;
        if (sum('dead') > 0) return { status: 'warn', detail, hint: 'Run `pitcrew dead-letters` to see why, and `pitcrew dead-letters --replay` once the cause is fixed.' };
        return { status: 'ok', detail };
      } finally {
        await store.close();
      }
    },
  };
}
