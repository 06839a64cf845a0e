import type { Incident } from '../../domain/incident.js';
import { describeAction } from '../../domain/describe-action.js';
import type { Chat, ThreadRef, ThreadReply } from '../../pipeline/ports/chat.js';

/**
 * The Chat port as a plain-text transcript: one thread per incident, the root
 * line updated in place and replies kept once per key, like the Slack one.
 * `npm run demo` shows it when Slack is not configured; `onPost` sees each
 * new or changed message as it happens.
 */
export interface TranscriptMessage {
  key: string;
  text: string;
  revisions: number;
}

export interface TranscriptChat extends Chat {
  /** The incident's thread: its root message first, then the replies in posting order. */
  thread(incidentId: string): TranscriptMessage[];
}

export function transcriptChat(onPost: (incident: Incident, message: TranscriptMessage, isRoot: boolean) => void = () => {}): TranscriptChat {
  const threads = new Map<string, { root: TranscriptMessage; replies: Map<string, TranscriptMessage> }>();
  const upsert = (incident: Incident, key: string, text: string, isRoot: boolean) => {
    let thread = threads.get(incident.id);
    if (!thread) {
      thread = { root: { key: 'root', text: '', revisions: 0 }, replies: new Map() };
      threads.set(incident.id, thread);
    }
    const message = isRoot ? thread.root : thread.replies.get(key) ?? { key, text: '', revisions: 0 };
    if (message.text === text) return;
    message.text = text;
    message.revisions += 1;
    if (!isRoot) thread.replies.set(key, message);
    onPost(incident, message, isRoot);
  };
  const ref = (incidentId: string): ThreadRef => ({ channel: 'transcript', ts: incidentId });
  return {
    async syncIncident(incident) {
      upsert(incident, 'root', rootText(incident), true);
      return ref(incident.id);
    },
    async reply(incident, key, reply) {
      if (!threads.has(incident.id)) upsert(incident, 'root', rootText(incident), true);
      upsert(incident, key, replyText(reply), false);
    },
    async threadOf(incidentId) {
      return threads.has(incidentId) ? ref(incidentId) : null;
    },
    thread(incidentId) {
      const thread = threads.get(incidentId);
      return thread ? [thread.root, ...thread.replies.values()] : [];
    },
  };
}

export function rootText(incident: Incident): string {
  return `[${incident.state.toUpperCase()}] #${incident.number} ${incident.title} (${incident.severity}${incident.service ? `, ${incident.service}` : ''}; ${incident.alertsFiring}/${incident.alertsTotal} alerts firing)`;
}

export function replyText(reply: ThreadReply): string {
  switch (reply.kind) {
    case 'retrieval': {
      const top = reply.retrieval.runbooks[0];
      return reply.retrieval.decision.kind === 'match' && top
        ? `Runbook: ${top.title} (${top.path}; ${reply.retrieval.decision.reason})`
        : `No matching runbook (${reply.retrieval.decision.reason})`;
    }
    case 'plan':
      return [`Plan ${reply.plan.id} (${reply.plan.risk} risk, confidence ${reply.plan.confidence.level}): ${reply.plan.summary}`, ...reply.plan.actions.map((action, i) => `  ${i + 1}. ${describeAction(action)}`)].join('\n');
    case 'proposal': {
      const outcome = reply.outcome;
      if (outcome.status === 'dry_run') return `[dry-run] would open a fix PR on ${outcome.branch}`;
      if (outcome.status === 'blocked') return `Fix PR not updated: ${outcome.reason}`;
      return `Fix PR #${outcome.number} ${outcome.status} (${outcome.risk} risk): ${outcome.url}`;
    }
    case 'execution':
      return [`${reply.note.title}${reply.note.url ? ` ${reply.note.url}` : ''}`, ...reply.note.lines.map((line) => `  ${line}`)].join('\n');
    case 'note':
      return reply.text;
  }
}
