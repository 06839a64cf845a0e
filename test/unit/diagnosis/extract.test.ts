import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FailureCategory } from '../../../src/diagnosis/categories.js';
import { createDiagnoser, type Diagnosis } from '../../../src/diagnosis/diagnose.js';
import { fromText } from '../../../src/diagnosis/log-source.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'ci-logs');

async function diagnoseFixture(name: string): Promise<{ diagnosis: Diagnosis; lines: string[] }> {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const diagnosis = await createDiagnoser().diagnose(fromText(name, text));
  return { diagnosis, lines: text.split('\n') };
}

/** The evidence, as the raw log lines it points at. */
function evidence(result: { diagnosis: Diagnosis; lines: string[] }): string {
  return result.diagnosis.lineNumbers.map((n) => result.lines[n - 1]).join('\n');
}

interface Case {
  fixture: string;
  category: FailureCategory;
  /** Substrings the evidence must contain: the lines that explain the failure. */
  includes: string[];
  /** Substrings it must not: boilerplate, passing tests, unrelated output. */
  excludes: string[];
  step?: string;
}

const CASES: Case[] = [
  { fixture: 'npm-eresolve.log', category: 'dependency_install', includes: ['npm ERR! code ERESOLVE', 'peer react@"^17.0.0" from react-widgets'], excludes: ['npm WARN deprecated', 'A complete log of this run'], step: 'npm ci' },
  { fixture: 'jest.log', category: 'test_assertion', includes: ['FAIL\x1b[39m src/cart/total.test.ts', '● cart › total › applies the discount once', 'Expected: 90', 'Received: 81', 'src/cart/total.test.ts:14:26'], excludes: ['PASS', 'Snapshots:'] },
  { fixture: 'jest-snapshot.log', category: 'snapshot_diff', includes: ['toMatchSnapshot()', 'class="btn btn--primary"'], excludes: [] },
  { fixture: 'vitest.log', category: 'test_assertion', includes: ['FAIL  src/parse.test.ts > parse > rejects trailing commas', 'AssertionError: expected [Function] to throw an error'], excludes: ['✓ src/math.test.ts'] },
  { fixture: 'tsc.log', category: 'type_error', includes: ["src/cart/cart.ts(42,7): error TS2322", "Property 'retries' does not exist"], excludes: ['> tsc --noEmit'] },
  { fixture: 'eslint.log', category: 'lint_error', includes: ["'tmp' is assigned a value but never used", 'Unexpected console statement'], excludes: ['npx eslint'] },
  { fixture: 'pytest.log', category: 'test_assertion', includes: ['test_invoice_total', 'E       assert 20 == 25', 'tests/test_invoice.py:14: AssertionError'], excludes: ['........'] },
  { fixture: 'mypy.log', category: 'type_error', includes: ['src/billing/invoice.py:33: error: Argument 1 to "round"', 'src/billing/tax.py:8: error'], excludes: [] },
  { fixture: 'go-test.log', category: 'test_assertion', includes: ['--- FAIL: TestRateLimiter', 'limiter_test.go:48: expected 10 requests to pass, got 9'], excludes: ['--- PASS', 'ok  \tgithub.com/acme/api/internal/auth'] },
  { fixture: 'cargo.log', category: 'compile_error', includes: ['error[E0308]: mismatched types', '--> core/src/config.rs:27:20'], excludes: ['Compiling serde'] },
  { fixture: 'maven.log', category: 'compile_error', includes: ['Invoice.java:[58,31] cannot find symbol', 'symbol:   method roundHalfUp'], excludes: ['[INFO] Scanning for projects'] },
  { fixture: 'gradle-junit.log', category: 'test_assertion', includes: ['OrderServiceTest > cancelsUnpaidOrders() FAILED', 'expected: <CANCELLED> but was: <PENDING>'], excludes: ['createsOrder() PASSED'] },
  { fixture: 'docker-build.log', category: 'docker_build', includes: ['#7 ERROR: process "/bin/sh -c npm ci --omit=dev"', 'ERROR: failed to solve'], excludes: ['load build definition'] },
  { fixture: 'gha-config.log', category: 'github_actions_config', includes: ['Input required and not supplied: api-token'], excludes: ['node-version-file'] },
  { fixture: 'oom.log', category: 'timeout_or_oom', includes: ['JavaScript heap out of memory'], excludes: ['webpack 5.91.0 compiling'] },
  { fixture: 'timeout.log', category: 'timeout_or_oom', includes: ['exceeded the maximum execution time of 360 minutes'], excludes: ['starting database container'] },
  { fixture: 'network.log', category: 'network_or_flaky', includes: ['Temporary failure in name resolution', 'No matching distribution found for requests==2.32.3'], excludes: ['Collecting requests'] },
  { fixture: 'permission.log', category: 'permission_or_secret', includes: ['Resource not accessible by integration'], excludes: [] },
  { fixture: 'travis-generic.log', category: 'test_assertion', includes: ["Run 'make docs' to regenerate man/deploy-preview.1", 'Missing page for command: deploy-preview'], excludes: ['Bundle complete', 'Done. Your build exited'], step: './scripts/check_docs.sh' },
];

