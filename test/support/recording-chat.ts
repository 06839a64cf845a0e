import type { Incident } from '../../src/domain/incident.js';
import type { Chat, ThreadRef, ThreadReply } from '../../src/pipeline/ports/chat.js';

/** A Chat that records what it was asked to show, keyed like a real one (idempotent by key). */
export function recordingChat(): Chat & { roots: Map<string, Incident>; replies: Map<string, { incidentId: string; reply: ThreadReply }>; syncs: number } {
  const roots = new Map<string, Incident>();
  const replies = new Map<string, { incidentId: string; reply: ThreadReply }>();
  const chat = {
    roots,
    replies,
    syncs: 0,
    async syncIncident(incident: Incident): Promise<ThreadRef> {
      chat.syncs++;
      roots.set(incident.id, incident);
      return { channel: 'C1', ts: incident.id, permalink: `https://chat.example/${incident.id}` };
    },
    async reply(incident: Incident, key: string, reply: ThreadReply) {
      replies.set(key, { incidentId: incident.id, reply });
    },
    async threadOf(incidentId: string) {
      return roots.has(incidentId) ? { channel: 'C1', ts: incidentId, permalink: `https://chat.example/${incidentId}` } : null;
    },
  };
  return chat;
}
