import type { Metrics } from '../ops/metrics.js';
import { sendJson, sendText } from './respond.js';
import type { HttpServer } from './server.js';

export interface ReadinessCheck {
  name: string;
  /** Resolves true when the dependency answers. Must not throw. */
  ready(): Promise<boolean>;
  /**
   * Whether the service can do its job without it (default: required). An
   * optional dependency that is down makes the service `degraded`, still
   * ready: Chroma being down must not take every replica out of the load
   * balancer, because acking alerts needs only the store.
   */
  optional?: boolean;
}

/**
 * /healthz: the process is up. /readyz: every required dependency answers
 * (200 `ready`, or 200 `degraded` naming an optional one that does not).
 * /metrics: Prometheus text. `checks` is read on each request, so dependencies
 * that come up after the server starts listening join it later.
 */
export function mountHealthRoutes(http: HttpServer, metrics: Metrics, checks: () => ReadinessCheck[]): void {
  http.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));

  http.route('GET', '/readyz', async (_req, res) => {
    const current = checks();
    const results = await Promise.all(current.map(async (check) => [check.name, await check.ready().catch(() => false)] as const));
    const ready = current.length > 0 && results.every(([, ok], index) => ok || current[index]!.optional);
    const degraded = ready && results.some(([, ok]) => !ok);
    const detail = Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'unavailable']));
    sendJson(res, ready ? 200 : 503, { status: degraded ? 'degraded' : ready ? 'ready' : current.length === 0 ? 'starting' : 'unavailable', checks: detail });
  });

  http.route('GET', '/metrics', async (_req, res) => {
    sendText(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
  });
}
