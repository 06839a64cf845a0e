import type { Incident } from '../../domain/incident.js';
import type { Logger } from '../../ops/logger.js';
import type { Chat, ThreadReply } from '../../pipeline/ports/chat.js';

/** The Chat port when Slack is off: what would have been posted goes to the log. */
export function logChat(log: Logger): Chat {
  return {
    syncIncident: async (incident: Incident) => {
      log.info({ incidentId: incident.id, state: incident.state, title: incident.title }, 'chat off: incident not posted');
      return null;
    },
    reply: async (incident: Incident, key: string, reply: ThreadReply) => {
      log.info({ incidentId: incident.id, key, kind: reply.kind }, 'chat off: thread reply not posted');
    },
    threadOf: async () => null,
  };
}
