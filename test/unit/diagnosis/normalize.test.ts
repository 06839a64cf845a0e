import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indentOf, normalizeLine, sanitizeForDisplay } from '../../../src/diagnosis/normalize.js';

describe('normalizeLine', () => {
  it('strips the GitHub Actions timestamp and keeps the text', () => {
    assert.equal(normalizeLine('2026-04-22T16:11:48.3180578Z npm ERR! code ERESOLVE').text, 'npm ERR! code ERESOLVE');
    assert.equal(normalizeLine('2026-04-22T16:11:48Z ok').text, 'ok');
  });

  it('does not eat text that only looks like a date', () => {
    assert.equal(normalizeLine('2026-04-22 release notes').text, '2026-04-22 release notes');
  });

  it('removes ANSI colours, also the caret-escaped form some exports use', () => {
    assert.equal(normalizeLine('\x1b[31;1m  FAIL\x1b[0m test/a.test.ts').text, '  FAIL test/a.test.ts');
    assert.equal(normalizeLine('^[[31m^[[1mE   AssertionError^[[0m').text, 'E   AssertionError');
  });

  it('recognizes GitHub workflow-command markers', () => {
    assert.deepEqual(normalizeLine('2026-01-01T00:00:00.0000000Z ##[group]Run npm test'), { text: 'Run npm test', gh: 'group' });
    assert.deepEqual(normalizeLine('##[endgroup]'), { text: '', gh: 'endgroup' });
    assert.deepEqual(normalizeLine('##[error]Process completed with exit code 1.'), { text: 'Process completed with exit code 1.', gh: 'error' });
    assert.deepEqual(normalizeLine('::error file=app.js,line=1::Missing semicolon'), { text: 'Missing semicolon', gh: 'error' });
  });

  it('reads the job and step from `gh run view --log` lines', () => {
    const line = normalizeLine('build\tRun tests\t2026-01-01T00:00:00.1234567Z FAIL src/a.test.ts');
    assert.equal(line.text, 'FAIL src/a.test.ts');
    assert.equal(line.stepLabel, 'build\tRun tests');
  });

  it('shows the last frame of a progress bar redrawn with carriage returns', () => {
    assert.equal(normalizeLine('Downloading 10%\rDownloading 55%\rDownloading 100%\r').text, 'Downloading 100%');
    assert.equal(normalizeLine('error: boom\r\x1b[K\r').text, 'error: boom');
  });

  it('applies backspaces like a terminal', () => {
    assert.equal(normalizeLine('Solving environment: - \b\b\\ \b\bfailed').text, 'Solving environment: failed');
  });

  it('strips Travis fold and timer markers', () => {
    const folded = normalizeLine('travis_fold:end:install\r\x1b[0Ktravis_time:start:0a1b\r\x1b[0K$ npm test');
    assert.equal(folded.text, '$ npm test');
    assert.deepEqual(normalizeLine('travis_fold:start:worker_info\r\x1b[0K'), { text: '', travisMarker: true });
  });

  it('sanitizes text for display: no escapes or control bytes reach a terminal or a comment', () => {
    assert.equal(sanitizeForDisplay('a\x1b[2Jb\x07c\x00d\te'), 'abcd\te');
  });

  it('measures indentation, tabs as four, blank as -1', () => {
    assert.equal(indentOf('    at foo'), 4);
    assert.equal(indentOf('\tat foo'), 4);
    assert.equal(indentOf('   '), -1);
  });
});
