import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFrontMatter } from '../../../src/knowledge/runbooks/front-matter.js';

describe('runbook front matter', () => {
  it('is optional: plain markdown has none and keeps its body whole', () => {
    const result = parseFrontMatter('# Disk full\n\ntext');
    assert.deepEqual(result, { ok: true, frontMatter: undefined, body: '# Disk full\n\ntext', bodyLine: 1, warnings: [] });
  });

  it('parses every field, accepts a single name for a list, and validates remediation steps', () => {
    const result = parseFrontMatter([
      '---',
      'title: Disk is filling up',
      'alerts: NodeFilesystemSpaceFillingUp',
      'services: [node-exporter]',
      'tags: [disk]',
      'remediation:',
      '  - kind: notify',
      '    message: "clean {{labels.mountpoint}}"',
      '---',
      '# Heading',
    ].join('\n'));
    assert.ok(result.ok);
    assert.deepEqual(result.frontMatter, {
      title: 'Disk is filling up',
      alerts: ['NodeFilesystemSpaceFillingUp'],
      services: ['node-exporter'],
      tags: ['disk'],
      remediation: [{ kind: 'notify', message: 'clean {{labels.mountpoint}}' }],
    });
    assert.equal(result.body, '# Heading');
    assert.equal(result.bodyLine, 10);
  });

  it('reports invalid YAML with the line in the file', () => {
    const result = parseFrontMatter('---\ntitle: ok\nalerts: [A, B\ntags: x\n---\n# T');
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.line >= 3 && result.line <= 5, `line ${!result.ok && result.line}`);
    assert.match(!result.ok ? result.message : '', /invalid YAML/);
  });

  it('rejects an unknown remediation kind, naming the field and its line', () => {
    const result = parseFrontMatter('---\ntitle: x\nremediation:\n  - kind: notify\n    message: hi\n  - kind: shell.exec\n    command: rm -rf /\n---\n');
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.line, 6);
    assert.match(result.message, /^remediation\.1\.kind: /);
  });

  it('rejects front matter that is never closed', () => {
    const result = parseFrontMatter('---\ntitle: x\n# Body');
    assert.deepEqual(result, { ok: false, line: 1, message: 'front matter starts with "---" but has no closing "---" line' });
  });

  it('warns about a key that looks like a typo of a known one', () => {
    const result = parseFrontMatter('---\nalert: [KubePodCrashLooping]\nowner: team-a\n---\n');
    assert.ok(result.ok);
    assert.deepEqual(result.warnings, ['unknown key "alert" (did you mean "alerts"?); it is ignored']);
    assert.deepEqual(result.frontMatter?.alerts, []);
  });
});
