import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { changeKind, type IncidentChange } from '../../domain/incident-change.js';
import {
  FLAP_EVENT_KINDS,
  groupFor,
  higherSeverity,
  incidentTitle,
  isStaleRefire,
  type IncidentEvent,
  type IncidentEventKind,
  type IncidentPolicy,
} from '../../domain/incident.js';
import type { Severity, Signal } from '../../domain/signal.js';
import { IncidentRepo, toIncident } from '../../store/incident-repo.js';
import type { IncidentAlertsTable, IncidentEventsTable, IncidentsTable } from '../../store/schema.js';
import type { Db } from '../../store/store.js';

/** What became of one signal. */
export type SignalResult =
  | 'new_incident'
  | 'joined'
  | 'reopened'
  | 'duplicate'
  | 'resolved'
  | 'refired'
  | 'stale'
  | 'unknown_resolved';

export interface SignalOutcome {
  signal: Signal;
  result: SignalResult;
  /** The incident it was attached to; absent for a resolve of an alert never seen firing. */
  incidentNumber?: number;
  incidentId?: string;
}

export interface AttachResult {
  outcomes: SignalOutcome[];
  /** One change per incident that changed (duplicates change nothing). */
  changes: IncidentChange[];
}

interface Working {
  row: IncidentsTable;
  events: IncidentEvent[];
  signals: Signal[];
  /** Alert state changes (resolve, re-fire) of the current job: what flapping counts. */
  stateChanges: number;
  /** Events recorded for the current job. */
  jobEvents: number;
  /** Flap events in the window already in the store (read once per batch). */
  storedFlapEvents: number | undefined;
  touched: boolean;
}

/**
 * Attaches signals to incidents inside the caller's transaction:
 * dedupe by (source, fingerprint), group new alerts, track firing/resolved per
 * alert, resolve an incident when its last alert resolves, reopen it when an
 * alert fires again within the window, and flag flapping.
 *
 * Everything it writes commits or rolls back with the caller's transaction, so
 * a job processed twice (at-least-once delivery) has its effects once.
 */
export async function attachSignals(trx: Db, signals: Signal[], policy: IncidentPolicy, clock: Clock): Promise<AttachResult> {
  return attachSignalBatches(trx, [signals], policy, clock);
}

/**
 * The same for several jobs at once (a worker's batch): each job's signals
 * are applied in order and each job's end-of-job rules (resolve, flapping)
 * run as if alone, but incidents and timeline events are written once for the
 * batch and each changed incident yields one change.
 */
