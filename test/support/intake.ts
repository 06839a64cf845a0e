import { after } from 'node:test';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Clock } from '../../src/domain/clock.js';
import type { IncidentSubscriber } from '../../src/domain/incident-change.js';
import { startService, type RunningService } from '../../src/main.js';
import { silentLogger } from '../../src/ops/logger.js';
import type { Chat } from '../../src/pipeline/ports/chat.js';
import { freshStoreConfig, type BackendName } from './databases.js';
import { tempDir } from './tmp.js';

export interface IntakeServer {
  service: RunningService;
  config: Config;
  base: string;
  post(source: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }>;
}

/**
 * The real service in this process (HTTP server, store, intake workers),
 * with a remote Chroma URL nothing listens on, so no Chroma is started.
 */
export async function startIntakeServer(options: { backend?: BackendName; env?: Record<string, string>; clock?: Clock; subscribers?: IncidentSubscriber[]; chat?: Chat } = {}): Promise<IntakeServer> {
  // Registered first so it runs first: the service stops before its test schema is dropped.
  let stop = async () => {};
  after(() => stop());
  const store = await freshStoreConfig(options.backend ?? 'sqlite');
  const config = loadConfig({ PORT: '0', PITCREW_DATA_DIR: tempDir(), CHROMA_URL: 'http://127.0.0.1:9', ...options.env });
  config.store = store;
  const service = await startService(config, silentLogger(), { clock: options.clock, subscribers: options.subscribers, chat: options.chat });
  stop = () => service.stop();
  const base = `http://127.0.0.1:${service.port}`;
  return {
    service,
    config,
    base,
    async post(source, body, headers = {}) {
      const response = await fetch(`${base}/alerts/${source}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
  };
}

/** An Alertmanager v4 body with one alert per given spec. */
export function alertmanagerBody(alerts: Array<{ name: string; fingerprint?: string; status?: 'firing' | 'resolved'; labels?: Record<string, string>; startsAt?: string; endsAt?: string }>, groupKey = '{}:{alertname="Test"}') {
  return {
    version: '4',
    groupKey,
    status: alerts.some((alert) => (alert.status ?? 'firing') === 'firing') ? 'firing' : 'resolved',
    receiver: 'pitcrew',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((alert) => ({
      status: alert.status ?? 'firing',
      labels: { alertname: alert.name, severity: 'critical', service: 'checkout', ...alert.labels },
      annotations: { summary: `${alert.name} is happening` },
      startsAt: alert.startsAt ?? '2026-01-01T00:00:00Z',
      endsAt: alert.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint: alert.fingerprint,
    })),
  };
}
