import { existsSync } from 'node:fs';
import type { StoreConfig } from '../../config/config.js';
import { migrations } from '../../store/migrations/index.js';
import { appliedMigrations, openStore } from '../../store/store.js';
import type { DoctorCheck } from './check.js';

export function storeCheck(config: StoreConfig): DoctorCheck {
  return {
    name: 'store',
    async run() {
      if (config.kind === 'sqlite' && !existsSync(config.file)) {
        return { status: 'ok', detail: `SQLite file ${config.file} will be created on first start` };
      }
      const store = await openStore(config, { migrate: false });
      try {
        const applied = await appliedMigrations(store);
        const total = Object.keys(migrations).length;
        const pending = total - applied.length;
        return {
          status: 'ok',
          detail: `${store.description}: ${applied.length}/${total} migrations applied${pending > 0 ? ` (${pending} pending, applied at next start)` : ''}`,
        };
      } finally {
        await store.close();
      }
    },
  };
}