export async function attachSignalBatches(trx: Db, jobs: Signal[][], policy: IncidentPolicy, clock: Clock): Promise<AttachResult> {
  const repo = new IncidentRepo(trx);
  const working = new Map<string, Working>();
  const outcomes: SignalOutcome[] = [];

  const load = async (id: string, row?: IncidentsTable): Promise<Working> => {
    const cached = working.get(id);
    if (cached) return cached;
    const fresh = row ?? (await repo.row(id));
    if (!fresh) throw new Error(`incident ${id} vanished inside the transaction`);
    const entry: Working = { row: { ...fresh }, events: [], signals: [], stateChanges: 0, jobEvents: 0, storedFlapEvents: undefined, touched: false };
    working.set(id, entry);
    return entry;
  };
  const record = (w: Working, kind: IncidentEventKind, at: number, detail: Record<string, unknown>, fingerprint: string | null = null) => {
    w.row.event_seq += 1;
    w.jobEvents += 1;
    w.events.push({ seq: w.row.event_seq, at, kind, actor: 'pitcrew', fingerprint, detail });
  };
  const raiseSeverity = (w: Working, severity: Severity, at: number) => {
    const next = higherSeverity(w.row.severity as Severity, severity);
    if (next === w.row.severity) return;
    record(w, 'severity_raised', at, { from: w.row.severity, to: next });
    w.row.severity = next;
  };
  const reopen = (w: Working, at: number, signal: Signal) => {
    w.row.state = 'open';
    w.row.resolved_at = null;
    w.row.reopened_count += 1;
    record(w, 'reopened', at, { by: signal.alertname ?? signal.summary }, signal.fingerprint);
  };

  // Every alert the batch mentions, read in one query; kept current as the batch writes them.
  const alerts = await repo.latestAlerts(jobs.flat().map((signal) => ({ source: signal.source, fingerprint: signal.fingerprint })));
  const alertKey = (source: string, fingerprint: string) => `${source}\u0000${fingerprint}`;
  const updateAlert = async (row: IncidentAlertsTable, patch: Partial<IncidentAlertsTable>) => {
    await repo.updateAlert(row, patch);
    alerts.set(alertKey(row.source, row.fingerprint), { ...row, ...patch });
  };
  // The incident each group resolved to in this batch: later alerts of the group join it without a query.
  const groups = new Map<string, string>();

  for (const signals of jobs) {
    for (const signal of signals) {
      const now = clock.now();
      const previous = alerts.get(alertKey(signal.source, signal.fingerprint));
      const owner = previous ? await load(previous.incident_id) : undefined;
      const continuing = previous && owner && (owner.row.state !== 'resolved' || (owner.row.resolved_at ?? 0) >= now - policy.windowMs);

      if (previous && owner && continuing) {
        const w = owner;
        w.row.last_signal_at = Math.max(w.row.last_signal_at, now);
        w.touched = true;
        const seen = { last_seen_at: now, seen_count: previous.seen_count + 1 };
        if (previous.status === signal.status) {
          await updateAlert(previous, seen);
          outcomes.push(outcome(signal, 'duplicate', w));
          continue;
        }
        if (signal.status === 'resolved') {
          await updateAlert(previous, { ...seen, status: 'resolved', ends_at: signal.endsAt ?? now, last_change_at: now, state_changes: previous.state_changes + 1, signal: JSON.stringify(signal) });
          w.row.alerts_firing = Math.max(0, w.row.alerts_firing - 1);
          w.stateChanges += 1;
          w.signals.push(signal);
          record(w, 'alert_resolved', now, alertDetail(signal), signal.fingerprint);
          outcomes.push(outcome(signal, 'resolved', w));
          continue;
        }
        if (isStaleRefire(previous.starts_at, signal)) {
          await updateAlert(previous, seen);
          outcomes.push(outcome(signal, 'stale', w));
          continue;
        }
        await updateAlert(previous, {
          ...seen, status: 'firing', starts_at: signal.startsAt ?? now, ends_at: null, last_change_at: now,
          state_changes: previous.state_changes + 1, signal: JSON.stringify(signal), severity: signal.severity, summary: signal.summary,
        });
        w.row.alerts_firing += 1;
        w.stateChanges += 1;
        w.signals.push(signal);
        if (w.row.state === 'resolved') reopen(w, now, signal);
        record(w, 'alert_refired', now, alertDetail(signal), signal.fingerprint);
        raiseSeverity(w, signal.severity, now);
        outcomes.push(outcome(signal, 'refired', w));
        continue;
      }

      if (signal.status === 'resolved') {
        // A resolve for an alert we never saw firing (or whose incident is long closed): nothing to do.
        outcomes.push({ signal, result: 'unknown_resolved' });
        continue;
      }

      const group = groupFor(signal, policy);
      const known = groups.get(group.key);
      const candidate = known ? working.get(known)!.row : await repo.groupCandidate(group.key, group.mode, now - policy.windowMs);
      let w: Working;
      let result: SignalResult;
      if (candidate) {
        w = await load(candidate.id, candidate);
        result = w.row.state === 'resolved' ? 'reopened' : 'joined';
        if (w.row.state === 'resolved') reopen(w, now, signal);
      } else {
        const row: IncidentsTable = {
          id: randomUUID(),
          number: await repo.nextNumber(),
          group_key: group.key,
          title: incidentTitle(signal).slice(0, 300),
          severity: signal.severity,
          service: signal.service ?? null,
          source: signal.source,
          state: 'open',
          opened_at: now,
          acknowledged_at: null,
          mitigating_at: null,
          resolved_at: null,
          reopened_count: 0,
          last_signal_at: now,
          flapping: 0,
          flapping_since: null,
          alerts_total: 0,
          alerts_firing: 0,
          event_seq: 0,
          updated_at: now,
        };
        await repo.insertIncident(row);
        w = await load(row.id, row);
        record(w, 'opened', now, { groupKey: group.key, title: row.title, severity: row.severity, service: row.service });
        result = 'new_incident';
      }
      w.touched = true;
      w.row.last_signal_at = Math.max(w.row.last_signal_at, now);
      const alertRow: IncidentAlertsTable = {
        incident_id: w.row.id,
        source: signal.source,
        fingerprint: signal.fingerprint,
        status: 'firing',
        alertname: signal.alertname ?? null,
        severity: signal.severity,
        summary: signal.summary.slice(0, 1_000),
        signal: JSON.stringify(signal),
        starts_at: signal.startsAt ?? now,
        ends_at: null,
        first_seen_at: now,
        last_seen_at: now,
        last_change_at: now,
        seen_count: 1,
        state_changes: 0,
      };
      await repo.upsertAlert(alertRow);
      alerts.set(alertKey(signal.source, signal.fingerprint), alertRow);
      groups.set(group.key, w.row.id);
      w.row.alerts_total += 1;
      w.row.alerts_firing += 1;
      w.signals.push(signal);
      record(w, 'alert_added', now, alertDetail(signal), signal.fingerprint);
      if (result !== 'new_incident') raiseSeverity(w, signal.severity, now);
      outcomes.push(outcome(signal, result, w));
    }

    // End of one job: resolve incidents whose last alert resolved, evaluate flapping.
    for (const w of working.values()) {
      if (w.jobEvents === 0) continue;
      const now = clock.now();
      if (w.row.alerts_firing === 0 && w.row.state !== 'resolved') {
        w.row.state = 'resolved';
        w.row.resolved_at = now;
        record(w, 'resolved', now, { reason: 'all alerts resolved', alerts: w.row.alerts_total });
      }
      if (w.stateChanges > 0) {
        w.storedFlapEvents ??= await repo.countEvents(w.row.id, FLAP_EVENT_KINDS, now - policy.flapWindowMs);
        // Earlier changes: stored ones plus those of earlier jobs of this batch (all within the window).
        const pending = w.events.filter((event) => FLAP_EVENT_KINDS.includes(event.kind)).length - w.stateChanges;
        evaluateFlapping(w, w.storedFlapEvents + pending, policy, now, record);
      }
      w.stateChanges = 0;
      w.jobEvents = 0;
    }
  }

  // Write once for the batch.
  const changes: IncidentChange[] = [];
  const eventRows: IncidentEventsTable[] = [];
  for (const w of working.values()) {
    if (!w.touched) continue;
    const now = clock.now();
    if (w.events.length > 0) w.row.updated_at = now;
    await repo.saveIncident(w.row);
    if (w.events.length === 0) continue;
    for (const event of w.events) eventRows.push({ incident_id: w.row.id, seq: event.seq, at: event.at, kind: event.kind, actor: event.actor, fingerprint: event.fingerprint, detail: JSON.stringify(event.detail) });
    const kind = changeKind(w.events);
    changes.push({
      id: `${w.row.id}:${w.row.event_seq}`,
      kind,
      notify: w.row.flapping === 0 || w.events.some((event) => event.kind === 'flapping_started'),
      at: now,
      incident: toIncident(w.row),
      events: w.events,
      signals: w.signals,
    });
  }
  // 7 columns a row; stay well under SQLite's bound-parameter limit.
  for (let i = 0; i < eventRows.length; i += 1_000) await repo.insertEvents(eventRows.slice(i, i + 1_000));
  return { outcomes, changes };
}

