import { PitcrewError } from '../../domain/errors.js';
import type { SlackOutbound } from './outbound.js';

/**
 * SLACK_CHANNEL as a channel id: ids (C…/G…) are used as given, names are
 * looked up once among the channels the bot can see. A failed lookup is
 * retried on the next use (the change that needed it is retried by the queue).
 */
export function channelResolver(outbound: SlackOutbound, channel: string): () => Promise<string> {
  if (/^[CG][A-Z0-9]{2,}$/.test(channel)) return async () => channel;
  let resolved: Promise<string> | undefined;
  const lookup = async (): Promise<string> => {
    let cursor: string | undefined;
    do {
      const page = await outbound.call('conversations.list', (client) =>
        client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, ...(cursor ? { cursor } : {}) }));
      const found = page.channels?.find((c) => c.name === channel);
      if (found?.id) return found.id;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    throw new PitcrewError('slack_unavailable', `SLACK_CHANNEL=${channel}: no such channel is visible to the bot.`, `Create #${channel} and invite the bot (/invite @pitcrew), or set SLACK_CHANNEL to a channel id (C…).`);
  };
  return () => {
    resolved ??= lookup().catch((error: unknown) => {
      resolved = undefined;
      throw error;
    });
    return resolved;
  };
}
