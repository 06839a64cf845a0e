import { validateBlocks } from '../block-kit.js';
import type { SlackChannel, SlackMessage } from '../workspace.js';
import { bool, renderMessage, SlackError, str, structured, type Method, type MethodCtx } from './method.js';

const MAX_TEXT = 40_000;
const TS = /^\d{9,11}\.\d{6}$/;

function channelOf(ctx: MethodCtx, name = 'channel'): SlackChannel {
  const id = str(ctx, name);
  if (!id) throw new SlackError('channel_not_found');
  const channel = ctx.ws.channel(id);
  if (!channel) throw new SlackError('channel_not_found');
  return channel;
}

/** Text, blocks and attachments of a message write, validated like Slack validates them. */
function content(ctx: MethodCtx, options: { required: boolean }) {
  const text = str(ctx, 'text');
  const blocks = structured(ctx, 'blocks', 'invalid_blocks_format');
  const attachments = structured(ctx, 'attachments', 'invalid_attachments');
  if (blocks !== undefined) {
    const problems = validateBlocks(blocks);
    if (problems.length > 0) throw new SlackError('invalid_blocks', { errors: problems, response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) } });
  }
  if (attachments !== undefined && (!Array.isArray(attachments) || attachments.length > 100)) throw new SlackError(Array.isArray(attachments) ? 'too_many_attachments' : 'invalid_attachments');
  if (options.required && text === undefined && blocks === undefined && attachments === undefined) throw new SlackError('no_text');
  if (text !== undefined && text.length > MAX_TEXT) throw new SlackError('msg_too_long');
  return { text, blocks: blocks as unknown[] | undefined, attachments: attachments as unknown[] | undefined };
}

function mayPost(ctx: MethodCtx, channel: SlackChannel): void {
  if (channel.archived) throw new SlackError('is_archived');
  if (!channel.members.has(ctx.grant.userId) && (channel.isPrivate || channel.isIm)) throw new SlackError(channel.isIm ? 'channel_not_found' : 'not_in_channel');
  if (!channel.members.has(ctx.grant.userId)) throw new SlackError('not_in_channel');
}

function warnings(text: string | undefined, blocks: unknown[] | undefined): Record<string, unknown> {
  // Slack warns (but accepts) when blocks come without fallback text.
  return blocks && text === undefined ? { warning: 'missing_text_or_fallback_or_attachments', response_metadata: { warnings: ['missing_text_or_fallback_or_attachments'] } } : {};
}

const postMessage: Method = (ctx) => {
  const channel = channelOf(ctx);
  const { text, blocks, attachments } = content(ctx, { required: true });
  let threadTs = str(ctx, 'thread_ts') ?? null;
  if (threadTs !== null) {
    if (!TS.test(threadTs)) throw new SlackError('invalid_thread_ts');
    const parent = ctx.ws.message(channel.id, threadTs);
    if (!parent) throw new SlackError('thread_not_found');
    // Replying to a reply threads under its parent, as Slack does.
    threadTs = parent.threadTs ?? parent.ts;
  }
  mayPost(ctx, channel);
  const user = ctx.ws.users.get(ctx.grant.userId)!;
  const message: SlackMessage = {
    ts: ctx.ws.nextTs(),
    channel: channel.id,
    user: user.id,
    botId: user.botId,
    text: text ?? '',
    blocks: blocks ?? null,
    attachments: attachments ?? null,
    metadata: structured(ctx, 'metadata') ?? null,
    threadTs,
    replyBroadcast: bool(ctx, 'reply_broadcast'),
    postedAt: ctx.ws.clock.now(),
    revisions: [],
    reactions: new Map(),
    deleted: false,
  };
  ctx.ws.messages.push(message);
  return { channel: channel.id, ts: message.ts, message: renderMessage(ctx.ws, message), ...warnings(text, blocks) };
};

const update: Method = (ctx) => {
  const channel = channelOf(ctx);
  const ts = str(ctx, 'ts');
  if (!ts) throw new SlackError('message_not_found');
  const message = ctx.ws.message(channel.id, ts);
  if (!message) throw new SlackError('message_not_found');
  if (message.user !== ctx.grant.userId) throw new SlackError('cant_update_message');
  const { text, blocks, attachments } = content(ctx, { required: false });
  if (text === undefined && blocks === undefined && attachments === undefined) throw new SlackError('no_text');
  if (text !== undefined) message.text = text;
  // Omitted blocks are kept; an empty array removes them (Slack's documented behaviour).
  if (blocks !== undefined) message.blocks = blocks.length > 0 ? blocks : null;
  if (attachments !== undefined) message.attachments = attachments;
  message.revisions.push({ at: ctx.ws.clock.now(), text: message.text, blocks: message.blocks });
  return { channel: channel.id, ts: message.ts, text: message.text, message: renderMessage(ctx.ws, message), ...warnings(text, blocks) };
};

const postEphemeral: Method = (ctx) => {
  const channel = channelOf(ctx);
  const userId = str(ctx, 'user');
  if (!userId || !ctx.ws.users.has(userId)) throw new SlackError('user_not_found');
  if (!channel.members.has(userId)) throw new SlackError('user_not_in_channel');
  mayPost(ctx, channel);
  const { text, blocks } = content(ctx, { required: true });
  const messageTs = ctx.ws.nextTs();
  ctx.ws.ephemerals.push({ messageTs, channel: channel.id, user: userId, threadTs: str(ctx, 'thread_ts') ?? null, text: text ?? '', blocks: blocks ?? null, at: ctx.ws.clock.now() });
  return { message_ts: messageTs };
};

const getPermalink: Method = (ctx) => {
  const channel = channelOf(ctx);
  const ts = str(ctx, 'message_ts');
  const message = ts ? ctx.ws.message(channel.id, ts) : undefined;
  if (!message) throw new SlackError('message_not_found');
  const base = `https://${ctx.ws.domain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
  return { channel: channel.id, permalink: message.threadTs ? `${base}?thread_ts=${message.threadTs}&cid=${channel.id}` : base };
};

const deleteMessage: Method = (ctx) => {
  const channel = channelOf(ctx);
  const ts = str(ctx, 'ts');
  const message = ts ? ctx.ws.message(channel.id, ts) : undefined;
  if (!message) throw new SlackError('message_not_found');
  if (message.user !== ctx.grant.userId) throw new SlackError('cant_delete_message');
  message.deleted = true;
  return { channel: channel.id, ts: message.ts };
};

export const chatMethods: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'chat.delete': deleteMessage,
};
