import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { IncidentRepo } from '../../../src/store/incident-repo.js';
import { FakeSlack } from '../../../src/sandbox/index.js';
import { startIntakeServer, type IntakeServer } from '../../support/intake.js';
import { startTestChroma } from '../../support/knowledge.js';
import { repoRoot } from '../../support/processes.js';

const example = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'examples', 'alerts', `${name}.json`), 'utf8')) as unknown;

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, tries = 1200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Started at the top level: startIntakeServer registers its own stop with after().
let chroma: Awaited<ReturnType<typeof startTestChroma>>;
let slack: FakeSlack;
let server: IntakeServer;
let alice: string;
let bob: string;

async function setup(): Promise<void> {
  {
    chroma = await startTestChroma();
    slack = await FakeSlack.start({ rateLimits: { perChannel: { perSecond: 1, burst: 1 }, tiers: true } });
    alice = slack.addUser('alice').id;
    bob = slack.addUser('bob').id;
    const oncall = slack.addUsergroup('sre-oncall', [alice]);
    slack.addChannel('incidents', { members: [alice, bob] });
    server = await startIntakeServer({
      env: {
        CHROMA_URL: chroma.url,
        PITCREW_RUNBOOK_DIRS: join(repoRoot, 'runbooks'),
        PITCREW_POLICY_FILE: join(repoRoot, 'docs', 'policy.example.yml'),
        ...slack.pitcrewEnv('incidents'),
        SLACK_RESPONDERS: oncall.id,
        SLACK_OPERATORS: alice,
        SLACK_GITHUB_USERS: `${alice}=alice-gh`,
      },
    });
  }
}
await setup();
after(async () => {
  await slack.stop();
  await chroma.stop();
});

