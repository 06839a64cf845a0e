import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadRunbooks } from '../../../src/knowledge/runbooks/load-runbooks.js';
import { tempDir } from '../../support/tmp.js';

describe('loadRunbooks', () => {
  it('skips a file with malformed front matter with a problem naming the file and line, and loads everything else', () => {
    const root = tempDir();
    mkdirSync(join(root, 'k8s'));
    writeFileSync(join(root, 'k8s', 'good.md'), '# KubePodCrashLooping\n\ntext');
    writeFileSync(join(root, 'k8s', 'bad.md'), '---\ntitle: ok\nalerts: [A, B\n---\n# Bad');
    writeFileSync(join(root, 'plain.markdown'), 'no heading at all');
    writeFileSync(join(root, 'notes.txt'), 'not markdown');
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, '.git', 'x.md'), '# hidden');
    const loaded = loadRunbooks([root, join(root, 'missing')]);
    assert.deepEqual(loaded.runbooks.map((runbook) => runbook.path), ['k8s/good.md', 'plain.markdown']);
    assert.equal(loaded.skipped.length, 1);
    assert.equal(loaded.skipped[0]!.file, join(root, 'k8s', 'bad.md'));
    assert.ok(loaded.skipped[0]!.line >= 3);
    assert.match(loaded.skipped[0]!.message, /invalid YAML/);
    assert.deepEqual(loaded.missingDirs, [join(root, 'missing')]);
    assert.equal(loaded.runbooks[1]!.title, 'plain');
  });
});
