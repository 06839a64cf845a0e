import type { Incident } from '../../domain/incident.js';
import type { Plan } from '../../domain/plan.js';
import type { RetrievalResult } from '../../domain/retrieval.js';
import type { ProposeOutcome } from './forge.js';

/**
 * The Chat port: where on-call engineers see an incident. One thread per
 * incident; its root message is the incident's current state, updated in
 * place; replies carry what pitcrew found, planned, proposed and did.
 * Vendor-free; `src/adapters/slack/` implements it with Bolt, and
 * `logChat` stands in when Slack is off.
 *
 * Every method is idempotent, because incident changes are delivered at
 * least once: `syncIncident` updates the one root message, and `reply`
 * posts once per key (a second call with the same key updates that reply).
 */
export interface ThreadRef {
  channel: string;
  ts: string;
  permalink?: string;
}

/** The outcome of running a merged plan, or of verifying it, as a thread reply. */
export interface ExecutionNote {
  title: string;
  outcome: 'succeeded' | 'failed' | 'skipped' | 'dry_run' | 'cleared' | 'not_cleared' | 'reverting';
  /** One line per action or check, already redacted. */
  lines: string[];
  /** The PR, check run or audit commit to open. */
  url?: string;
}

export type ThreadReply =
  | { kind: 'retrieval'; retrieval: RetrievalResult }
  | { kind: 'plan'; plan: Plan; decisionId: string }
  | { kind: 'proposal'; outcome: ProposeOutcome; requestedBy?: string }
  | { kind: 'execution'; note: ExecutionNote }
  | { kind: 'note'; text: string };

export interface Chat {
  /** Posts the incident's root message the first time and updates it in place afterwards. Null when chat is off. */
  syncIncident(incident: Incident): Promise<ThreadRef | null>;
  /** Posts a reply in the incident's thread once per `key`; a repeated key updates that reply instead. */
  reply(incident: Incident, key: string, reply: ThreadReply): Promise<void>;
  /** The incident's thread, when one was posted. */
  threadOf(incidentId: string): Promise<ThreadRef | null>;
}
