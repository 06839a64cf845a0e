import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { EmbeddedChroma } from '../../src/knowledge/chroma/embedded-server.js';
import { silentLogger } from '../../src/ops/logger.js';
import { freePort, waitForStatus } from '../support/ports.js';
import { chromaPidsFor, isAlive, runCli, spawnCli } from '../support/processes.js';
import { tempDir } from '../support/tmp.js';

async function startServe(cwd: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const serve = spawnCli(['serve'], { cwd, env: { PORT: String(port), ...env } });
  const readyMs = await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 30_000).catch((error: Error) => {
    throw new Error(`${error.message}\n--- output ---\n${serve.output()}`);
  });
  return { serve, port, readyMs, base: `http://127.0.0.1:${port}` };
}

describe('pitcrew serve', () => {
  it('comes up ready on embedded defaults and serves health, readiness and metrics', async () => {
    const cwd = tempDir();
    const { serve, base } = await startServe(cwd);
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });
    assert.deepEqual(await (await fetch(`${base}/readyz`)).json(), { status: 'ready', checks: { store: 'ok', chroma: 'ok' } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^pitcrew_process_cpu_user_seconds_total /m);
    assert.match(metrics, /pitcrew_http_requests_total\{route="\/readyz",method="GET",status="200"\} \d+/);
    assert.ok(existsSync(join(cwd, '.pitcrew', 'pitcrew.db')), 'SQLite file in the data dir');
    assert.ok(existsSync(join(cwd, '.pitcrew', 'chroma', 'server.pid')), 'chroma pid file in the data dir');
    const logLine = serve.output().split('\n').find((line) => line.includes('feature slack'));
    assert.ok(logLine, 'startup log says whether slack is on');
    assert.equal(JSON.parse(logLine!).on, false);
    serve.child.kill('SIGTERM');
    assert.deepEqual(await serve.exited, { code: 0, signal: null });
  });

  it('leaves no child process behind after SIGTERM', async () => {
    const cwd = tempDir();
    const { serve } = await startServe(cwd);
    const chromaDir = join(cwd, '.pitcrew', 'chroma');
    const [chromaPid] = chromaPidsFor(chromaDir);
    assert.ok(chromaPid, 'an embedded chroma runs');
    serve.child.kill('SIGTERM');
    assert.equal((await serve.exited).code, 0);
    assert.equal(isAlive(chromaPid!), false);
    assert.deepEqual(chromaPidsFor(chromaDir), []);
    assert.equal(existsSync(join(chromaDir, 'server.pid')), false);
  });

  it('comes up cleanly after kill -9, stopping the orphaned chroma', async () => {
    const cwd = tempDir();
    const first = await startServe(cwd);
    const chromaDir = join(cwd, '.pitcrew', 'chroma');
    const [orphanPid] = chromaPidsFor(chromaDir);
    first.serve.child.kill('SIGKILL');
    await first.serve.exited;
    assert.ok(isAlive(orphanPid!), 'kill -9 leaves the chroma child running');

    const second = await startServe(cwd);
    assert.equal(isAlive(orphanPid!), false, 'the orphan was stopped');
    assert.equal(chromaPidsFor(chromaDir).length, 1);
    assert.match(second.serve.output(), /orphaned embedded chroma/);
    second.serve.child.kill('SIGTERM');
    assert.equal((await second.serve.exited).code, 0);
  });

  it('uses the server in CHROMA_URL and starts none of its own', async () => {
    const cwd = tempDir();
    const external = new EmbeddedChroma({ dataDir: join(tempDir(), 'external'), port: 0, log: silentLogger() });
    await external.start();
    const { serve, base } = await startServe(cwd, { CHROMA_URL: external.url });
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.deepEqual(chromaPidsFor(join(cwd, '.pitcrew')), []);
    await external.stop();
    // The dependency is gone: readiness says so, but stays 200 (degraded): alerts are still acked.
    const deadline = Date.now() + 10_000;
    let body: { status: string; checks: Record<string, string> } = { status: 'ready', checks: {} };
    let status = 200;
    while (body.status === 'ready' && Date.now() < deadline) {
      const response = await fetch(`${base}/readyz`);
      status = response.status;
      body = (await response.json()) as typeof body;
      await sleep(100);
    }
    assert.equal(status, 200);
    assert.deepEqual(body, { status: 'degraded', checks: { store: 'ok', chroma: 'unavailable' } });
    const alert = await fetch(`${base}/alerts/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Disk almost full', service: 'db' }) });
    assert.equal(alert.status, 202, 'an alert is acked while Chroma is down');
    serve.child.kill('SIGTERM');
    await serve.exited;
  });

  for (const [name, value, pattern] of [
    ['PORT', 'abc', /PORT: is not a number \(got "abc"\)/],
    ['DATABASE_URL', 'nonsense', /DATABASE_URL: is not a database URL/],
  ] as const) {
    it(`exits with code 2 and names ${name} when it is invalid`, async () => {
      const { code, output } = await runCli(['serve'], { cwd: tempDir(), env: { [name]: value } });
      assert.equal(code, 2);
      assert.match(output, pattern);
      assert.match(output, /Invalid configuration \(1 problem\)/);
    });
  }

  it('gives a clear error when PORT is taken', async () => {
    const cwd = tempDir();
    const { serve, port } = await startServe(cwd);
    const { code, output } = await runCli(['serve'], { cwd: tempDir(), env: { PORT: String(port) } });
    assert.equal(code, 1);
    assert.match(output, new RegExp(`PORT=${port} is already in use`));
    serve.child.kill('SIGTERM');
    await serve.exited;
  });
});

describe('pitcrew doctor', () => {
  it('checks config, store and chroma and says what is off', async () => {
    const cwd = tempDir();
    const { code, output } = await runCli(['doctor'], { cwd });
    assert.equal(code, 0, output);
    assert.match(output, /✔ config/);
    assert.match(output, /✔ store +SQLite file .* will be created on first start/);
    assert.match(output, /✔ chroma +embedded server binary works/);
    assert.match(output, /○ slack +set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET/);
    assert.match(output, /○ github/);
  });

  it('fails a check for credentials that do not work', async () => {
    const { code, output } = await runCli(['doctor', '--json'], {
      cwd: tempDir(),
      env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: `http://127.0.0.1:${await freePort()}/api/` },
    });
    assert.equal(code, 1);
    const slack = (JSON.parse(output) as { checks: Array<{ name: string; status: string }> }).checks.find((c) => c.name === 'slack');
    assert.equal(slack?.status, 'fail');
  });

  it('exits 2 on invalid configuration', async () => {
    const { code, output } = await runCli(['doctor'], { cwd: tempDir(), env: { LOG_LEVEL: 'loud' } });
    assert.equal(code, 2);
    assert.match(output, /LOG_LEVEL/);
  });
});

describe('pitcrew --help', () => {
  it('documents every command', async () => {
    const cwd = tempDir();
    const { output } = await runCli(['--help'], { cwd });
    const commands = [...output.matchAll(/^ {2}([a-z-]+)(?: \[options\])?(?: \S+)* {2,}/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    assert.ok(commands.includes('serve') && commands.includes('doctor'));
    for (const command of commands) {
      const help = await runCli([command, '--help'], { cwd });
      assert.equal(help.code, 0);
      assert.match(help.output, new RegExp(`Usage: pitcrew ${command}`));
    }
  });

  it('keeps the chroma log in the data dir', async () => {
    const cwd = tempDir();
    const { serve } = await startServe(cwd);
    serve.child.kill('SIGTERM');
    await serve.exited;
    assert.match(readFileSync(join(cwd, '.pitcrew', 'chroma', 'chroma.log'), 'utf8'), /Saving data to/);
  });
});
