import { z } from 'zod/v4';

/** The parts of a block_actions payload the button listeners use (Slack payloads are untrusted input). */
export const ButtonPress = z.object({
  user: z.object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() }),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ message_ts: z.string().optional(), thread_ts: z.string().optional(), channel_id: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().max(200).optional() })).min(1),
});
export type ButtonPress = z.infer<typeof ButtonPress>;

/** The parts of a slash command the command listener uses. */
export const SlashCommand = z.object({
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  channel_id: z.string().min(1),
  text: z.string().max(4000).default(''),
});
export type SlashCommand = z.infer<typeof SlashCommand>;

/** An app_mention event. */
export const Mention = z.object({
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string(),
  channel: z.string(),
  ts: z.string(),
  thread_ts: z.string().optional(),
});
export type Mention = z.infer<typeof Mention>;
