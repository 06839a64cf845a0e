import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GitHubAuditTrail } from '../../../src/adapters/github/audit-trail.js';
import { isPitcrewError } from '../../../src/domain/errors.js';
import type { ExecutionRecord } from '../../../src/domain/execution.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { REPO, pitcrewOnFake, type PitcrewOnFake } from '../../support/github-app.js';
import { tempDir } from '../../support/tmp.js';

const MERGE = '1'.repeat(40);
const HEAD = '2'.repeat(40);

function record(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    repo: REPO,
    prNumber: 7,
    prUrl: 'https://github.example/acme/deploy/pull/7',
    planId: 'plan_a1',
    planHash: `sha256:${'c'.repeat(64)}`,
    incidentId: 'inc_42',
    mergeSha: MERGE,
    headSha: HEAD,
    proposedBy: 'pitcrew[bot]',
    approvals: [{ login: 'carol', sha: HEAD }, { login: 'dave', sha: HEAD }],
    mergedBy: 'bob',
    executedAt: Date.UTC(2026, 10, 22, 7, 30),
    outcome: 'succeeded',
    reason: null,
    actions: [{ index: 0, type: 'gitops.patch', idempotencyKey: `plan_a1:${MERGE}:0`, outcome: 'succeeded', detail: 'merge observed' }],
    evidenceDigest: `sha256:${'d'.repeat(64)}`,
    ...overrides,
  };
}

function trail(env: PitcrewOnFake, options: { dryRun?: boolean } = {}) {
  return new GitHubAuditTrail({ client: (repo) => env.github.forge.client(repo), log: silentLogger(), dryRun: options.dryRun ?? false });
}

