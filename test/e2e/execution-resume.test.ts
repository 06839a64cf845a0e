import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { tsNode } from '../support/processes.js';
import { describeOnBackends } from '../support/databases.js';
import { HTTP_SECRET } from '../support/execution.js';
import type { Plan } from '../../src/domain/plan.js';
import { REPO, executionHarness, type ExecutionHarness } from '../support/execution.js';

/**
 * Exactly once under duplicates and crashes: the same merged webhook three
 * times at once, and an executor that dies mid-plan (between an action's
 * journal entry and the action, or after the action and before its outcome
 * is journaled), then another process resumes from the journal.
 */
class Crash extends Error {}

async function proposeApproved(h: ExecutionHarness, plan: Plan) {
  const outcome = await h.env.github.forge.propose({ repo: REPO, plan });
  if (outcome.status !== 'opened') throw new Error(outcome.status);
  await h.settled();
  await h.env.fake.as('carol').approve(REPO, outcome.number);
  await h.settled();
  return outcome.number;
}

const comments = (h: ExecutionHarness, number: number) => h.env.fake.comments(REPO, number).filter((c) => c.body.includes('<!-- pitcrew:execution'));

/** Waits until every execution in the journal is reported (the resumer works on its own timer). */
async function reported(h: ExecutionHarness): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await h.execution.journal.list();
    if (rows.length > 0 && rows.every((row) => row.reported === 1)) return h.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`executions not reported: ${JSON.stringify(await h.execution.journal.list())}`);
}

describeOnBackends('exactly once under duplicate deliveries', (backend) => {
  it('the same merged webhook delivered 3 times concurrently (and once more) runs each action once', async () => {
    const h = await executionHarness({ backend });
    const number = await proposeApproved(h, h.plan());
    h.env.fake.webhooks.hold();
    await h.env.fake.as('alice').merge(REPO, number);
    const closed = h.env.fake.webhooks.list('pull_request', 'closed').at(-1)!;
    const attempts = await h.env.fake.webhooks.redeliver(closed.id, { times: 3, concurrent: true });
    assert.deepEqual(attempts.map((a) => a.status), [200, 200, 200]);
    h.env.fake.webhooks.release();
    await h.settled();
    assert.equal(h.restarts(), 1);
    assert.equal(h.target.hits.length, 1);
    assert.equal(h.env.fake.dispatches(REPO).length, 1);
    assert.equal(comments(h, number).length, 1);
    assert.equal(h.audits.length, 1);
    assert.equal((await h.execution.journal.list()).length, 1);
  });
});

