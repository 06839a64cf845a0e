import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per running service (no global registry), so two
 * services in one test process never share counters. Every metric name starts
 * with `pitcrew_`; components register their own metrics on this registry.
 */
export interface Metrics {
  registry: Registry;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'pitcrew_' });
  return { registry };
}
