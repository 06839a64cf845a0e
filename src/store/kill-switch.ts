import type { KillSwitch, PauseState } from '../domain/execution.js';
import type { SettingsRepo } from './settings-repo.js';

const KEY = 'execution.paused';

interface StoredPause {
  paused: boolean;
  reason: string | null;
}

/** The runtime kill switch, kept in the settings table so every replica sees it. */
export function storedKillSwitch(settings: SettingsRepo): KillSwitch {
  const state = async (): Promise<PauseState> => {
    const row = await settings.get<StoredPause>(KEY);
    if (!row) return { paused: false, by: null, at: null, reason: null };
    return { paused: row.value.paused, by: row.updatedBy, at: row.updatedAt, reason: row.value.reason };
  };
  return {
    state,
    pause: async (by, reason) => {
      await settings.set(KEY, { paused: true, reason } satisfies StoredPause, by);
      return state();
    },
    resume: async (by) => {
      await settings.set(KEY, { paused: false, reason: null } satisfies StoredPause, by);
      return state();
    },
  };
}
