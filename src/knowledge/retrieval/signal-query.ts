import type { Signal } from '../../domain/signal.js';

/**
 * What retrieval searches with, taken from a Signal. Labels that say where
 * an alert fired rather than what is wrong (cluster, instance, severity, …)
 * are left out: they would match runbooks that mention the same region.
 */
export interface SignalQuery {
  alertname?: string;
  summary: string;
  description: string;
  service?: string;
  /** "key value" pairs of the labels that describe the problem. */
  labelText: string;
  /** Everything above, as one text: what the content routes search with. */
  text: string;
}

export const LOCATION_LABELS: ReadonlySet<string> = new Set([
  'alertname', 'severity', 'priority', 'cluster', 'instance', 'prometheus', 'receiver', 'region', 'zone',
  'replica', 'env', 'environment', 'tenant', 'datacenter', 'dc', 'team', 'owner', 'endpoint', 'le',
]);

export function signalQuery(signal: Signal): SignalQuery {
  const labelText = Object.entries(signal.labels)
    .filter(([key, value]) => !LOCATION_LABELS.has(key.toLowerCase()) && !/^https?:\/\//.test(value))
    .map(([key, value]) => `${key.replace(/_/g, ' ')} ${value}`)
    .join('\n');
  const summary = signal.summary === signal.alertname || signal.summary === 'alert' ? '' : signal.summary;
  const description = signal.description ?? '';
  const text = [signal.alertname ?? '', summary, description, labelText].filter((part) => part !== '').join('\n');
  return { alertname: signal.alertname, summary, description, service: signal.service, labelText, text };
}
