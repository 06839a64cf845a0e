import { createHash } from 'node:crypto';
import { z } from 'zod/v4';
import { normalizeSeverity, serviceFromLabels, type Signal, type SignalLink } from '../../domain/signal.js';
import { firstIssue } from './json-body.js';
import type { AlertSource } from './source.js';

/**
 * Alertmanager webhook v4 → Signals. Only the fields pitcrew uses are parsed;
 * unknown fields are tolerated (Grafana sends extra ones on the same shape).
 */
const StringMap = z.record(z.string(), z.string()).default({});

export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']).default('firing'),
  labels: StringMap,
  annotations: StringMap,
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

export const AlertmanagerWebhook = z.object({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().optional(),
  groupLabels: StringMap,
  commonLabels: StringMap,
  commonAnnotations: StringMap,
  externalURL: z.string().optional(),
  alerts: z.array(AlertmanagerAlert).min(1, { error: 'must hold at least one alert' }),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;

/** Alertmanager's "zero" time (0001-01-01) and unparsable times mean "not set". */
export function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Alertmanager's fingerprint when present; otherwise a stable hash of the sorted labels. */
export function labelsFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`).join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

const RUNBOOK_ANNOTATIONS = ['runbook_url', 'runbook', 'playbook'];

export interface AlertContext {
  groupKey?: string;
  source?: Signal['source'];
  /** Alertmanager's (or Grafana's) own UI, for a link back. */
  externalURL?: string;
}

export function alertmanagerAlertToSignal(alert: AlertmanagerAlert, context: AlertContext = {}): Signal {
  const { labels, annotations } = alert;
  const links: SignalLink[] = [];
  if (alert.generatorURL) links.push({ title: 'source', url: alert.generatorURL });
  for (const key of RUNBOOK_ANNOTATIONS) if (annotations[key]) links.push({ title: 'runbook', url: annotations[key] });
  if (context.externalURL) links.push({ title: context.source === 'grafana' ? 'grafana' : 'alertmanager', url: context.externalURL });
  const alertname = labels.alertname;
  return {
    source: context.source ?? 'alertmanager',
    fingerprint: alert.fingerprint || labelsFingerprint(labels),
    status: alert.status,
    alertname,
    severity: normalizeSeverity(labels.severity ?? labels.priority),
    labels,
    annotations,
    summary: annotations.summary ?? annotations.message ?? annotations.title ?? alertname ?? 'alert',
    description: annotations.description,
    service: serviceFromLabels(labels),
    startsAt: parseTime(alert.startsAt),
    endsAt: parseTime(alert.endsAt),
    links,
    groupKey: context.groupKey,
  };
}

export function alertmanagerWebhookToSignals(body: AlertmanagerWebhook): Signal[] {
  return body.alerts.map((alert) => alertmanagerAlertToSignal(alert, { groupKey: body.groupKey, externalURL: body.externalURL }));
}

export const alertmanagerSource: AlertSource = {
  name: 'alertmanager',
  validate(body) {
    const parsed = AlertmanagerWebhook.safeParse(body);
    return parsed.success ? { ok: true, alerts: parsed.data.alerts.length } : { ok: false, ...firstIssue(parsed.error) };
  },
  toSignals: (body) => alertmanagerWebhookToSignals(AlertmanagerWebhook.parse(body)),
};
