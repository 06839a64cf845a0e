import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Plan } from '../../../src/domain/plan.js';
import { planHash } from '../../../src/domain/plan.js';
import { planFilePath, renderPlanFile } from '../../../src/gitops/plan-file.js';
import { recheckGate } from '../../../src/pipeline/gate/run.js';
import type { GitHubSessionError } from '../../../src/sandbox/index.js';
import { alertPlan, githubPolicy } from '../../support/github.js';
import { BOT, REPO, pitcrewOnFake, type PitcrewOnFake } from '../../support/github-app.js';

/** pitcrew proposes the plan; returns the PR number and its head. */
async function proposed(env: PitcrewOnFake, plan: Plan = alertPlan(), proposedBy?: string) {
  const outcome = await env.github.forge.propose({ repo: REPO, plan, ...(proposedBy ? { proposedBy } : {}) });
  if (outcome.status !== 'opened') throw new Error(`expected a new PR, got ${outcome.status}`);
  await env.fake.settled();
  return { number: outcome.number, head: outcome.headSha, branch: outcome.branch };
}

function highRisk(): Plan {
  const plan = alertPlan();
  return { ...plan, risk: 'high', actions: [{ ...plan.actions[0]!, risk: 'high' } as Plan['actions'][number], plan.actions[1]!] };
}

const approve = async (env: PitcrewOnFake, login: string, number: number) => {
  await env.fake.as(login).approve(REPO, number);
  await env.fake.settled();
};

