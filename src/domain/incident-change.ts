import type { Incident, IncidentEvent } from './incident.js';
import type { Signal } from './signal.js';

/**
 * The incident-change event port. Intake records what happened to an incident
 * and, in the same transaction, queues one IncidentChange; the service then
 * delivers it to every subscriber (Slack thread updates, planning, …) at least
 * once, retrying with backoff and dead-lettering like any job.
 *
 * Subscribers must therefore be idempotent: `change.id` is stable across
 * redeliveries and unique per change.
 */
export type IncidentChangeKind =
  | 'opened'
  | 'reopened'
  | 'resolved'
  | 'updated'
  | 'state_changed'
  | 'flapping_started'
  | 'flapping_cleared';

export interface IncidentChange {
  /** `<incident id>:<seq of the last event covered>`: an idempotency key. */
  id: string;
  kind: IncidentChangeKind;
  /**
   * False while the incident is flapping: the change is recorded but should
   * not page or post again. `flapping_started` itself is notified once.
   */
  notify: boolean;
  at: number;
  /** The incident after the change. */
  incident: Incident;
  /** The timeline events this change covers, oldest first. */
  events: IncidentEvent[];
  /** The signals that caused it (new or changed alerts only, never duplicates). */
  signals: Signal[];
}

export interface IncidentSubscriber {
  /** Stable name, shown in logs and dead letters. */
  readonly name: string;
  onIncidentChange(change: IncidentChange): Promise<void>;
}

/** The kind that best describes a set of events, most significant first. */
export function changeKind(events: IncidentEvent[]): IncidentChangeKind {
  const kinds = new Set(events.map((event) => event.kind));
  if (kinds.has('opened')) return 'opened';
  // "It is flapping, going quiet" is the one thing worth saying about a flap that also reopened or resolved it.
  if (kinds.has('flapping_started')) return 'flapping_started';
  if (kinds.has('reopened')) return 'reopened';
  if (kinds.has('resolved')) return 'resolved';
  if (kinds.has('flapping_cleared')) return 'flapping_cleared';
  if (kinds.has('acknowledged') || kinds.has('mitigating')) return 'state_changed';
  return 'updated';
}
