import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { fixtureRunbooks } from '../support/knowledge.js';
import { freePort, waitForStatus } from '../support/ports.js';
import { spawnCli } from '../support/processes.js';
import { tempDir } from '../support/tmp.js';

describe('pitcrew serve with runbooks', () => {
  it('indexes the configured runbook directories at startup, then incrementally on restart', async () => {
    const cwd = tempDir();
    const env = { PITCREW_RUNBOOK_DIRS: fixtureRunbooks() };
    const indexedLine = async (serve: ReturnType<typeof spawnCli>) => {
      for (;;) {
        const line = serve.output().split('\n').find((text) => text.includes('"msg":"runbooks indexed"'));
        if (line) return JSON.parse(line) as { added: number; unchanged: number };
        if (serve.child.exitCode !== null) throw new Error(`serve exited:\n${serve.output()}`);
        await sleep(50);
      }
    };
    for (const expected of [{ added: 7, unchanged: 0 }, { added: 0, unchanged: 7 }]) {
      const port = await freePort();
      const serve = spawnCli(['serve'], { cwd, env: { ...env, PORT: String(port) } });
      await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 30_000);
      const line = await indexedLine(serve);
      assert.deepEqual({ added: line.added, unchanged: line.unchanged }, expected);
      assert.match(serve.output(), /"feature":"embeddings","on":true,"detail":"offline hashed word and character n-grams/);
      serve.child.kill('SIGTERM');
      assert.deepEqual(await serve.exited, { code: 0, signal: null });
    }
  });
});
