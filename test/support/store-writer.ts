// A separate process that hammers a SQLite store with read-modify-write
// transactions, used to prove two processes never corrupt or lose writes.
import { manualClock } from '../../src/domain/clock.js';
import { SettingsRepo } from '../../src/store/settings-repo.js';
import { openStore } from '../../src/store/store.js';

const [file, iterations, name] = process.argv.slice(2) as [string, string, string];
const store = await openStore({ kind: 'sqlite', file });
for (let i = 0; i < Number(iterations); i++) {
  await store.writeTransaction(async (trx) => {
    const repo = new SettingsRepo(trx, manualClock());
    const current = (await repo.get<number>('counter'))?.value ?? 0;
    await repo.set('counter', current + 1, name);
    await repo.set(`last-${name}`, i, name);
  });
}
await store.close();
