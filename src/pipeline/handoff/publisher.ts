import type { Logger } from '../../ops/logger.js';
import type { Handoff } from './model.js';

/**
 * Where a scheduled handoff goes. The Slack adapter implements it for the
 * on-call channel (rendering with src/adapters/slack/blocks/handoff-blocks.ts);
 * the GitHub adapter files it as an issue. Without either, it is logged.
 */
export interface HandoffPublisher {
  readonly name: string;
  /** Posts the handoff; returns where it went (a message permalink, an issue URL) when known. */
  publish(handoff: Handoff, target: { channel: string | null }): Promise<{ ref: string | null }>;
}

/** The stand-in when no chat is configured: the headline goes to the service log. */
export function logHandoffPublisher(log: Logger): HandoffPublisher {
  return {
    name: 'log',
    publish: async (handoff, target) => {
      log.info({ channel: target.channel, from: new Date(handoff.window.from).toISOString(), to: new Date(handoff.window.to).toISOString(), quiet: handoff.quiet, headline: handoff.headline }, 'on-call handoff (no chat configured: logged only)');
      return { ref: null };
    },
  };
}