/**
 * Flags an incident whose alerts changed state `flapThreshold` times within
 * the flap window; clears the flag when a change arrives after a whole quiet
 * window.
 */
function evaluateFlapping(
  w: Working,
  earlier: number,
  policy: IncidentPolicy,
  now: number,
  record: (w: Working, kind: IncidentEventKind, at: number, detail: Record<string, unknown>) => void,
): void {
  if (w.row.flapping === 1 && earlier === 0) {
    w.row.flapping = 0;
    w.row.flapping_since = null;
    record(w, 'flapping_cleared', now, { quietForMs: policy.flapWindowMs });
  }
  const changes = earlier + w.stateChanges;
  if (w.row.flapping === 0 && changes >= policy.flapThreshold) {
    w.row.flapping = 1;
    w.row.flapping_since = now;
    record(w, 'flapping_started', now, { stateChanges: changes, windowMs: policy.flapWindowMs, threshold: policy.flapThreshold });
  }
}

function outcome(signal: Signal, result: SignalResult, w: Working): SignalOutcome {
  return { signal, result, incidentNumber: Number(w.row.number), incidentId: w.row.id };
}

function alertDetail(signal: Signal): Record<string, unknown> {
  return { alertname: signal.alertname ?? null, summary: signal.summary.slice(0, 300), severity: signal.severity, status: signal.status, source: signal.source };
}
