import bolt from '@slack/bolt';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { HttpServer } from '../../../src/http/server.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { FakeSlack } from '../../../src/sandbox/index.js';

const { App, HTTPReceiver, LogLevel } = bolt;

/** Waits until `check` passes: Bolt acks before its listener finishes, as Slack requires. Gives up after 30 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** A real Bolt app whose HTTPReceiver listens on the shared HttpServer and whose client talks to the fake. */
async function boltOnFake() {
  const slack = await FakeSlack.start();
  after(() => slack.stop());
  const alice = slack.addUser('alice');
  slack.addChannel('ops', { members: [alice.id] });
  const http = new HttpServer(silentLogger(), createMetrics({ defaultMetrics: false }));
  const port = await http.listen(0, '127.0.0.1');
  after(() => http.close());
  const receiver = new HTTPReceiver({ signingSecret: slack.signingSecret, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const app = new App({ token: slack.botToken, receiver, clientOptions: { slackApiUrl: slack.apiUrl }, logLevel: LogLevel.ERROR, deferInitialization: true });
  const calls: string[] = [];
  app.command('/pitcrew', async ({ ack, command, respond, client }) => {
    await ack();
    calls.push(`command:${command.text}:${command.user_id}`);
    if (command.text === 'status') {
      await respond({ text: 'queue 0, breaker closed' });
      return;
    }
    const root = await client.chat.postMessage({
      channel: command.channel_id,
      text: 'INC-1 firing',
      blocks: [
        { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*INC-1* firing' } },
        { type: 'actions', block_id: 'plan', elements: [{ type: 'button', action_id: 'acknowledge', value: 'INC-1', text: { type: 'plain_text', text: 'Acknowledge' } }] },
      ],
    });
    await client.chat.postMessage({ channel: command.channel_id, thread_ts: root.ts!, text: 'Runbook: restart web' });
  });
  app.action('acknowledge', async ({ ack, body, action, client, respond }) => {
    await ack();
    const press = body as unknown as { user: { id: string }; container: { channel_id: string; message_ts: string } };
    calls.push(`action:${(action as { value: string }).value}:${press.user.id}`);
    await client.chat.update({ channel: press.container.channel_id, ts: press.container.message_ts, text: `INC-1 acknowledged by <@${press.user.id}>` });
    await respond({ response_type: 'ephemeral', text: 'Recorded on the timeline' });
  });
  app.event('app_mention', async ({ event, client }) => {
    calls.push(`mention:${event.text}`);
    await client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: 'Looking at it' });
  });
  app.message(async ({ message }) => {
    calls.push(`message:${(message as { text?: string }).text}`);
  });
  http.route('POST', '/slack/events', receiver.requestListener);
  await app.init();
  return { slack, alice, calls, sender: slack.sender(`http://127.0.0.1:${port}/slack/events`) };
}

describe('Slack fake with a real Bolt app on the shared HttpServer', () => {
  it('runs a signed slash command, and the app builds a thread through the fake', async () => {
    const { slack, sender, calls, alice } = await boltOnFake();
    assert.ok(slack.requests.some((request) => request.path === '/api/auth.test'), 'Bolt verified its token with auth.test');
    const sent = await sender.slashCommand({ user: 'alice', channel: 'ops', text: 'incident INC-1' });
    assert.equal(sent.status, 200);
    await eventually(() => slack.roots('ops').length === 1 && slack.replies('ops', slack.roots('ops')[0]!.ts).length === 1, 'the thread');
    assert.deepEqual(calls, [`command:incident INC-1:${alice.id}`]);
    await sender.slashCommand({ user: 'alice', channel: 'ops', text: 'status' });
    await eventually(() => slack.ephemerals.length === 1, 'the ephemeral answer');
    assert.deepEqual(slack.ephemerals.map((message) => [message.user, message.text]), [[alice.id, 'queue 0, breaker closed']]);
  });

  it('presses a button on the posted message; the app updates the root in place and answers ephemerally', async () => {
    const { slack, sender, calls, alice } = await boltOnFake();
    await sender.slashCommand({ user: 'alice', channel: 'ops', text: 'incident INC-1' });
    await eventually(() => slack.roots('ops').length === 1, 'the root message');
    const root = slack.roots('ops')[0]!;
    const pressed = await sender.blockAction({ user: 'alice', channel: 'ops', messageTs: root.ts, actionId: 'acknowledge' });
    assert.equal(pressed.status, 200);
    await eventually(() => slack.roots('ops')[0]!.revisions.length === 1, 'the update');
    assert.equal(slack.roots('ops')[0]!.text, `INC-1 acknowledged by <@${alice.id}>`);
    assert.ok(calls.includes(`action:INC-1:${alice.id}`), 'the button value came from the posted message');
    await eventually(() => slack.responseBodies.length === 1, 'the response_url post');
    assert.equal(slack.ephemerals.at(-1)!.text, 'Recorded on the timeline');
  });

  it('delivers app_mention and message events for user messages that now exist in the channel', async () => {
    const { slack, sender, calls, alice } = await boltOnFake();
    const mention = await sender.appMention({ user: 'alice', channel: 'ops', text: `<@${slack.botUserId}> what is INC-1?` });
    assert.equal(mention.status, 200);
    await eventually(() => slack.replies('ops', mention.ts!).length === 1, 'the reply in the mention thread');
    assert.equal(slack.replies('ops', mention.ts!)[0]!.text, 'Looking at it');
    await sender.message({ user: 'alice', channel: 'ops', text: 'anyone?' });
    await eventually(() => calls.includes('message:anyone?'), 'the message listener');
    assert.equal(slack.messages('ops').filter((message) => message.user === alice.id).length, 2);
  });

  it('sends forged and stale requests that Bolt rejects with 401, changing nothing', async () => {
    const { slack, sender, calls } = await boltOnFake();
    const forged = await sender.slashCommand({ user: 'alice', channel: 'ops', text: 'pause', signature: 'forged' });
    const unsigned = await sender.slashCommand({ user: 'alice', channel: 'ops', text: 'pause', signature: 'none' });
    const stale = await sender.slashCommand({ user: 'alice', channel: 'ops', text: 'pause', timestampOffsetSeconds: -6 * 60 });
    assert.deepEqual([forged.status, unsigned.status, stale.status], [401, 401, 401]);
    const replay = await sender.send(forged.sent, 'application/x-www-form-urlencoded', { timestampOffsetSeconds: -301 });
    assert.equal(replay.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(calls, []);
    assert.equal(slack.messages().length, 0);
    const fresh = await sender.slashCommand({ user: 'alice', channel: 'ops', text: 'status', timestampOffsetSeconds: -60 });
    assert.equal(fresh.status, 200, 'a minute of clock skew is accepted');
    await eventually(() => slack.ephemerals.length === 1, 'the answer to the fresh request');
  });

  it('answers the URL verification handshake', async () => {
    const { sender } = await boltOnFake();
    const handshake = await sender.urlVerification('challenge-123');
    assert.equal(handshake.status, 200);
    assert.match(handshake.body, /challenge-123/);
  });
});
