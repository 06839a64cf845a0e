import { isPitcrewError } from '../../domain/errors.js';
import type { Handoff } from '../../pipeline/handoff/model.js';
import type { HandoffPublisher } from '../../pipeline/handoff/publisher.js';
import type { HandoffService } from '../../pipeline/handoff/service.js';
import { escapeMrkdwn, handoffBlocks, type HandoffMessage } from './blocks/handoff-blocks.js';

/**
 * The Slack side of the handoff, without the Slack SDK (the listener passes
 * its WebClient, which fits `ChatPoster`):
 *  - `handoffReply(service, '12h' | 'since 18:00' | '')`: what `/pitcrew handoff …`
 *    answers; bad input gets the reason and the hint instead of a handoff;
 *  - `slackHandoffPublisher(client)`: posts the scheduled handoff to the
 *    on-call channel (PITCREW_HANDOFF_CHANNEL).
 */
export interface ChatPoster {
  chat: {
    postMessage(args: { channel: string; text: string; blocks: Array<Record<string, unknown>>; unfurl_links?: boolean }): Promise<{ ok?: boolean; ts?: string; channel?: string }>;
  };
}

export async function handoffReply(service: HandoffService, args: string): Promise<HandoffMessage & { ok: boolean }> {
  let handoff: Handoff;
  try {
    handoff = await service.forRequest(args);
  } catch (error) {
    if (!isPitcrewError(error, 'input_invalid')) throw error;
    const text = `${error.message}. ${error.hint ?? ''} Usage: \`/pitcrew handoff [12h | since 18:00]\``.trim();
    return { ok: false, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } }] };
  }
  return { ok: true, ...handoffBlocks(handoff, { timeZone: service.timeZone }) };
}

export function slackHandoffPublisher(client: ChatPoster, timeZone: string): HandoffPublisher {
  return {
    name: 'slack',
    async publish(handoff, target) {
      if (!target.channel) return { ref: null };
      const message = handoffBlocks(handoff, { timeZone });
      const posted = await client.chat.postMessage({ channel: target.channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      return { ref: posted.ts ? `${posted.channel ?? target.channel}/${posted.ts}` : null };
    },
  };
}
