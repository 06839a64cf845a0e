import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Plan } from '../../../../src/domain/plan.js';
import { planFilePath, renderPlanFile } from '../../../../src/gitops/plan-file.js';
import { evaluateGate } from '../../../../src/pipeline/gate/evaluate.js';
import type { GateFacts } from '../../../../src/pipeline/gate/facts.js';
import { parseRepoConfig } from '../../../../src/config/repo-config/parse.js';
import { HEAD, OLD, alertPlan, gateFacts, githubPolicy, repoConfig, review } from '../../../support/github.js';

const options = { policy: githubPolicy() };
const judge = (overrides: Partial<GateFacts> = {}, plan?: Plan) => evaluateGate(gateFacts(overrides, plan), options);

function highRiskPlan(): Plan {
  const plan = alertPlan();
  return { ...plan, risk: 'high', actions: [{ ...plan.actions[0]!, risk: 'high' } as Plan['actions'][number], plan.actions[1]!] };
}

describe('gate: who counts', () => {
  it('passes with one approval on the head from a listed approver (medium risk needs 1)', () => {
    const result = judge({ reviews: [review('alice')] });
    assert.equal(result.pass, true, result.reasons.join('; '));
    assert.deepEqual(result.approvals.map((a) => [a.login, a.sha]), [['alice', HEAD]]);
    assert.equal(result.risk, 'medium');
    assert.equal(result.required, 1);
    assert.deepEqual(result.plan, { id: 'plan_a1', hash: result.plan!.hash, path: '.pitcrew/plans/plan_a1.yaml' });
    assert.match(result.summary, /^Approved 1\/1 \(medium risk\) on aaaaaaa by alice; plan [0-9a-f]{12}$/);
  });

  it('counts a member of an approver team', () => {
    assert.equal(judge({ reviews: [review('Carol')] }).pass, true);
  });

  it('fails with no approvals, saying how many are needed from whom', () => {
    const result = judge();
    assert.equal(result.pass, false);
    assert.match(result.reasons[0]!, /needs 1 approval \(medium risk\) from @alice, @bob, @acme\/sre on aaaaaaa; has 0/);
    assert.equal(result.summary, '0/1 approvals (medium risk) on aaaaaaa');
  });

  it('never counts the bot', () => {
    const result = judge({ reviews: [review('pitcrew[bot]', 'APPROVED', HEAD, 'Bot')] });
    assert.equal(result.pass, false);
    assert.deepEqual(result.ignored.map((i) => [i.login, i.reason]), [['pitcrew[bot]', 'bot']]);
    assert.match(result.summary, /not counted: pitcrew\[bot\] bot/);
  });

  it('never counts any other bot account, even one listed as an approver', () => {
    const result = judge({ reviews: [review('deploy-helper[bot]', 'APPROVED', HEAD, 'Bot')], config: { status: 'ok', config: repoConfig({ approvers: { low: ['deploy-helper[bot]'.replace('[bot]', '')] } }), path: '.github/pitcrew.yml', ref: 'c' } });
    assert.equal(result.pass, false);
    assert.equal(result.ignored[0]!.reason, 'bot');
  });

  it('never counts the PR author, even an approver', () => {
    const result = judge({ author: { login: 'alice', type: 'User' }, reviews: [review('alice')] });
    assert.equal(result.pass, false);
    assert.deepEqual(result.ignored.map((i) => [i.login, i.reason]), [['alice', 'author']]);
    assert.match(result.reasons[0]!, /alice is the PR author/);
  });

  it('never counts the proposer named in a commit trailer', () => {
    const commits = [{ sha: HEAD, authorLogin: 'pitcrew[bot]', committerLogin: 'pitcrew[bot]', message: 'pitcrew: fix\n\nPitcrew-Proposal: inc_42\nPitcrew-Proposed-By: bob' }];
    const result = judge({ commits, reviews: [review('BOB')] });
    assert.equal(result.pass, false);
    assert.equal(result.ignored[0]!.reason, 'proposer');
  });

  it('never counts someone who authored a commit on the PR', () => {
    const commits = [
      { sha: OLD, authorLogin: 'pitcrew[bot]', committerLogin: 'pitcrew[bot]', message: 'pitcrew: fix' },
      { sha: HEAD, authorLogin: 'alice', committerLogin: 'web-flow', message: 'tweak replicas' },
    ];
    const result = judge({ commits, reviews: [review('alice'), review('bob')] });
    assert.equal(result.pass, true);
    assert.deepEqual(result.approvals.map((a) => a.login), ['bob']);
    assert.deepEqual(result.ignored.map((i) => [i.login, i.reason]), [['alice', 'contributor']]);
  });

  it('never counts a reviewer who is not an allowed approver', () => {
    const result = judge({ reviews: [review('mallory')] });
    assert.equal(result.pass, false);
    assert.deepEqual(result.ignored.map((i) => [i.login, i.reason]), [['mallory', 'not_an_approver']]);
    assert.match(result.summary, /mallory not an approver/);
  });

  it('treats an approval on an earlier head as stale', () => {
    const result = judge({ reviews: [review('alice', 'APPROVED', OLD)] });
    assert.equal(result.pass, false);
    assert.deepEqual(result.ignored.map((i) => [i.login, i.reason, i.sha]), [['alice', 'stale', OLD]]);
    assert.match(result.reasons[0]!, /alice approved an older commit \(bbbbbbb\)/);
  });

  it('needs as many approvals as the risk requires, from the risk\'s approvers', () => {
    const plan = highRiskPlan();
    const one = judge({ reviews: [review('erin')] }, plan);
    assert.equal(one.pass, false);
    assert.equal(one.risk, 'high');
    assert.equal(one.required, 2);
    assert.match(one.summary, /^1\/2 approvals \(high risk\)/);
    const lowListOnly = judge({ reviews: [review('erin'), review('alice')] }, plan);
    assert.equal(lowListOnly.pass, false, 'alice approves low and medium, not high');
    assert.deepEqual(lowListOnly.ignored.map((i) => [i.login, i.reason]), [['alice', 'not_an_approver']]);
    assert.equal(judge({ reviews: [review('erin'), review('frank')] }, plan).pass, true);
  });

  it('uses the latest state-setting review of each reviewer', () => {
    assert.equal(judge({ reviews: [review('alice'), review('alice', 'COMMENTED')] }).pass, true, 'a comment does not withdraw an approval');
    const withdrawn = judge({ reviews: [review('alice'), review('alice', 'CHANGES_REQUESTED')] });
    assert.equal(withdrawn.pass, false);
    assert.match(withdrawn.reasons.join('; '), /changes requested by alice/);
    assert.equal(judge({ reviews: [review('alice', 'DISMISSED'), review('bob', 'APPROVED', OLD)] }).pass, false);
    assert.equal(judge({ reviews: [review('alice', 'APPROVED', OLD), review('alice', 'APPROVED', HEAD)] }).pass, true, 'approving again on the new head counts');
  });

  it('blocks on changes requested by an approver even when enough others approved', () => {
    const result = judge({ reviews: [review('alice'), review('carol', 'CHANGES_REQUESTED', OLD)] });
    assert.equal(result.pass, false);
    assert.match(result.summary, /^Changes requested by carol/);
    assert.equal(judge({ reviews: [review('alice'), review('mallory', 'CHANGES_REQUESTED')] }).pass, true, 'a non-approver cannot block');
  });

  it('says when a team\'s members cannot be read', () => {
    const result = judge({ reviews: [review('carol')], teams: { 'acme/sre': { error: 'the app lacks the organization members permission' } } });
    assert.equal(result.pass, false);
    assert.match(result.reasons[0]!, /cannot read the members of @acme\/sre \(the app lacks the organization members permission\)/);
  });
});

