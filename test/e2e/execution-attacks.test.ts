import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Plan } from '../../src/domain/plan.js';
import { planFilePath, renderPlanFile } from '../../src/gitops/plan-file.js';
import type { GitHubSessionError } from '../../src/sandbox/index.js';
import { CONFIG_YAML, REPO, executionHarness, type ExecutionHarness } from '../support/execution.js';
import { IncidentRepo } from '../../src/store/incident-repo.js';

/**
 * The attack suite for stage 6 (issue 8): real signed webhooks from the
 * GitHub fake through the real Probot app, the real executor and connectors
 * against the Kubernetes fake, a loopback HTTP target and the fake's Actions.
 * In every case: exactly one correct execution, or none and a PR comment
 * saying why. Assertions read the fakes' state.
 */
async function propose(h: ExecutionHarness, plan: Plan, proposedBy?: string) {
  const outcome = await h.env.github.forge.propose({ repo: REPO, plan, ...(proposedBy ? { proposedBy } : {}) });
  if (outcome.status !== 'opened') throw new Error(`expected a new PR, got ${outcome.status}`);
  await h.settled();
  return { number: outcome.number, head: outcome.headSha, branch: outcome.branch };
}

async function approve(h: ExecutionHarness, login: string, number: number) {
  await h.env.fake.as(login).approve(REPO, number);
  await h.settled();
}

async function merge(h: ExecutionHarness, number: number, login = 'alice') {
  const merged = await h.env.fake.as(login).merge(REPO, number);
  await h.settled();
  return merged;
}

function executeComments(h: ExecutionHarness, number: number) {
  return h.env.fake.comments(REPO, number).filter((comment) => comment.body.includes('<!-- pitcrew:execution'));
}

/** Nothing ran anywhere, and exactly one comment says why (matching `why`). */
function assertNothingRan(h: ExecutionHarness, number: number, why: RegExp) {
  assert.equal(h.restarts(), 0, 'no Kubernetes restart');
  assert.equal(h.k8s.replicas('Deployment', 'checkout-api', 'payments'), 6, 'replicas unchanged');
  assert.equal(h.target.hits.length, 0, 'no HTTP call');
  assert.equal(h.env.fake.dispatches(REPO).length, 0, 'no workflow dispatched');
  const comments = executeComments(h, number);
  assert.equal(comments.length, 1, `one comment, got ${comments.length}`);
  assert.match(comments[0]!.body, /ran \*\*nothing\*\*/);
  assert.match(comments[0]!.body, why);
  return comments[0]!.body;
}

function assertRanOnce(h: ExecutionHarness, number: number) {
  assert.equal(h.restarts(), 1, 'one Kubernetes restart');
  assert.ok(h.k8s.restartedAt('Deployment', 'checkout-api', 'payments'), 'restartedAt set');
  assert.equal(h.target.hits.length, 1, 'one HTTP call');
  assert.equal(h.target.hits[0]!.signed, true, 'HMAC signature verifies');
  assert.equal(h.env.fake.dispatches(REPO).length, 1, 'one workflow dispatch');
  const comments = executeComments(h, number);
  assert.equal(comments.length, 1);
  assert.match(comments[0]!.body, /Executed: 4 of 4 actions succeeded/);
}

