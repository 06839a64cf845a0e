import { WebClient, LogLevel, type WebAPICallResult } from '@slack/web-api';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import { FakeSlack, type FakeSlackOptions } from '../../../src/sandbox/index.js';

async function slackFixture(options: FakeSlackOptions = {}) {
  const slack = await FakeSlack.start(options);
  after(() => slack.stop());
  const alice = slack.addUser('alice', { realName: 'Alice Ops', email: 'alice@example.com' });
  const bob = slack.addUser('bob');
  const ops = slack.addChannel('ops', { members: [alice.id, bob.id] });
  const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 } });
  return { slack, web, alice, bob, ops };
}

/** The `data` of a platform error thrown by @slack/web-api. */
async function slackError(promise: Promise<unknown>): Promise<WebAPICallResult & { error?: string; errors?: string[] }> {
  try {
    await promise;
  } catch (error) {
    const data = (error as { data?: WebAPICallResult }).data;
    if (data) return data;
    throw error;
  }
  throw new Error('expected a Slack API error');
}

describe('Slack fake through @slack/web-api', () => {
  it('answers auth.test for the bot token and refuses unknown tokens', async () => {
    const { slack, web } = await slackFixture();
    const me = await web.auth.test();
    assert.deepEqual([me.ok, me.user_id, me.team_id, typeof me.bot_id], [true, slack.botUserId, slack.workspace.teamId, 'string']);
    const stranger = new WebClient('xoxb-unknown', { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    assert.equal((await slackError(stranger.auth.test())).error, 'invalid_auth');
  });

  it('keeps threads: a root, replies (also to a reply), in-place updates with history', async () => {
    const { slack, web, ops } = await slackFixture();
    const root = await web.chat.postMessage({ channel: ops.id, text: 'INC-1 firing', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*INC-1* firing' } }] });
    assert.match(root.ts!, /^\d{10}\.\d{6}$/);
    const reply = await web.chat.postMessage({ channel: ops.id, thread_ts: root.ts!, text: 'matched runbook' });
    const nested = await web.chat.postMessage({ channel: ops.id, thread_ts: reply.ts!, text: 'plan' });
    assert.equal((nested.message as { thread_ts: string }).thread_ts, root.ts, 'a reply to a reply joins the root thread');
    await web.chat.update({ channel: ops.id, ts: root.ts!, text: 'INC-1 acknowledged' });
    await web.chat.update({ channel: ops.id, ts: root.ts!, text: 'INC-1 resolved', blocks: [] });
    const [stored] = slack.roots('ops');
    assert.equal(stored!.text, 'INC-1 resolved');
    assert.equal(stored!.blocks, null, 'an empty blocks array removes the blocks');
    assert.deepEqual(stored!.revisions.map((revision) => revision.text), ['INC-1 acknowledged', 'INC-1 resolved']);
    assert.deepEqual(slack.replies('ops', root.ts!).map((message) => message.text), ['matched runbook', 'plan']);
    assert.equal(slack.transcript('ops'), 'pitcrew: INC-1 resolved (edited 2×)\n  ↳ pitcrew: matched runbook\n  ↳ pitcrew: plan');

    const history = await web.conversations.history({ channel: ops.id });
    assert.deepEqual(history.messages!.map((message) => [message.text, message.reply_count]), [['INC-1 resolved', 2]]);
    const thread = await web.conversations.replies({ channel: ops.id, ts: root.ts! });
    assert.deepEqual(thread.messages!.map((message) => message.text), ['INC-1 resolved', 'matched runbook', 'plan']);
    const { permalink } = await web.chat.getPermalink({ channel: ops.id, message_ts: reply.ts! });
    assert.match(permalink!, new RegExp(`/archives/${ops.id}/p\\d{16}\\?thread_ts=${root.ts!.replace('.', '\\.')}`));
  });

  it('refuses what Slack refuses: unknown channels and threads, empty messages, other people\'s messages', async () => {
    const { slack, web, ops, alice } = await slackFixture();
    assert.equal((await slackError(web.chat.postMessage({ channel: 'C404', text: 'x' }))).error, 'channel_not_found');
    assert.equal((await slackError(web.chat.postMessage({ channel: ops.id, thread_ts: '1700000000.000001', text: 'x' }))).error, 'thread_not_found');
    assert.equal((await slackError(web.chat.postMessage({ channel: ops.id, thread_ts: 'nope', text: 'x' }))).error, 'invalid_thread_ts');
    assert.equal((await slackError(web.chat.postMessage({ channel: ops.id } as never))).error, 'no_text');
    assert.equal((await slackError(web.chat.postMessage({ channel: ops.id, text: 'x'.repeat(40_001) }))).error, 'msg_too_long');
    const outside = slack.addChannel('outside', { botIsMember: false });
    assert.equal((await slackError(web.chat.postMessage({ channel: outside.id, text: 'x' }))).error, 'not_in_channel');
    const human = new WebClient(slack.userToken(alice.id), { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    const theirs = await human.chat.postMessage({ channel: ops.id, text: 'mine' });
    assert.equal((await slackError(web.chat.update({ channel: ops.id, ts: theirs.ts!, text: 'edited by bot' }))).error, 'cant_update_message');
    assert.equal((await slackError(web.chat.update({ channel: ops.id, ts: '1700000000.000001', text: 'x' }))).error, 'message_not_found');
  });

  it('validates Block Kit limits and answers invalid_blocks with Slack\'s pointers', async () => {
    const { web, ops } = await slackFixture();
    const tooMany = await slackError(web.chat.postMessage({ channel: ops.id, text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }));
    assert.deepEqual([tooMany.error, tooMany.errors], ['invalid_blocks', ['no more than 50 items allowed [json-pointer:/blocks]']]);
    const long = await slackError(web.chat.postMessage({ channel: ops.id, text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(3001) } }] }));
    assert.deepEqual(long.errors, ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    const button = await slackError(web.chat.postMessage({ channel: ops.id, text: 'x', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }] }] }));
    assert.deepEqual(button.errors, ['must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]']);
    const header = await slackError(web.chat.postMessage({ channel: ops.id, text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] as never }));
    assert.equal(header.error, 'invalid_blocks');
    const fine = await web.chat.postMessage({ channel: ops.id, text: 'x', blocks: Array.from({ length: 50 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(3000) }, block_id: `b${i}` })) });
    assert.equal(fine.ok, true, 'exactly at the limits is accepted');
  });

  it('posts ephemeral messages, opens DMs, reads users, user groups and reactions', async () => {
    const { slack, web, ops, alice, bob } = await slackFixture();
    const ephemeral = await web.chat.postEphemeral({ channel: ops.id, user: alice.id, text: 'Only approvers may pause' });
    assert.ok(ephemeral.message_ts);
    assert.deepEqual(slack.ephemerals.map((message) => [message.user, message.text]), [[alice.id, 'Only approvers may pause']]);
    const stranger = slack.addUser('stranger');
    assert.equal((await slackError(web.chat.postEphemeral({ channel: ops.id, user: stranger.id, text: 'x' }))).error, 'user_not_in_channel');
    const dm = await web.conversations.open({ users: alice.id });
    assert.match(dm.channel!.id!, /^D/);
    assert.equal((await web.conversations.open({ users: alice.id })).already_open, true);
    assert.equal((await web.conversations.info({ channel: ops.id })).channel!.name, 'ops');
    const { user } = await web.users.info({ user: alice.id });
    assert.deepEqual([user!.real_name, user!.profile!.email], ['Alice Ops', 'alice@example.com']);
    assert.equal((await slackError(web.users.info({ user: 'U404' }))).error, 'user_not_found');
    const group = slack.addUsergroup('sre-oncall', [alice.id, bob.id]);
    assert.deepEqual((await web.usergroups.users.list({ usergroup: group.id })).users, [alice.id, bob.id]);
    assert.equal((await slackError(web.usergroups.users.list({ usergroup: 'S404' }))).error, 'no_such_subteam');
    const posted = await web.chat.postMessage({ channel: ops.id, text: 'resolved' });
    await web.reactions.add({ channel: ops.id, timestamp: posted.ts!, name: 'white_check_mark' });
    assert.equal((await slackError(web.reactions.add({ channel: ops.id, timestamp: posted.ts!, name: 'white_check_mark' }))).error, 'already_reacted');
    assert.deepEqual([...slack.messages('ops').at(-1)!.reactions.keys()], ['white_check_mark']);
  });

  it('opens views for a fresh trigger_id and refuses stale or unknown ones', async () => {
    const clock = manualClock(Date.now());
    const { slack, web } = await slackFixture({ clock });
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Snooze' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'How long?' } }] };
    const opened = await web.views.open({ trigger_id: slack.workspace.trigger(), view });
    assert.match(opened.view!.id!, /^V/);
    const stale = slack.workspace.trigger();
    clock.advance(3_001);
    assert.equal((await slackError(web.views.open({ trigger_id: stale, view }))).error, 'expired_trigger_id');
    assert.equal((await slackError(web.views.open({ trigger_id: 'made-up', view }))).error, 'invalid_trigger_id');
    const longTitle = await slackError(web.views.open({ trigger_id: slack.workspace.trigger(), view: { ...view, title: { type: 'plain_text', text: 't'.repeat(25) } } }));
    assert.equal(longTitle.error, 'invalid_arguments');
  });
});

