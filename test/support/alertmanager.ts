import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { freePort, waitForStatus } from './ports.js';
import { tempDir } from './tmp.js';

/** Debian's prometheus-alertmanager (installed by .ci/run), or undefined when missing. */
export function alertmanagerBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v prometheus-alertmanager || command -v alertmanager'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export const ALERTMANAGER_MISSING = 'prometheus-alertmanager is not installed (apt-get install -y prometheus-alertmanager; .ci/run does this)';

export interface RunningAlertmanager {
  url: string;
  child: ChildProcess;
  output(): string;
  /** POST /api/v2/alerts. */
  postAlerts(alerts: unknown[]): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real Alertmanager on loopback with a temporary config that delivers to
 * `webhookUrl` after 1 s (group_wait and group_interval), resolved alerts included.
 */
export async function startAlertmanager(options: { webhookUrl?: string; token?: string; groupBy?: string[] } = {}): Promise<RunningAlertmanager> {
  const binary = alertmanagerBinary();
  if (!binary) throw new Error(ALERTMANAGER_MISSING);
  const dir = tempDir('pitcrew-am-');
  const port = await freePort();
  const receiver = options.webhookUrl
    ? `    webhook_configs:
      - url: ${options.webhookUrl}
        send_resolved: true
        max_alerts: 0
${options.token ? `        http_config:\n          authorization:\n            type: Bearer\n            credentials: ${options.token}\n` : ''}`
    : '';
  writeFileSync(join(dir, 'alertmanager.yml'), `route:
  receiver: pitcrew
  group_by: [${(options.groupBy ?? ['alertname']).join(', ')}]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: pitcrew
${receiver}`);
  const child = spawn(binary, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=info',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  after(stop);
  const url = `http://127.0.0.1:${port}`;
  await waitForStatus(`${url}/-/ready`, 200, 30_000).catch((error: Error) => {
    throw new Error(`${error.message}\n--- alertmanager output ---\n${text}`);
  });
  return {
    url,
    child,
    output: () => text,
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      await response.body?.cancel();
      return response.status;
    },
    stop,
  };
}
