import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runDemo } from '../../src/demo/run-demo.js';
import { repoRoot } from '../support/processes.js';

describe('npm run demo', () => {
  it('runs the whole loop: the PR is merged, executed, verified, and the audit branch carries the trailers', async () => {
    const lines: string[] = [];
    const result = await runDemo({ root: repoRoot, out: (line) => lines.push(line), keep: true, stepTimeoutMs: 60_000 });
    const output = lines.join('\n');
    try {
      assert.equal(result.failed, null, output);
      assert.equal(result.ok, true, output);
      assert.equal(result.prNumber, 1);
      assert.equal(result.merged, true, 'the fix PR was merged through the protected branch');
      assert.equal(result.verified, true, 'the resolved alert cleared the verification');

      // The audit trail, read again from the real clone the demo made.
      const clone = join(result.dataDir, 'clone');
      const git = (...args: string[]) => execFileSync('git', ['-C', clone, ...args], { encoding: 'utf8' }).trim();
      assert.equal(git('rev-list', '--count', 'pitcrew-audit'), '1', 'one execution, one audit commit');
      assert.equal(git('rev-parse', 'pitcrew-audit'), result.auditSha);
      const trailers = execFileSync('git', ['interpret-trailers', '--parse'], { input: git('log', '-1', '--format=%B', 'pitcrew-audit'), encoding: 'utf8' });
      assert.match(trailers, /^Pitcrew-Plan: plan_[a-z0-9]+@sha256:[0-9a-f]{64}$/m);
      assert.match(trailers, /^Approved-by: carol \([0-9a-f]{40}\)$/m);
      assert.match(trailers, /^Merged-by: bob$/m);
      assert.match(trailers, /^Executed-at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/m);
      assert.match(trailers, /^Outcome: succeeded$/m);
      assert.equal(git('ls-tree', '-r', '--name-only', 'pitcrew-audit').split('\n').length, 1, 'the audit branch holds the one record');

      // What the on-call engineer saw in the thread, in order.
      const thread = result.thread.join('\n');
      // The Slack fake's #incidents channel, as pitcrew's Slack app posted it.
      assert.match(result.thread[0]!, /^Resolved: #1 KubeContainerOOMKilled.*\bresolved\)$/);
      const replies = result.thread.slice(1);
      const order = [/^Matched runbook: Container OOMKilled/, /^Plan: KubeContainerOOMKilled on payments-api/, /^Fix PR #1 opened/, /^Executed: 2 of 2 actions succeeded/, /^Verified: KubeContainerOOMKilled cleared/];
      assert.deepEqual(order.map((pattern) => replies.findIndex((reply) => pattern.test(reply))), [0, 1, 2, 3, 4], thread);
      assert.match(output, /bob merged #1 as [0-9a-f]{7}/);
      assert.match(output, /payments-api now has 4 replicas/);
      assert.match(output, /✔ demo finished in/);
    } finally {
      if (existsSync(result.dataDir)) rmSync(result.dataDir, { recursive: true, force: true });
    }
  });
});
