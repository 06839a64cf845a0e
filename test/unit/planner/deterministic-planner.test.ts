import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHumanOnly } from '../../../src/domain/plan.js';
import { planDeterministically } from '../../../src/planner/deterministic-planner.js';
import { context, policy, runbook, signal } from '../../support/planning.js';

const frame = (overrides: Parameters<typeof context>[0] = {}, p = policy()) => ({ planId: 'plan_t1', now: Date.UTC(2026, 0, 1), context: context(overrides), policy: p });

describe('deterministic planner', () => {
  it('plans from the top runbook, its template and the evidence', () => {
    const { plan, verdict } = planDeterministically(frame());
    assert.equal(verdict.allowed, true);
    assert.deepEqual(plan.actions.map((a) => a.kind), ['kubernetes.rollout_restart', 'kubernetes.scale']);
    assert.deepEqual(plan.actions[1], { kind: 'kubernetes.scale', namespace: 'payments', name: 'checkout-api', replicas: 6, resource: 'deployment', risk: 'medium' });
    assert.equal(plan.risk, 'medium');
    assert.equal(plan.summary, 'HighErrorRate on checkout-api: checkout-api 5xx rate above 5% for 10m');
    assert.match(plan.probableCause, /Matches runbook "High error rate › Mitigation" \(runbooks\/high-error-rate.md; alertname HighErrorRate is declared in front matter; score 0.82\)\. A bad deploy is the usual cause/);
    assert.match(plan.probableCause, /INC-42.*rollout restart of checkout-api/);
    assert.deepEqual(plan.confidence, { score: 1, level: 'high', basis: 'top runbook score 0.82 (alertname), exact route +0.15, similar incident 0.7 +0.07' });
    assert.deepEqual(plan.evidence.map((e) => [e.kind, e.score]), [['alert', undefined], ['runbook', 0.82], ['incident', 0.7]]);
    assert.equal(plan.rollback.length, 2);
    assert.equal(plan.verification.windowSeconds, 900);
    assert.deepEqual(plan.planner, { kind: 'deterministic' });
    assert.deepEqual(plan.notes, []);
  });

  it('is deterministic: same input, same plan', () => {
    assert.deepEqual(planDeterministically(frame()).plan, planDeterministically(frame()).plan);
  });

  it('derives a lower confidence from weaker retrieval', () => {
    const { plan } = planDeterministically(frame({ runbooks: [runbook({ score: 0.55, matchedBy: 'hybrid' }), runbook({ path: 'runbooks/other.md', id: 'o', score: 0.53 })], similarIncidents: [] }));
    assert.deepEqual([plan.confidence.score, plan.confidence.level], [0.45, 'low']);
    assert.match(plan.confidence.basis, /runner-up runbooks\/other.md within 0.05/);
  });

  it('abstains with human steps only, and says so', () => {
    const { plan } = planDeterministically(frame({ runbooks: [], retrieval: { abstained: true, topScore: 0.2, threshold: 0.35, reason: 'nothing scored above 0.35' } }));
    assert.ok(isHumanOnly(plan));
    assert.equal(plan.risk, 'low');
    assert.deepEqual(plan.confidence, { score: 0, level: 'none', basis: 'nothing scored above 0.35 (top score 0.2 below threshold 0.35)' });
    assert.match(plan.notes[0]!, /No runbook matched: this plan holds human steps only/);
    assert.match((plan.actions[0] as { message: string }).message, /No runbook matched this alert/);
    assert.match((plan.actions[1] as { message: string }).message, /INC-42/);
    assert.equal(plan.runbook, undefined);
  });

  it('turns an unknown placeholder into a human-only plan whose note names it', () => {
    const { plan, rejected } = planDeterministically(frame({ runbooks: [runbook({ remediation: [{ kind: 'kubernetes.rollout_restart', namespace: '{{labels.namespace}}', name: '{{labels.app}}' }] })] }));
    assert.ok(isHumanOnly(plan));
    assert.match(plan.notes.join('\n'), /placeholder \{\{labels.app\}\}: the alert has no label "app"/);
    assert.match(rejected!.reasons[0]!, /labels.app/);
  });

  it('turns a policy rejection into a human-only plan that lists the reasons', () => {
    const { plan, rejected } = planDeterministically(frame({ signal: signal({ labels: { ...signal().labels, namespace: 'billing' } }) }));
    assert.ok(isHumanOnly(plan));
    assert.match(plan.notes.join('\n'), /namespace billing in the default cluster, which is not in the policy's kubernetes.targets/);
    assert.equal(rejected!.actions.length, 2);
  });

  it('fills the policy default repo and applies the runbook risk floor', () => {
    const { plan } = planDeterministically(frame({ runbooks: [runbook({ risk: 'high', remediation: [{ kind: 'gitops.patch', path: 'apps/{{labels.deployment}}/values.yaml', set: [{ path: 'replicaCount', value: 8 }] }] })] }));
    assert.deepEqual(plan.actions[0], { kind: 'gitops.patch', repo: 'acme/deploy', path: 'apps/checkout-api/values.yaml', set: [{ path: 'replicaCount', value: 8 }], risk: 'high' });
    assert.equal(plan.risk, 'high');
  });

  it('keeps a runbook without remediation as a human step pointing at it', () => {
    const { plan } = planDeterministically(frame({ runbooks: [runbook({ remediation: [] })] }));
    assert.ok(isHumanOnly(plan));
    assert.match((plan.actions[0] as { message: string }).message, /Follow runbook High error rate \(runbooks\/high-error-rate.md § Mitigation\) by hand/);
  });

  it('strips links and invisible characters that came in with the alert', () => {
    const s = signal({ summary: 'Errors \u202Espiking\u202C — see [the fix](https://evil.example/steal) or https://evil.example/x and https://prometheus.example.com/graph' });
    const { plan } = planDeterministically(frame({ signal: s }));
    assert.equal(plan.summary, 'HighErrorRate on checkout-api: Errors spiking — see the fix or [link removed] and https://prometheus.example.com/graph');
    assert.ok(!JSON.stringify(plan).includes('evil.example'));
  });
});
