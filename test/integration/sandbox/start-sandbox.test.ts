import * as k8s from '@kubernetes/client-node';
import { WebClient, LogLevel } from '@slack/web-api';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { it } from 'node:test';
import { startSandbox } from '../../../src/sandbox/index.js';

it('starts GitHub, Slack and Kubernetes together and removes everything on stop', async () => {
  const sandbox = await startSandbox();
  try {
    const app = sandbox.github.createApp({ slug: 'pitcrew' });
    await sandbox.github.createRepo({ owner: 'acme', name: 'infra', files: { 'README.md': 'x\n' }, installations: [app] });
    assert.ok(existsSync(sandbox.github.gitDir('acme/infra')));
    const web = new WebClient(sandbox.slack.botToken, { slackApiUrl: sandbox.slack.apiUrl, logLevel: LogLevel.ERROR });
    assert.equal((await web.auth.test()).ok, true);
    sandbox.kubernetes.addDeployment('web');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sandbox.kubeconfigPath);
    const { metadata } = await kc.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: 'default' });
    assert.equal(metadata!.name, 'web');
  } finally {
    await sandbox.stop();
  }
  assert.equal(existsSync(sandbox.dir), false);
  await assert.rejects(fetch(`${sandbox.github.url}/rate_limit`), 'the servers are closed');
});
