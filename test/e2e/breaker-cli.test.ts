import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { storedBreaker } from '../../src/store/circuit-breaker.js';
import { BROKE, ExecutionJournal } from '../../src/store/execution-journal.js';
import { openStore } from '../../src/store/store.js';
import { runCli } from '../support/processes.js';
import { tempDir } from '../support/tmp.js';

describe('pitcrew breaker', () => {
  it('shows an open breaker and resets it, recording who did', async () => {
    const cwd = tempDir();
    const env = { PITCREW_DATA_DIR: join(cwd, 'data') };
    const store = await openStore({ kind: 'sqlite', file: join(cwd, 'data', 'pitcrew.db') });
    const journal = new ExecutionJournal(store);
    await journal.claim({ id: 'exe_1', repo: 'acme/deploy', prNumber: 1, mergeSha: 'a'.repeat(40), headSha: 'b'.repeat(40), planId: 'plan_a1', planHash: 'x', incidentId: null, context: '{}' }, 'me', 1_000, 60_000);
    await journal.update('exe_1', 'me', { state: 'failed', reason: BROKE, finished_at: Date.now() }, Date.now());
    assert.equal((await storedBreaker(store.db, journal).recordFailure('acme/deploy', { failures: 1, windowMinutes: 60 }, Date.now())).open, true);
    await store.close();

    const status = await runCli(['breaker', '--json'], { cwd, env });
    assert.equal(status.code, 0, status.output);
    assert.deepEqual(JSON.parse(status.output).map((s: { repo: string; open: boolean }) => [s.repo, s.open]), [['acme/deploy', true]]);
    const bad = await runCli(['breaker', 'reset', 'not a repo'], { cwd, env });
    assert.notEqual(bad.code, 0);
    assert.match(bad.output, /"not a repo" is not a repository/);
    const reset = await runCli(['breaker', 'reset', 'acme/deploy', '--by', 'alice'], { cwd, env });
    assert.equal(reset.code, 0, reset.output);
    assert.match(reset.output, /breaker of acme\/deploy reset by alice; merged plans run again/);
    const after = await runCli(['breaker'], { cwd, env });
    assert.match(after.output, /acme\/deploy {2}closed \(reset by cli:alice at /);
  });
});
