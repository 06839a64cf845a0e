import { randomBytes } from 'node:crypto';
import { validateBlocks, VIEW_BLOCK_LIMIT } from '../block-kit.js';
import { SlackError, str, structured, type Method } from './method.js';

/** Slack accepts a trigger_id for 3 seconds after the interaction that issued it. */
const TRIGGER_TTL_MS = 3_000;

const reactionsAdd: Method = (ctx) => {
  const channel = ctx.ws.channel(str(ctx, 'channel') ?? '');
  if (!channel) throw new SlackError('channel_not_found');
  const name = (str(ctx, 'name') ?? '').replace(/^:|:$/g, '');
  if (!/^[a-z0-9_+'-]+$/.test(name)) throw new SlackError('invalid_name');
  const message = ctx.ws.message(channel.id, str(ctx, 'timestamp') ?? '');
  if (!message) throw new SlackError('message_not_found');
  const users = message.reactions.get(name) ?? [];
  if (users.includes(ctx.grant.userId)) throw new SlackError('already_reacted');
  if (message.reactions.size >= 23 && !message.reactions.has(name)) throw new SlackError('too_many_emoji');
  message.reactions.set(name, [...users, ctx.grant.userId]);
  return {};
};

function checkView(view: unknown): Record<string, unknown> {
  if (!view || typeof view !== 'object') throw new SlackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: view'] } });
  const record = view as Record<string, unknown>;
  const problems: string[] = [];
  if (record.type !== 'modal' && record.type !== 'home') problems.push('must be a valid enum value [json-pointer:/view/type]');
  const title = record.title as { text?: unknown } | undefined;
  if (record.type === 'modal' && (typeof title?.text !== 'string' || title.text.length > 24)) problems.push('must be less than 25 characters [json-pointer:/view/title/text]');
  problems.push(...validateBlocks(record.blocks, VIEW_BLOCK_LIMIT).map((problem) => problem.replace('[json-pointer:/blocks', '[json-pointer:/view/blocks')));
  if (problems.length > 0) throw new SlackError('invalid_arguments', { response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) } });
  return record;
}

const viewsOpen: Method = (ctx) => {
  const triggerId = str(ctx, 'trigger_id');
  const issued = triggerId ? ctx.ws.triggers.get(triggerId) : undefined;
  if (!triggerId || issued === undefined) throw new SlackError('invalid_trigger_id');
  if (ctx.ws.clock.now() - issued > TRIGGER_TTL_MS) throw new SlackError('expired_trigger_id');
  ctx.ws.triggers.delete(triggerId);
  const view = checkView(structured(ctx, 'view'));
  const id = ctx.ws.id('V');
  ctx.ws.views.push({ id, triggerId, user: null, view, at: ctx.ws.clock.now() });
  return {
    view: {
      id,
      team_id: ctx.ws.teamId,
      type: view.type,
      blocks: view.blocks,
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: {} },
      hash: randomBytes(8).toString('hex'),
      title: view.title,
      clear_on_close: false,
      notify_on_close: false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      root_view_id: id,
      app_id: 'A0PITCREW',
      external_id: view.external_id ?? '',
      bot_id: ctx.ws.bot.botId,
    },
  };
};

export const reactionAndViewMethods: Record<string, Method> = {
  'reactions.add': reactionsAdd,
  'views.open': viewsOpen,
};
