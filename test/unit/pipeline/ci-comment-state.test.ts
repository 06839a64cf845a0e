import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capLogSource, capWarning } from '../../../src/diagnosis/capped-source.js';
import { fromText } from '../../../src/diagnosis/log-source.js';
import { parseCiCommand } from '../../../src/pipeline/ci/ci-commands.js';
import { emptyState, readState, toRanges, withState } from '../../../src/pipeline/ci/comment-state.js';

async function drain(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

describe('CI comment state', () => {
  it('round-trips through the comment body and survives text that tries to close the HTML comment', () => {
    const state = emptyState('a'.repeat(40));
    state.failing['ci.yml'] = { runId: '7', runAttempt: 2, jobs: [{ id: '9', name: 'test --> <script>', category: 'test_assertion', signature: 'test_assertion:0123', spans: [[3, 5]], offers: [] }] };
    const body = withState('<!-- pitcrew:ci-diagnosis -->\n### ❌ CI failed\n', state);
    assert.equal(body.match(/-->/g)?.length, 2, 'only the marker and the state comment close');
    assert.deepEqual(readState(body), state);
  });

  it('starts over on a missing or tampered state', () => {
    assert.equal(readState('no state here'), undefined);
    assert.equal(readState('<!-- pitcrew:ci-state {"v":2} -->'), undefined);
    assert.equal(readState('<!-- pitcrew:ci-state {not json -->'), undefined);
    assert.equal(readState('<!-- pitcrew:ci-state {"v":1,"sha":"x","failing":{"w":{"runId":"1","runAttempt":0,"jobs":[]}}} -->'), undefined);
  });

  it('turns line numbers into ranges', () => {
    assert.deepEqual(toRanges([9, 3, 4, 5, 5, 12]), [[3, 5], [9, 9], [12, 12]]);
    assert.deepEqual(toRanges([]), []);
  });
});

describe('CI commands', () => {
  it('parses /pitcrew confirm and /pitcrew fix on their own line only', () => {
    assert.deepEqual(parseCiCommand('/pitcrew confirm'), { kind: 'confirm' });
    assert.deepEqual(parseCiCommand('looks right\n/pitcrew confirm unit tests'), { kind: 'confirm', job: 'unit tests' });
    assert.deepEqual(parseCiCommand('/pitcrew fix ReRun'), { kind: 'fix', word: 'rerun' });
    assert.deepEqual(parseCiCommand('/pitcrew fix lockfile build'), { kind: 'fix', word: 'lockfile', job: 'build' });
    assert.equal(parseCiCommand('please /pitcrew confirm'), undefined);
    assert.equal(parseCiCommand('/pitcrew confirmed'), undefined);
    assert.equal(parseCiCommand('/pitcrew pause'), undefined);
  });
});

describe('capped log source', () => {
  it('stops at the cap and says so', async () => {
    const { source, report } = capLogSource(fromText('x', 'a'.repeat(3 * 1024 * 1024)), { maxBytes: 1024 * 1024 });
    assert.equal((await drain(source.chunks)).length, 1024 * 1024);
    assert.deepEqual(report, { bytesRead: 1024 * 1024, truncated: true, binary: false });
    assert.match(capWarning(report, 1024 * 1024)!, /larger than 1 MB/);
  });

  it('refuses binary data and reads nothing of it', async () => {
    const { source, report } = capLogSource(fromText('x', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x41])), { maxBytes: 1024 });
    assert.equal(await drain(source.chunks), '');
    assert.equal(report.binary, true);
    assert.match(capWarning(report, 1024)!, /binary/);
  });

  it('passes a normal log through untouched', async () => {
    const { source, report } = capLogSource(fromText('x', 'line 1\nline 2\n'), { maxBytes: 1024 });
    assert.equal(await drain(source.chunks), 'line 1\nline 2\n');
    assert.equal(capWarning(report, 1024), undefined);
  });
});
