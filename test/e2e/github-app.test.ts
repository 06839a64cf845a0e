import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { planFilePath, renderPlanFile } from '../../src/gitops/plan-file.js';
import { FakeGitHub, appOptionsFromManifest } from '../../src/sandbox/index.js';
import { alertPlan } from '../support/github.js';
import { CONFIG_YAML, REPO } from '../support/github-app.js';
import { freePort, waitForStatus } from '../support/ports.js';
import { spawnCli, type Spawned } from '../support/processes.js';
import { tempDir } from '../support/tmp.js';

async function serve(cwd: string, env: Record<string, string> = {}, port?: number): Promise<{ serve: Spawned; port: number; base: string }> {
  const chosen = port ?? (await freePort());
  const spawned = spawnCli(['serve'], { cwd, env: { PORT: String(chosen), PITCREW_DATA_DIR: join(cwd, 'data'), ...env } });
  await waitForStatus(`http://127.0.0.1:${chosen}/readyz`, 200, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n--- output ---\n${spawned.output()}`);
  });
  return { serve: spawned, port: chosen, base: `http://127.0.0.1:${chosen}` };
}

async function stop(spawned: Spawned): Promise<void> {
  spawned.child.kill('SIGTERM');
  await spawned.exited;
}

describe('pitcrew serve with the GitHub App', () => {
  it('without credentials serves Probot\'s setup page, registers from app.yml, writes .env; after a restart webhooks gate PRs', async () => {
    const cwd = tempDir();
    const fake = await FakeGitHub.start();
    after(() => fake.stop());

    // 1. Setup mode: the manifest page, built from app.yml, with pitcrew's webhook path.
    const first = await serve(cwd, { GITHUB_API_URL: fake.url });
    const page = await (await fetch(`${first.base}/probot`)).text();
    assert.match(page, /Register GitHub App/);
    const manifest = JSON.parse(/value='([^']*)'/.exec(page)![1]!) as Record<string, unknown>;
    const appYml = parseYaml(readFileSync('app.yml', 'utf8')) as Record<string, unknown>;
    assert.deepEqual(manifest.hook_attributes, { url: `${first.base}/api/github/webhooks` });
    assert.equal(manifest.redirect_url, `${first.base}/probot/setup`);
    assert.deepEqual(manifest.default_permissions, appYml.default_permissions);
    assert.deepEqual(manifest.default_events, appYml.default_events);
    assert.equal((await fetch(`${first.base}/probot/static/robot.svg`)).status, 200);
    assert.equal((await fetch(`${first.base}/`, { redirect: 'manual' })).headers.get('location'), '/probot');

    // 2. Registering (Probot's import route, as the page's "import" flow does) writes .env.
    const app = fake.createApp({ slug: 'pitcrew', ...appOptionsFromManifest('app.yml') });
    const imported = await fetch(`${first.base}/probot/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appId: String(app.id), pem: app.privateKey, webhook_secret: 'from-the-manifest-flow' }) });
    assert.equal(imported.status, 200);
    const dotenv = readFileSync(join(cwd, '.env'), 'utf8');
    assert.match(dotenv, new RegExp(`^APP_ID=${app.id}$`, 'm'));
    assert.match(dotenv, /^WEBHOOK_SECRET=from-the-manifest-flow$/m);
    assert.match(dotenv, /^PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\\n/m);
    await stop(first.serve);

    // 3. Restart: .env is read, the app is on, and the fake delivers webhooks to it.
    const port = await freePort();
    fake.setWebhook(app, { url: `http://127.0.0.1:${port}/api/github/webhooks`, secret: 'from-the-manifest-flow' });
    fake.addOrg('acme', { alice: 'admin' });
    fake.addTeam({ org: 'acme', slug: 'sre', members: ['carol'] });
    await fake.createRepo({ owner: 'acme', name: 'deploy', files: { '.github/pitcrew.yml': CONFIG_YAML, 'README.md': '# deploy\n' }, installations: [app] });
    for (const login of ['bob', 'carol']) fake.addCollaborator(REPO, login, 'write');
    writeFileSync(join(cwd, 'policy.yml'), 'repos: [acme/deploy]\nkubernetes:\n  targets:\n    - namespaces: [payments]\n');
    const second = await serve(cwd, { GITHUB_API_URL: fake.url, PITCREW_POLICY_FILE: 'policy.yml' }, port);
    assert.match(second.serve.output(), /"msg":"github app mounted"/);
    assert.equal((await fetch(`${second.base}/probot`)).status, 404, 'no setup page once configured');

    const plan = alertPlan({ planId: 'plan_e1' });
    await fake.as('bob').push(REPO, 'bob/fix', { [planFilePath(plan.id)]: renderPlanFile(plan) }, 'plan by hand');
    const { number, head } = await fake.as('bob').openPullRequest(REPO, { title: 'hand-written plan', head: 'bob/fix' });
    await fake.settled();
    const gate = () => fake.statuses(REPO, head.sha).filter((s) => s.context === 'pitcrew/gate').at(-1);
    assert.equal(gate()?.state, 'failure', second.serve.output());
    await fake.as('carol').approve(REPO, number);
    await fake.settled();
    assert.equal(gate()?.state, 'success', gate()?.description ?? second.serve.output());

    // 4. A forged delivery is refused before any handler runs.
    const delivery = fake.webhooks.list('pull_request_review', 'submitted').at(-1)!;
    const forged = await fake.webhooks.forge(delivery.id);
    assert.equal(forged.status, 400);
    assert.match(forged.responseBody, /signature does not match/);
    await stop(second.serve);
  });

  it('with PITCREW_GITHUB_SETUP=false and no credentials serves no setup page', async () => {
    const cwd = tempDir();
    const started = await serve(cwd, { PITCREW_GITHUB_SETUP: 'false' });
    assert.equal((await fetch(`${started.base}/probot`)).status, 404);
    await stop(started.serve);
  });
});
