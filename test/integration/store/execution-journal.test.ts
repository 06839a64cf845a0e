import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { storedBreaker } from '../../../src/store/circuit-breaker.js';
import { BROKE, ExecutionJournal, type NewExecution } from '../../../src/store/execution-journal.js';
import { openStore } from '../../../src/store/store.js';
import { describeOnBackends, freshStoreConfig } from '../../support/databases.js';

/**
 * The journal's compare-and-set writes, from two stores on the same database
 * (two connection pools on Postgres: what two processes see), on SQLite and Postgres.
 */
const execution = (id = 'exe_1'): NewExecution => ({ id, repo: 'acme/deploy', prNumber: 7, mergeSha: 'm'.repeat(40), headSha: 'h'.repeat(40), planId: 'plan_a1', planHash: 'sha256:x', incidentId: null, context: '{}' });

describeOnBackends('execution journal', (backend) => {
  async function twoProcesses() {
    const config = await freshStoreConfig(backend);
    const first = await openStore(config);
    // better-sqlite3 blocks its thread while it waits for a lock, so two SQLite stores in one
    // process would wait on each other; test/integration/store/two-processes.test.ts covers
    // SQLite across processes. Postgres gets two real pools.
    const second = backend === 'postgres' ? await openStore(config) : first;
    after(async () => {
      await first.close();
      if (second !== first) await second.close();
    });
    return [new ExecutionJournal(first), new ExecutionJournal(second), first] as const;
  }

  it('20 concurrent claims of one merge commit from two processes: exactly one wins', async () => {
    const [a, b] = await twoProcesses();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim(execution(`exe_${i}`), `owner-${i}`, 1_000, 60_000)));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal((await a.list()).length, 1);
  });

  it('an expired lease is taken over by exactly one of many; the old owner can no longer write', async () => {
    const [a, b] = await twoProcesses();
    assert.equal(await a.claim(execution(), 'dead', 1_000, 1_000), true);
    assert.equal(await b.takeOver('exe_1', 'early', 1_500, 1_000), null, 'not before the lease runs out');
    const takers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).takeOver('exe_1', `owner-${i}`, 5_000, 1_000)));
    const winners = takers.filter((row) => row !== null);
    assert.equal(winners.length, 1);
    const owner = winners[0]!.owner!;
    assert.equal((await a.startAction('exe_1', 'dead', { key: 'k:0', index: 0, kind: 'notify' }, 5_001)).status, 'lost');
    assert.equal(await a.update('exe_1', 'dead', { state: 'running' }, 5_001), false);
    assert.equal((await b.startAction('exe_1', owner, { key: 'k:0', index: 0, kind: 'notify' }, 5_001)).status, 'fresh');
  });

  it('an action entry is written once: a second start sees it pending (outcome unknown), a finished one keeps its outcome', async () => {
    const [a] = await twoProcesses();
    await a.claim(execution(), 'me', 0, 60_000);
    const ref = { key: 'plan_a1:m:0', index: 0, kind: 'http.request' };
    assert.equal((await a.startAction('exe_1', 'me', ref, 1)).status, 'fresh');
    const again = await a.startAction('exe_1', 'me', ref, 2);
    assert.deepEqual(again.status === 'existing' && [again.row.state, again.row.attempts], ['pending', 2]);
    await a.finishAction(ref.key, 'me', 'succeeded', 'answered 200', 3);
    const done = await a.startAction('exe_1', 'me', ref, 4);
    assert.deepEqual(done.status === 'existing' && [done.row.state, done.row.detail], ['succeeded', 'answered 200']);
  });

  it('the breaker opens at the threshold within the window, stays open past it, and a reset starts counting afresh', async () => {
    const [a, , store] = await twoProcesses();
    const breaker = storedBreaker(store.db, a);
    const config = { failures: 2, windowMinutes: 10 };
    for (const [i, at] of [[1, 0], [2, 11 * 60_000], [3, 12 * 60_000]] as const) {
      await a.claim({ ...execution(`exe_${i}`), mergeSha: String(i).repeat(40) }, 'me', at, 60_000);
      await a.update(`exe_${i}`, 'me', { state: 'failed', reason: BROKE, finished_at: at }, at);
      const state = await breaker.recordFailure('acme/deploy', config, at);
      assert.equal(state.open, i === 3, `after failure ${i} (the first is outside the window of the third)`);
    }
    assert.equal((await breaker.state('acme/deploy', config, 24 * 3_600_000)).open, true, 'latched: time alone does not close it');
    await breaker.reset('acme/deploy', 'alice', 13 * 60_000);
    const reset = await breaker.state('acme/deploy', config, 13 * 60_000);
    assert.deepEqual([reset.open, reset.failures, reset.resetBy], [false, 0, 'alice']);
  });
});