describe('Slack fake: rate limits', () => {
  it('answers 429 with Retry-After, which the client waits out and retries', async () => {
    const { slack, web, ops } = await slackFixture();
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const posted = await web.chat.postMessage({ channel: ops.id, text: 'after the limit' });
    assert.equal(posted.ok, true);
    assert.ok(Date.now() - started >= 1000, 'the client waited for Retry-After');
    assert.deepEqual(slack.limiter.posts.map((post) => post.outcome), ['rate_limited', 'ok']);
    assert.equal(slack.roots('ops').length, 1, 'nothing lost, nothing doubled');
  });

  it('enforces a per-channel bucket and logs every message so pacing is measurable', async () => {
    const clock = manualClock(Date.now());
    const { slack, ops } = await slackFixture({ clock, rateLimits: { perChannel: { perSecond: 1, burst: 2 } } });
    const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, rejectRateLimitedCalls: true });
    await web.chat.postMessage({ channel: ops.id, text: '1' });
    await web.chat.postMessage({ channel: ops.id, text: '2' });
    const limited = await web.chat.postMessage({ channel: ops.id, text: '3' }).catch((error: { code: string; retryAfter: number }) => error);
    assert.deepEqual([(limited as { code: string }).code, (limited as { retryAfter: number }).retryAfter], ['slack_webapi_rate_limited_error', 1]);
    const other = slack.addChannel('other');
    await web.chat.postMessage({ channel: other.id, text: 'another channel is not limited' });
    clock.advance(1_000);
    await web.chat.postMessage({ channel: ops.id, text: '3 again' });
    assert.equal(slack.maxMessagesPerWindow('ops', 1000), 2, 'the burst of two');
    assert.equal(slack.minGapMs('ops'), 0);
    assert.deepEqual(slack.limiter.posts.filter((post) => post.channel === ops.id).map((post) => post.outcome), ['ok', 'ok', 'rate_limited', 'ok']);
  });
});