describe('exactly once across a crash and a restart', () => {
  it('a crash after the journal entry and before the action: the new process asks, learns it never ran, runs it once', async () => {
    let crashed = false;
    const h = await executionHarness({
      leaseMs: 1_000,
      afterJournal: async (key) => {
        if (!crashed && key.endsWith(':2')) {
          crashed = true;
          throw new Crash('killed between journal write and action');
        }
      },
    });
    const number = await proposeApproved(h, h.plan());
    await h.env.fake.as('alice').merge(REPO, number);
    await h.settled();
    assert.equal(crashed, true);
    assert.deepEqual([h.restarts(), h.target.hits.length, h.env.fake.dispatches(REPO).length], [1, 0, 0], 'died after the restart, before the HTTP call');
    await h.execution.stop();

    const restarted = h.startExecutor({ owner: 'second-process' });
    await reported(h);
    await restarted.executor.settled();
    assert.deepEqual([h.restarts(), h.target.hits.length, h.env.fake.dispatches(REPO).length], [1, 1, 1], 'each action exactly once');
    assert.equal(comments(h, number).length, 1);
    assert.match(comments(h, number)[0]!.body, /Executed: 4 of 4 actions succeeded/);
    const actions = await h.execution.journal.actions((await h.execution.journal.list())[0]!.id);
    assert.deepEqual(actions.map((a) => [a.state, a.attempts]), [['succeeded', 1], ['succeeded', 1], ['succeeded', 2], ['succeeded', 1]]);
  });

  it('a crash after a Kubernetes restart, before its outcome is journaled: the new process reads the annotation and does not restart again', async () => {
    let crashed = false;
    const h = await executionHarness({
      leaseMs: 1_000,
      afterAction: async (key) => {
        if (!crashed && key.endsWith(':0')) {
          crashed = true;
          throw new Crash('killed after the side effect');
        }
      },
    });
    const number = await proposeApproved(h, h.plan());
    await h.env.fake.as('alice').merge(REPO, number);
    await h.settled();
    assert.equal(h.restarts(), 1);
    await h.execution.stop();

    h.startExecutor({ owner: 'second-process' });
    await reported(h);
    assert.deepEqual([h.restarts(), h.target.hits.length, h.env.fake.dispatches(REPO).length], [1, 1, 1]);
    assert.match(comments(h, number)[0]!.body, /restarted deployment payments\/checkout-api .*confirmed after a restart/);
  });

  it('a crash after an HTTP call was sent: its outcome is unknown, it is not sent again, and the plan stops for a human', async () => {
    let crashed = false;
    const h = await executionHarness({
      leaseMs: 1_000,
      afterAction: async (key) => {
        if (!crashed && key.endsWith(':2')) {
          crashed = true;
          throw new Crash('killed after the request');
        }
      },
    });
    const number = await proposeApproved(h, h.plan());
    await h.env.fake.as('alice').merge(REPO, number);
    await h.settled();
    assert.equal(h.target.hits.length, 1);
    await h.execution.stop();

    h.startExecutor({ owner: 'second-process' });
    await reported(h);
    assert.deepEqual([h.restarts(), h.target.hits.length, h.env.fake.dispatches(REPO).length], [1, 1, 0], 'not re-sent; the next action not run');
    const body = comments(h, number)[0]!.body;
    assert.match(body, /Execution failed/);
    assert.match(body, /3\. POST .*: unknown, outcome unknown after a restart \(the request was sent and its answer was lost/);
    assert.match(body, /4\. Run workflow .*: skipped, not run: action 3 unknown/);
  });

  it('kill -9 of the executing process mid-plan (waiting on a workflow run), then a restart: resumes from the journal, nothing twice', async () => {
    const h = await executionHarness({ leaseMs: 1_000 });
    h.env.fake.scriptWorkflow(REPO, 'remediate.yml', { manual: true });
    const number = await proposeApproved(h, h.plan());
    // This process only watches: the merged event is held, and another process executes.
    await h.execution.stop();
    h.env.fake.webhooks.hold();
    const { sha: mergeSha } = await h.env.fake.as('alice').merge(REPO, number);
    const headSha = h.env.fake.pulls(REPO).find((pull) => pull.number === number)!.headSha;
    if (h.storeConfig.kind !== 'sqlite') throw new Error('the child opens the SQLite file');
    const child = spawn(process.execPath, tsNode('test/support/executor-child.ts'), {
      env: {
        PATH: process.env.PATH ?? '', LOG_LEVEL: 'info',
        CHILD_STORE_FILE: h.storeConfig.file, CHILD_POLICY: JSON.stringify(h.policy), CHILD_APP_ID: String(h.env.app.id), CHILD_PRIVATE_KEY: h.env.app.privateKey!,
        CHILD_GITHUB_URL: h.env.fake.url, CHILD_KUBECONFIG: h.kubeconfig, CHILD_HTTP_SECRET: HTTP_SECRET,
        CHILD_PULL: JSON.stringify({ repo: REPO, number, mergeSha, headSha, mergedBy: 'alice', url: `${h.env.fake.url}/${REPO}/pull/${number}` }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    // Wait until the child is blocked on the workflow run (action 4), then kill it.
    for (let i = 0; ; i++) {
      const rows = await h.execution.journal.list();
      const actions = rows[0] ? await h.execution.journal.actions(rows[0].id) : [];
      if (actions[3]?.checkpoint?.includes('runId')) break;
      if (i > 600 || child.exitCode !== null) throw new Error(`the child never reached the workflow run:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.deepEqual([h.restarts(), h.target.hits.length, h.env.fake.dispatches(REPO).length], [1, 1, 1]);
    const [row] = await h.execution.journal.list();
    assert.deepEqual([row!.state, row!.owner], ['running', 'child-process']);
    assert.deepEqual((await h.execution.journal.actions(row!.id)).map((a) => a.state), ['succeeded', 'succeeded', 'succeeded', 'pending']);

    // The run finishes while nobody watches; pitcrew restarts, and the held delivery arrives late too.
    await h.env.fake.completeRun(REPO, h.env.fake.dispatches(REPO)[0]!.runId, { remediate: 'success' });
    h.startExecutor({ owner: 'restarted' });
    h.env.fake.webhooks.release();
    await reported(h);
    assert.deepEqual([h.restarts(), h.target.hits.length, h.env.fake.dispatches(REPO).length], [1, 1, 1], 'nothing twice');
    const body = comments(h, number);
    assert.equal(body.length, 1);
    assert.match(body[0]!.body, /Executed: 4 of 4 actions succeeded/);
    assert.match(body[0]!.body, /remediate\.yml run #1 concluded success/);
    assert.equal(h.audits.length, 1);
  });

  it('/pitcrew pause between two actions: the rest are skipped, the PR says so, and the breaker does not count it', async () => {
    let h: ExecutionHarness | null = null;
    h = await executionHarness({
      afterAction: async (key) => {
        if (key.endsWith(':0')) await h!.killSwitch.pause('alice', 'stop now');
      },
      files: { '.github/pitcrew.yml': `approvers:\n  low: [alice, bob, "@acme/sre"]\nbreaker:\n  failures: 1\n  windowMinutes: 60\n` },
    });
    const number = await proposeApproved(h, h.plan());
    await h.env.fake.as('alice').merge(REPO, number);
    await h.settled();
    assert.deepEqual([h.restarts(), h.target.hits.length, h.env.fake.dispatches(REPO).length], [1, 0, 0]);
    const body = comments(h, number)[0]!.body;
    assert.match(body, /Stopped: 1 of 4 actions ran, 3 skipped/);
    assert.match(body, /2\. Edit .*: skipped, not run: paused by alice before this action/);
    assert.equal((await h.execution.breaker.state(REPO, { failures: 1, windowMinutes: 60 }, Date.now())).failures, 0);
  });
});
