import { z } from 'zod/v4';
import type { Signal, SignalLink } from '../../domain/signal.js';
import { AlertmanagerAlert, AlertmanagerWebhook, alertmanagerAlertToSignal } from './alertmanager.js';
import { firstIssue } from './json-body.js';
import type { AlertSource } from './source.js';

/**
 * Grafana unified alerting webhook: Alertmanager's shape plus, per alert, a
 * dashboard, panel and silence link and the evaluated value.
 */
export const GrafanaAlert = AlertmanagerAlert.extend({
  valueString: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  silenceURL: z.string().optional(),
});
export type GrafanaAlert = z.infer<typeof GrafanaAlert>;

export const GrafanaWebhook = AlertmanagerWebhook.extend({
  alerts: z.array(GrafanaAlert).min(1, { error: 'must hold at least one alert' }),
  title: z.string().optional(),
  message: z.string().optional(),
});
export type GrafanaWebhook = z.infer<typeof GrafanaWebhook>;

export function grafanaWebhookToSignals(body: GrafanaWebhook): Signal[] {
  return body.alerts.map((alert) => {
    const signal = alertmanagerAlertToSignal(alert, { groupKey: body.groupKey, source: 'grafana', externalURL: body.externalURL });
    const links: SignalLink[] = [];
    if (alert.dashboardURL) links.push({ title: 'dashboard', url: alert.dashboardURL });
    if (alert.panelURL) links.push({ title: 'panel', url: alert.panelURL });
    if (alert.silenceURL) links.push({ title: 'silence', url: alert.silenceURL });
    const description = signal.description ?? (alert.valueString ? `values: ${alert.valueString}` : undefined);
    return { ...signal, description, links: [...links, ...signal.links] };
  });
}

export const grafanaSource: AlertSource = {
  name: 'grafana',
  validate(body) {
    const parsed = GrafanaWebhook.safeParse(body);
    return parsed.success ? { ok: true, alerts: parsed.data.alerts.length } : { ok: false, ...firstIssue(parsed.error) };
  },
  toSignals: (body) => grafanaWebhookToSignals(GrafanaWebhook.parse(body)),
};
