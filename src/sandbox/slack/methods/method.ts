import type { SlackRateLimiter } from '../rate-limits.js';
import type { SlackMessage, TokenGrant, Workspace } from '../workspace.js';

/** A Slack Web API error: HTTP 200 with `{ ok: false, error }`. */
export class SlackError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export interface MethodCtx {
  ws: Workspace;
  args: Record<string, unknown>;
  grant: TokenGrant;
  limiter: SlackRateLimiter;
  origin: string;
}

export type Method = (ctx: MethodCtx) => Record<string, unknown> | Promise<Record<string, unknown>>;

export function str(ctx: MethodCtx, name: string): string | undefined {
  const value = ctx.args[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** Slack's clients send structured arguments (blocks, view) as JSON strings inside forms. */
export function structured(ctx: MethodCtx, name: string, error = 'invalid_arguments'): unknown {
  const value = ctx.args[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new SlackError(error);
  }
}

export function bool(ctx: MethodCtx, name: string): boolean {
  const value = ctx.args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** A message as conversations.history / replies return it. */
export function renderMessage(ws: Workspace, message: SlackMessage): Record<string, unknown> {
  const replies = message.threadTs === null ? ws.messages.filter((reply) => reply.channel === message.channel && reply.threadTs === message.ts && !reply.deleted) : [];
  const last = message.revisions.at(-1);
  const user = ws.users.get(message.user);
  return {
    type: 'message',
    ...(message.botId ? { bot_id: message.botId, app_id: 'A0PITCREW', bot_profile: { id: message.botId, name: user?.name ?? 'bot', app_id: 'A0PITCREW', team_id: ws.teamId } } : {}),
    user: message.user,
    text: message.text,
    ts: message.ts,
    team: ws.teamId,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.metadata ? { metadata: message.metadata } : {}),
    ...(last ? { edited: { user: message.user, ts: ws.tsAt(last.at) } } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: ws.message(message.channel, message.threadTs)?.user } : {}),
    ...(replies.length > 0
      ? {
          thread_ts: message.ts,
          reply_count: replies.length,
          reply_users_count: new Set(replies.map((reply) => reply.user)).size,
          reply_users: [...new Set(replies.map((reply) => reply.user))],
          latest_reply: replies.at(-1)!.ts,
          is_locked: false,
          subscribed: false,
        }
      : {}),
    ...(message.reactions.size > 0 ? { reactions: [...message.reactions].map(([name, users]) => ({ name, users, count: users.length })) } : {}),
  };
}
