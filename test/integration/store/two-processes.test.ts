import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { manualClock } from '../../../src/domain/clock.js';
import { SettingsRepo } from '../../../src/store/settings-repo.js';
import { openStore } from '../../../src/store/store.js';
import { tsNode } from '../../support/processes.js';
import { tempDir } from '../../support/tmp.js';

function writer(file: string, iterations: number, name: string): Promise<number | null> {
  const child = spawn(process.execPath, tsNode('test/support/store-writer.ts', file, String(iterations), name), { stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', resolve));
}

it('two processes writing one SQLite file (as the CLI does while the service runs) lose nothing and corrupt nothing', async () => {
  const file = join(tempDir(), 'pitcrew.db');
  const iterations = 300;
  // This process holds the file open too, reading while the others write.
  const store = await openStore({ kind: 'sqlite', file });
  const reads: Promise<unknown>[] = [];
  const reader = setInterval(() => reads.push(new SettingsRepo(store.db, manualClock()).get('counter')), 5);
  const codes = await Promise.all([writer(file, iterations, 'service'), writer(file, iterations, 'cli')]);
  clearInterval(reader);
  await Promise.all(reads);
  assert.deepEqual(codes, [0, 0]);

  const settings = new SettingsRepo(store.db, manualClock());
  assert.equal((await settings.get<number>('counter'))!.value, 2 * iterations);
  assert.equal((await settings.get<number>('last-service'))!.value, iterations - 1);
  assert.equal((await settings.get<number>('last-cli'))!.value, iterations - 1);
  await store.close();

  const raw = new BetterSqlite3(file, { readonly: true });
  assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  raw.close();
});