describe('Slack end to end (real service, Bolt, the Slack fake)', () => {

  const sender = () => slack.sender(`${server.base}/slack/events`);
  const root = () => slack.roots('incidents')[0]!;
  const rootText = () => JSON.stringify(root().blocks);

  it('an alert through the intake endpoint produces a thread: root, runbooks, plan with buttons', async () => {
    assert.equal((await server.post('alertmanager', example('crash-looping-pod'))).status, 202);
    await until('the plan reply', () => slack.roots('incidents').length === 1 && slack.replies('incidents', root().ts).some((m) => JSON.stringify(m.blocks).includes('acknowledge')));
    assert.equal(slack.roots('incidents').length, 1);
    assert.match(rootText(), /KubePodCrashLooping/);
    assert.match(rootText(), /Open/);
    assert.match(rootText(), /critical|high|warning/);
    const replies = slack.replies('incidents', root().ts);
    const retrieval = JSON.stringify(replies[0]!.blocks);
    assert.match(retrieval, /crash-looping-pod\.md/);
    assert.match(retrieval, /score \d\.\d\d/);
    const plan = JSON.stringify(replies.at(-1)!.blocks);
    for (const action of ['acknowledge', 'resolve', 'snooze_1h']) assert.match(plan, new RegExp(`"action_id":"${action}"`));
    assert.doesNotMatch(plan, /propose_fix/, 'GitHub is off: no propose button');
  });

  it('refuses a press by someone outside SLACK_RESPONDERS with an ephemeral explanation, and changes nothing', async () => {
    const plan = slack.replies('incidents', root().ts).at(-1)!;
    const before = root().revisions.length;
    const sent = await sender().blockAction({ user: 'bob', channel: 'incidents', messageTs: plan.ts, actionId: 'acknowledge' });
    assert.equal(sent.status, 200);
    await until('the ephemeral refusal', () => slack.responseBodies.some((r) => JSON.stringify(r).includes('SLACK_RESPONDERS')) || slack.ephemerals.some((e) => e.text?.includes('SLACK_RESPONDERS')));
    const incident = (await new IncidentRepo(server.service.store.db).list())[0]!;
    assert.equal(incident.state, 'open');
    assert.equal(root().revisions.length, before);
  });

  it('a forged or stale request gets 401 and changes nothing', async () => {
    const plan = slack.replies('incidents', root().ts).at(-1)!;
    const messages = slack.messages('incidents').length;
    const forged = await sender().blockAction({ user: 'alice', channel: 'incidents', messageTs: plan.ts, actionId: 'resolve', signature: 'forged' });
    const stale = await sender().blockAction({ user: 'alice', channel: 'incidents', messageTs: plan.ts, actionId: 'resolve', timestampOffsetSeconds: -600 });
    const unsigned = await sender().slashCommand({ user: 'alice', channel: 'incidents', text: 'pause', signature: 'none' });
    assert.deepEqual([forged.status, stale.status, unsigned.status], [401, 401, 401]);
    await sleep(300);
    const incident = (await new IncidentRepo(server.service.store.db).list())[0]!;
    assert.equal(incident.state, 'open');
    assert.equal((await server.service.killSwitch.state()).paused, false);
    assert.equal(slack.messages('incidents').length, messages);
  });

  it('Acknowledge changes the state, records who on the timeline, and updates the root in place', async () => {
    const plan = slack.replies('incidents', root().ts).at(-1)!;
    const replies = slack.replies('incidents', root().ts).length;
    const sent = await sender().blockAction({ user: 'alice', channel: 'incidents', messageTs: plan.ts, actionId: 'acknowledge' });
    assert.equal(sent.status, 200);
    await until('the root to show acknowledged', () => rootText().includes('Acknowledged'));
    assert.match(rootText(), new RegExp(`<@${alice}>`));
    const repo = new IncidentRepo(server.service.store.db);
    const incident = (await repo.list())[0]!;
    assert.equal(incident.state, 'acknowledged');
    const event = (await repo.timeline(incident.id)).find((e) => e.kind === 'acknowledged')!;
    assert.equal(event.actor, 'alice-gh', 'attributed through SLACK_GITHUB_USERS');
    assert.equal(event.detail.slackUser, alice);
    assert.equal(slack.roots('incidents').length, 1);
    assert.equal(slack.replies('incidents', root().ts).length, replies, 'no thread spam');
  });

  it('Snooze and Resolve are recorded; the root says Resolved and the thread gets no new reply', async () => {
    const plan = slack.replies('incidents', root().ts).at(-1)!;
    const replies = slack.replies('incidents', root().ts).length;
    await sender().blockAction({ user: 'alice', channel: 'incidents', messageTs: plan.ts, actionId: 'snooze_1h' });
    await until('the root to show the snooze', () => rootText().includes('Snoozed until'));
    await sender().blockAction({ user: 'alice', channel: 'incidents', messageTs: plan.ts, actionId: 'resolve' });
    await until('the root to say resolved', () => rootText().includes('Resolved · #'));
    const repo = new IncidentRepo(server.service.store.db);
    const incident = (await repo.list())[0]!;
    assert.equal(incident.state, 'resolved');
    const kinds = (await repo.timeline(incident.id)).filter((e) => e.actor === 'alice-gh').map((e) => e.kind);
    assert.deepEqual(kinds, ['acknowledged', 'snoozed', 'resolved']);
    assert.equal(slack.replies('incidents', root().ts).length, replies);
  });

  it('/pitcrew help, status, incident, ask and runbook answer ephemerally', async () => {
    const ask = async (text: string, user = 'alice') => {
      const sent = await sender().slashCommand({ user, channel: 'incidents', text });
      assert.equal(sent.status, 200);
      return until(`the answer to "${text}"`, () => {
        const body = slack.responseBodies.find((r) => (r as { url?: string }).url === sent.responseUrl || JSON.stringify(r).includes(sent.responseUrl!.split('/').at(-1)!));
        return body ? JSON.stringify(body) : undefined;
      });
    };
    assert.match(await ask('help'), /runbook <query>/);
    const status = await ask('status');
    assert.match(status, /Queue depth/);
    assert.match(status, /closed/, 'the execution breaker is read from the store');
    assert.match(await ask('incident 1'), /KubePodCrashLooping/);
    assert.match(await ask('ask how do I fix a pod in CrashLoopBackOff'), /Sources|no runbook/);
    assert.match(await ask('runbook crash looping pod'), /crash-looping-pod\.md/);
    assert.match(await ask('handoff'), /On-call handoff: No open incidents\. 1 incident resolved, MTTR mean/, 'the handoff over the default window');
    assert.match(await ask('handoff banana'), /Usage: `\/pitcrew handoff \[12h \| since 18:00\]`/, 'a bad window gets the usage');
  });

  it('pause is refused to non-operators and allowed to SLACK_OPERATORS', async () => {
    const refused = await sender().slashCommand({ user: 'bob', channel: 'incidents', text: 'pause' });
    assert.equal(refused.status, 200);
    await sleep(300);
    assert.equal((await server.service.killSwitch.state()).paused, false);
    await sender().slashCommand({ user: 'alice', channel: 'incidents', text: 'pause maintenance window' });
    await until('paused', async () => (await server.service.killSwitch.state()).paused);
    const state = await server.service.killSwitch.state();
    assert.match(state.by ?? '', /alice-gh/);
    assert.equal(state.reason, 'maintenance window');
    await sender().slashCommand({ user: 'alice', channel: 'incidents', text: 'resume' });
    await until('resumed', async () => !(await server.service.killSwitch.state()).paused);
  });

  it('a mention in the incident thread is answered there from the incident context', async () => {
    const thread = root().ts;
    const before = slack.replies('incidents', thread).length;
    await sender().appMention({ user: 'alice', channel: 'incidents', text: `<@${slack.botUserId}> what is the plan?`, threadTs: thread });
    const answer = await until('the answer in the thread', () => slack.replies('incidents', thread).slice(before).find((m) => m.user === slack.botUserId));
    assert.match(JSON.stringify(answer.blocks), /#1 .*KubePodCrashLooping/);
    assert.match(JSON.stringify(answer.blocks), /Latest plan/);
  });

  it('ignores the bot\'s own mentions and messages', async () => {
    const thread = root().ts;
    const before = slack.messages('incidents').length;
    const sent = await sender().event({ type: 'app_mention', user: slack.botUserId, bot_id: 'B0PITCREW', text: `<@${slack.botUserId}> echo`, ts: '1.000100', channel: slack.workspace.channel('incidents')!.id, event_ts: '1.000100', thread_ts: thread });
    assert.equal(sent.status, 200);
    await sleep(1500);
    assert.equal(slack.messages('incidents').length, before);
  });

  it('/pitcrew propose without GitHub says why, and records who asked', async () => {
    const sent = await sender().slashCommand({ user: 'alice', channel: 'incidents', text: 'propose 1' });
    const body = await until('the answer', () => slack.responseBodies.map((r) => JSON.stringify(r)).find((r) => r.includes('No fix PR for #1')));
    assert.match(body, /GitHub is not configured/);
    assert.equal(sent.status, 200);
    const repo = new IncidentRepo(server.service.store.db);
    const incident = (await repo.list())[0]!;
    assert.ok((await repo.timeline(incident.id)).some((event) => event.kind === 'fix_requested' && event.actor === 'alice-gh'));
  });

  it('never posted more than one message a second in the channel', () => {
    assert.ok(slack.maxMessagesPerWindow('incidents', 1000) <= 1, slack.transcript('incidents'));
  });
});
