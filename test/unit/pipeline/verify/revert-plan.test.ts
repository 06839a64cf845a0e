import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planHash } from '../../../../src/domain/plan.js';
import { applyGitopsPatch } from '../../../../src/gitops/patch.js';
import { buildRevertPlan, isRevertPlanId, revertProposalKey } from '../../../../src/pipeline/verify/revert-plan.js';
import { alertPlan, DEPLOYMENT_YAML } from '../../../support/github.js';

const context = { repo: 'acme/deploy', prNumber: 3, prUrl: 'https://github.example/acme/deploy/pull/3', mergeSha: 'a'.repeat(40), decidedAt: Date.UTC(2026, 0, 1, 13) };

describe('revert plan', () => {
  const plan = alertPlan();
  const after = applyGitopsPatch(DEPLOYMENT_YAML, plan.actions.find((a) => a.kind === 'gitops.patch') as never);

  it('restores each patched file to its content before the merge, and keeps later edits elsewhere in it', () => {
    const result = buildRevertPlan({ plan, planHash: planHash(plan), files: [{ path: 'k8s/checkout-api.yaml', before: DEPLOYMENT_YAML, after }] }, context);
    assert.ok(result.ok);
    if (!result.ok) return;
    const patch = result.plan.actions[0]!;
    assert.equal(patch.kind, 'gitops.patch');
    assert.equal(applyGitopsPatch(after, patch as never), DEPLOYMENT_YAML);
    const editedLater = `${after}# a later, unrelated line\n`;
    assert.equal(applyGitopsPatch(editedLater, patch as never), `${DEPLOYMENT_YAML}# a later, unrelated line\n`);
  });

  it('turns what git cannot undo into human steps, and is the same plan when built again', () => {
    const input = { plan, planHash: planHash(plan), files: [{ path: 'k8s/checkout-api.yaml', before: DEPLOYMENT_YAML, after }] };
    const first = buildRevertPlan(input, context);
    const again = buildRevertPlan(input, context);
    assert.ok(first.ok && again.ok);
    if (!first.ok || !again.ok) return;
    assert.deepEqual(first.plan.actions.map((a) => a.kind), ['gitops.patch', 'notify']);
    assert.match((first.plan.actions[1] as { message: string }).message, /kubectl rollout undo deployment\/checkout-api/);
    assert.equal(planHash(first.plan), planHash(again.plan), 'a retried deadline proposes the identical plan');
    assert.ok(isRevertPlanId(first.plan.id));
    assert.equal(first.plan.incidentId, plan.incidentId);
    assert.equal(first.plan.signal.fingerprint, plan.signal.fingerprint);
    assert.equal(revertProposalKey(plan.id), 'revert_plan_a1');
  });

  it('a plan that changed no file gives human steps, not an empty PR', () => {
    const result = buildRevertPlan({ plan, planHash: planHash(plan), files: [{ path: 'k8s/checkout-api.yaml', before: after, after }] }, context);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.reason, /changed no file pitcrew can revert/);
    assert.equal(result.humanSteps.length, 1);
  });
});
