import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMENT_MARKER } from '../../../src/diagnosis/render.js';
import { readState } from '../../../src/pipeline/ci/comment-state.js';
import { ConfirmedDiagnosisRepo } from '../../../src/store/ci-confirmed-repo.js';
import { BOT, REPO, pitcrewOnFake, type PitcrewOnFake } from '../../support/github-app.js';
import { tempDir } from '../../support/tmp.js';

const WORKFLOW = `name: CI
on: [pull_request, push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`;

const T = '2026-01-01T00:00:00.0000000Z';

function actionsLog(body: string[], failed = true): string {
  return [
    `${T} ##[group]Run actions/checkout@v4`,
    `${T} Syncing repository: acme/deploy`,
    `${T} ##[endgroup]`,
    `${T} ##[group]Run npm test`,
    `${T} npm test`,
    `${T} ##[endgroup]`,
    ...body.map((line) => `${T} ${line}`),
    failed ? `${T} ##[error]Process completed with exit code 1.` : `${T} done`,
    '',
  ].join('\n');
}

const JEST_FAILURE = actionsLog([
  '> deploy@1.0.0 test',
  '> jest',
  '',
  'FAIL src/checkout.test.ts',
  '  ● checkout › applies the discount',
  '',
  '    expect(received).toBe(expected) // Object.is equality',
  '',
  '    Expected: 90',
  '    Received: 100',
  '',
  '      12 |   it("applies the discount", () => {',
  '    > 13 |     expect(total(cart)).toBe(90);',
  '         |                         ^',
  '',
  '      at Object.<anonymous> (src/checkout.test.ts:13:25)',
  '',
  'Tests:       1 failed, 41 passed, 42 total',
]);

const TSC_FAILURE = actionsLog([
  '> deploy@1.0.0 build',
  '> tsc -p .',
  '',
  "src/app.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.",
]);

async function setup(options: Parameters<typeof pitcrewOnFake>[0] = {}): Promise<PitcrewOnFake> {
  return pitcrewOnFake({ ci: true, files: { '.github/workflows/ci.yml': WORKFLOW }, ...options });
}

/** bob opens a PR on `branch`; returns its number. */
async function openPr(env: PitcrewOnFake, branch = 'feature'): Promise<number> {
  await env.fake.as('bob').push(REPO, branch, { 'src/checkout.ts': 'export const x = 1;\n' }, 'change checkout');
  const { number } = await env.fake.as('bob').openPullRequest(REPO, { title: 'Change checkout', head: branch });
  await env.fake.settled();
  return number;
}

async function ciRun(env: PitcrewOnFake, branch: string, job: { conclusion: 'success' | 'failure'; log?: string | { path: string }; rerunConclusion?: 'success' | 'failure' }, event: 'pull_request' | 'push' = 'pull_request') {
  const run = await env.fake.simulateRun(REPO, { workflow: 'ci.yml', branch, event, script: { jobs: [{ name: 'test', ...job }] } });
  await env.fake.settled();
  return run;
}

function botComments(env: PitcrewOnFake, pull: number) {
  return env.fake.comments(REPO, pull).filter((c) => c.user === BOT);
}

