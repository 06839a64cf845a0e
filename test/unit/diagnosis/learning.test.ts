import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDiagnoser } from '../../../src/diagnosis/diagnose.js';
import { captureExample } from '../../../src/diagnosis/learning/example.js';
import { buildProfile } from '../../../src/diagnosis/learning/profile.js';
import { lineTemplate, similarity } from '../../../src/diagnosis/learning/template.js';
import { fromText } from '../../../src/diagnosis/log-source.js';
import { InMemoryConfirmedExamples } from '../../../src/store/ci-confirmed-repo.js';

/** A repository whose checker prints its verdict without any error word, between separators. */
function checkerLog(seed: number, problem: string): string {
  const filler = Array.from({ length: 40 + seed * 7 }, (_, i) => `checking page ${i}: ok`);
  return [
    '$ ./ci/check-links.sh',
    ...filler,
    '~~~~~~~~~~~~~~~~~~~~~~~~',
    `Problems with links (${seed}):`,
    `  ${problem}`,
    '~~~~~~~~~~~~~~~~~~~~~~~~',
    'report written to links.json',
    'The command "./ci/check-links.sh" exited with 1.',
  ].join('\n');
}

function spanOf(log: string, first: string, last: string): { start_line: number; end_line: number } {
  const lines = log.split('\n');
  return { start_line: lines.findIndex((l) => l.includes(first)) + 1, end_line: lines.findIndex((l) => l.includes(last)) + 1 };
}

