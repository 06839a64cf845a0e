import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';
import { spawnCli, type Spawned } from './processes.js';

export interface Served {
  serve: Spawned;
  port: number;
  base: string;
}

/**
 * `pitcrew serve` from source in `cwd`, waited on until it logs "pitcrew is
 * up" (store open, intake workers running). CHROMA_URL points at nothing by
 * default so no Chroma is started: these tests are about intake.
 */
export async function startServe(cwd: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Served> {
  const port = await freePort();
  const serve = spawnCli(['serve'], { cwd, env: { PORT: String(port), CHROMA_URL: 'http://127.0.0.1:9', ...env, LOG_LEVEL: 'info' } });
  const started = Date.now();
  while (!serve.output().includes('"pitcrew is up"')) {
    if (serve.child.exitCode !== null || Date.now() - started > timeoutMs) throw new Error(`pitcrew serve did not come up\n--- output ---\n${serve.output()}`);
    await sleep(25);
  }
  return { serve, port, base: `http://127.0.0.1:${port}` };
}