describe('gate: CODEOWNERS', () => {
  const codeowners = { path: '.github/CODEOWNERS', text: '* @acme/sre\n/k8s/ @acme/payments @zoe\n.pitcrew/\n' };
  const teams = { 'acme/sre': { members: ['carol'] }, 'acme/sre-leads': { members: ['erin'] }, 'acme/payments': { members: ['pat'] } };

  it('requires a code owner of every changed file to approve on the head', () => {
    const result = judge({ codeowners, teams, reviews: [review('alice')] });
    assert.equal(result.pass, false);
    assert.deepEqual(result.uncoveredCodeowners, [{ path: 'k8s/checkout-api.yaml', owners: ['acme/payments', 'zoe'] }]);
    assert.match(result.summary, /^Needs a code owner's approval for k8s\/checkout-api.yaml \(@acme\/payments or @zoe\)/);
  });

  it('passes when an owner approves, even one who is not an approver (the approver requirement is separate)', () => {
    const result = judge({ codeowners, teams, reviews: [review('alice'), review('pat')] });
    assert.equal(result.pass, true, result.reasons.join('; '));
    assert.deepEqual(result.approvals.map((a) => a.login), ['alice']);
  });

  it('does not accept a stale owner approval', () => {
    assert.equal(judge({ codeowners, teams, reviews: [review('alice'), review('zoe', 'APPROVED', OLD)] }).pass, false);
  });

  it('is ignored when the config turns it off', () => {
    const config = { status: 'ok' as const, config: repoConfig({ codeowners: false }), path: '.github/pitcrew.yml', ref: 'c' };
    assert.equal(judge({ codeowners, teams, config, reviews: [review('alice')] }).pass, true);
  });
});

describe('gate: the plan and the configuration', () => {
  it('passes a PR without a plan file: it runs nothing', () => {
    const result = judge({ planFiles: [], headRef: 'bob/readme', files: [{ path: 'README.md', status: 'modified' }] });
    assert.equal(result.pass, true);
    assert.equal(result.plan, null);
    assert.equal(result.summary, 'No pitcrew plan in this PR: nothing runs on merge');
  });

  it('fails a pitcrew fix branch whose plan file was removed', () => {
    const result = judge({ planFiles: [], files: [{ path: 'k8s/checkout-api.yaml', status: 'modified' }] });
    assert.equal(result.pass, false);
    assert.match(result.reasons[0]!, /is a pitcrew fix branch but carries no plan file/);
  });

  it('fails when the plan file was edited after it was written (hash no longer matches)', () => {
    const plan = alertPlan();
    const edited = renderPlanFile(plan).replace('replicas\n', 'replicas\n').replace(/value: 8/, 'value: 80');
    assert.notEqual(edited, renderPlanFile(plan));
    const result = judge({ planFiles: [{ path: planFilePath(plan.id), content: edited }], reviews: [review('alice')] });
    assert.equal(result.pass, false);
    assert.match(result.reasons[0]!, /was edited: its planHash does not match the plan/);
  });

  it('recomputes the risk: a plan file that claims low risk for medium actions still needs medium approvers', () => {
    const plan = { ...alertPlan(), risk: 'low' as const };
    const config = { status: 'ok' as const, config: repoConfig({ approvers: { low: ['alice'], medium: ['carol'] } }), path: '.github/pitcrew.yml', ref: 'c' };
    const result = judge({ config, reviews: [review('alice')], planFiles: [{ path: planFilePath(plan.id), content: renderPlanFile(plan) }] }, plan);
    assert.equal(result.risk, 'medium');
    assert.equal(result.pass, false);
  });

  it('fails a PR that carries two plans', () => {
    const second = alertPlan({ planId: 'plan_b2' });
    const result = judge({ planFiles: [...gateFacts().planFiles, { path: planFilePath(second.id), content: renderPlanFile(second) }], reviews: [review('alice')] });
    assert.match(result.reasons[0]!, /carries 2 plan files/);
  });

  it('fails a PR that also changes the gate configuration', () => {
    for (const path of ['.github/pitcrew.yml', '.github/CODEOWNERS', 'CODEOWNERS']) {
      const result = judge({ files: [...gateFacts().files, { path, status: 'modified' }], reviews: [review('alice')] });
      assert.match(result.reasons[0]!, new RegExp(`changes ${path.replace(/\./g, '\\.')}; change the gate's configuration in a separate PR`));
    }
  });

  it('fails when the config is missing or broken, naming the line', () => {
    assert.match(judge({ config: { status: 'missing', path: '.github/pitcrew.yml', ref: 'c' }, reviews: [review('alice')] }).reasons[0]!, /\.github\/pitcrew\.yml is missing on main/);
    const parsed = parseRepoConfig('approvers:\n  low: [alice]\nrequiredApprovals:\n  medium: one\n');
    assert.equal(parsed.ok, false);
    const result = judge({ config: { status: 'invalid', problems: parsed.ok ? [] : parsed.problems, path: '.github/pitcrew.yml', ref: 'c' }, reviews: [review('alice')] });
    assert.equal(result.pass, false);
    assert.match(result.summary, /^\.github\/pitcrew\.yml on main is invalid \(line 4: requiredApprovals\.medium is "one"/);
  });

  it('fails a PR that targets another branch, or is a draft', () => {
    assert.match(judge({ baseRef: 'release', reviews: [review('alice')] }).reasons[0]!, /targets release; plans run only from the default branch main/);
    assert.match(judge({ draft: true, reviews: [review('alice')] }).reasons[0]!, /draft/);
  });

  it('applies the repository policy on top of the operator policy', () => {
    const config = { status: 'ok' as const, config: repoConfig({ policy: { actions: ['gitops.patch', 'notify'], repos: ['acme/deploy'] } }), path: '.github/pitcrew.yml', ref: 'c' };
    const result = judge({ config, reviews: [review('alice')] });
    assert.equal(result.pass, false);
    assert.match(result.reasons[0]!, /the policy in \.github\/pitcrew\.yml rejects the plan: action 1 \(kubernetes\.rollout_restart payments\/deployment\/checkout-api\): the kind kubernetes\.rollout_restart is not allowed/);
  });

  it('fails when no approvers are named for the risk or below', () => {
    const config = { status: 'ok' as const, config: repoConfig({ approvers: { high: ['erin'] } }), path: '.github/pitcrew.yml', ref: 'c' };
    assert.match(judge({ config, reviews: [review('erin')] }).reasons[0]!, /names no approvers for medium risk/);
  });

  it('keeps the status line within GitHub\'s 140 characters', () => {
    const reviews = Array.from({ length: 30 }, (_, i) => review(`reviewer-with-a-long-name-${i}`));
    const result = judge({ reviews });
    assert.ok(result.summary.length <= 140, result.summary);
    assert.match(result.summary, /…$/);
  });
});
