import { PitcrewError } from '../../domain/errors.js';
import type { Clock } from '../../domain/clock.js';
import type { IncidentChange } from '../../domain/incident-change.js';
import type { IncidentEvent, IncidentEventKind } from '../../domain/incident.js';
import { IncidentRepo, toIncident } from '../../store/incident-repo.js';
import type { JobQueue } from '../../store/queue/job-queue.js';
import type { Db } from '../../store/store.js';
import { CHANGES_QUEUE } from '../intake.js';

/**
 * Records something a person did to an incident that does not move its state
 * (snoozed it, asked for the fix PR) on its timeline, with who and when, and
 * queues the change in the same transaction so its chat thread shows it.
 */
export async function recordIncidentEvent(
  trx: Db,
  incidentId: string,
  kind: Extract<IncidentEventKind, 'snoozed' | 'fix_requested'>,
  actor: string,
  detail: Record<string, unknown>,
  deps: { clock: Clock; jobs?: JobQueue },
): Promise<IncidentChange> {
  const repo = new IncidentRepo(trx);
  const row = await repo.row(incidentId);
  if (!row) throw new PitcrewError('not_found', `No incident "${incidentId}".`, 'Run `pitcrew incidents` to list incidents and their numbers.');
  const now = deps.clock.now();
  row.event_seq += 1;
  row.updated_at = now;
  const event: IncidentEvent = { seq: row.event_seq, at: now, kind, actor, fingerprint: null, detail };
  await repo.saveIncident(row);
  await repo.insertEvents([{ incident_id: row.id, seq: event.seq, at: now, kind, actor, fingerprint: null, detail: JSON.stringify(detail) }]);
  const change: IncidentChange = { id: `${row.id}:${row.event_seq}`, kind: 'updated', notify: true, at: now, incident: toIncident(row), events: [event], signals: [] };
  if (deps.jobs) await deps.jobs.enqueueIn(trx, CHANGES_QUEUE, [change]);
  return change;
}
