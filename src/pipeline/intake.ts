import { ALERT_SOURCES, isAlertSourceName } from '../adapters/alerts/sources.js';
import { parseJsonBody } from '../adapters/alerts/json-body.js';
import type { Clock } from '../domain/clock.js';
import type { IncidentPolicy } from '../domain/incident.js';
import type { Signal } from '../domain/signal.js';
import type { JobQueue } from '../store/queue/job-queue.js';
import { PermanentJobError } from '../store/queue/worker.js';
import type { Db } from '../store/store.js';
import { attachSignalBatches, type AttachResult } from './intake/attach-signals.js';

/** The inbox: raw alert requests, stored before the ack. */
export const INBOX_QUEUE = 'alerts';
/** The outbox: incident changes for subscribers. */
export const CHANGES_QUEUE = 'incident-changes';

/** One accepted alert request, as committed to the inbox. */
export interface InboxEvent {
  source: string;
  /** The raw body, exactly as received. */
  body: string;
  receivedAt: number;
}

export interface IntakeDeps {
  policy: IncidentPolicy;
  clock: Clock;
  /** Where incident changes are queued for subscribers; omitted by offline triage. */
  jobs?: JobQueue;
}

export interface IntakeResult extends AttachResult {
  signals: Signal[];
}

/**
 * Stage 1, intake, for one inbox event. Runs inside the transaction that
 * completes the inbox job, so its effects happen exactly once:
 *  1. parse: re-read the raw body with its sender's schema (it passed the same
 *     schema before the ack; a body no schema accepts is a permanent failure)
 *  2. normalize: the sender's payload becomes Signals
 *  3. attach: drop duplicates by fingerprint, group into incidents, track
 *     firing/resolved per alert, resolve, reopen, flag flapping
 *  4. publish: queue one IncidentChange per changed incident, in the same transaction
 */
export async function intakeEvent(trx: Db, event: InboxEvent, deps: IntakeDeps): Promise<IntakeResult> {
  return intakeEvents(trx, [event], deps);
}

/** The same for a batch of inbox events, in order, written once (see attachSignalBatches). */
export async function intakeEvents(trx: Db, events: InboxEvent[], deps: IntakeDeps): Promise<IntakeResult> {
  const perEvent = events.map(normalize);
  const attached = await attachSignalBatches(trx, perEvent, deps.policy, deps.clock);
  if (deps.jobs) await deps.jobs.enqueueIn(trx, CHANGES_QUEUE, attached.changes);
  return { ...attached, signals: perEvent.flat() };
}

/** Steps 1 and 2: the stored raw body → Signals. */
export function normalize(event: InboxEvent): Signal[] {
  if (!isAlertSourceName(event.source)) throw new PermanentJobError(`unknown alert source "${event.source}"`);
  const json = parseJsonBody(event.body);
  if (!json.ok) throw new PermanentJobError(`stored body is not JSON: ${json.message}`);
  const source = ALERT_SOURCES[event.source];
  const validation = source.validate(json.value);
  if (!validation.ok) throw new PermanentJobError(`stored body no longer passes the ${event.source} schema: ${validation.message}`);
  return source.toSignals(json.value);
}
