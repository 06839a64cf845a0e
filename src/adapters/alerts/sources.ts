import { alertmanagerSource } from './alertmanager.js';
import { genericSource } from './generic.js';
import { grafanaSource } from './grafana.js';
import { pagerDutySource } from './pagerduty.js';
import type { AlertSource } from './source.js';

/** Every alert sender pitcrew accepts, by the name in its URL: POST /alerts/<name>. */
export const ALERT_SOURCES = {
  alertmanager: alertmanagerSource,
  grafana: grafanaSource,
  pagerduty: pagerDutySource,
  generic: genericSource,
} as const satisfies Record<string, AlertSource>;

export type AlertSourceName = keyof typeof ALERT_SOURCES;
export const ALERT_SOURCE_NAMES = Object.keys(ALERT_SOURCES) as AlertSourceName[];

export function isAlertSourceName(name: string): name is AlertSourceName {
  return Object.hasOwn(ALERT_SOURCES, name);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const GRAFANA_ALERT_FIELDS = ['dashboardURL', 'panelURL', 'silenceURL', 'valueString'];

/** Guesses the sender of a body from its shape (for `pitcrew triage` on a saved payload). */
export function detectSource(body: unknown): AlertSourceName {
  if (!isObject(body)) return 'generic';
  if (isObject(body.event) && typeof body.event.event_type === 'string') return 'pagerduty';
  if (Array.isArray(body.alerts)) {
    const grafanaAlert = body.alerts.some((alert) => isObject(alert) && GRAFANA_ALERT_FIELDS.some((field) => field in alert));
    if (grafanaAlert || 'orgId' in body) return 'grafana';
    if ('groupKey' in body || 'receiver' in body || 'version' in body) return 'alertmanager';
  }
  return 'generic';
}
