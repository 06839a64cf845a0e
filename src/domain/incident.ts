import { z } from 'zod/v4';
import type { Severity, Signal, SignalSource } from './signal.js';

/**
 * An Incident groups the Signals that are about one problem. Its state runs
 * open → acknowledged → mitigating → resolved (steps may be skipped); each
 * state is timestamped so MTTA and MTTR can be computed. New firing signals
 * reopen a recently resolved incident instead of opening a second one.
 */
export const IncidentState = z.enum(['open', 'acknowledged', 'mitigating', 'resolved']);
export type IncidentState = z.infer<typeof IncidentState>;

const ORDER: Record<IncidentState, number> = { open: 0, acknowledged: 1, mitigating: 2, resolved: 3 };

/** Humans move an incident forward (skipping steps is fine); only a new firing signal moves it back to open. */
export function canTransition(from: IncidentState, to: IncidentState): boolean {
  return ORDER[to] > ORDER[from];
}

export interface Incident {
  id: string;
  number: number;
  groupKey: string;
  title: string;
  severity: Severity;
  service: string | null;
  source: SignalSource;
  state: IncidentState;
  openedAt: number;
  acknowledgedAt: number | null;
  mitigatingAt: number | null;
  resolvedAt: number | null;
  reopenedCount: number;
  lastSignalAt: number;
  /** Flagged after too many alert state changes in the flap window; changes are then not notified. */
  flapping: boolean;
  flappingSince: number | null;
  alertsTotal: number;
  alertsFiring: number;
  updatedAt: number;
}

export interface IncidentAlert {
  incidentId: string;
  source: SignalSource;
  fingerprint: string;
  status: Signal['status'];
  alertname: string | null;
  severity: Severity;
  summary: string;
  signal: Signal;
  startsAt: number | null;
  endsAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  lastChangeAt: number;
  /** Notifications received for this alert, duplicates included. */
  seenCount: number;
  stateChanges: number;
}

export const IncidentEventKind = z.enum([
  'opened',
  'alert_added',
  'alert_resolved',
  'alert_refired',
  'resolved',
  'reopened',
  'acknowledged',
  'mitigating',
  'severity_raised',
  'flapping_started',
  'flapping_cleared',
  // People acting from chat (buttons, commands): recorded with who and when.
  'snoozed',
  'fix_requested',
]);
export type IncidentEventKind = z.infer<typeof IncidentEventKind>;

/** One line of an incident's timeline. `actor` is `pitcrew` for automatic events, else who acted. */
export interface IncidentEvent {
  seq: number;
  at: number;
  kind: IncidentEventKind;
  actor: string;
  fingerprint: string | null;
  detail: Record<string, unknown>;
}

/** Alert state changes that count towards flapping. */
export const FLAP_EVENT_KINDS: IncidentEventKind[] = ['alert_resolved', 'alert_refired'];

/** Time to resolve, from opening to the (last) resolution; null while unresolved. */
export function mttrMs(incident: Pick<Incident, 'openedAt' | 'resolvedAt'>): number | null {
  return incident.resolvedAt === null ? null : incident.resolvedAt - incident.openedAt;
}

/** Time to acknowledge; null until acknowledged. */
export function mttaMs(incident: Pick<Incident, 'openedAt' | 'acknowledgedAt'>): number | null {
  return incident.acknowledgedAt === null ? null : incident.acknowledgedAt - incident.openedAt;
}

const SEVERITY_RANK: Record<Severity, number> = { unknown: 0, info: 1, warning: 2, high: 3, critical: 4 };

export function higherSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

/** How signals are grouped into incidents; from PITCREW_INCIDENT_* configuration. */
export interface IncidentPolicy {
  /** Labels whose values form the group; null = use the sender's group (Alertmanager groupKey). */
  groupBy: string[] | null;
  /** Signals join an incident of their group active within this window; resolved incidents reopen within it. */
  windowMs: number;
  /** Alert state changes within flapWindowMs that flag an incident as flapping. */
  flapThreshold: number;
  flapWindowMs: number;
}

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = { groupBy: null, windowMs: 30 * 60_000, flapThreshold: 4, flapWindowMs: 30 * 60_000 };

/**
 * The group a signal belongs to.
 * - `labels`: the configured label set (alertname and service fall back to the
 *   signal's own fields), across sources, within the window;
 * - `sender`: the sender's own group (Alertmanager/Grafana groupKey, a
 *   PagerDuty incident, a generic `group`), which lasts while it is unresolved;
 * - `alert`: nothing to group by, so the alert is its own incident.
 */
export function groupFor(signal: Signal, policy: Pick<IncidentPolicy, 'groupBy'>): { key: string; mode: 'labels' | 'sender' | 'alert' } {
  if (policy.groupBy && policy.groupBy.length > 0) {
    const parts = policy.groupBy.map((label) => `${label}=${labelValue(signal, label) ?? ''}`);
    return { key: `labels:${parts.join(',')}`, mode: 'labels' };
  }
  if (signal.groupKey) return { key: `${signal.source}:group:${signal.groupKey}`, mode: 'sender' };
  return { key: `${signal.source}:alert:${signal.fingerprint}`, mode: 'alert' };
}

function labelValue(signal: Signal, label: string): string | undefined {
  if (signal.labels[label] !== undefined) return signal.labels[label];
  if (label === 'alertname') return signal.alertname;
  if (label === 'service') return signal.service;
  if (label === 'severity') return signal.severity;
  return undefined;
}

/**
 * A firing notification for an alert episode that already ended: the sender
 * retried an old notification after the resolve. A genuine re-fire starts later.
 */
export function isStaleRefire(previousStartsAt: number | null, signal: Signal): boolean {
  return previousStartsAt !== null && signal.startsAt !== undefined && signal.startsAt <= previousStartsAt;
}

/** A title for humans: the alert name, then the summary when it says more. */
export function incidentTitle(signal: Signal): string {
  const name = signal.alertname;
  if (!name) return signal.summary;
  return signal.summary && signal.summary !== name ? `${name}: ${signal.summary}` : name;
}
