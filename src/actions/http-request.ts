import { createHmac } from 'node:crypto';
import type { Policy } from '../domain/policy.js';
import { urlAllowed } from '../domain/policy.js';
import type { Logger } from '../ops/logger.js';
import { createRateLimiter, type RateLimiter } from '../ops/rate-limit/limiter.js';
import type { Connector, ConnectorStatus } from '../pipeline/execute/ports.js';

/**
 * `http.request`: one request to a target on the policy's allowlist, signed
 * with HMAC-SHA256, with a timeout, and never following redirects (a redirect
 * could leave the allowlist).
 *
 * Headers the target can check:
 *   X-Pitcrew-Timestamp: <unix seconds>
 *   X-Pitcrew-Idempotency-Key / Idempotency-Key: <planId>:<mergeSha>:<index>
 *   X-Pitcrew-Signature: v1=<hex hmac-sha256(secret, "v1:<timestamp>:<METHOD>:<url>:<key>:<body>")>
 *
 * A request that was sent and got no answer (timeout, reset) has an unknown
 * outcome; `status` cannot ask a generic target, so it says unknown unless the
 * checkpoint shows the request was never sent.
 */
export interface HttpConnectorDeps {
  policy: Policy;
  /** PITCREW_HTTP_ACTION_SECRET; without it nothing is sent. */
  secret: string | undefined;
  timeoutMs: number;
  log: Logger;
  now: () => number;
  perMinute?: number;
}

export function signHttpAction(secret: string, input: { timestamp: number; method: string; url: string; key: string; body: string }): string {
  const mac = createHmac('sha256', secret).update(`v1:${input.timestamp}:${input.method}:${input.url}:${input.key}:${input.body}`).digest('hex');
  return `v1=${mac}`;
}

export function httpRequestConnector(deps: HttpConnectorDeps): Connector<'http.request'> & { stop(): Promise<void> } {
  const limiters = new Map<string, RateLimiter>();
  const limiterFor = (host: string) => {
    let limiter = limiters.get(host);
    if (!limiter) {
      limiter = createRateLimiter({ name: `http-${host}`, maxConcurrent: 1, perMinute: deps.perMinute ?? 60, perHour: 1_000 });
      limiters.set(host, limiter);
    }
    return limiter;
  };
  return {
    kind: 'http.request',
    run: async (action, context) => {
      const what = `${action.method} ${action.url}`;
      if (!urlAllowed(action.url, deps.policy.http.baseUrls)) return { outcome: 'failed', detail: `${action.url} is not under the policy's http.baseUrls; not sent` };
      if (context.dryRun) {
        deps.log.info({ key: context.key, method: action.method, url: action.url }, `[dry-run] would send ${what}`);
        return { outcome: 'dry_run', detail: `would send ${what}` };
      }
      if (!deps.secret) return { outcome: 'failed', detail: 'PITCREW_HTTP_ACTION_SECRET is not set; http.request actions are always signed, so nothing was sent' };
      const body = action.method === 'GET' || action.body === undefined ? '' : JSON.stringify(action.body);
      const timestamp = Math.floor(deps.now() / 1000);
      const headers: Record<string, string> = {
        'user-agent': 'pitcrew',
        'x-pitcrew-timestamp': String(timestamp),
        'x-pitcrew-idempotency-key': context.key,
        'idempotency-key': context.key,
        'x-pitcrew-signature': signHttpAction(deps.secret, { timestamp, method: action.method, url: action.url, key: context.key, body }),
        ...(body ? { 'content-type': 'application/json' } : {}),
      };
      await context.checkpoint({ sentAt: deps.now() });
      let response: Response;
      try {
        response = await limiterFor(new URL(action.url).host).schedule(() => fetch(action.url, { method: action.method, headers, ...(body ? { body } : {}), redirect: 'manual', signal: AbortSignal.timeout(deps.timeoutMs) }));
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        // Refused before anything was sent: certainly not applied.
        if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND') return { outcome: 'failed', detail: `${what}: ${cause.code}; nothing was delivered` };
        const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${deps.timeoutMs} ms` : (error as Error).message;
        return { outcome: 'unknown', detail: `${what}: ${reason}; the target may or may not have acted` };
      }
      await response.body?.cancel().catch(() => {});
      if (response.status >= 200 && response.status < 300) return { outcome: 'succeeded', detail: `${what} answered ${response.status}` };
      if (response.status >= 300 && response.status < 400) return { outcome: 'failed', detail: `${what} answered a redirect (${response.status}); redirects are not followed` };
      return { outcome: 'failed', detail: `${what} answered ${response.status}` };
    },
    status: async (_action, context): Promise<ConnectorStatus> => {
      if (!context.saved || context.saved.sentAt === undefined) return { state: 'not_applied', detail: 'the request was never sent' };
      return { state: 'unknown', detail: 'the request was sent and its answer was lost; an HTTP target cannot be asked' };
    },
    stop: async () => {
      await Promise.all([...limiters.values()].map((limiter) => limiter.stop()));
    },
  };
}
