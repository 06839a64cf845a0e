import { ProbotOctokit } from 'probot';
import type { Logger } from '../../ops/logger.js';
import type { RateLimiter } from '../../ops/rate-limit/limiter.js';

export type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * The Octokit class Probot builds its clients from: Probot's (throttling,
 * retry, pagination, REST methods) plus pitcrew's content-creation limiter,
 * which every non-GET request goes through, so writes from all installations
 * share one queue (one at a time, ≤ 80/min, ≤ 500/h).
 */
export interface OctokitOptions {
  limiter: RateLimiter;
  log: Logger;
  /** Octokit's retry on 5xx and throttling on rate limits; tests turn both off. */
  retries?: boolean;
  throttle?: boolean;
}

/** Requests that create content on GitHub (token creation is auth, not content). */
export function isContentCreating(method: string | undefined, url: string | undefined): boolean {
  const verb = (method ?? 'GET').toUpperCase();
  if (verb === 'GET' || verb === 'HEAD') return false;
  return !/\/app\/installations\/[^/]+\/access_tokens$/.test(url ?? '');
}

export function createOctokitClass(options: OctokitOptions): typeof ProbotOctokit {
  const limitWrites = (octokit: { hook: { wrap: (name: 'request', fn: (request: (o: unknown) => Promise<unknown>, o: { method?: string; url?: string }) => Promise<unknown>) => void } }) => {
    octokit.hook.wrap('request', (request, requestOptions) =>
      isContentCreating(requestOptions.method, requestOptions.url)
        ? options.limiter.schedule(() => request(requestOptions))
        : request(requestOptions));
    return {};
  };
  const Plugged = ProbotOctokit.plugin(limitWrites as never);
  return Plugged.defaults((instance: Record<string, unknown> | undefined) => {
    const throttle = (instance?.throttle ?? {}) as Record<string, unknown>;
    return {
      ...instance,
      retry: { ...(instance?.retry as object | undefined), enabled: options.retries ?? true },
      throttle: {
        ...throttle,
        enabled: options.throttle ?? true,
        // GitHub asks clients to wait and retry after a secondary limit; once is enough.
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string; request: { retryCount: number } }) => {
          options.log.warn({ method: request.method, url: request.url, retryAfter }, 'github secondary rate limit');
          return request.request.retryCount < 1;
        },
      },
    };
  }) as unknown as typeof ProbotOctokit;
}