describe('CI failure diagnosis through the GitHub App (signed webhooks from the fake, real Probot)', () => {
  it('a PR whose CI fails twice and then passes has exactly one pitcrew comment, whose final state says resolved', async () => {
    const env = await setup();
    const pull = await openPr(env);

    await ciRun(env, 'feature', { conclusion: 'failure', log: JEST_FAILURE });
    let comments = botComments(env, pull);
    assert.equal(comments.length, 1);
    const first = comments[0]!.body;
    assert.ok(first.startsWith(COMMENT_MARKER));
    assert.match(first, /### ❌ CI failed: 1 job — test failure in `test`/);
    assert.match(first, /Expected: 90/);
    assert.match(first, /Received: 100/);
    assert.match(first, /\*\*Likely cause:\*\*/);
    assert.match(first, /\*\*Suggested fix:\*\*/);
    assert.match(first, /<details>/);

    await env.fake.as('bob').push(REPO, 'feature', { 'src/app.ts': 'export const n: number = "x";\n' }, 'second try');
    await env.fake.settled();
    await ciRun(env, 'feature', { conclusion: 'failure', log: TSC_FAILURE });
    comments = botComments(env, pull);
    assert.equal(comments.length, 1, 'the second failure edits the same comment');
    assert.match(comments[0]!.body, /type check error in `test`/);
    assert.match(comments[0]!.body, /TS2322/);
    assert.doesNotMatch(comments[0]!.body, /Expected: 90/, 'the old commit\'s failure is gone');

    await env.fake.as('bob').push(REPO, 'feature', { 'src/app.ts': 'export const n: number = 1;\n' }, 'fix');
    await env.fake.settled();
    await ciRun(env, 'feature', { conclusion: 'success', log: actionsLog(['ok'], false) });
    comments = botComments(env, pull);
    assert.equal(comments.length, 1, 'green CI posts no new comment');
    assert.match(comments[0]!.body, /### ✅ Resolved: CI is green again/);
    assert.doesNotMatch(comments[0]!.body, /❌/);
    assert.equal(env.fake.comments(REPO, pull).length, 1, 'nobody else commented either');
  });

  it('annotates the commit at file:line for compiler errors', async () => {
    const env = await setup();
    await openPr(env);
    const run = await ciRun(env, 'feature', { conclusion: 'failure', log: TSC_FAILURE });
    const check = env.fake.checkRuns(REPO, run.headSha).find((c) => c.name === 'pitcrew/ci-diagnosis');
    assert.ok(check, 'a pitcrew/ci-diagnosis check run exists');
    assert.deepEqual(check.annotations.map((a) => [a.path, a.startLine]), [['src/app.ts', 12]]);
  });

  it('redacts secrets printed in the log before posting (I3)', async () => {
    const env = await setup();
    const pull = await openPr(env);
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    await ciRun(env, 'feature', { conclusion: 'failure', log: actionsLog([`Error: request to https://api.example.com failed: 401 Unauthorized (token ${token})`, 'npm ERR! code E401']) });
    const body = botComments(env, pull)[0]!.body;
    assert.ok(!body.includes(token), 'the token is not in the comment');
    assert.match(body, /REDACTED/);
  });

  it('caps a huge log and refuses a binary one, still commenting', async () => {
    const dir = tempDir();
    const huge = join(dir, 'huge.log');
    const filler = `${T} compiling module with a long line of output that is nothing but noise\n`.repeat(40_000); // ≈ 3.4 MB
    writeFileSync(huge, actionsLog([]).replace(`${T} ##[error]`, `${filler}${T} ##[error]`));
    const env = await setup({ ci: { maxLogBytes: 1024 * 1024 } });
    const pull = await openPr(env);
    await ciRun(env, 'feature', { conclusion: 'failure', log: { path: huge } });
    const body = botComments(env, pull)[0]!.body;
    assert.match(body, /larger than 1 MB; only its first 1 MB were read/);

    const binary = await openPr(env, 'binary');
    await ciRun(env, 'binary', { conclusion: 'failure', log: `PK\u0003\u0004\u0000\u0000garbage\u0000\u0001\u0002\n` });
    const binaryBody = botComments(env, binary)[0]!.body;
    assert.match(binaryBody, /binary data \(NUL bytes\); it was not read/);
    assert.ok(!binaryBody.includes('\u0000'));
  });

  it('ignores a forged webhook: a workflow_run "success" with a bad signature resolves nothing', async () => {
    const env = await setup();
    const pull = await openPr(env);
    await ciRun(env, 'feature', { conclusion: 'failure', log: JEST_FAILURE });
    const real = env.fake.webhooks.list('workflow_run', 'completed').at(-1)!;
    const payload = JSON.parse(real.body) as { workflow_run: { conclusion: string } };
    payload.workflow_run.conclusion = 'success';
    const { attempt } = await env.fake.webhooks.sendCustom(env.app.record, 'workflow_run', payload as unknown as Record<string, unknown>, { signature: 'forged', installationId: real.installationId });
    await env.fake.settled();
    assert.equal(attempt.status, 400);
    const none = await env.fake.webhooks.sendCustom(env.app.record, 'workflow_run', payload as unknown as Record<string, unknown>, { signature: 'none', installationId: real.installationId });
    assert.equal(none.attempt.status, 400);
    const body = botComments(env, pull)[0]!.body;
    assert.match(body, /❌ CI failed/);
  });

  it('calls a failure that passed on re-run flaky, and offers /pitcrew fix rerun through a fix PR', async () => {
    const env = await setup();
    const pull = await openPr(env);
    const netLog = actionsLog(['npm ERR! code ECONNRESET', 'npm ERR! network request to https://registry.npmjs.org/left-pad failed, reason: socket hang up']);
    const run = await ciRun(env, 'feature', { conclusion: 'failure', log: netLog, rerunConclusion: 'success' });
    await env.fake.as('bob').request('POST', `/repos/${REPO}/actions/runs/${run.id}/rerun-failed-jobs`);
    await env.fake.settled();
    assert.match(botComments(env, pull)[0]!.body, /Resolved/);

    // The same failure again on the same commit: it passed there before, so it is flaky.
    const again = await ciRun(env, 'feature', { conclusion: 'failure', log: netLog });
    const body = botComments(env, pull)[0]!.body;
    assert.match(body, /likely flaky/);
    assert.match(body, /passed on the same commit/);
    assert.match(body, /\/pitcrew fix rerun/);

    env.fake.addCollaborator(REPO, 'rita', 'read');
    await env.fake.as('rita').comment(REPO, pull, '/pitcrew fix rerun');
    await env.fake.settled();
    assert.equal(env.fake.pulls(REPO).length, 1, 'someone with read access cannot get a fix PR opened');

    await env.fake.as('carol').comment(REPO, pull, '/pitcrew fix rerun');
    await env.fake.settled();
    const fixPr = env.fake.pulls(REPO).find((p) => p.number !== pull);
    assert.ok(fixPr, 'a fix PR was opened');
    const files = await env.fake.as('carol').request<Array<{ filename: string }>>('GET', `/repos/${REPO}/pulls/${fixPr.number}/files`);
    const planPath = files.map((f) => f.filename).find((f) => f.startsWith('.pitcrew/plans/'));
    assert.ok(planPath, 'the fix PR holds a plan file');
    assert.match((await env.fake.readFile(REPO, planPath, fixPr.headSha)) ?? '', new RegExp(`kind: github\\.rerun_failed_jobs[\\s\\S]*runId: ${again.id}`));
    assert.match(botComments(env, pull)[0]!.body, new RegExp(`Fix PR #${fixPr.number}`));
    assert.equal(botComments(env, pull).length, 1);
  });

  it('says the base branch is broken when main fails the same way', async () => {
    const env = await setup();
    await ciRun(env, 'main', { conclusion: 'failure', log: JEST_FAILURE }, 'push');
    const pull = await openPr(env);
    await ciRun(env, 'feature', { conclusion: 'failure', log: JEST_FAILURE });
    const body = botComments(env, pull)[0]!.body;
    assert.match(body, /base branch broken/);
    assert.match(body, /Not caused by this PR/);
  });

  it('learns from /pitcrew confirm by a writer, not from someone with read access, and uses it on later logs', async () => {
    const env = await setup();
    env.fake.addCollaborator(REPO, 'rita', 'read');
    const repo = new ConfirmedDiagnosisRepo(env.store!.db, { now: () => Date.now() });
    const pull = await openPr(env);
    await ciRun(env, 'feature', { conclusion: 'failure', log: JEST_FAILURE });

    await env.fake.as('rita').comment(REPO, pull, '/pitcrew confirm');
    await env.fake.settled();
    assert.equal(await repo.count(REPO), 0, 'a reader cannot teach pitcrew');

    await env.fake.as('carol').comment(REPO, pull, 'Looks right.\n/pitcrew confirm');
    await env.fake.settled();
    assert.equal(await repo.count(REPO), 1);
    const body = botComments(env, pull)[0]!.body;
    assert.match(body, /confirmed by carol/);
    assert.equal(readState(body)?.confirmed.length, 1);

    const other = await openPr(env, 'other');
    await ciRun(env, 'other', { conclusion: 'failure', log: JEST_FAILURE.replace('applies the discount', 'rounds the tax').replace('Expected: 90', 'Expected: 7') });
    assert.match(botComments(env, other)[0]!.body, /from diagnoses confirmed in this repository/);
  });

  it('learns from a 👍 by a writer on the next run (reactions send no webhook)', async () => {
    const env = await setup();
    const repo = new ConfirmedDiagnosisRepo(env.store!.db, { now: () => Date.now() });
    const pull = await openPr(env);
    await ciRun(env, 'feature', { conclusion: 'failure', log: JEST_FAILURE });
    const comment = botComments(env, pull)[0]!;
    await env.fake.as('dave').react(REPO, comment.id, '+1');
    assert.equal(await repo.count(REPO), 0);
    await ciRun(env, 'feature', { conclusion: 'failure', log: JEST_FAILURE });
    assert.equal(await repo.count(REPO), 1);
  });

  it('diagnoses a failed check run of another CI system from its output', async () => {
    const env = await setup();
    const pull = await openPr(env);
    const headSha = (await env.fake.pull(REPO, pull)).head.sha;
    await env.fake.externalCheckRun(REPO, 'circleci-checks', {
      name: 'build', headSha, status: 'completed', conclusion: 'failure',
      output: { title: 'Build failed', summary: 'Exited with code exit status 1', text: 'go test ./...\n--- FAIL: TestTotal (0.00s)\n    total_test.go:12: got 100, want 90\nFAIL\nFAIL\tgithub.com/acme/deploy\t0.01s\n' },
    });
    await env.fake.settled();
    const body = botComments(env, pull)[0]!.body;
    assert.match(body, /`build`/);
    assert.match(body, /got 100, want 90/);
  });
});

