import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { ExecutionRecord } from '../../../../src/domain/execution.js';
import { auditCommitMessage, auditRecordPath, readExecutionKey, renderAuditRecord } from '../../../../src/pipeline/record/audit-record.js';

const record: ExecutionRecord = {
  repo: 'acme/deploy', prNumber: 7, prUrl: 'https://github.example/acme/deploy/pull/7', planId: 'plan_a1', planHash: `sha256:${'c'.repeat(64)}`,
  incidentId: 'inc_42', mergeSha: 'f'.repeat(40), headSha: 'e'.repeat(40), proposedBy: null, approvals: [{ login: 'carol', sha: 'e'.repeat(40) }],
  mergedBy: 'bob', executedAt: Date.UTC(2027, 0, 1, 0, 0, 1), outcome: 'failed', reason: 'kubernetes.scale: 403 forbidden',
  actions: [{ index: 0, type: 'kubernetes.scale', idempotencyKey: 'k', outcome: 'failed', detail: 'forbidden:\nline two' }], evidenceDigest: 'sha256:0',
};

const parse = (message: string) => execFileSync('git', ['interpret-trailers', '--parse'], { input: message, encoding: 'utf8' }).trim().split('\n');

describe('audit record rendering', () => {
  it('files the record under the execution year (UTC) with the plan id and the short merge SHA', () => {
    assert.equal(auditRecordPath(record), 'executions/2027/plan_a1-fffffff.json');
    assert.equal(auditRecordPath({ ...record, executedAt: Date.UTC(2026, 11, 31, 23, 59) }), 'executions/2026/plan_a1-fffffff.json');
  });

  it('the message has a scannable subject, the reason and actions on one line each, and trailers git parses', () => {
    const message = auditCommitMessage(record);
    assert.equal(message.split('\n')[0], 'pitcrew: failed plan_a1 from acme/deploy#7 (fffffff)');
    assert.match(message, /^Reason: kubernetes\.scale: 403 forbidden$/m);
    assert.match(message, /^- 1\. kubernetes\.scale: failed \(forbidden: line two\)$/m);
    assert.deepEqual(parse(message), [
      `Pitcrew-Plan: plan_a1@sha256:${'c'.repeat(64)}`,
      `Approved-by: carol (${'e'.repeat(40)})`,
      'Merged-by: bob',
      'Executed-at: 2027-01-01T00:00:01.000Z',
      'Outcome: failed',
      'Pitcrew-PR: acme/deploy#7',
      `Pitcrew-Execution: plan_a1@${'f'.repeat(40)}`,
    ]);
    assert.equal(readExecutionKey(message), `plan_a1@${'f'.repeat(40)}`);
  });

  it('an unknown merger and no approvals still give well-formed trailers', () => {
    const trailers = parse(auditCommitMessage({ ...record, mergedBy: null, approvals: [], outcome: 'refused' }));
    assert.ok(trailers.includes('Merged-by: unknown'));
    assert.ok(!trailers.some((line) => line.startsWith('Approved-by')));
  });

  it('the record file is stable JSON with the schema tag', () => {
    const text = renderAuditRecord(record);
    assert.equal(text, renderAuditRecord({ ...record }));
    const file = JSON.parse(text) as Record<string, unknown>;
    assert.equal(file.schema, 'pitcrew.execution/v1');
    assert.equal(file.executedAt, '2027-01-01T00:00:01.000Z');
    assert.deepEqual(Object.keys(file).slice(0, 4), ['schema', 'repo', 'pullRequest', 'plan']);
  });
});
