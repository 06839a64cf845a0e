import type { ProposeOutcome } from '../../../pipeline/ports/forge.js';
import { link, mention } from './format.js';
import { context, escapeMrkdwn, message, section, type SlackMessage } from './limits.js';

/** The fix PR reply. Approval is a GitHub review: the reply says where to approve, never offers to. */
export function proposalReply(outcome: ProposeOutcome, requestedBy?: string): SlackMessage {
  const by = requestedBy ? ` (asked by ${mention(requestedBy)})` : '';
  switch (outcome.status) {
    case 'opened':
    case 'updated':
    case 'unchanged': {
      const verb = outcome.status === 'opened' ? 'opened' : outcome.status === 'updated' ? 'updated' : 'is up to date';
      return message(`Fix PR #${outcome.number} ${verb}: ${outcome.url}`, [
        section(`🔧 *Fix PR ${link(outcome.url, `#${outcome.number}`)} ${verb}*${by}  ·  risk *${outcome.risk}*`),
        context('Review and approve it on GitHub; nothing runs until it is approved on its latest commit and merged. Slack cannot approve.'),
      ]);
    }
    case 'dry_run':
      return message(`[dry-run] would ${outcome.existing ? `update PR #${outcome.existing}` : 'open a fix PR'}`, [
        section(`🧪 *[dry-run]* would ${outcome.existing ? `update PR #${outcome.existing}` : 'open a fix PR'} on \`${escapeMrkdwn(outcome.branch)}\`${by}  ·  risk *${outcome.risk}*`),
        context(`files: ${outcome.files.map((file) => `\`${escapeMrkdwn(file)}\``).join(', ') || '—'}`),
      ]);
    case 'blocked':
      return message(`Fix PR not updated: ${outcome.reason}`, [
        section(`✋ *Fix PR not updated*${outcome.number ? ` (#${outcome.number})` : ''}: ${escapeMrkdwn(outcome.reason)}${by}`),
      ]);
  }
}