describe('execution after merge: the happy path', () => {
  it('runs an approved, merged plan once: restart, patch observed, signed HTTP call, workflow run to conclusion; reports everywhere', async () => {
    const h = await executionHarness();
    const now = Date.now();
    await new IncidentRepo(h.store.db).insertIncident({
      id: 'inc_42', number: 1, group_key: 'g', title: 'HighErrorRate checkout-api', severity: 'critical', service: 'checkout-api', source: 'alertmanager', state: 'acknowledged',
      opened_at: now, acknowledged_at: now, mitigating_at: null, resolved_at: null, reopened_count: 0, last_signal_at: now, flapping: 0, flapping_since: null,
      alerts_total: 1, alerts_firing: 1, event_seq: 1, updated_at: now,
    });
    const plan = h.plan();
    const pr = await propose(h, plan);
    await approve(h, 'carol', pr.number);
    const { sha: mergeSha } = await merge(h, pr.number);
    assertRanOnce(h, pr.number);
    const incident = await new IncidentRepo(h.store.db).row('inc_42');
    assert.equal(incident?.state, 'mitigating');
    const replies = [...h.chat.replies.values()].filter((r) => r.reply.kind === 'execution');
    assert.equal(replies.length, 1);
    const note = replies[0]!.reply.kind === 'execution' ? replies[0]!.reply.note : null;
    assert.deepEqual([note?.outcome, note?.title, note?.lines.length], ['succeeded', 'Executed: 4 of 4 actions succeeded', 4]);
    assert.equal(h.target.hits[0]!.key, `${plan.id}:${mergeSha}:2`);
    const run = h.env.fake.checkRuns(REPO, mergeSha).find((check) => check.name === 'pitcrew/execute');
    assert.equal(run?.conclusion, 'success');
    assert.match(run!.output?.text ?? '', /1\. Restart deployment payments\/checkout-api: succeeded/);
    assert.match(run!.output?.text ?? '', /4\. Run workflow remediate\.yml on main .*: succeeded, remediate\.yml run #1 concluded success/);
    assert.equal(h.audits.length, 1);
    const record = h.audits[0]!.record;
    assert.deepEqual([record.outcome, record.mergeSha, record.headSha, record.approvals, record.mergedBy, h.audits[0]!.branch], ['succeeded', mergeSha, pr.head, [{ login: 'carol', sha: pr.head }], 'alice', 'pitcrew-audit']);
    assert.deepEqual(record.actions.map((a) => [a.idempotencyKey, a.outcome]), [0, 1, 2, 3].map((i) => [`${plan.id}:${mergeSha}:${i}`, 'succeeded']));
    assert.equal(h.afterRecords.length, 1);
  });
});

describe('execution in dry run', () => {
  it('journals and records every action as a dry run and touches nothing', async () => {
    const h = await executionHarness({ dryRun: true });
    const pr = await propose(h, h.plan());
    await approve(h, 'carol', pr.number);
    const { sha } = await merge(h, pr.number);
    assert.deepEqual([h.restarts(), h.target.hits.length, h.env.fake.dispatches(REPO).length], [0, 0, 0]);
    assert.equal(executeComments(h, pr.number).length, 0, 'the report is logged, not posted');
    assert.equal(h.env.fake.checkRuns(REPO, sha).filter((run) => run.name === 'pitcrew/execute').length, 0);
    const record = h.audits[0]!.record;
    assert.equal(record.outcome, 'dry_run');
    assert.deepEqual(record.actions.map((a) => a.outcome), ['dry_run', 'succeeded', 'dry_run', 'dry_run'], 'the merge itself is the gitops.patch, dry run or not');
    assert.match(record.actions[0]!.detail, /would restart deployment payments\/checkout-api/);
  });
});

describe('execution attacks: nothing runs, and the PR says why', () => {
  it('self-approval: the author cannot approve, the proposer\'s approval does not count', async () => {
    const h = await executionHarness();
    const plan = h.plan('plan_s1');
    await h.env.fake.as('bob').push(REPO, 'bob/fix', { [planFilePath(plan.id)]: renderPlanFile(plan) }, 'plan by hand');
    const { number } = await h.env.fake.as('bob').openPullRequest(REPO, { title: 'hand-written plan', head: 'bob/fix' });
    await h.settled();
    await assert.rejects(h.env.fake.as('bob').approve(REPO, number), (error: GitHubSessionError) => error.status === 422);
    await merge(h, number);
    assertNothingRan(h, number, /needs 1 approval/);

    const h2 = await executionHarness();
    const pr = await propose(h2, h2.plan('plan_s2'), 'carol');
    await approve(h2, 'carol', pr.number);
    await merge(h2, pr.number);
    assertNothingRan(h2, pr.number, /carol proposed the plan/);
  });

  it('approval by the bot does not count', async () => {
    const h = await executionHarness();
    const plan = h.plan('plan_b1');
    await h.env.fake.as('bob').push(REPO, 'bob/fix', { [planFilePath(plan.id)]: renderPlanFile(plan) }, 'plan by hand');
    const { number } = await h.env.fake.as('bob').openPullRequest(REPO, { title: 'hand-written plan', head: 'bob/fix' });
    const client = await h.env.github.forge.client(REPO);
    await client.octokit.rest.pulls.createReview({ owner: 'acme', repo: 'deploy', pull_number: number, event: 'APPROVE' });
    await h.settled();
    await merge(h, number);
    assertNothingRan(h, number, /pitcrew\[bot\] is a bot/);
  });

  it('approval by a non-approver does not count', async () => {
    const h = await executionHarness();
    const pr = await propose(h, h.plan());
    await approve(h, 'mallory', pr.number);
    await merge(h, pr.number);
    assertNothingRan(h, pr.number, /mallory is not an approver/);
  });

  it('an approval followed by a new push is stale', async () => {
    const h = await executionHarness();
    const pr = await propose(h, h.plan());
    await approve(h, 'carol', pr.number);
    await h.env.fake.as('bob').push(REPO, pr.branch, { 'README.md': '# deploy, changed after approval\n' }, 'late change');
    await h.settled();
    await merge(h, pr.number);
    assertNothingRan(h, pr.number, /carol approved an older commit/);
  });

  it('the plan edited after approval (hash recomputed) does not run', async () => {
    const h = await executionHarness();
    const plan = h.plan();
    const pr = await propose(h, plan);
    await approve(h, 'carol', pr.number);
    const tampered: Plan = { ...plan, actions: [{ kind: 'kubernetes.scale', namespace: 'payments', name: 'checkout-api', resource: 'deployment', replicas: 0 }] };
    await h.env.fake.as('mallory').push(REPO, pr.branch, { [planFilePath(plan.id)]: renderPlanFile(tampered) }, 'scale to zero');
    await h.settled();
    await merge(h, pr.number);
    assertNothingRan(h, pr.number, /Gate: /);
  });

  it('a PR merged by an admin without approval does not run', async () => {
    const h = await executionHarness();
    const pr = await propose(h, h.plan());
    await merge(h, pr.number, 'alice');
    const body = assertNothingRan(h, pr.number, /needs 1 approval \(medium risk\)/);
    assert.match(body, /pitcrew\/gate status on [0-9a-f]{7} is failure/);
  });

  it('a forged webhook is refused before any handler; a signed but false "merged" event is ignored', async () => {
    const h = await executionHarness();
    const pr = await propose(h, h.plan());
    await approve(h, 'carol', pr.number);
    const pull = (await h.env.fake.pull(REPO, pr.number)) as unknown as Record<string, unknown>;
    const payload = { action: 'closed', number: pr.number, pull_request: { ...pull, state: 'closed', merged: true, merge_commit_sha: pr.head, merged_by: { login: 'alice' } }, repository: { full_name: REPO, name: 'deploy', owner: { login: 'acme' } }, sender: { login: 'alice' } };
    const installationId = h.env.fake.webhooks.list('pull_request', 'opened').at(-1)!.installationId;
    const forged = await h.env.fake.webhooks.sendCustom(h.env.app.record, 'pull_request', payload, { installationId, signature: 'forged' });
    assert.ok(forged.attempt.status === 400 || forged.attempt.status === 401, `refused, got ${forged.attempt.status}`);
    const signed = await h.env.fake.webhooks.sendCustom(h.env.app.record, 'pull_request', payload, { installationId });
    assert.equal(signed.attempt.status, 200);
    await h.settled();
    assert.equal(h.restarts() + h.target.hits.length + h.env.fake.dispatches(REPO).length, 0);
    assert.equal(executeComments(h, pr.number).length, 0, 'a false event is not even commented on');
    assert.equal((await h.execution.journal.list()).length, 0, 'no execution claimed');
  });

  it('`paused: true` in the repo config stops it', async () => {
    const h = await executionHarness({ files: { '.github/pitcrew.yml': `${CONFIG_YAML}paused: true\n` } });
    const pr = await propose(h, h.plan());
    await approve(h, 'carol', pr.number);
    await merge(h, pr.number);
    assertNothingRan(h, pr.number, /Paused: `paused: true` is set in \.github\/pitcrew\.yml on main/);
  });

  it('the runtime kill switch (/pitcrew pause) stops it', async () => {
    const h = await executionHarness();
    const pr = await propose(h, h.plan());
    await approve(h, 'carol', pr.number);
    await h.killSwitch.pause('alice', 'database migration in progress');
    await merge(h, pr.number);
    assertNothingRan(h, pr.number, /Paused by alice at .* \(\/pitcrew pause\): database migration in progress/);
  });

  it('outside the execution window nothing runs', async () => {
    const hour = new Date().getUTCHours();
    const start = `${String((hour + 2) % 24).padStart(2, '0')}:00`;
    const end = `${String((hour + 3) % 24).padStart(2, '0')}:00`;
    const h = await executionHarness({ files: { '.github/pitcrew.yml': `${CONFIG_YAML}executionWindows:\n  - start: "${start}"\n    end: "${end}"\n` } });
    const pr = await propose(h, h.plan());
    await approve(h, 'carol', pr.number);
    await merge(h, pr.number);
    assertNothingRan(h, pr.number, /Outside the execution window: outside the execution windows for medium risk/);
  });

  it('an open circuit breaker stops it until a human resets it', async () => {
    const h = await executionHarness({ targetStatus: 500, files: { '.github/pitcrew.yml': `${CONFIG_YAML}breaker:\n  failures: 1\n  windowMinutes: 60\n` } });
    const first = await propose(h, h.plan('plan_f1'));
    await approve(h, 'carol', first.number);
    await merge(h, first.number);
    assert.equal(h.target.hits.length, 1);
    assert.match(executeComments(h, first.number)[0]!.body, /Execution failed: 1 failed or unknown, 1 skipped/);
    assert.equal(h.env.fake.dispatches(REPO).length, 0, 'the action after the failed one is skipped');
    const state = await h.execution.breaker.state(REPO, { failures: 1, windowMinutes: 60 }, Date.now());
    assert.equal(state.open, true);

    const restartsBefore = h.restarts();
    const second = await propose(h, { ...h.plan('plan_f2'), incidentId: 'inc_43' });
    await approve(h, 'carol', second.number);
    await merge(h, second.number);
    assert.equal(h.restarts(), restartsBefore, 'nothing more ran');
    assert.equal(h.target.hits.length, 1);
    const refused = executeComments(h, second.number);
    assert.equal(refused.length, 1);
    assert.match(refused[0]!.body, /Circuit breaker open since .* after 1 failed executions within 60 min; a human must reset it/);
    assert.deepEqual((await h.execution.breakers()).map((b) => [b.repo, b.open]), [['acme/deploy', true]]);

    // A human resets it; the next merged plan runs.
    await h.execution.breaker.reset(REPO, 'alice', Date.now());
    h.target.state.status = 200;
    const third = await propose(h, { ...h.plan('plan_f3'), incidentId: 'inc_44' });
    await approve(h, 'carol', third.number);
    await merge(h, third.number);
    assert.match(executeComments(h, third.number)[0]!.body, /Executed: 4 of 4 actions succeeded/);
    assert.deepEqual((await h.execution.breakers()).map((b) => [b.repo, b.open, b.resetBy]), [['acme/deploy', false, 'alice']]);
  });
});
