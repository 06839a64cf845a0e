import { createHash } from 'node:crypto';
import { z } from 'zod/v4';

/**
 * A Signal is one alert (or CI failure) normalized from whatever sent it.
 * Every intake adapter produces Signals; retrieval, planning and incidents
 * consume only Signals, never vendor payloads.
 *
 * All text in a Signal is untrusted (invariant I3): it is data to show and
 * search, never an instruction.
 */
export const SignalSource = z.enum(['alertmanager', 'grafana', 'pagerduty', 'generic', 'github']);
export type SignalSource = z.infer<typeof SignalSource>;

export const SignalStatus = z.enum(['firing', 'resolved']);
export type SignalStatus = z.infer<typeof SignalStatus>;

export const Severity = z.enum(['critical', 'high', 'warning', 'info', 'unknown']);
export type Severity = z.infer<typeof Severity>;

export const SignalLink = z.object({ title: z.string(), url: z.string() });
export type SignalLink = z.infer<typeof SignalLink>;

export const Signal = z.object({
  source: SignalSource,
  /** Stable identity of the alert across notifications (Alertmanager's fingerprint, PagerDuty's incident id, …). */
  fingerprint: z.string().min(1),
  status: SignalStatus,
  /** The alert's name (Alertmanager `alertname`); may be absent for free-form sources. */
  alertname: z.string().optional(),
  severity: Severity,
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  /** One line for humans: annotations.summary, or the title. */
  summary: z.string(),
  description: z.string().optional(),
  /** Service the alert is about, when a label or field names it. */
  service: z.string().optional(),
  startsAt: z.number().optional(),
  endsAt: z.number().optional(),
  links: z.array(SignalLink),
  /** Grouping hint from the sender (Alertmanager groupKey). */
  groupKey: z.string().optional(),
});
export type Signal = z.infer<typeof Signal>;

const SEVERITY_ALIASES: Record<string, Severity> = {
  critical: 'critical', crit: 'critical', p1: 'critical', sev1: 'critical', page: 'critical', fatal: 'critical',
  high: 'high', error: 'high', major: 'high', p2: 'high', sev2: 'high',
  warning: 'warning', warn: 'warning', medium: 'warning', minor: 'warning', p3: 'warning', sev3: 'warning',
  info: 'info', low: 'info', none: 'info', p4: 'info', p5: 'info', sev4: 'info',
};

/** Maps the many spellings of severity onto ours. */
export function normalizeSeverity(value: string | undefined): Severity {
  return (value && SEVERITY_ALIASES[value.trim().toLowerCase()]) || 'unknown';
}

/** The labels that usually name a service, in order of preference. */
export const SERVICE_LABELS = ['service', 'app', 'app_kubernetes_io_name', 'job', 'container', 'deployment'] as const;

export function serviceFromLabels(labels: Record<string, string>): string | undefined {
  for (const key of SERVICE_LABELS) if (labels[key]) return labels[key];
  return undefined;
}

/** Free text becomes a generic Signal; a single identifier is also taken as the alert name. */
export function signalFromText(text: string): Signal {
  const trimmed = text.trim();
  const alertname = /^[A-Za-z][A-Za-z0-9_:.-]*$/.test(trimmed) ? trimmed : undefined;
  return {
    source: 'generic',
    fingerprint: createHash('sha256').update(trimmed).digest('hex').slice(0, 16),
    status: 'firing',
    alertname,
    severity: 'unknown',
    labels: alertname ? { alertname } : {},
    annotations: { summary: trimmed },
    summary: trimmed,
    links: [],
  };
}
