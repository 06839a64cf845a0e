import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, it } from 'node:test';
import { IncidentRepo } from '../../../src/store/incident-repo.js';
import { FakeGitHub, FakeSlack } from '../../../src/sandbox/index.js';
import { startIntakeServer } from '../../support/intake.js';
import { startTestChroma } from '../../support/knowledge.js';
import { repoRoot } from '../../support/processes.js';

const example = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'examples', 'alerts', `${name}.json`), 'utf8')) as unknown;

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const chroma = await startTestChroma();
const slack = await FakeSlack.start({ rateLimits: { perChannel: { perSecond: 1, burst: 1 }, tiers: true } });
const github = await FakeGitHub.start();
after(async () => {
  await slack.stop();
  await github.stop();
  await chroma.stop();
});
const alice = slack.addUser('alice').id;
slack.addUser('bob');
slack.addChannel('incidents');
const app = github.createApp({ slug: 'pitcrew' });
github.addOrg('acme', { alice: 'admin' });
await github.createRepo({ owner: 'acme', name: 'platform-gitops', files: { 'README.md': '# gitops\n' }, installations: [app] });
const server = await startIntakeServer({
  env: {
    CHROMA_URL: chroma.url,
    PITCREW_RUNBOOK_DIRS: join(repoRoot, 'runbooks'),
    PITCREW_POLICY_FILE: join(repoRoot, 'docs', 'policy.example.yml'),
    PITCREW_AUTO_PROPOSE: 'false',
    APP_ID: String(app.id),
    PRIVATE_KEY: app.privateKey!,
    WEBHOOK_SECRET: 'webhook-secret',
    GITHUB_API_URL: github.url,
    ...slack.pitcrewEnv(),
    SLACK_RESPONDERS: alice,
    SLACK_GITHUB_USERS: `${alice}=alice`,
  },
});

it('Propose fix PR opens the PR on GitHub, replies in the thread, links it from the root, and records who asked', async () => {
  assert.equal((await server.post('alertmanager', example('crash-looping-pod'))).status, 202);
  const root = await until('the root', () => slack.roots('incidents')[0]);
  const plan = await until('the plan reply with a propose button', () => slack.replies('incidents', root.ts).find((m) => JSON.stringify(m.blocks).includes('"action_id":"propose_fix"')));
  assert.equal(github.pulls('acme/platform-gitops').length, 0, 'PITCREW_AUTO_PROPOSE=false: nothing proposed yet');

  const sender = slack.sender(`${server.base}/slack/events`);
  await sender.blockAction({ user: 'bob', channel: 'incidents', messageTs: plan.ts, actionId: 'propose_fix' });
  await sleep(500);
  assert.equal(github.pulls('acme/platform-gitops').length, 0, 'bob is not a responder');

  await sender.blockAction({ user: 'alice', channel: 'incidents', messageTs: plan.ts, actionId: 'propose_fix' });
  const pr = await until('the fix PR', () => github.pulls('acme/platform-gitops')[0]);
  const reply = await until('the proposal reply', () => slack.replies('incidents', root.ts).find((m) => JSON.stringify(m.blocks).includes('Fix PR')));
  assert.match(JSON.stringify(reply.blocks), new RegExp(`#${pr.number}`));
  assert.match(JSON.stringify(reply.blocks), /Slack cannot approve/);
  await until('the root to link the PR', () => JSON.stringify(slack.roots('incidents')[0]!.blocks).includes(`Fix PR #${pr.number}`));
  const repo = new IncidentRepo(server.service.store.db);
  const incident = (await repo.list())[0]!;
  const asked = (await repo.timeline(incident.id)).find((event) => event.kind === 'fix_requested')!;
  assert.equal(asked.actor, 'alice');
  assert.equal(asked.detail.slackUser, alice);
  assert.match(JSON.stringify(await github.log('acme/platform-gitops', pr.head)), /Pitcrew-Proposed-By: alice/, 'attributed to the mapped GitHub login');
  // A second press updates the same PR and the same reply: no second PR, no second reply.
  await sender.blockAction({ user: 'alice', channel: 'incidents', messageTs: plan.ts, actionId: 'propose_fix' });
  await sleep(1500);
  assert.equal(github.pulls('acme/platform-gitops').length, 1);
  assert.equal(slack.replies('incidents', root.ts).filter((m) => JSON.stringify(m.blocks).includes('Fix PR')).length, 1);
});
