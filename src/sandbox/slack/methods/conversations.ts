import type { SlackChannel } from '../workspace.js';
import { renderMessage, SlackError, str, type Method, type MethodCtx } from './method.js';

function channelOf(ctx: MethodCtx): SlackChannel {
  const channel = ctx.ws.channel(str(ctx, 'channel') ?? '');
  if (!channel) throw new SlackError('channel_not_found');
  if ((channel.isPrivate || channel.isIm) && !channel.members.has(ctx.grant.userId)) throw new SlackError('channel_not_found');
  return channel;
}

export function renderChannel(ctx: MethodCtx, channel: SlackChannel): Record<string, unknown> {
  if (channel.isIm) return { id: channel.id, created: channel.created, is_im: true, is_org_shared: false, user: channel.user, is_user_deleted: false, priority: 0 };
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    created: channel.created,
    is_archived: channel.archived,
    is_general: channel.name === 'general',
    name_normalized: channel.name,
    is_shared: false,
    is_member: channel.members.has(ctx.grant.userId),
    topic: { value: channel.topic, creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    num_members: channel.members.size,
  };
}

/** Pages newest-first lists with `limit` and an opaque cursor, as Slack does. */
function page<T>(ctx: MethodCtx, items: T[]): { items: T[]; has_more: boolean; next_cursor: string } {
  const limit = Math.min(999, Math.max(1, Number(str(ctx, 'limit') ?? 100) || 100));
  const offset = Number(Buffer.from(str(ctx, 'cursor') ?? '', 'base64').toString('utf8').replace('offset:', '')) || 0;
  const slice = items.slice(offset, offset + limit);
  const more = offset + limit < items.length;
  return { items: slice, has_more: more, next_cursor: more ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '' };
}

function inRange(ctx: MethodCtx, ts: string): boolean {
  const oldest = str(ctx, 'oldest');
  const latest = str(ctx, 'latest');
  const inclusive = str(ctx, 'inclusive') === 'true' || str(ctx, 'inclusive') === '1';
  const value = Number(ts);
  if (oldest && (inclusive ? value < Number(oldest) : value <= Number(oldest))) return false;
  if (latest && (inclusive ? value > Number(latest) : value >= Number(latest))) return false;
  return true;
}

const history: Method = (ctx) => {
  const channel = channelOf(ctx);
  const messages = ctx.ws.messages
    .filter((message) => message.channel === channel.id && !message.deleted && (message.threadTs === null || message.replyBroadcast) && inRange(ctx, message.ts))
    .reverse();
  const { items, has_more, next_cursor } = page(ctx, messages);
  return { messages: items.map((message) => renderMessage(ctx.ws, message)), has_more, pin_count: 0, channel_actions_ts: null, channel_actions_count: 0, response_metadata: { next_cursor } };
};

const replies: Method = (ctx) => {
  const channel = channelOf(ctx);
  const ts = str(ctx, 'ts');
  if (!ts) throw new SlackError('thread_not_found');
  const anchor = ctx.ws.message(channel.id, ts);
  if (!anchor) throw new SlackError('thread_not_found');
  const parentTs = anchor.threadTs ?? anchor.ts;
  const thread = ctx.ws.messages.filter((message) => message.channel === channel.id && !message.deleted && (message.ts === parentTs || message.threadTs === parentTs) && inRange(ctx, message.ts));
  const { items, has_more, next_cursor } = page(ctx, thread);
  return { messages: items.map((message) => renderMessage(ctx.ws, message)), has_more, response_metadata: { next_cursor } };
};

const info: Method = (ctx) => ({ channel: renderChannel(ctx, channelOf(ctx)) });

const open: Method = (ctx) => {
  const channelId = str(ctx, 'channel');
  if (channelId) return { channel: { id: channelOf(ctx).id }, no_op: true, already_open: true };
  const users = (str(ctx, 'users') ?? '').split(',').map((user) => user.trim()).filter(Boolean);
  if (users.length === 0) throw new SlackError('users_list_not_supplied');
  if (users.length > 1) throw new SlackError('not_supported', { detail: 'the fake opens one-to-one DMs only' });
  if (!ctx.ws.users.has(users[0]!)) throw new SlackError('user_not_found');
  const existed = [...ctx.ws.channels.values()].some((channel) => channel.isIm && channel.user === users[0]);
  const channel = ctx.ws.dm(users[0]!);
  return { channel: str(ctx, 'return_im') ? renderChannel(ctx, channel) : { id: channel.id }, ...(existed ? { no_op: true, already_open: true } : {}) };
};

const list: Method = (ctx) => {
  const channels = [...ctx.ws.channels.values()].filter((channel) => !channel.isIm && (!channel.isPrivate || channel.members.has(ctx.grant.userId)));
  const { items, next_cursor } = page(ctx, channels);
  return { channels: items.map((channel) => renderChannel(ctx, channel)), response_metadata: { next_cursor } };
};

const members: Method = (ctx) => {
  const channel = channelOf(ctx);
  const { items, next_cursor } = page(ctx, [...channel.members]);
  return { members: items, response_metadata: { next_cursor } };
};

export const conversationMethods: Record<string, Method> = {
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.info': info,
  'conversations.open': open,
  'conversations.list': list,
  'conversations.members': members,
};
