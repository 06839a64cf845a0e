import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertmanagerAlertToSignal } from '../../../src/adapters/alerts/alertmanager.js';
import { queryToAlert, score, type EvalQuery } from '../../../src/knowledge/eval/retrieval-eval.js';

const query: EvalQuery = {
  id: 'q0',
  alertname: 'KubePodCrashLooping',
  labels: { alertname: 'KubePodCrashLooping', severity: 'warning', namespace: 'payments' },
  summary: 'Pod is crash looping.',
  description: 'Pod payments/api-7d9 (api) is in waiting state (reason: CrashLoopBackOff).',
  expected_runbook: 'alerts/KubePodCrashLooping.md',
};

describe('retrieval eval', () => {
  it('turns a query into the Alertmanager alert it describes; content-only removes the alert name', () => {
    const full = alertmanagerAlertToSignal(queryToAlert(query, 'full'));
    assert.equal(full.alertname, 'KubePodCrashLooping');
    assert.equal(full.summary, 'Pod is crash looping.');
    assert.equal(full.description, query.description);
    const content = alertmanagerAlertToSignal(queryToAlert(query, 'content-only'));
    assert.equal(content.alertname, undefined);
    assert.deepEqual(content.labels, { severity: 'warning', namespace: 'payments' });
    const onlyTopLevel = alertmanagerAlertToSignal(queryToAlert({ ...query, labels: { severity: 'warning' } }, 'full'));
    assert.equal(onlyTopLevel.alertname, 'KubePodCrashLooping');
  });

  it('scores hits, MRR and abstention; an abstention on an answerable query is a miss and a false abstention', () => {
    const metrics = score([
      { id: 'a', expected: 'x.md', abstained: false, rank: 1, top: 'x.md', ms: 10 },
      { id: 'b', expected: 'y.md', abstained: false, rank: 2, top: 'x.md', ms: 20 },
      { id: 'c', expected: 'z.md', abstained: true, rank: null, top: 'x.md', ms: 30 },
      { id: 'd', expected: 'w.md', abstained: false, rank: null, top: 'x.md', ms: 40 },
      { id: 'n1', expected: null, abstained: true, rank: null, top: 'x.md', ms: 50 },
      { id: 'n2', expected: null, abstained: false, rank: null, top: 'x.md', ms: 60 },
    ]);
    assert.deepEqual(metrics, { hit_at_1: 0.25, hit_at_3: 0.5, mrr: 0.375, abstain_accuracy: 0.5, false_abstain_rate: 0.25, p50_ms: 30, p95_ms: 60 });
  });

  it('reports no abstention accuracy when there are no no-runbook queries', () => {
    assert.equal(score([{ id: 'a', expected: 'x.md', abstained: false, rank: 1, top: 'x.md', ms: 1 }]).abstain_accuracy, null);
  });
});