describe('the pitcrew/gate status follows the reviews (webhooks from the fake, real Probot)', () => {
  it('fails on a new PR, then passes on a valid approval from a team member', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env);
    assert.deepEqual(env.gate(pr.head), { state: 'failure', description: '0/1 approvals (medium risk) on ' + pr.head.slice(0, 7), targetUrl: env.gate(pr.head)!.targetUrl });
    await approve(env, 'carol', pr.number);
    const status = env.gate(pr.head)!;
    assert.equal(status.state, 'success');
    assert.match(status.description, new RegExp(`^Approved 1/1 \\(medium risk\\) on ${pr.head.slice(0, 7)} by carol; plan [0-9a-f]{12}$`));
    assert.equal(status.targetUrl, `${env.fake.url}/acme/deploy/blob/${pr.head}/.pitcrew/plans/plan_a1.yaml#pitcrew-plan=${planHash(alertPlan())}`);
    const pinned = await env.github.forge.readPinnedGate(REPO, pr.head);
    assert.deepEqual({ state: pinned?.state, planId: pinned?.planId, planHash: pinned?.planHash }, { state: 'success', planId: 'plan_a1', planHash: planHash(alertPlan()) });
  });

  it('ignores an approval by a bot', async () => {
    const env = await pitcrewOnFake();
    // A human opens a plan PR (pitcrew cannot approve its own); the pitcrew app then approves it.
    const plan = alertPlan({ planId: 'plan_h1' });
    await env.fake.as('bob').push(REPO, 'bob/fix', { [planFilePath(plan.id)]: renderPlanFile(plan) }, 'plan by hand');
    const { number, head } = await env.fake.as('bob').openPullRequest(REPO, { title: 'hand-written plan', head: 'bob/fix' });
    await env.fake.settled();
    const client = await env.github.forge.client(REPO);
    await client.octokit.rest.pulls.createReview({ owner: 'acme', repo: 'deploy', pull_number: number, event: 'APPROVE' });
    await env.fake.settled();
    assert.equal(env.fake.reviews(REPO, number).at(-1)!.user, BOT);
    assert.equal(env.gate(head.sha)!.state, 'failure');
    assert.match(env.gate(head.sha)!.description, /not counted: pitcrew\[bot\] bot/);
  });

  it('ignores the author: GitHub refuses the approval and the gate stays failed', async () => {
    const env = await pitcrewOnFake();
    const plan = alertPlan({ planId: 'plan_h2' });
    await env.fake.as('bob').push(REPO, 'bob/fix', { [planFilePath(plan.id)]: renderPlanFile(plan) }, 'plan by hand');
    const { number, head } = await env.fake.as('bob').openPullRequest(REPO, { title: 'hand-written plan', head: 'bob/fix' });
    await assert.rejects(env.fake.as('bob').approve(REPO, number), (error: GitHubSessionError) => error.status === 422);
    await approve(env, 'mallory', number);
    assert.equal(env.gate(head.sha)!.state, 'failure');
  });

  it('ignores the proposer, even one who is an approver', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env, alertPlan(), 'carol');
    await approve(env, 'carol', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'failure');
    assert.match(env.gate(pr.head)!.description, /not counted: carol proposer/);
    await approve(env, 'dave', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'success');
  });

  it('ignores a non-approver', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env);
    await approve(env, 'mallory', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'failure');
    assert.equal(env.gate(pr.head)!.description, `0/1 approvals (medium risk) on ${pr.head.slice(0, 7)}; not counted: mallory not an approver`);
  });

  it('makes an approval stale when a commit is pushed, and counts a fresh one on the new head', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env);
    await approve(env, 'carol', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'success');
    const pushed = await env.fake.as('bob').push(REPO, pr.branch, { 'k8s/checkout-api.yaml': 'replicas: 12\n' }, 'more replicas');
    await env.fake.settled();
    assert.equal(env.gate(pushed)!.state, 'failure');
    assert.match(env.gate(pushed)!.description, /not counted: carol stale/);
    await approve(env, 'dave', pr.number);
    assert.equal(env.gate(pushed)!.state, 'success');
  });

  it('needs as many approvals as the risk requires', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env, highRisk());
    await approve(env, 'erin', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'failure');
    assert.match(env.gate(pr.head)!.description, /^1\/2 approvals \(high risk\)/);
    await approve(env, 'carol', pr.number);
    assert.match(env.gate(pr.head)!.description, /^1\/2 approvals \(high risk\).*carol not an approver/, 'medium approvers do not count for high risk');
    await approve(env, 'frank', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'success');
    assert.deepEqual(env.fake.pulls(REPO)[0]!.labels.sort(), ['pitcrew', 'risk:high']);
  });

  it('honours CODEOWNERS when configured', async () => {
    const env = await pitcrewOnFake({ files: { '.github/CODEOWNERS': '/k8s/ @acme/payments\n' } });
    const pr = await proposed(env);
    await approve(env, 'carol', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'failure');
    assert.match(env.gate(pr.head)!.description, /^Needs a code owner's approval for k8s\/checkout-api\.yaml \(@acme\/payments\)/);
    await approve(env, 'pat', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'success');
  });

  it('fails when the plan file is edited after approval, even with its hash updated', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env);
    await approve(env, 'carol', pr.number);
    const tampered = { ...alertPlan(), actions: [alertPlan().actions[0]!, { kind: 'gitops.patch' as const, repo: REPO, path: 'k8s/checkout-api.yaml', set: [{ path: 'spec.replicas', value: 0 }] }] };
    const head = await env.fake.as('mallory').push(REPO, pr.branch, { [planFilePath('plan_a1')]: renderPlanFile(tampered) }, 'scale to zero');
    await env.fake.settled();
    assert.equal(env.gate(head)!.state, 'failure');
    const unhashed = await env.fake.as('mallory').push(REPO, pr.branch, { [planFilePath('plan_a1')]: renderPlanFile(alertPlan()).replace('value: 8', 'value: 0') }, 'scale to zero, quietly');
    await env.fake.settled();
    assert.match(env.gate(unhashed)!.description, /was edited: its planHash does not match the plan/);
  });

  it('re-checks the live PR for the executor: head, plan hash and pinned status must all agree', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env);
    await approve(env, 'carol', pr.number);
    const io = { read: (ref: { repo: string; number: number }) => env.github.forge.readGateFacts(ref), readPinned: (repo: string, sha: string) => env.github.forge.readPinnedGate(repo, sha) };
    const good = await recheckGate({ repo: REPO, number: pr.number }, io, { policy: githubPolicy() }, { headSha: pr.head, planHash: planHash(alertPlan()) });
    assert.deepEqual([good.ok, good.reasons], [true, []]);
    const otherPlan = await recheckGate({ repo: REPO, number: pr.number }, io, { policy: githubPolicy() }, { headSha: pr.head, planHash: planHash(alertPlan({ replicas: 0 })) });
    assert.equal(otherPlan.ok, false);
    assert.match(otherPlan.reasons.join('; '), /the merged plan hashes to .* but the approved plan to/);
    const pushed = await env.fake.as('bob').push(REPO, pr.branch, { 'README.md': 'x\n' }, 'late change');
    await env.fake.settled();
    const stale = await recheckGate({ repo: REPO, number: pr.number }, io, { policy: githubPolicy() }, { headSha: pushed, planHash: planHash(alertPlan()) });
    assert.equal(stale.ok, false);
    assert.match(stale.reasons.join('; '), /carol approved an older commit/);
    assert.match(stale.reasons.join('; '), /pitcrew\/gate status on .* is failure/);
  });
});

describe('webhooks pitcrew does not trust', () => {
  it('answers a forged webhook with 400 and changes nothing', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env);
    await approve(env, 'carol', pr.number);
    const pushed = await env.fake.as('bob').push(REPO, pr.branch, { 'README.md': 'x\n' }, 'late change');
    await env.fake.settled();
    const before = env.fake.statuses(REPO, pushed).length;
    const writes = env.fake.writes.of(BOT).length;
    const review = env.fake.webhooks.list('pull_request_review', 'submitted').at(-1)!;
    for (const attempt of [await env.fake.webhooks.forge(review.id), (await env.fake.webhooks.redeliver(review.id, { signature: 'none' }))[0]!]) {
      assert.equal(attempt.status, 400, attempt.responseBody);
    }
    const forged = await env.fake.webhooks.sendCustom(env.app.record, 'pull_request_review', { ...review.payload, review: { ...(review.payload.review as object), commit_id: pushed } }, { installationId: review.installationId, signature: 'forged' });
    assert.equal(forged.attempt.status, 400);
    await env.fake.settled();
    assert.equal(env.fake.statuses(REPO, pushed).length, before);
    assert.equal(env.fake.writes.of(BOT).length, writes);
    assert.equal(env.gate(pushed)!.state, 'failure');
  });

  it('treats a validly signed but false event as a trigger only: the gate reads the truth from the API', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env);
    const opened = env.fake.webhooks.list('pull_request', 'opened').at(-1)!;
    const lie = { action: 'submitted', review: { id: 1, user: { login: 'carol', type: 'User' }, state: 'approved', commit_id: pr.head, body: null }, pull_request: opened.payload.pull_request, repository: opened.payload.repository, sender: { login: 'carol', type: 'User' } };
    const sent = await env.fake.webhooks.sendCustom(env.app.record, 'pull_request_review', lie, { installationId: opened.installationId });
    assert.equal(sent.attempt.status, 200);
    assert.equal(env.gate(pr.head)!.state, 'failure', 'carol never approved, whatever the payload says');
  });
});

