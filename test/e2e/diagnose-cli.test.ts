import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { repoRoot, runCli, tsNode } from '../support/processes.js';
import { tempDir } from '../support/tmp.js';

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'ci-logs');
const env = { PITCREW_DATA_DIR: '.pitcrew' };

/** Runs the CLI with `input` on stdin. */
function runWithStdin(args: string[], input: Buffer, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, tsNode('src/cli/main.ts', ...args), { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('pitcrew diagnose-log', () => {
  it('diagnoses a log file offline, with line numbers, cause and fix', async () => {
    const { code, output } = await runCli(['diagnose-log', join(FIXTURES, 'go-test.log')], { cwd: tempDir(), env });
    assert.equal(code, 0, output);
    assert.match(output, /Test failure \(test_assertion, \d+%\) in step "go test .\/\.\.\." \(exit 1\)/);
    assert.match(output, /^ 7 --- FAIL: TestRateLimiter \(0\.21s\)$/m);
    assert.match(output, /Likely cause: /);
    assert.match(output, /Suggested fix: /);
  });

  it('reads gzip (by content, whatever the name) and prints JSON with annotations', async () => {
    const dir = tempDir();
    const file = join(dir, 'job-log.txt');
    writeFileSync(file, gzipSync(readFileSync(join(FIXTURES, 'tsc.log'))));
    const { code, output } = await runCli(['diagnose-log', file, '--json'], { cwd: dir, env });
    assert.equal(code, 0, output);
    const json = JSON.parse(output);
    assert.equal(json.category, 'type_error');
    assert.deepEqual(json.lineNumbers, [5, 6, 7]);
    assert.deepEqual(json.annotations.map((a: { path: string; start_line: number }) => `${a.path}:${a.start_line}`), ['src/cart/cart.ts:42', 'src/api/client.ts:17']);
    assert.match(json.signature.id, /^type_error:[0-9a-f]{16}$/);
  });

  it('reads stdin, gzipped or not', async () => {
    const log = readFileSync(join(FIXTURES, 'cargo.log'));
    for (const input of [log, gzipSync(log)]) {
      const { code, stdout, stderr } = await runWithStdin(['diagnose-log', '-', '--json'], input, tempDir());
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout).category, 'compile_error');
    }
  });

  it('survives binary junk: no crash, no escape codes on the terminal', async () => {
    const junk = Buffer.concat([randomBytes(300_000), Buffer.from('\nerror: boom\x1b[2J\n'), randomBytes(100_000)]);
    const dir = tempDir();
    const file = join(dir, 'junk.bin');
    writeFileSync(file, junk);
    const { code, output } = await runCli(['diagnose-log', file], { cwd: dir, env });
    assert.equal(code, 0, output);
    assert.ok(!output.includes('\x1b[2J'), 'control sequences from the log must not reach the terminal');
    const { code: truncated, output: truncatedOut } = await runCli(['diagnose-log', file.replace('junk.bin', 'cut.gz')], { cwd: dir, env }).then(async () => {
      writeFileSync(join(dir, 'cut.gz'), gzipSync(readFileSync(join(FIXTURES, 'jest.log'))).subarray(0, 300));
      return runCli(['diagnose-log', join(dir, 'cut.gz')], { cwd: dir, env });
    });
    assert.equal(truncated, 0, truncatedOut);
    assert.match(truncatedOut, /gzip data is truncated or corrupt/);
  });

  it('says clearly when the file does not exist', async () => {
    const { code, output } = await runCli(['diagnose-log', 'nope.log'], { cwd: tempDir(), env });
    assert.equal(code, 1);
    assert.match(output, /Cannot read log file nope\.log/);
    assert.match(output, /pass "-" to read the log from stdin/);
  });

  it('learns from --confirm for a repository and reads the next log the same way', async () => {
    const dir = tempDir();
    const dataset = join(FIXTURES, 'dataset');
    const first = await runCli(['diagnose-log', join(dataset, 'docs-1.log'), '--repo', 'acme/docs', '--confirm', '38-39'], { cwd: dir, env });
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /confirmation recorded/);
    const next = await runCli(['diagnose-log', join(dataset, 'docs-3.log'), '--repo', 'acme/docs', '--json'], { cwd: dir, env });
    assert.equal(next.code, 0, next.output);
    const json = JSON.parse(next.output);
    assert.equal(json.learned, true);
    assert.deepEqual(json.lineNumbers, [48, 49]);
  });
});

describe('pitcrew eval ci-logs', () => {
  const dataset = join(FIXTURES, 'dataset', 'dataset.jsonl');

  it('prints exactly the contract keys with --json', async () => {
    const { code, output } = await runCli(['eval', 'ci-logs', '--dataset', dataset, '--json'], { cwd: tempDir(), env });
    assert.equal(code, 0, output);
    const json = JSON.parse(output.slice(output.indexOf('{')));
    assert.deepEqual(Object.keys(json).sort(), ['accuracy', 'f1', 'fully_successful', 'mb_per_s', 'precision', 'recall']);
    assert.equal(json.accuracy, 1);
    for (const key of ['precision', 'recall', 'f1', 'fully_successful']) assert.ok(json[key] >= 0 && json[key] <= 1, key);
    assert.ok(json.mb_per_s > 0);
  });

  it('with --learn N feeds the first N logs of each repository and scores only the rest', async () => {
    const dir = tempDir();
    const details = join(dir, 'report.json');
    const { code, output } = await runCli(['eval', 'ci-logs', '--dataset', dataset, '--learn', '1', '--details', details], { cwd: dir, env });
    assert.equal(code, 0, output);
    const report = JSON.parse(readFileSync(details, 'utf8'));
    assert.equal(report.learned, 3, 'one log per repository');
    assert.deepEqual(report.results.map((r: { id: string }) => r.id), ['docs-2', 'docs-3']);
    assert.ok(report.results.every((r: { learned: boolean; f1: number }) => r.learned && r.f1 === 1), JSON.stringify(report.results));
    assert.match(output, /baseline: keyword grep/);
    assert.match(output, /\+3 fed as confirmed diagnoses/);
  });

  it('names the bad line of an invalid dataset', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"a","log_path":"a.log","spans":[]}\n{"id":"b","spans":[{"start_line":0,"end_line":1}]}\n');
    const { code, output } = await runCli(['eval', 'ci-logs', '--dataset', bad], { cwd: dir, env });
    assert.equal(code, 1);
    assert.match(output, /line 2: log_path: /);
  });
});