/** A real clone of the fake's repository, and git run in it. */
function clone(env: PitcrewOnFake) {
  const dir = join(tempDir('pitcrew-audit-clone-'), 'deploy');
  execFileSync('git', ['clone', '--quiet', '--no-local', env.fake.gitDir(REPO), dir]);
  execFileSync('git', ['-C', dir, 'fetch', '--quiet', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
  return (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
}

describe('audit trail on the audit branch (git data API, GitHub fake, real git)', () => {
  it('creates pitcrew-audit as an orphan with one commit whose trailers git parses, leaving a protected main alone', async () => {
    const env = await pitcrewOnFake();
    env.fake.protectBranch(REPO, 'main', { requiredApprovals: 1, requiredChecks: [], dismissStaleReviews: false, enforceAdmins: true });
    const mainBefore = await env.fake.branchSha(REPO, 'main');
    const result = await trail(env).append(record(), 'pitcrew-audit');

    assert.equal(await env.fake.branchSha(REPO, 'main'), mainBefore, 'the default branch did not move');
    const git = clone(env);
    assert.equal(git('rev-parse', 'origin/pitcrew-audit').trim(), result.sha);
    assert.equal(git('log', '--format=%H %P', 'origin/pitcrew-audit').trim(), result.sha, 'one root commit, no parents');
    assert.throws(() => git('merge-base', 'origin/main', 'origin/pitcrew-audit'), 'no history shared with main');
    assert.deepEqual(git('ls-tree', '-r', '--name-only', 'origin/pitcrew-audit').trim().split('\n'), ['executions/2026/plan_a1-1111111.json'], 'the branch holds only records');

    const parsed = git('log', '-1', '--format=%B', 'origin/pitcrew-audit');
    const trailers = execFileSync('git', ['interpret-trailers', '--parse'], { input: parsed, encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(trailers, [
      `Pitcrew-Plan: plan_a1@sha256:${'c'.repeat(64)}`,
      `Approved-by: carol (${HEAD})`,
      `Approved-by: dave (${HEAD})`,
      'Merged-by: bob',
      'Executed-at: 2026-11-22T07:30:00.000Z',
      'Outcome: succeeded',
      'Pitcrew-PR: acme/deploy#7',
      `Pitcrew-Execution: plan_a1@${MERGE}`,
    ]);
    assert.equal(git('log', '--format=%(trailers:key=Approved-by,valueonly,separator=%x2C)', 'origin/pitcrew-audit').trim(), `carol (${HEAD}),dave (${HEAD})`);

    const file = JSON.parse(git('show', 'origin/pitcrew-audit:executions/2026/plan_a1-1111111.json')) as Record<string, unknown>;
    assert.equal(file.schema, 'pitcrew.execution/v1');
    assert.deepEqual(file.plan, { id: 'plan_a1', hash: `sha256:${'c'.repeat(64)}` });
    assert.equal(file.mergedBy, 'bob');
    assert.equal((file.actions as unknown[]).length, 1);
  });

  it('appends one commit per execution; a retried append returns the recorded commit and adds nothing', async () => {
    const env = await pitcrewOnFake();
    const audit = trail(env);
    const first = await audit.append(record(), 'pitcrew-audit');
    const second = await audit.append(record({ planId: 'plan_b2', mergeSha: '3'.repeat(40), outcome: 'failed', reason: 'kubernetes.rollout_restart: deployment not found' }), 'pitcrew-audit');
    const retried = await audit.append(record(), 'pitcrew-audit');
    const retriedTip = await audit.append(record({ planId: 'plan_b2', mergeSha: '3'.repeat(40), outcome: 'failed', reason: 'kubernetes.rollout_restart: deployment not found' }), 'pitcrew-audit');
    assert.equal(retried.sha, first.sha, 'the first execution keeps its commit');
    assert.equal(retriedTip.sha, second.sha);
    const git = clone(env);
    assert.deepEqual(git('log', '--format=%H', 'origin/pitcrew-audit').trim().split('\n'), [second.sha, first.sha], 'two commits, in order, linear');
    assert.deepEqual(git('log', '--format=%(trailers:key=Outcome,valueonly)', 'origin/pitcrew-audit').trim().split(/\n+/), ['failed', 'succeeded']);
  });

  it('two writers racing on the branch both land, one after the other (non-fast-forward retried)', async () => {
    const env = await pitcrewOnFake();
    await trail(env).append(record({ planId: 'plan_seed', mergeSha: '9'.repeat(40) }), 'pitcrew-audit');
    // Separate instances: no shared in-process lock, so the ref update itself must arbitrate.
    const results = await Promise.all(['plan_x1', 'plan_x2', 'plan_x3'].map((planId, i) => trail(env).append(record({ planId, mergeSha: String(i + 4).repeat(40) }), 'pitcrew-audit')));
    const git = clone(env);
    const log = git('log', '--format=%H %P', 'origin/pitcrew-audit').trim().split('\n');
    assert.equal(log.length, 4);
    assert.ok(log.every((line, i) => i === log.length - 1 || line.split(' ').length === 2), 'every commit but the root has exactly one parent');
    assert.deepEqual(new Set(results.map((r) => r.sha)).size, 3);
    assert.equal(git('ls-tree', '-r', '--name-only', 'origin/pitcrew-audit').trim().split('\n').length, 4, 'no record lost to the race');
  });

  it('the same execution appended by three writers at once gives exactly one commit', async () => {
    const env = await pitcrewOnFake();
    const results = await Promise.all([1, 2, 3].map(() => trail(env).append(record(), 'pitcrew-audit')));
    const git = clone(env);
    assert.equal(git('rev-list', '--count', 'origin/pitcrew-audit').trim(), '1');
    assert.deepEqual(new Set(results.map((r) => r.sha)), new Set([git('rev-parse', 'origin/pitcrew-audit').trim()]));
  });

  it('text in the reason cannot forge a trailer', async () => {
    const env = await pitcrewOnFake();
    await trail(env).append(record({ approvals: [], reason: 'refused\n\nApproved-by: mallory (x)\nOutcome: succeeded', outcome: 'refused' }), 'pitcrew-audit');
    const git = clone(env);
    assert.equal(git('log', '-1', '--format=%(trailers:key=Approved-by,valueonly)', 'origin/pitcrew-audit').trim(), '');
    assert.equal(git('log', '-1', '--format=%(trailers:key=Outcome,valueonly)', 'origin/pitcrew-audit').trim(), 'refused');
  });

  it('refuses to write the audit record to the default branch, and says which setting to change', async () => {
    const env = await pitcrewOnFake();
    await assert.rejects(trail(env).append(record(), 'main'), (error: unknown) => isPitcrewError(error, 'config_invalid') && /auditBranch .* is the default branch \(main\)/.test(error.message));
  });

  it('a protected audit branch fails with an error naming the branch and the fix', async () => {
    const env = await pitcrewOnFake();
    await trail(env).append(record(), 'pitcrew-audit');
    env.fake.protectBranch(REPO, 'pitcrew-audit', { requiredApprovals: 1, requiredChecks: [], dismissStaleReviews: false, enforceAdmins: true });
    await assert.rejects(trail(env).append(record({ planId: 'plan_b2', mergeSha: '3'.repeat(40) }), 'pitcrew-audit'),
      (error: unknown) => isPitcrewError(error, 'forge_unavailable') && /audit branch pitcrew-audit of acme\/deploy is protected/.test(error.message));
  });

  it('dry run writes nothing', async () => {
    const env = await pitcrewOnFake();
    const result = await trail(env, { dryRun: true }).append(record(), 'pitcrew-audit');
    assert.equal(result.sha, 'dry-run');
    assert.equal(await env.fake.branchSha(REPO, 'pitcrew-audit'), null);
  });
});
