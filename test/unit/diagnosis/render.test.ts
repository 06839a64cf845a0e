import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkAnnotations, MAX_ANNOTATIONS, repoRelativePath } from '../../../src/diagnosis/annotations.js';
import { createDiagnoser, type Diagnosis } from '../../../src/diagnosis/diagnose.js';
import { fixOffers } from '../../../src/diagnosis/fix-offers.js';
import { fromText } from '../../../src/diagnosis/log-source.js';
import { COMMENT_MARKER, commentAction, renderComment, type JobReport } from '../../../src/diagnosis/render.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'ci-logs');
const NOW = Date.UTC(2026, 2, 2, 10, 30);
const identity = (t: string) => t;

async function diagnoseText(text: string): Promise<Diagnosis> {
  return createDiagnoser().diagnose(fromText('x', text));
}

async function diagnoseFixture(name: string): Promise<Diagnosis> {
  return diagnoseText(readFileSync(join(FIXTURES, name), 'utf8'));
}

describe('renderComment (failing)', () => {
  it('leads with a one-line summary, then per job: category, evidence in a code block, cause, fix', async () => {
    const jobs: JobReport[] = [
      { job: 'test (ubuntu)', url: 'https://github.com/acme/api/actions/runs/1/job/2', diagnosis: await diagnoseFixture('jest.log') },
      { job: 'typecheck', diagnosis: await diagnoseFixture('tsc.log') },
    ];
    const md = renderComment({ state: 'failing', sha: 'abc1234def', jobs, updatedAt: NOW, runUrl: 'https://github.com/acme/api/actions/runs/1' }, { redact: identity });
    const lines = md.split('\n');
    assert.equal(lines[0], COMMENT_MARKER);
    assert.equal(lines[1], '### ❌ CI failed: 2 jobs — test failure in `test (ubuntu)`, type check error in `typecheck`');
    assert.match(lines[2]!, /commit `abc1234` · \[workflow run\]\(https:\/\/github.com\/acme\/api\/actions\/runs\/1\) · updated 2026-03-02 10:30 UTC/);
    assert.match(md, /#### `test \(ubuntu\)` — Test failure · step `npm test` · \[log\]\(https:\/\/github.com\/acme\/api\/actions\/runs\/1\/job\/2\)/);
    assert.match(md, /```text\n[^`]*● cart › total › applies the discount once[^`]*```/);
    assert.match(md, /\*\*Likely cause:\*\* A test assertion failed/);
    assert.match(md, /\*\*Suggested fix:\*\* Run the failing test locally/);
    assert.match(md, /error TS2322/);
    assert.ok(!md.includes('\x1b'), 'no escape codes reach the comment');
  });

  it('folds long evidence into <details> and keeps the first lines visible', async () => {
    const log = ['FAIL src/big.test.ts', '  ● big › compares a long object', '', ...Array.from({ length: 40 }, (_, i) => `    - "key${i}": ${i},`), '', 'Tests: 1 failed'].join('\n');
    const md = renderComment({ state: 'failing', sha: 'abc1234', jobs: [{ job: 'test', diagnosis: await diagnoseText(log) }], updatedAt: NOW }, { redact: identity, visibleLines: 5 });
    const folded = /<details><summary>(\d+) more lines<\/summary>/.exec(md);
    assert.ok(folded, md);
    assert.ok(Number(folded[1]) > 30);
    const visible = md.slice(0, md.indexOf('<details><summary>'));
    assert.match(visible, /● big › compares a long object/);
    assert.ok(!visible.includes('key39'));
  });

  it('never shows text the redactor removed', async () => {
    const log = ['##[group]Run ./deploy.sh', '##[endgroup]', 'curl -H "Authorization: Bearer sk_live_ABCDEF123456" https://api.example.com', 'error: 401 Unauthorized for token sk_live_ABCDEF123456', '##[error]Process completed with exit code 1.'].join('\n');
    const diagnosis = await diagnoseText(log);
    const redact = (t: string) => t.replace(/sk_live_\w+/g, '[secret]');
    const md = renderComment({ state: 'failing', sha: 'abc1234', jobs: [{ job: 'deploy', diagnosis, similar: [{ id: '1', repo: 'acme/api', title: 'deploy failed with sk_live_ABCDEF123456', score: 0.9 }] }], updatedAt: NOW }, { redact });
    assert.ok(md.includes('[secret]'));
    assert.ok(!md.includes('sk_live_ABCDEF123456'));
  });

  it('cannot be broken out of its code block, and does not @mention anyone', async () => {
    const log = ['FAIL src/md.test.ts', '  ● renders ``` fences and @octocat mentions', '    Expected: "```"'].join('\n');
    const diagnosis = await diagnoseText(log);
    const md = renderComment({ state: 'failing', sha: 'abc1234', jobs: [{ job: 'test', diagnosis, flaky: { flaky: true, passedOnRerun: false, defaultBranchFailures: 2, reasons: ['seen by @octocat on main'] } }], updatedAt: NOW }, { redact: identity });
    assert.match(md, /````text\n/);
    assert.ok(md.includes('@\u200boctocat on main'));
  });

  it('says when a failure is flaky or the base branch is broken, in the summary and the job', async () => {
    const diagnosis = await diagnoseFixture('go-test.log');
    const md = renderComment({
      state: 'failing',
      sha: 'abc1234',
      updatedAt: NOW,
      jobs: [{
        job: 'test',
        diagnosis,
        flaky: { flaky: true, passedOnRerun: true, defaultBranchFailures: 0, reasons: ['attempt 2 of this run passed on the same commit'] },
        brokenTrunk: { brokenTrunk: true, baseFailsDifferently: false, reasons: ['main fails the same way (run 77 on beefcaf)'] },
      }],
    }, { redact: identity });
    assert.match(md.split('\n')[1]!, /\(likely flaky, base branch broken\)$/);
    assert.match(md, /🔁 \*\*Likely flaky:\*\* attempt 2 of this run passed on the same commit\. A re-run may pass\./);
    assert.match(md, /🚧 \*\*Not caused by this PR:\*\* main fails the same way \(run 77 on beefcaf\)\./);
  });

  it('lists similar past failures, folded', async () => {
    const md = renderComment({ state: 'failing', sha: 'abc1234', updatedAt: NOW, jobs: [{ job: 'test', diagnosis: await diagnoseFixture('pytest.log'), similar: [
      { id: 'a', repo: 'acme/api', title: 'test_invoice_total rounding', url: 'https://github.com/acme/api/pull/12', score: 0.91, occurredAt: Date.UTC(2026, 1, 3), resolution: '#13' },
    ] }] }, { redact: identity });
    assert.match(md, /<details><summary>Similar past failures \(1\)<\/summary>\n\n- \[test_invoice_total rounding\]\(https:\/\/github.com\/acme\/api\/pull\/12\) · 2026-02-03 · fixed by #13\n\n<\/details>/);
  });

  it('stays under GitHub\'s comment size limit however much evidence there is', async () => {
    const diagnosis = await diagnoseFixture('jest.log');
    const jobs = Array.from({ length: 200 }, (_, i) => ({ job: `shard ${i}`, diagnosis }));
    assert.ok(renderComment({ state: 'failing', sha: 'abc1234', updatedAt: NOW, jobs }, { redact: identity }).length <= 65_536);
  });
});

describe('renderComment (resolved)', () => {
  it('says resolved, in the same comment, and folds what failed before', () => {
    const md = renderComment({ state: 'resolved', sha: 'def5678aa', updatedAt: NOW, previous: { sha: 'abc1234', jobs: [{ job: 'test (ubuntu)', category: 'test_assertion' }] } }, { redact: identity });
    assert.equal(md.split('\n')[0], COMMENT_MARKER);
    assert.equal(md.split('\n')[1], '### ✅ Resolved: CI is green again');
    assert.match(md, /commit `def5678` passed/);
    assert.match(md, /<details><summary>Earlier failure on `abc1234`<\/summary>\n\n- `test \(ubuntu\)`: test failure\n\n<\/details>/);
    assert.ok(!md.includes('❌'));
  });
});

describe('checkAnnotations', () => {
  it('points at file:line for compiler and test errors, relative to the repository', async () => {
    const tsc = checkAnnotations(await diagnoseFixture('tsc.log'), identity);
    assert.deepEqual(tsc.map((a) => [a.path, a.start_line, a.start_column, a.annotation_level]), [['src/cart/cart.ts', 42, 7, 'failure'], ['src/api/client.ts', 17, 21, 'failure']]);
    const rust = checkAnnotations(await diagnoseFixture('cargo.log'), identity);
    assert.deepEqual(rust.map((a) => [a.path, a.start_line]), [['core/src/config.rs', 27]]);
    const maven = checkAnnotations(await diagnoseFixture('maven.log'), identity);
    assert.deepEqual(maven.map((a) => [a.path, a.start_line]), [['src/main/java/com/acme/billing/Invoice.java', 58]]);
    const pytest = checkAnnotations(await diagnoseFixture('pytest.log'), identity);
    assert.ok(pytest.some((a) => a.path === 'tests/test_invoice.py' && a.start_line === 14));
  });

  it('skips third-party and absolute paths outside the checkout, and caps the count', async () => {
    assert.equal(repoRelativePath('/usr/lib/node_modules/npm/lib/cli.js'), undefined);
    assert.equal(repoRelativePath('node_modules/react/index.js'), undefined);
    assert.equal(repoRelativePath('/home/runner/work/api/api/src/a.ts'), 'src/a.ts');
    const many = Array.from({ length: 80 }, (_, i) => `src/f${i}.ts(${i + 1},1): error TS2304: Cannot find name 'x${i}'.`).join('\n');
    assert.equal(checkAnnotations(await diagnoseText(many), identity).length, MAX_ANNOTATIONS);
  });

  it('redacts annotation messages', async () => {
    const d = await diagnoseText("src/a.ts(1,1): error TS2304: Cannot find name 'ghp_SECRET'.");
    assert.ok(!JSON.stringify(checkAnnotations(d, (t) => t.replace(/ghp_\w+/g, '***'))).includes('ghp_SECRET'));
  });
});

describe('fixOffers', () => {
  it('offers a re-run for flaky failures, a lockfile regeneration and a snapshot update where they apply', async () => {
    const flaky = { flaky: true, passedOnRerun: true, defaultBranchFailures: 0, reasons: ['attempt 2 passed'] };
    assert.deepEqual(fixOffers(await diagnoseFixture('go-test.log'), flaky).map((o) => o.kind), ['rerun_failed_jobs']);
    const snapshot = fixOffers(await diagnoseFixture('jest-snapshot.log'));
    assert.deepEqual(snapshot.map((o) => [o.kind, 'command' in o ? o.command : '']), [['update_snapshots', 'npx jest -u']]);
    const lock = fixOffers(await diagnoseText('npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync.'));
    assert.deepEqual(lock.map((o) => [o.kind, 'command' in o ? o.command : '']), [['regenerate_lockfile', 'npm install --package-lock-only']]);
    assert.deepEqual(fixOffers(await diagnoseFixture('tsc.log')), []);
  });
});

describe('commentAction', () => {
  it('keeps exactly one comment per PR: fails twice, then passes → one comment, finally resolved', async () => {
    const comments: Array<{ id: number; body: string; byPitcrew: boolean }> = [{ id: 1, body: 'LGTM', byPitcrew: false }];
    const apply = (body: string) => {
      const action = commentAction(comments, body);
      if (action.kind === 'create') comments.push({ id: comments.length + 1, body, byPitcrew: true });
      if (action.kind === 'update') comments.find((c) => c.id === action.id)!.body = body;
      return action.kind;
    };
    const first = renderComment({ state: 'failing', sha: 'aaaaaaa', updatedAt: NOW, jobs: [{ job: 'test', diagnosis: await diagnoseFixture('jest.log') }] }, { redact: identity });
    const second = renderComment({ state: 'failing', sha: 'bbbbbbb', updatedAt: NOW + 60_000, jobs: [{ job: 'lint', diagnosis: await diagnoseFixture('eslint.log') }] }, { redact: identity });
    const resolved = renderComment({ state: 'resolved', sha: 'ccccccc', updatedAt: NOW + 120_000, previous: { sha: 'bbbbbbb', jobs: [{ job: 'lint', category: 'lint_error' }] } }, { redact: identity });
    assert.deepEqual([apply(first), apply(first), apply(second), apply(resolved)], ['create', 'none', 'update', 'update']);
    const ours = comments.filter((c) => c.body.startsWith(COMMENT_MARKER));
    assert.equal(ours.length, 1);
    assert.match(ours[0]!.body, /Resolved: CI is green again/);
  });

  it('posts nothing when CI passes on a PR that never failed, and never edits a comment someone else wrote', () => {
    const resolved = renderComment({ state: 'resolved', sha: 'ccccccc', updatedAt: NOW }, { redact: identity });
    assert.deepEqual(commentAction([], resolved), { kind: 'none' });
    const quoted = { id: 7, body: `${COMMENT_MARKER}\n> quoting pitcrew`, byPitcrew: false };
    assert.deepEqual(commentAction([quoted], '<!-- pitcrew:ci-diagnosis -->\n### ❌ CI failed'), { kind: 'create' });
  });
});
