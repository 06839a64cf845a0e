import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideBrokenTrunk, decideFlaky, type CurrentFailure, type JobOutcome } from '../../../src/diagnosis/history.js';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 2, 10);
const SIG = 'test_assertion:aaaaaaaaaaaaaaaa';

const current: CurrentFailure = { repo: 'acme/api', branch: 'feature/x', sha: 'f00d', workflow: 'ci', job: 'test', runId: '500', runAttempt: 1, signature: SIG, occurredAt: NOW };

function outcome(partial: Partial<JobOutcome>): JobOutcome {
  return { repo: 'acme/api', branch: 'main', isDefaultBranch: true, sha: 'aaaa', workflow: 'ci', job: 'test', runId: String(Math.random()), runAttempt: 1, conclusion: 'success', occurredAt: NOW - DAY, ...partial };
}

describe('decideFlaky', () => {
  it('is flaky when a re-run of the same job passed on the same commit', () => {
    const decision = decideFlaky(current, [outcome({ branch: 'feature/x', isDefaultBranch: false, sha: 'f00d', runId: '500', runAttempt: 2, conclusion: 'success', occurredAt: NOW + 1000 })], NOW);
    assert.equal(decision.flaky, true);
    assert.equal(decision.passedOnRerun, true);
    assert.match(decision.reasons[0]!, /attempt 2 of this run passed on the same commit/);
  });

  it('is flaky when the same failure came and went on the default branch recently', () => {
    const history = [
      outcome({ conclusion: 'failure', signature: SIG, occurredAt: NOW - 3 * DAY }),
      outcome({ conclusion: 'success', occurredAt: NOW - 2 * DAY }),
      outcome({ conclusion: 'failure', signature: SIG, occurredAt: NOW - DAY }),
    ];
    const decision = decideFlaky(current, history, NOW);
    assert.equal(decision.flaky, true);
    assert.equal(decision.defaultBranchFailures, 2);
    assert.match(decision.reasons.join(), /hit the default branch 2 times in the last 14 days/);
  });

  it('is not flaky when the default branch fails every time (that is a broken trunk)', () => {
    const history = [outcome({ conclusion: 'failure', signature: SIG, occurredAt: NOW - 2 * DAY }), outcome({ conclusion: 'failure', signature: SIG, occurredAt: NOW - DAY })];
    assert.equal(decideFlaky(current, history, NOW).flaky, false);
  });

  it('ignores old failures, other signatures, other jobs and other repositories', () => {
    const history = [
      outcome({ conclusion: 'failure', signature: SIG, occurredAt: NOW - 40 * DAY }),
      outcome({ conclusion: 'success', occurredAt: NOW - 39 * DAY }),
      outcome({ conclusion: 'failure', signature: 'test_assertion:bbbbbbbbbbbbbbbb', occurredAt: NOW - 2 * DAY }),
      outcome({ conclusion: 'success', occurredAt: NOW - DAY }),
      outcome({ job: 'lint', conclusion: 'failure', signature: SIG, occurredAt: NOW - 2 * DAY }),
      outcome({ repo: 'acme/web', conclusion: 'failure', signature: SIG, occurredAt: NOW - 2 * DAY }),
      outcome({ branch: 'feature/x', isDefaultBranch: false, sha: 'other', conclusion: 'success', occurredAt: NOW - 3 * DAY }),
    ];
    const decision = decideFlaky(current, history, NOW);
    assert.deepEqual([decision.flaky, decision.defaultBranchFailures, decision.passedOnRerun], [false, 0, false]);
  });

  it('does not count the current attempt as its own re-run', () => {
    assert.equal(decideFlaky(current, [outcome({ branch: 'feature/x', sha: 'f00d', runId: '500', runAttempt: 1, conclusion: 'success' })], NOW).flaky, false);
  });
});

describe('decideBrokenTrunk', () => {
  it('says the trunk is broken when the base branch last failed the same way', () => {
    const history = [outcome({ conclusion: 'success', occurredAt: NOW - 3 * DAY }), outcome({ sha: 'beefcafe', runId: '77', conclusion: 'failure', signature: SIG, occurredAt: NOW - DAY })];
    const decision = decideBrokenTrunk(current, 'main', history);
    assert.equal(decision.brokenTrunk, true);
    assert.match(decision.reasons[0]!, /main fails the same way \(run 77 on beefcaf\)/);
  });

  it('is not broken when the base branch has passed since', () => {
    const history = [outcome({ conclusion: 'failure', signature: SIG, occurredAt: NOW - 3 * DAY }), outcome({ conclusion: 'success', occurredAt: NOW - DAY })];
    assert.equal(decideBrokenTrunk(current, 'main', history).brokenTrunk, false);
  });

  it('notes a base branch that fails differently, without blaming it', () => {
    const decision = decideBrokenTrunk(current, 'main', [outcome({ conclusion: 'failure', signature: 'lint_error:cccccccccccccccc' })]);
    assert.deepEqual([decision.brokenTrunk, decision.baseFailsDifferently], [false, true]);
  });

  it('knows nothing without base history', () => {
    assert.deepEqual(decideBrokenTrunk(current, 'main', []), { brokenTrunk: false, baseFailsDifferently: false, reasons: [] });
  });
});
