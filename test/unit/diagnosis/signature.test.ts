import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDiagnoser } from '../../../src/diagnosis/diagnose.js';
import { fromText } from '../../../src/diagnosis/log-source.js';
import { failureSignature, normalizeForSignature } from '../../../src/diagnosis/signature.js';

const run = (lines: string[]) => createDiagnoser().diagnose(fromText('x', lines.join('\n')));

describe('failure signatures', () => {
  it('are the same for the same failure on another run: other times, durations, runner paths, ids and addresses', async () => {
    const a = await run([
      '2026-03-01T10:00:00.1111111Z ##[group]Run go test ./...',
      '2026-03-01T10:00:00.1111111Z ##[endgroup]',
      '2026-03-01T10:00:05.1111111Z --- FAIL: TestRateLimiter (0.21s)',
      '2026-03-01T10:00:05.1111111Z     /home/runner/work/api/api/limiter_test.go:48: bucket 0x7f3a2b not refilled after 100ms (req 5f1c2e9a8b)',
      '2026-03-01T10:00:05.2222222Z ##[error]Process completed with exit code 1.',
    ]);
    const b = await run([
      '2026-03-09T23:59:00.9999999Z ##[group]Run go test ./...',
      '2026-03-09T23:59:00.9999999Z ##[endgroup]',
      '2026-03-09T23:59:01.0000000Z noise before the failure',
      '2026-03-09T23:59:07.0000000Z --- FAIL: TestRateLimiter (1.87s)',
      '2026-03-09T23:59:07.0000000Z     /home/runner/work/api/api/limiter_test.go:48: bucket 0x55d00c not refilled after 250ms (req 9e8d7c6b5a)',
      '2026-03-09T23:59:07.1000000Z ##[error]Process completed with exit code 1.',
    ]);
    assert.equal(a.signature.id, b.signature.id);
    assert.match(a.signature.id, /^test_assertion:[0-9a-f]{16}$/);
  });

  it('differ for a different failure', async () => {
    const a = await run(['--- FAIL: TestRateLimiter (0.21s)', '    limiter_test.go:48: bucket not refilled']);
    const b = await run(['--- FAIL: TestCheckout (0.21s)', '    checkout_test.go:12: total = 9, want 10']);
    assert.notEqual(a.signature.id, b.signature.id);
  });

  it('normalize volatile parts but keep file names and messages', () => {
    assert.equal(
      normalizeForSignature('2026-01-02T03:04:05Z /home/travis/build/acme/api/src/app.ts:12:5 timed out after 3000 ms, id 3f2c1a0b-1111-2222-3333-444455556666'),
      '<time> src/app.ts:<n>:<n> timed out after <dur>, id <uuid>',
    );
    assert.equal(normalizeForSignature('wrote /tmp/pytest-of-runner/pytest-1/x.txt'), 'wrote <tmp>');
  });

  it('ignore blank and low-weight lines when there are meaningful ones', () => {
    const a = failureSignature('test_assertion', [{ text: 'FAIL x', weight: 5 }, { text: 'at helper (a.js:1:1)', weight: 0 }]);
    const b = failureSignature('test_assertion', [{ text: 'FAIL x', weight: 5 }, { text: 'at other (b.js:9:9)', weight: 0 }]);
    assert.equal(a.id, b.id);
    assert.deepEqual(a.basis, ['FAIL x']);
  });
});
