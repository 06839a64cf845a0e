import type { Logger } from '../ops/logger.js';
import type { Chat } from '../pipeline/ports/chat.js';
import type { Connector } from '../pipeline/execute/ports.js';

/**
 * `notify`: a human step, posted in the incident's thread. Chat replies are
 * idempotent per key, so posting again after a crash updates the same reply
 * rather than adding one: `status` can safely say "not applied".
 */
export function notifyConnector(deps: { chat: Chat; log: Logger }): Connector<'notify'> {
  return {
    kind: 'notify',
    run: async (action, context) => {
      if (context.dryRun) {
        deps.log.info({ key: context.key }, `[dry-run] would post the human step "${action.message}"`);
        return { outcome: 'dry_run', detail: 'would post the human step in the incident thread' };
      }
      if (!context.incident) {
        deps.log.warn({ key: context.key, message: action.message }, 'human step with no incident thread to post in');
        return { outcome: 'succeeded', detail: 'no incident thread; the step is in the PR comment and the log' };
      }
      await deps.chat.reply(context.incident, `notify:${context.key}`, { kind: 'note', text: `Human step from the merged plan (PR #${context.prNumber}): ${action.message}` });
      return { outcome: 'succeeded', detail: 'posted in the incident thread' };
    },
    status: async () => ({ state: 'not_applied', detail: 'posting again updates the same reply' }),
  };
}
