import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planHash, type Plan } from '../../../../src/domain/plan.js';
import { forbiddenPatchPath, prepareProposal, proposalCommitMessage, readProposalTrailers } from '../../../../src/pipeline/propose/prepare.js';
import { alertPlan, githubPolicy, repoConfig } from '../../../support/github.js';

const withPatchTo = (path: string, repo = 'acme/deploy'): Plan => {
  const plan = alertPlan();
  return { ...plan, actions: [plan.actions[0]!, { kind: 'gitops.patch', repo, path, set: [{ path: 'a', value: 1 }] }] };
};

describe('preparing a proposal', () => {
  it('keys it by incident, pins the hash and collects the patches', () => {
    const prepared = prepareProposal({ repo: 'acme/deploy', plan: alertPlan() }, githubPolicy(), null);
    assert.equal(prepared.key, 'inc_42');
    assert.equal(prepared.hash, planHash(alertPlan()));
    assert.equal(prepared.planPath, '.pitcrew/plans/plan_a1.yaml');
    assert.deepEqual(prepared.patches.map((p) => p.path), ['k8s/checkout-api.yaml']);
    assert.equal(prepared.risk, 'medium');
  });

  it('refuses patches to another repository, to the gate\'s own files, to plans and to workflows', () => {
    assert.throws(() => prepareProposal({ repo: 'acme/api', plan: alertPlan() }, githubPolicy(), null), /patches acme\/deploy:k8s\/checkout-api\.yaml, but the fix PR is in acme\/api/);
    for (const path of ['.github/pitcrew.yml', 'CODEOWNERS', '.pitcrew/plans/plan_x.yaml', '.github/workflows/deploy.yml']) {
      assert.throws(() => prepareProposal({ repo: 'acme/deploy', plan: withPatchTo(path) }, githubPolicy(), null), (error: Error) => error.message.includes(`patches ${path}, which a fix PR may not change`));
    }
    assert.equal(forbiddenPatchPath('k8s/app.yaml'), null);
  });

  it('refuses a plan without a key, without actions, or one a policy rejects', () => {
    assert.throws(() => prepareProposal({ repo: 'acme/deploy', plan: { ...alertPlan(), incidentId: undefined } }, githubPolicy(), null), /has no incidentId and no key was given/);
    assert.equal(prepareProposal({ repo: 'acme/deploy', plan: { ...alertPlan(), incidentId: undefined }, key: 'revert-inc_42' }, githubPolicy(), null).key, 'revert-inc_42');
    assert.throws(() => prepareProposal({ repo: 'acme/deploy', plan: { ...alertPlan(), actions: [] } }, githubPolicy(), null), /holds no actions/);
    const narrow = repoConfig({ policy: { actions: ['gitops.patch'], repos: ['acme/deploy'] } });
    assert.throws(() => prepareProposal({ repo: 'acme/deploy', plan: alertPlan() }, githubPolicy(), narrow), /not allowed by \.github\/pitcrew\.yml in acme\/deploy: action 1/);
    assert.throws(() => prepareProposal({ repo: 'not a repo', plan: alertPlan() }, githubPolicy(), null), /must be "owner\/name"/);
  });

  it('marks its commit with trailers only pitcrew writes', () => {
    const prepared = prepareProposal({ repo: 'acme/deploy', plan: alertPlan() }, githubPolicy(), null);
    const message = proposalCommitMessage(prepared, 'alice');
    assert.match(message, /^pitcrew: HighErrorRate on checkout-api: checkout-api 5xx rate above …\n\nPlan plan_a1 \(medium risk\) for incident inc_42\.\n/);
    assert.match(message, /\nPitcrew-Proposal: inc_42\nPitcrew-Plan: plan_a1@sha256:[0-9a-f]{64}\nPitcrew-Proposed-By: alice$/);
    assert.deepEqual(readProposalTrailers(message, 'inc_42'), { ours: true, plan: `plan_a1@${prepared.hash}` });
    assert.equal(readProposalTrailers(message, 'inc_4').ours, false);
    assert.equal(readProposalTrailers('tweak replicas', 'inc_42').ours, false);
  });
});