describe('learning from confirmed diagnoses', () => {
  it("reads a repository's own log shape after confirmations, generalizing to new content and positions", async () => {
    const diagnoser = createDiagnoser({ examples: new InMemoryConfirmedExamples() });
    const fresh = checkerLog(9, '[L77] 404 https://old.example.org/docs');
    const before = await diagnoser.diagnose(fromText('fresh', fresh), { repo: 'acme/docs' });

    for (const [seed, problem] of [[1, '[L12] 301 https://a.example.com'], [2, '[L40] 500 https://b.example.com/x'], [3, '[L9] 404 https://c.example.com']] as const) {
      const log = checkerLog(seed, problem);
      await diagnoser.confirm(fromText(`ex${seed}`, log), { repo: 'acme/docs', spans: [spanOf(log, 'Problems with links', problem)] });
    }
    const after = await diagnoser.diagnose(fromText('fresh', fresh), { repo: 'acme/docs' });
    const expected = spanOf(fresh, 'Problems with links', '[L77] 404');
    assert.equal(after.learned, true);
    assert.deepEqual(after.lineNumbers, [expected.start_line, expected.end_line]);
    assert.notDeepEqual(before.lineNumbers, after.lineNumbers, 'without confirmations the general rules answer differently');
  });

  it('keeps what it learned per repository', async () => {
    const diagnoser = createDiagnoser({ examples: new InMemoryConfirmedExamples() });
    const log = checkerLog(1, '[L12] 301 https://a.example.com');
    await diagnoser.confirm(fromText('ex', log), { repo: 'acme/docs', spans: [spanOf(log, 'Problems with links', '[L12]')] });
    const other = await diagnoser.diagnose(fromText('x', checkerLog(4, '[L1] 404 https://z.example.com')), { repo: 'acme/other' });
    assert.equal(other.learned, false);
  });

  it('falls back to the general rules when no learned shape matches', async () => {
    const diagnoser = createDiagnoser({ examples: new InMemoryConfirmedExamples() });
    const log = checkerLog(1, '[L12] 301 https://a.example.com');
    await diagnoser.confirm(fromText('ex', log), { repo: 'acme/docs', spans: [spanOf(log, 'Problems with links', '[L12]')] });
    const d = await diagnoser.diagnose(fromText('x', ['--- FAIL: TestX (0.01s)', '    x_test.go:3: boom', 'FAIL'].join('\n')), { repo: 'acme/docs' });
    assert.equal(d.learned, false);
    assert.deepEqual(d.lineNumbers, [1, 2]);
  });

  it('learns the category a human confirmed', async () => {
    const diagnoser = createDiagnoser({ examples: new InMemoryConfirmedExamples() });
    const log = checkerLog(1, '[L12] 301 https://a.example.com');
    await diagnoser.confirm(fromText('ex', log), { repo: 'acme/docs', spans: [spanOf(log, 'Problems with links', '[L12]')], category: 'lint_error' });
    const d = await diagnoser.diagnose(fromText('x', checkerLog(5, '[L3] 410 https://q.example.com')), { repo: 'acme/docs' });
    assert.equal(d.category, 'lint_error');
  });

  it('stores only the confirmed lines and a little context, redacted', async () => {
    const log = ['setup', 'token=ghp_SECRET123', 'Problems with links (1):', '  [L1] 404 https://x', 'after', 'more'].join('\n');
    const example = await captureExample(fromText('x', log), { repo: 'acme/docs', spans: [{ start_line: 3, end_line: 4 }], redact: (t) => t.replace(/ghp_\w+/g, '[redacted]') });
    assert.deepEqual(example.spans[0]!.lines, ['Problems with links (1):', '  [L1] 404 https://x']);
    assert.deepEqual(example.spans[0]!.before, ['setup', 'token=[redacted]']);
    assert.deepEqual(example.spans[0]!.after, ['after', 'more']);
    assert.ok(!JSON.stringify(example).includes('SECRET'));
  });

  it('rejects confirmed lines past the end of the log', async () => {
    await assert.rejects(captureExample(fromText('x', 'one\ntwo'), { repo: 'a/b', spans: [{ start_line: 10, end_line: 12 }] }), /past the end of x/);
  });

  it('compares line templates, not text: numbers and hashes vary, words decide', () => {
    assert.ok(similarity(lineTemplate('--- FAIL: TestX (0.03s)'), lineTemplate('--- FAIL: TestX (2.61s)')) === 1);
    assert.ok(similarity(lineTemplate('pkg.FooTest > works FAILED'), lineTemplate('pkg.FooTest > works SKIPPED')) < 0.9);
    const profile = buildProfile('a/b', []);
    assert.deepEqual(profile.patterns, []);
  });

  it("learns a repository's noise: lines the general rules picked in confirmed logs are not reported again", async () => {
    const log = (seed: number, failure: string[]) => [
      '$ ./ci/run.sh',
      ...Array.from({ length: 20 + seed }, (_, i) => `step ${i} ok`),
      'warning: retrying download of cache.tar (attempt 2)',
      'ERROR: cache server unavailable, continuing without cache',
      ...Array.from({ length: 5 }, (_, i) => `build ${i} ok`),
      ...failure,
      ...Array.from({ length: seed * 3 }, (_, i) => `cleanup ${i}`),
      'The command "./ci/run.sh" exited with 1.',
    ].join('\n');
    const noise = 'ERROR: cache server unavailable, continuing without cache';
    const diagnoser = createDiagnoser({ examples: new InMemoryConfirmedExamples() });
    const fresh = log(9, ['spellcheck: 3 unknown words in docs/x.md', '  -> recieve, teh, adress']);
    const textOf = (d: Awaited<ReturnType<typeof diagnoser.diagnose>>) => d.blocks.flatMap((b) => b.lines.map((l) => l.text));
    assert.ok(textOf(await diagnoser.diagnose(fromText('fresh', fresh), { repo: 'acme/site' })).includes(noise), 'zero-shot, the noise looks like the error');
    for (const [i, failure] of [['check: page a.md has a bad anchor', '  -> #intro'], ['check: page b.md is too long', '  -> 12000 words'], ['check: page c.md has no title', '  -> add a heading']].entries()) {
      const text = log(i, failure);
      const start = text.split('\n').indexOf(failure[0]!) + 1;
      await diagnoser.confirm(fromText(`ex${i}`, text), { repo: 'acme/site', spans: [{ start_line: start, end_line: start + 1 }] });
    }
    const after = await diagnoser.diagnose(fromText('fresh', fresh), { repo: 'acme/site' });
    assert.ok(!textOf(after).includes(noise), 'the confirmed logs showed that line is noise');
    assert.equal(after.learned, false, 'the new failure has a shape never confirmed: the general rules answered');
  });
});
