import { PitcrewError } from '../../domain/errors.js';
import type { Clock } from '../../domain/clock.js';
import type { IncidentChange } from '../../domain/incident-change.js';
import { canTransition, type IncidentEvent, type IncidentState } from '../../domain/incident.js';
import { IncidentRepo, toIncident } from '../../store/incident-repo.js';
import type { JobQueue } from '../../store/queue/job-queue.js';
import type { Db } from '../../store/store.js';
import { CHANGES_QUEUE } from '../intake.js';

/**
 * A human moves an incident forward: acknowledged, mitigating or resolved.
 * Timestamps each state (moving past acknowledged also stamps it, if unset, so
 * MTTA stays computable), records who did it on the timeline, and queues the
 * change for subscribers in the same transaction.
 */
export async function transitionIncident(
  trx: Db,
  ref: string,
  to: Exclude<IncidentState, 'open'>,
  actor: string,
  deps: { clock: Clock; jobs?: JobQueue; detail?: Record<string, unknown> },
): Promise<IncidentChange> {
  const repo = new IncidentRepo(trx);
  const found = await repo.find(ref);
  if (!found) throw new PitcrewError('not_found', `No incident "${ref}".`, 'Run `pitcrew incidents` to list incidents and their numbers.');
  const row = (await repo.row(found.id))!;
  if (!canTransition(row.state, to)) {
    throw new PitcrewError('input_invalid', `Incident #${row.number} is ${row.state}; it cannot move to ${to}.`,
      'States only move forward: open → acknowledged → mitigating → resolved. A new firing alert reopens a resolved incident.');
  }
  const now = deps.clock.now();
  const from = row.state;
  row.state = to;
  if (row.acknowledged_at === null) row.acknowledged_at = now;
  if (to === 'mitigating') row.mitigating_at = now;
  if (to === 'resolved') row.resolved_at = now;
  row.event_seq += 1;
  row.updated_at = now;
  const kind = to === 'acknowledged' ? 'acknowledged' : to === 'mitigating' ? 'mitigating' : 'resolved';
  const event: IncidentEvent = { seq: row.event_seq, at: now, kind, actor, fingerprint: null, detail: { from, to, ...deps.detail } };
  await repo.saveIncident(row);
  await repo.insertEvents([{ incident_id: row.id, seq: event.seq, at: now, kind, actor, fingerprint: null, detail: JSON.stringify(event.detail) }]);
  const change: IncidentChange = {
    id: `${row.id}:${row.event_seq}`,
    kind: to === 'resolved' ? 'resolved' : 'state_changed',
    // A human acted: always worth telling, even while the alerts flap.
    notify: true,
    at: now,
    incident: toIncident(row),
    events: [event],
    signals: [],
  };
  if (deps.jobs) await deps.jobs.enqueueIn(trx, CHANGES_QUEUE, [change]);
  return change;
}
