import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { manualClock } from '../../../src/domain/clock.js';
import { migrations } from '../../../src/store/migrations/index.js';
import { SettingsRepo } from '../../../src/store/settings-repo.js';
import { appliedMigrations, migrateToLatest, openStore } from '../../../src/store/store.js';
import { describeOnBackends, freshStore, freshStoreConfig } from '../../support/databases.js';

describeOnBackends('store contract', (backend) => {
  it('applies every migration at open, and again is a no-op', async () => {
    const store = await freshStore(backend);
    assert.deepEqual(await appliedMigrations(store), Object.keys(migrations));
    assert.deepEqual(await migrateToLatest(store), []);
  });

  it('keeps data across reopen', async () => {
    const config = await freshStoreConfig(backend);
    const first = await openStore(config);
    await new SettingsRepo(first.db, manualClock()).set('paused', true, 'alice');
    await first.close();
    const second = await openStore(config);
    assert.deepEqual((await new SettingsRepo(second.db, manualClock()).get('paused'))?.value, true);
    await second.close();
  });

  it('stores epoch milliseconds as numbers and JSON values intact', async () => {
    const store = await freshStore(backend);
    const clock = manualClock(Date.UTC(2030, 0, 1, 12));
    const settings = new SettingsRepo(store.db, clock);
    await settings.set('breaker', { state: 'open', failures: [1, 2] }, 'pitcrew');
    const row = await settings.get<{ state: string }>('breaker');
    assert.deepEqual(row, { value: { state: 'open', failures: [1, 2] }, updatedAt: Date.UTC(2030, 0, 1, 12), updatedBy: 'pitcrew' });
    assert.equal(typeof row!.updatedAt, 'number');
  });

  it('upserts by key', async () => {
    const store = await freshStore(backend);
    const settings = new SettingsRepo(store.db, manualClock());
    await settings.set('paused', true, 'alice');
    await settings.set('paused', false, 'bob');
    assert.deepEqual(await settings.get('paused').then((r) => [r?.value, r?.updatedBy]), [false, 'bob']);
    const count = await store.db.selectFrom('settings').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  it('rolls a write transaction back when it throws', async () => {
    const store = await freshStore(backend);
    await assert.rejects(
      store.writeTransaction(async (trx) => {
        await new SettingsRepo(trx, manualClock()).set('half', 1, 'x');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await new SettingsRepo(store.db, manualClock()).get('half'), undefined);
  });

  it('serialises concurrent read-modify-write transactions', async () => {
    const store = await freshStore(backend);
    const settings = new SettingsRepo(store.db, manualClock());
    await settings.set('counter', 0, 'test');
    await Promise.all(Array.from({ length: 25 }, () =>
      store.writeTransaction(async (trx) => {
        const repo = new SettingsRepo(trx, manualClock());
        const current = (await repo.get<number>('counter'))!.value;
        await repo.set('counter', current + 1, 'test');
      })));
    assert.equal((await settings.get<number>('counter'))!.value, 25);
  });
});
