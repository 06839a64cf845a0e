import type { Clock } from '../domain/clock.js';
import type { Db } from './store.js';

/** Runtime settings (JSON values by key), e.g. the pause switch set from Slack. */
export class SettingsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async get<T>(key: string): Promise<{ value: T; updatedAt: number; updatedBy: string } | undefined> {
    const row = await this.db.selectFrom('settings').selectAll().where('key', '=', key).executeTakeFirst();
    return row && { value: JSON.parse(row.value) as T, updatedAt: row.updated_at, updatedBy: row.updated_by };
  }

  async set(key: string, value: unknown, updatedBy: string): Promise<void> {
    const row = { key, value: JSON.stringify(value), updated_at: this.clock.now(), updated_by: updatedBy };
    await this.db
      .insertInto('settings')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at, updated_by: row.updated_by }))
      .execute();
  }
}
