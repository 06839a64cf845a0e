import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LINE_LENGTH, splitLines, type LineBreaks } from '../../../src/diagnosis/line-splitter.js';

async function split(chunks: Array<string | Buffer>, breaks: LineBreaks = 'lf'): Promise<string[]> {
  const lines: string[] = [];
  let expected = 1;
  await splitLines((async function* () {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
  })(), breaks, (line, n) => {
    assert.equal(n, expected++, 'line numbers are consecutive from 1');
    lines.push(line);
  });
  return lines;
}

describe('splitLines', () => {
  it('numbers lines like split("\\n"), trailing empty line included', async () => {
    assert.deepEqual(await split(['a\nb\n']), ['a', 'b', '']);
    assert.deepEqual(await split(['a\nb']), ['a', 'b']);
  });

  it('keeps lines that span chunks whole', async () => {
    assert.deepEqual(await split(['err', 'or: bo', 'om\nnext\n']), ['error: boom', 'next', '']);
  });

  it('does not split a multi-byte character that straddles two chunks', async () => {
    const bytes = Buffer.from('✓ passed\n● failed\n');
    assert.deepEqual(await split([bytes.subarray(0, 1), bytes.subarray(1, 13), bytes.subarray(13)]), ['✓ passed', '● failed', '']);
  });

  it('keeps a lone \\r inside the line in lf mode, and ends lines on it in universal mode', async () => {
    assert.deepEqual(await split(['a\rb\nc\r\nd']), ['a\rb', 'c\r', 'd']);
    assert.deepEqual(await split(['a\rb\nc\r\nd'], 'universal'), ['a', 'b', 'c', 'd']);
  });

  it('treats a \\r\\n split across chunks as one break in universal mode', async () => {
    assert.deepEqual(await split(['one\r', '\ntwo\r', 'three'], 'universal'), ['one', 'two', 'three']);
  });

  it('truncates an enormous line without losing the numbering of the next ones', async () => {
    const huge = 'x'.repeat(MAX_LINE_LENGTH * 10);
    const lines = await split(['first\n', huge.slice(0, 100_000), huge.slice(100_000), '\nafter\n']);
    assert.equal(lines.length, 4);
    assert.equal(lines[1]!.length, MAX_LINE_LENGTH);
    assert.equal(lines[2], 'after');
  });

  it('copes with a stream that never has a newline', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const lines = await split(Array.from({ length: 8 }, () => chunk));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.length, MAX_LINE_LENGTH);
  });
});
