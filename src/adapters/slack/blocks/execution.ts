import type { ExecutionNote } from '../../../pipeline/ports/chat.js';
import { link } from './format.js';
import { escapeMrkdwn, longText, message, section, type SlackMessage } from './limits.js';

const OUTCOME_ICON: Record<ExecutionNote['outcome'], string> = {
  succeeded: '✅',
  failed: '❌',
  skipped: '⏭️',
  dry_run: '🧪',
  cleared: '✅',
  not_cleared: '⚠️',
  reverting: '↩️',
};

/** What ran (or was verified), one line per action or check. The title already says the outcome; the icon shows it at a glance. */
export function executionReply(note: ExecutionNote): SlackMessage {
  const head = `${OUTCOME_ICON[note.outcome]} *${escapeMrkdwn(note.title)}*${note.url ? `  ·  ${link(note.url, 'details')}` : ''}`;
  const body = note.lines.map((line) => `• ${escapeMrkdwn(line)}`).join('\n');
  return message(note.title, [section(head), ...(body ? longText(body) : [])]);
}

/** A free-form note from pitcrew (already safe to show). */
export function noteReply(text: string): SlackMessage {
  return message(text, longText(escapeMrkdwn(text)));
}
