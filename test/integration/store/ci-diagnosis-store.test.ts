import assert from 'node:assert/strict';
import { it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import { decideBrokenTrunk, decideFlaky, type JobOutcome } from '../../../src/diagnosis/history.js';
import type { ConfirmedExample } from '../../../src/diagnosis/learning/example.js';
import { ConfirmedDiagnosisRepo } from '../../../src/store/ci-confirmed-repo.js';
import { CiHistoryRepo } from '../../../src/store/ci-history-repo.js';
import { describeOnBackends, freshStore } from '../../support/databases.js';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 2, 10);

function outcome(partial: Partial<JobOutcome>): JobOutcome {
  return { repo: 'acme/api', branch: 'main', isDefaultBranch: true, sha: 'aaaa', workflow: 'ci', job: 'test', runId: '1', runAttempt: 1, conclusion: 'success', occurredAt: NOW - DAY, ...partial };
}

function example(repo: string, first: string): ConfirmedExample {
  return { repo, category: 'test_assertion', logLines: 100, spans: [{ start: 10, end: 11, lines: [first, '  detail'], lineCount: 2, before: ['x'], after: ['y'], toStepFailure: 3, stepName: 'npm test' }] };
}

describeOnBackends('CI diagnosis store', (backend) => {
  it('records job outcomes once per attempt, even when a webhook is delivered twice', async () => {
    const store = await freshStore(backend);
    const repo = new CiHistoryRepo(store.db, manualClock(NOW));
    const failed = outcome({ runId: '42', conclusion: 'failure', signature: 'test_assertion:1111111111111111' });
    await repo.record(failed);
    await repo.record(failed);
    await repo.record({ ...failed, runAttempt: 2, conclusion: 'success', signature: undefined });
    const rows = await repo.forJob('acme/api', 'ci', 'test', NOW - 14 * DAY);
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => [r.runAttempt, r.conclusion, r.signature ?? null]).sort(), [[1, 'failure', 'test_assertion:1111111111111111'], [2, 'success', null]]);
    assert.equal(typeof rows[0]!.occurredAt, 'number');
    assert.equal(rows[0]!.isDefaultBranch, true);
  });

  it('answers flaky and broken-trunk questions from what it stored', async () => {
    const store = await freshStore(backend);
    const repo = new CiHistoryRepo(store.db, manualClock(NOW));
    const sig = 'test_assertion:2222222222222222';
    await repo.record(outcome({ runId: '10', conclusion: 'failure', signature: sig, occurredAt: NOW - 3 * DAY }));
    await repo.record(outcome({ runId: '11', conclusion: 'success', occurredAt: NOW - 2 * DAY }));
    await repo.record(outcome({ runId: '12', sha: 'bbbb', conclusion: 'failure', signature: sig, occurredAt: NOW - DAY }));
    await repo.record(outcome({ job: 'lint', runId: '12', conclusion: 'failure', signature: sig }));
    const current = { repo: 'acme/api', branch: 'feature', sha: 'cccc', workflow: 'ci', job: 'test', runId: '99', runAttempt: 1, signature: sig, occurredAt: NOW };
    const history = await repo.forJob('acme/api', 'ci', 'test', NOW - 14 * DAY);
    assert.equal(history.length, 3);
    assert.equal(decideFlaky(current, history, NOW).flaky, true);
    assert.equal(decideBrokenTrunk(current, 'main', history).brokenTrunk, true);
  });

  it('keeps history only for the window asked for, and prunes old rows', async () => {
    const store = await freshStore(backend);
    const repo = new CiHistoryRepo(store.db, manualClock(NOW));
    await repo.record(outcome({ runId: 'old', occurredAt: NOW - 40 * DAY }));
    await repo.record(outcome({ runId: 'new', occurredAt: NOW - DAY }));
    assert.deepEqual((await repo.forJob('acme/api', 'ci', 'test', NOW - 14 * DAY)).map((r) => r.runId), ['new']);
    assert.equal(await repo.prune(NOW - 30 * DAY), 1);
    assert.equal((await repo.forJob('acme/api', 'ci', 'test', 0)).length, 1);
  });

  it('stores confirmed diagnoses per repository, round-trips them, and replaces a re-confirmed failure', async () => {
    const store = await freshStore(backend);
    const clock = manualClock(NOW);
    const repo = new ConfirmedDiagnosisRepo(store.db, clock);
    await repo.add(example('acme/api', 'FAIL first'), { signature: 'test_assertion:a', source: 'reaction', confirmedBy: 'alice' });
    clock.advance(1000);
    await repo.add(example('acme/api', 'FAIL second'), { signature: 'test_assertion:b', source: 'command', confirmedBy: 'bob', logRef: 'run 7 job 9' });
    clock.advance(1000);
    await repo.add(example('acme/web', 'FAIL web'), { signature: 'test_assertion:a', source: 'reaction' });
    clock.advance(1000);
    await repo.add(example('acme/api', 'FAIL first, again'), { signature: 'test_assertion:a', source: 'command' });
    const api = await repo.forRepo('acme/api');
    assert.deepEqual(api.map((e) => e.spans[0]!.lines[0]), ['FAIL second', 'FAIL first, again']);
    assert.deepEqual(api[0], example('acme/api', 'FAIL second'));
    assert.equal(await repo.count('acme/api'), 2);
    assert.deepEqual((await repo.forRepo('acme/web')).map((e) => e.spans[0]!.lines[0]), ['FAIL web']);
    assert.deepEqual((await repo.forRepo('acme/api', 1)).map((e) => e.spans[0]!.lines[0]), ['FAIL first, again']);
  });

  it('refuses a stored example it cannot read, naming the row', async () => {
    const store = await freshStore(backend);
    await store.db.insertInto('ci_confirmed_diagnoses').values({ id: 'bad-row', repo: 'acme/api', signature: 's', category: null, source: 'cli', confirmed_by: null, log_ref: null, example: '{"repo":"acme/api","spans":[]}', created_at: NOW }).execute();
    await assert.rejects(new ConfirmedDiagnosisRepo(store.db, manualClock(NOW)).forRepo('acme/api'), /bad-row of acme\/api/);
  });
});