describe('extraction per ecosystem', () => {
  for (const c of CASES) {
    it(`${c.fixture}: finds the lines that explain the failure and calls it ${c.category}`, async () => {
      const result = await diagnoseFixture(c.fixture);
      const text = evidence(result);
      for (const wanted of c.includes) assert.ok(text.includes(wanted), `evidence of ${c.fixture} lacks "${wanted}":\n${text}`);
      for (const unwanted of c.excludes) assert.ok(!text.includes(unwanted), `evidence of ${c.fixture} includes "${unwanted}":\n${text}`);
      assert.equal(result.diagnosis.category, c.category, `category of ${c.fixture} (${result.diagnosis.reasons.join('; ')})`);
      if (c.step) assert.equal(result.diagnosis.failedStep?.name, c.step);
    });
  }

  it('keeps the same failure printed twice only once, at its first occurrence', async () => {
    const failure = ['  ● api › retries on 503', '', '    Expected: 3', '    Received: 1', ''];
    const log = ['FAIL test/api.test.ts', ...failure, 'Summary of all failing tests', 'FAIL test/api.test.ts', ...failure, 'Tests: 1 failed, 9 passed, 10 total', '##[error]Process completed with exit code 1.'].join('\n');
    const diagnosis = await createDiagnoser().diagnose(fromText('x', log));
    const starts = diagnosis.blocks.filter((b) => b.lines.some((l) => l.text.includes('retries on 503'))).map((b) => b.start);
    assert.deepEqual(starts, [1]);
  });

  it('prefers the failure in the step that failed over errors in steps that passed', async () => {
    const log = [
      '##[group]Run ./setup.sh',
      '##[endgroup]',
      'error: optional cache not found, continuing without it',
      '##[group]Run go test ./...',
      '##[endgroup]',
      '--- FAIL: TestCheckout (0.01s)',
      '    checkout_test.go:12: total = 9, want 10',
      'FAIL',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    const diagnosis = await createDiagnoser().diagnose(fromText('x', log));
    assert.ok(diagnosis.lineNumbers.includes(6) && diagnosis.lineNumbers.includes(7));
    assert.ok(!diagnosis.lineNumbers.includes(3));
    assert.equal(diagnosis.failedStep?.name, 'go test ./...');
  });

  it('falls back to the last lines of a failed step that printed no error words', async () => {
    const log = ['$ ./check_integrity.sh', 'Skip command rscp', "Run 'make docs' to create man/git-rename.1", 'The command "./check_integrity.sh" exited with 1.', '', 'Done. Your build exited with 1.'].join('\n');
    const diagnosis = await createDiagnoser().diagnose(fromText('x', log));
    assert.ok(diagnosis.lineNumbers.includes(3), `got ${diagnosis.lineNumbers}`);
    assert.ok(!diagnosis.lineNumbers.includes(6));
  });

  it('diagnoses a log with no failure in it without inventing much', async () => {
    const log = Array.from({ length: 200 }, (_, i) => `compiled module ${i} in ${i % 17} ms`).join('\n');
    const diagnosis = await createDiagnoser().diagnose(fromText('x', log));
    assert.deepEqual(diagnosis.blocks, []);
    assert.ok(diagnosis.confidence <= 0.3);
  });
});
