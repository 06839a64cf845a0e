import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { ExecutionRecord } from '../../../src/domain/execution.js';
import { ExecutionJournal } from '../../../src/store/execution-journal.js';
import { breakerReader, describeBreakers, remediationLookup, storeExecutionReader } from '../../../src/store/execution-readers.js';
import { openStore } from '../../../src/store/store.js';
import { describeOnBackends, freshStoreConfig } from '../../support/databases.js';

/** The read side of the journal that the handoff, `/pitcrew status` and the MTTR metric use. */
const T0 = Date.UTC(2026, 2, 8, 6);
const HOUR = 3_600_000;

function record(planId: string, outcome: ExecutionRecord['outcome'], executedAt: number): ExecutionRecord {
  return {
    repo: 'acme/deploy', prNumber: 7, prUrl: 'https://github.example/acme/deploy/pull/7', planId, planHash: 'sha256:x', incidentId: 'inc_1',
    mergeSha: `${planId}`.padEnd(40, 'm'), headSha: 'h'.repeat(40), proposedBy: 'pitcrew', approvals: [{ login: 'carol', sha: 'h'.repeat(40) }],
    mergedBy: 'bob', executedAt, outcome, reason: outcome === 'failed' ? 'kubernetes.scale failed: 403' : null,
    actions: [{ index: 0, type: 'kubernetes.scale', idempotencyKey: `${planId}:m:0`, outcome: outcome === 'failed' ? 'failed' : 'succeeded', detail: 'payments-api 2 → 4 replicas' }],
    evidenceDigest: 'sha256:e',
  };
}

describeOnBackends('execution readers', (backend) => {
  it('lists executions finished in the window with their verification, and says whether an incident was remediated', async () => {
    const store = await openStore(await freshStoreConfig(backend));
    after(() => store.close());
    const journal = new ExecutionJournal(store);
    const runs: Array<[string, ExecutionRecord['outcome'], number]> = [['plan_early', 'succeeded', T0 - HOUR], ['plan_ok', 'succeeded', T0 + HOUR], ['plan_bad', 'failed', T0 + 2 * HOUR]];
    for (const [planId, outcome, at] of runs) {
      const rec = record(planId, outcome, at);
      assert.ok(await journal.claim({ id: `exe_${planId}`, repo: rec.repo, prNumber: rec.prNumber, mergeSha: rec.mergeSha, headSha: rec.headSha, planId, planHash: rec.planHash, incidentId: `inc_${planId.slice(5)}`, context: '{}' }, 'me', at, 60_000));
      await journal.update(`exe_${planId}`, 'me', { state: outcome, record: JSON.stringify(rec), finished_at: at }, at);
    }
    await store.db.insertInto('verifications').values({
      id: 'plan_ok@m', repo: 'acme/deploy', pr_number: 7, plan_id: 'plan_ok', merge_sha: record('plan_ok', 'succeeded', 0).mergeSha, incident_id: 'inc_ok',
      signal_source: 'alertmanager', signal_fingerprint: 'fp', executed_at: T0 + HOUR, deadline_at: T0 + HOUR + 900_000, state: 'cleared', detail: '{}',
      revert_pr: null, revert_url: null, outcome_note: 'cleared 6 min after the change', created_at: T0 + HOUR, updated_at: T0 + HOUR + 360_000,
    }).execute();

    const items = await storeExecutionReader(store.db).executedBetween({ from: T0, to: T0 + 12 * HOUR });
    assert.deepEqual(items.map((item) => [item.planId, item.outcome, item.verification.status]), [['plan_ok', 'succeeded', 'verified'], ['plan_bad', 'failed', 'skipped']]);
    assert.equal(items[0]!.verification.detail, 'cleared 6 min after the change');
    assert.deepEqual(items[1]!.actions, [{ type: 'kubernetes.scale', outcome: 'failed', detail: 'payments-api 2 → 4 replicas' }]);

    const remediated = remediationLookup(store.db);
    assert.equal(await remediated('inc_ok'), true);
    assert.equal(await remediated('inc_bad'), false, 'a failed execution is not a remediation');
    assert.equal(await remediated('inc_none'), false);
  });
});

it('one breaker state across repositories: open when any is, naming them and how to reset', async () => {
  const closed = breakerReader({ all: async () => [{ repo: 'acme/a', open: false, openedAt: null, resetAt: T0, resetBy: 'cli:alice' }] });
  assert.deepEqual(await closed.state(), { state: 'closed', since: T0, reason: null });
  const mixed = { all: async () => [{ repo: 'acme/a', open: false, openedAt: null, resetAt: null, resetBy: null }, { repo: 'acme/b', open: true, openedAt: T0 + HOUR, resetAt: null, resetBy: null }] };
  const open = await breakerReader(mixed).state();
  assert.equal(open.state, 'open');
  assert.equal(open.since, T0 + HOUR);
  assert.match(open.reason!, /acme\/b.*pitcrew breaker reset/);
  assert.match(await describeBreakers(mixed), /^open: open for acme\/b/);
});