describe('a broken .github/pitcrew.yml', () => {
  it('fails the pitcrew/config check naming the line and the fix, fails every plan PR, and recovers when fixed', async () => {
    const env = await pitcrewOnFake();
    const pr = await proposed(env);
    await approve(env, 'carol', pr.number);
    assert.equal(env.gate(pr.head)!.state, 'success');

    const broken = await env.fake.as('alice').push(REPO, 'main', { '.github/pitcrew.yml': 'approvers:\n  low: [alice, "@acme/sre"]\nrequiredApprovals:\n  medium: one\n' }, 'require one approval');
    await env.fake.settled();
    const [check] = env.fake.checkRuns(REPO, broken).filter((run) => run.name === 'pitcrew/config');
    assert.equal(check!.conclusion, 'failure');
    assert.equal(check!.output.title, '.github/pitcrew.yml is invalid (1 problem)');
    assert.match(check!.output.summary!, /Nothing runs while this file is broken/);
    assert.deepEqual(check!.annotations.map((a) => ({ path: a.path, line: a.startLine, level: a.annotationLevel, title: a.title, message: a.message })), [{
      path: '.github/pitcrew.yml', line: 4, level: 'failure', title: 'requiredApprovals.medium is "one", but must be a whole number, e.g. 2', message: 'Fix: Write a whole number, e.g. 2.',
    }]);
    assert.equal(env.gate(pr.head)!.state, 'failure', 'the open plan PR was re-evaluated');
    assert.match(env.gate(pr.head)!.description, /^\.github\/pitcrew\.yml on main is invalid \(line 4: requiredApprovals\.medium/);

    const fixed = await env.fake.as('alice').push(REPO, 'main', { '.github/pitcrew.yml': 'approvers:\n  low: [alice, "@acme/sre"]\nrequiredApprovals:\n  medium: 1\n' }, 'fix the config');
    await env.fake.settled();
    assert.equal(env.fake.checkRuns(REPO, fixed).find((run) => run.name === 'pitcrew/config')!.conclusion, 'success');
    assert.equal(env.gate(pr.head)!.state, 'success');
  });

  it('reports the check again when someone presses "Re-run" on it', async () => {
    const env = await pitcrewOnFake();
    const broken = await env.fake.as('alice').push(REPO, 'main', { '.github/pitcrew.yml': 'approvers: {low: [alice]}\npaused: maybe\n' }, 'pause?');
    await env.fake.settled();
    const [run] = env.fake.checkRuns(REPO, broken).filter((r) => r.name === 'pitcrew/config');
    await env.fake.as('alice').request('POST', `/repos/${REPO}/check-runs/${run!.id}/rerequest`);
    await env.fake.settled();
    const runs = env.fake.checkRuns(REPO, broken).filter((r) => r.name === 'pitcrew/config');
    assert.equal(runs.length, 2);
    assert.equal(runs[1]!.annotations[0]!.startLine, 2);
  });

  it('reports a broken config when the app is installed on a repository', async () => {
    const env = await pitcrewOnFake();
    await env.fake.createRepo({ owner: 'acme', name: 'api', files: { '.github/pitcrew.yml': 'approvers:\n  low: alice\n' } });
    const installation = env.fake.installApp(env.app, 'acme', ['api']);
    const sent = await env.fake.webhooks.sendCustom(env.app.record, 'installation_repositories', {
      action: 'added', repository_selection: 'selected', repositories_added: [{ full_name: 'acme/api', name: 'api' }], repositories_removed: [], sender: { login: 'alice', type: 'User' },
    }, { installationId: installation.id });
    assert.equal(sent.attempt.status, 200, sent.attempt.responseBody);
    const main = (await env.fake.branchSha('acme/api', 'main'))!;
    const [check] = env.fake.checkRuns('acme/api', main).filter((r) => r.name === 'pitcrew/config');
    assert.equal(check?.conclusion, 'failure');
    assert.deepEqual(check!.annotations.map((a) => [a.startLine, a.title]), [[2, 'approvers.low is "alice", but must be a list, e.g. [alice, "@acme/sre"]']]);
  });
});
