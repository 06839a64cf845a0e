import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, runCli } from '../support/processes.js';
import { tempDir } from '../support/tmp.js';

describe('pitcrew repo-config', () => {
  it('checks a file, printing each problem with its line and fix, and exits 1', async () => {
    const dir = tempDir();
    const file = join(dir, 'pitcrew.yml');
    writeFileSync(file, 'approvers:\n  low: [alice]\nrequiredApprovals:\n  hihg: 2\n');
    const { code, output } = await runCli(['repo-config', 'check', file], { cwd: dir });
    assert.equal(code, 1, output);
    assert.match(output, /is invalid \(1 problem\); nothing runs while it is:/);
    assert.match(output, /pitcrew\.yml:4:3: requiredApprovals\.hihg is not a known key\. Fix: Did you mean "high"\? Rename it, or remove it\./);
  });

  it('summarises a valid file and prints the schema that is committed', async () => {
    const valid = await runCli(['repo-config', 'check', join(repoRoot, 'docs/pitcrew.example.yml')], { cwd: repoRoot });
    assert.equal(valid.code, 0, valid.output);
    assert.match(valid.output, /high {3}2 approval\(s\) from @acme\/sre-leads/);
    const schema = await runCli(['repo-config', 'schema'], { cwd: repoRoot });
    assert.equal(JSON.parse(schema.output).title, 'pitcrew repository configuration (.github/pitcrew.yml)');
  });
});
