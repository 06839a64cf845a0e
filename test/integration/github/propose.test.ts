import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planHash } from '../../../src/domain/plan.js';
import { readPlanFile } from '../../../src/gitops/plan-file.js';
import { alertPlan } from '../../support/github.js';
import { BOT, REPO, pitcrewOnFake } from '../../support/github-app.js';

const links = { slackThread: 'https://acme.slack.com/archives/C0OPS/p1767268800000100', runbooks: [{ title: 'High error rate', url: 'https://github.com/acme/runbooks/blob/main/high-error-rate.md' }] };

describe('proposing a fix PR in the GitHub fake', () => {
  it('opens a PR from an alert-derived plan whose branch holds the plan file and the patch', async () => {
    const { fake, github } = await pitcrewOnFake();
    const plan = alertPlan();
    const outcome = await github.forge.propose({ repo: REPO, plan, links, proposedBy: 'dave' });
    assert.equal(outcome.status, 'opened');
    if (outcome.status !== 'opened') return;
    assert.equal(outcome.branch, 'pitcrew/inc_42-high-error-rate-checkout-api');
    assert.equal(outcome.planHash, planHash(plan));

    const [pull] = fake.pulls(REPO);
    assert.deepEqual({ number: pull!.number, head: pull!.head, base: pull!.base, user: pull!.user, labels: pull!.labels.sort() },
      { number: outcome.number, head: outcome.branch, base: 'main', user: BOT, labels: ['pitcrew', 'risk:medium'] });
    assert.equal(pull!.title, 'pitcrew: HighErrorRate on checkout-api: checkout-api 5xx rate above 5% for 10m');

    const planText = await fake.readFile(REPO, '.pitcrew/plans/plan_a1.yaml', outcome.branch);
    const read = readPlanFile('.pitcrew/plans/plan_a1.yaml', planText ?? '');
    assert.ok(read.ok, read.ok ? '' : read.problem);
    assert.deepEqual(read.plan, plan);
    const patched = await fake.readFile(REPO, 'k8s/checkout-api.yaml', outcome.branch);
    assert.match(patched!, /^ {2}replicas: 8 # raised during incidents$/m, 'the value changed and its comment stayed');
    assert.match(patched!, /^# checkout-api deployment \(owned by the payments team\)$/m);
    assert.equal(patched!.split('\n').length, (await fake.readFile(REPO, 'k8s/checkout-api.yaml'))!.split('\n').length);

    const [commit] = await fake.log(REPO, outcome.branch, 1);
    assert.match(commit!.message, /\nPitcrew-Proposal: inc_42\nPitcrew-Plan: plan_a1@sha256:[0-9a-f]{64}\nPitcrew-Proposed-By: dave\n?$/);
    assert.equal(commit!.parents[0], await fake.branchSha(REPO, 'main'), 'one commit on the base head');

    const body = (await fake.pull(REPO, outcome.number)).body ?? '';
    assert.match(body, /^### HighErrorRate on checkout-api/);
    assert.match(body, /\[Slack thread\]\(https:\/\/acme\.slack\.com\/archives\/C0OPS\/p1767268800000100\)/);
    assert.match(body, /It needs 1 approval \(medium risk\) from `@alice`, `@bob`, `@acme\/sre`\./);
    assert.match(body, /<!-- pitcrew:proposal key=inc_42 plan=plan_a1 -->$/);
  });

  it('proposing the same plan twice leaves one PR and writes nothing new', async () => {
    const { fake, github } = await pitcrewOnFake();
    const first = await github.forge.propose({ repo: REPO, plan: alertPlan(), links });
    const head = await fake.branchSha(REPO, 'pitcrew/inc_42-high-error-rate-checkout-api');
    await fake.settled();
    const writes = fake.writes.of(BOT).length;
    const second = await github.forge.propose({ repo: REPO, plan: alertPlan(), links });
    assert.equal(second.status, 'unchanged');
    assert.equal(fake.pulls(REPO).length, 1);
    assert.equal((second as { number: number }).number, (first as { number: number }).number);
    assert.equal(await fake.branchSha(REPO, 'pitcrew/inc_42-high-error-rate-checkout-api'), head);
    await fake.settled();
    assert.equal(fake.writes.of(BOT).length, writes, 'no content was created the second time (and no new webhook led to any)');
  });

  it('a new plan for the same incident updates its PR: one commit, the new plan file only', async () => {
    const { fake, github } = await pitcrewOnFake();
    const first = await github.forge.propose({ repo: REPO, plan: alertPlan(), links });
    const second = await github.forge.propose({ repo: REPO, plan: alertPlan({ planId: 'plan_b2', replicas: 10 }), links });
    assert.equal(second.status, 'updated');
    assert.equal(fake.pulls(REPO).length, 1);
    assert.equal((second as { number: number }).number, (first as { number: number }).number);
    const branch = (second as { branch: string }).branch;
    assert.equal(await fake.readFile(REPO, '.pitcrew/plans/plan_a1.yaml', branch), null, 'the superseded plan is gone');
    assert.ok(await fake.readFile(REPO, '.pitcrew/plans/plan_b2.yaml', branch));
    assert.match((await fake.readFile(REPO, 'k8s/checkout-api.yaml', branch))!, /replicas: 10 # raised during incidents/);
    const files = await (await github.forge.client(REPO)).pullFiles((second as { number: number }).number);
    assert.deepEqual(files.map((f) => f.filename).sort(), ['.pitcrew/plans/plan_b2.yaml', 'k8s/checkout-api.yaml']);
    assert.match((await fake.pull(REPO, (second as { number: number }).number)).body ?? '', /plan=plan_b2 -->$/);
  });

  it('concurrent proposals for one incident still leave one PR, and writes never overlap', async () => {
    const { fake, github } = await pitcrewOnFake();
    const outcomes = await Promise.all([
      github.forge.propose({ repo: REPO, plan: alertPlan(), links }),
      github.forge.propose({ repo: REPO, plan: alertPlan({ planId: 'plan_b2', replicas: 9 }), links }),
      github.forge.propose({ repo: REPO, plan: alertPlan({ planId: 'plan_c3', incidentId: 'inc_43' }), links }),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['opened', 'opened', 'updated']);
    assert.deepEqual(fake.pulls(REPO).map((p) => p.head).sort(), ['pitcrew/inc_42-high-error-rate-checkout-api', 'pitcrew/inc_43-high-error-rate-checkout-api']);
    assert.equal(fake.writes.maxConcurrent(BOT), 1, 'content-creating requests run one at a time');
  });

  it('dry run reads but writes nothing, and logs what it would do', async () => {
    const { fake, github, logs } = await pitcrewOnFake({ dryRun: true });
    const outcome = await github.forge.propose({ repo: REPO, plan: alertPlan(), links });
    assert.deepEqual(outcome, { status: 'dry_run', branch: 'pitcrew/inc_42-high-error-rate-checkout-api', planHash: planHash(alertPlan()), risk: 'medium', files: ['.pitcrew/plans/plan_a1.yaml', 'k8s/checkout-api.yaml'], existing: null });
    assert.equal(fake.pulls(REPO).length, 0);
    assert.equal(fake.writes.of(BOT).length, 0);
    assert.ok(logs.some((line) => String(line.msg).startsWith('[dry-run] would open PR "pitcrew: HighErrorRate on checkout-api') && String(line.msg).endsWith('on pitcrew/inc_42-high-error-rate-checkout-api in acme/deploy')), JSON.stringify(logs.map((l) => l.msg)));
  });

  it('leaves alone a fix branch a human pushed to', async () => {
    const { fake, github } = await pitcrewOnFake();
    const first = await github.forge.propose({ repo: REPO, plan: alertPlan(), links });
    const branch = (first as { branch: string }).branch;
    const humanHead = await fake.as('bob').push(REPO, branch, { 'k8s/checkout-api.yaml': 'replicas: 7\n' }, 'use 7 replicas');
    const again = await github.forge.propose({ repo: REPO, plan: alertPlan({ planId: 'plan_b2', replicas: 9 }), links });
    assert.equal(again.status, 'blocked');
    assert.match((again as { reason: string }).reason, /has commits pitcrew did not write/);
    assert.equal(await fake.branchSha(REPO, branch), humanHead);
  });

  it('redacts secrets in untrusted text before it reaches GitHub', async () => {
    const { fake, github } = await pitcrewOnFake();
    const secret = 'ghp_' + 'x1Y2z3A4b5C6d7E8f9G0h1I2j3K4l5M6n7O8';
    const plan = { ...alertPlan(), probableCause: `The deploy token ${secret} leaked into the logs.` };
    const outcome = await github.forge.propose({ repo: REPO, plan, links });
    const branch = (outcome as { branch: string }).branch;
    const body = (await fake.pull(REPO, (outcome as { number: number }).number)).body ?? '';
    assert.doesNotMatch(body, new RegExp(secret));
    assert.match(body, /\\\[REDACTED:/);
    const planText = (await fake.readFile(REPO, '.pitcrew/plans/plan_a1.yaml', branch)) ?? '';
    assert.doesNotMatch(planText, new RegExp(secret));
    assert.ok(readPlanFile('.pitcrew/plans/plan_a1.yaml', planText).ok, 'the redacted plan is still a valid, hashed plan');
  });

  it('refuses a plan whose patch targets a file that is not there, writing nothing', async () => {
    const { fake, github } = await pitcrewOnFake();
    const plan = alertPlan();
    const broken = { ...plan, actions: [plan.actions[0]!, { kind: 'gitops.patch' as const, repo: REPO, path: 'k8s/missing.yaml', set: [{ path: 'spec.replicas', value: 2 }] }] };
    await fake.settled();
    const before = fake.writes.of(BOT).length;
    await assert.rejects(github.forge.propose({ repo: REPO, plan: broken, links }), /k8s\/missing\.yaml does not exist on the default branch of acme\/deploy/);
    assert.deepEqual(fake.writes.of(BOT).slice(before).map((w) => `${w.method} ${w.path}`), []);
  });
});
