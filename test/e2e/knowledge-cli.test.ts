import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, runCli } from '../support/processes.js';
import { fixtureRunbooks, writeRunbook } from '../support/knowledge.js';
import { tempDir } from '../support/tmp.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'retrieval');

describe('pitcrew index / search / eval retrieval', () => {
  it('documents every command and option in --help', async () => {
    const cwd = tempDir();
    const index = await runCli(['index', '--help'], { cwd });
    assert.equal(index.code, 0);
    assert.match(index.output, /Usage: pitcrew index \[options\] \[dirs\.\.\.\]/);
    assert.match(index.output, /unchanged files cost nothing/);
    const search = await runCli(['search', '--help'], { cwd });
    assert.match(search.output, /--alert <file>/);
    assert.match(search.output, /no matching runbook/);
    const evaluate = await runCli(['eval', 'retrieval', '--help'], { cwd });
    for (const option of ['--runbooks <dir>', '--queries <file>', '--no-runbook <file>', '--mode <mode>', '--json', '--baseline']) assert.ok(evaluate.output.includes(option), option);
    assert.match(evaluate.output, /choices: "full", "content-only"/);
  });

  it('eval retrieval --json prints exactly the contract keys, scored through the live path', async () => {
    const cwd = tempDir();
    const { code, output } = await runCli(['eval', 'retrieval', '--runbooks', join(fixtures, 'runbooks'), '--queries', join(fixtures, 'queries.json'), '--no-runbook', join(fixtures, 'queries-no-runbook.json'), '--mode', 'content-only', '--json'], { cwd });
    assert.equal(code, 0, output);
    const json = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)) as Record<string, number>;
    assert.deepEqual(Object.keys(json), ['hit_at_1', 'hit_at_3', 'mrr', 'abstain_accuracy', 'false_abstain_rate', 'p50_ms', 'p95_ms']);
    assert.equal(json.hit_at_1, 1);
    assert.equal(json.abstain_accuracy, 1);
    assert.equal(json.false_abstain_rate, 0);
    assert.ok(json.p50_ms! > 0 && json.p95_ms! >= json.p50_ms!);
  });

  it('eval retrieval reports the BM25 baseline from the same run and names a bad queries file', async () => {
    const cwd = tempDir();
    const human = await runCli(['eval', 'retrieval', '--runbooks', join(fixtures, 'runbooks'), '--queries', join(fixtures, 'queries.json'), '--mode', 'full', '--baseline'], { cwd });
    assert.equal(human.code, 0, human.output);
    assert.match(human.output, /hit@1 1\.000/);
    assert.match(human.output, /baseline \(plain BM25, minisearch defaults, whole files\): hit@1 \d\.\d{3}/);
    const bad = join(cwd, 'bad.json');
    writeFileSync(bad, '[{"id": "x", "labels": {}}]');
    const failed = await runCli(['eval', 'retrieval', '--runbooks', join(fixtures, 'runbooks'), '--queries', bad], { cwd });
    assert.equal(failed.code, 1);
    assert.match(failed.output, /bad\.json: query 0\.expected_runbook/);
  });

  it('index prints a summary (and the skipped file with its line); search prints routes and abstains', async () => {
    const cwd = tempDir();
    const dir = fixtureRunbooks();
    writeRunbook(dir, 'broken.md', '---\ntitle: [unclosed\n---\n# Broken');
    const env = { PITCREW_RUNBOOK_DIRS: dir };
    const first = await runCli(['index'], { cwd, env });
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /skipped .*broken\.md:2: invalid YAML/);
    assert.match(first.output, /indexed in \d+\.\d\d s: 7 added, 0 updated, 0 removed, 0 unchanged, 1 skipped/);
    const second = await runCli(['index', '--json'], { cwd, env });
    const summary = JSON.parse(second.output.slice(second.output.indexOf('{'), second.output.lastIndexOf('}') + 1)) as { unchanged: number; chunksWritten: number };
    assert.deepEqual([summary.unchanged, summary.chunksWritten], [7, 0]);

    const found = await runCli(['search', 'postgres replica lagging behind primary', '--limit', '2'], { cwd, env });
    assert.equal(found.code, 0, found.output);
    assert.match(found.output, /match \((lexical|title|vector)\)/);
    assert.match(found.output, / 1\. PostgresReplicationLagHigh {2}database\/PostgresReplicationLagHigh\.md {2}score \d\.\d{4}/);
    assert.match(found.output, /lexical #\d+ [\d.]+: terms: /);

    const alert = join(cwd, 'alert.json');
    writeFileSync(alert, JSON.stringify({ version: '4', status: 'firing', alerts: [{ labels: { alertname: 'VaultSealed', severity: 'critical' }, annotations: { summary: 'Vault is sealed' } }] }));
    const none = await runCli(['search', '--alert', alert, '--json'], { cwd, env });
    const result = JSON.parse(none.output.slice(none.output.indexOf('{'), none.output.lastIndexOf('}') + 1)) as { decision: { kind: string; reason: string } };
    assert.equal(result.decision.kind, 'abstain');
    assert.match(result.decision.reason, /^no matching runbook/);
  });
});
