import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentHash, parseRunbook } from '../../../src/knowledge/runbooks/parse-runbook.js';
import type { Runbook } from '../../../src/knowledge/runbooks/runbook.js';

function parse(text: string, path = 'alerts/KubePodCrashLooping.md'): Runbook {
  const result = parseRunbook(text, '/srv/runbooks', path);
  assert.ok(result.ok, 'parses');
  return result.runbook;
}

describe('parseRunbook', () => {
  it('takes the title from the first heading and alert names from the file name and alert-name headings', () => {
    const runbook = parse('# MCCDrainError [Deprecated]\n\n## Meaning\n\nx\n\n## KubeNodeNotReady / KubeNodeUnreachable\n\ny\n\n## Diagnosis\n\nz', 'mco/MachineConfigControllerDrainErrorAlert.md');
    assert.equal(runbook.title, 'MCCDrainError [Deprecated]');
    assert.deepEqual(runbook.derivedAlerts, ['MachineConfigControllerDrainErrorAlert', 'MachineConfigControllerDrainError', 'MCCDrainError', 'KubeNodeNotReady', 'KubeNodeUnreachable']);
  });

  it('does not take alert names from ordinary headings or from README files', () => {
    const runbook = parse('# Operations guide\n\n## Meaning\n\nx\n\n## Check the node\n\ny', 'README.md');
    assert.equal(runbook.title, 'Operations guide');
    assert.deepEqual(runbook.derivedAlerts, []);
  });

  it('chunks by heading section and keeps the heading path, ignoring "#" lines inside code fences', () => {
    const runbook = parse('# Disk\n\nintro\n\n## Diagnosis\n\n```sh\n# not a heading\ndf -h\n```\n\n### Logs\n\njournalctl\n\n## Mitigation\n\nclean');
    assert.deepEqual(runbook.chunks.map((chunk) => [chunk.headingPath, chunk.line]), [
      [['Disk'], 1],
      [['Disk', 'Diagnosis'], 5],
      [['Disk', 'Diagnosis', 'Logs'], 12],
      [['Disk', 'Mitigation'], 16],
    ]);
    assert.match(runbook.chunks[1]!.text, /# not a heading\ndf -h/);
  });

  it('splits a long section at paragraph boundaries, each piece keeping the heading path', () => {
    const paragraph = 'word '.repeat(200).trim();
    const runbook = parse(`# T\n\n## Long\n\n${[paragraph, paragraph, paragraph].join('\n\n')}`);
    const long = runbook.chunks.filter((chunk) => chunk.headingPath.at(-1) === 'Long');
    assert.ok(long.length >= 2);
    assert.ok(long.every((chunk) => chunk.text.length <= 1_800));
  });

  it('counts front-matter lines when reporting section lines, and uses declared fields', () => {
    const runbook = parse('---\ntitle: Crash loop\nalerts: [PodCrashLoopBackOff]\nservices: [api]\n---\n# Heading\n\ntext');
    assert.equal(runbook.title, 'Crash loop');
    assert.deepEqual(runbook.declaredAlerts, ['PodCrashLoopBackOff']);
    assert.deepEqual(runbook.services, ['api']);
    assert.equal(runbook.chunks[0]!.line, 6);
  });

  it('recognises a "moved to" stub and records where it points', () => {
    const runbook = parse('# KubeAPIDown\n\nThis alert has been moved to [alerts/kas/KubeAPIDown.md](https://github.com/o/r/blob/master/alerts/kas/KubeAPIDown.md)');
    assert.equal(runbook.movedTo, 'https://github.com/o/r/blob/master/alerts/kas/KubeAPIDown.md');
    assert.equal(parse('# KubeAPIDown\n\nThe API moved to a new port in 4.2; see [docs](x.md) and check the ' + 'long text '.repeat(80)).movedTo, undefined);
  });

  it('gives a malformed front matter as a failure with its line, and changes the hash when the text changes', () => {
    const result = parseRunbook('---\nalerts: [a\n---\n# T', '/r', 'x.md');
    assert.equal(result.ok, false);
    assert.notEqual(contentHash('# A'), contentHash('# B'));
  });
});
