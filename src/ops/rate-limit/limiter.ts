import { performance } from 'node:perf_hooks';
import Bottleneck from 'bottleneck';
import type { Telemetry } from '../telemetry.js';

/**
 * A limiter for calls that create content on a downstream service (GitHub:
 * commits, PRs, statuses, comments, labels). GitHub's guidance: no concurrent
 * writes, about 80 a minute and 500 an hour at most, or secondary rate limits
 * start. One limiter is shared by every client of a service in the process;
 * pass Bottleneck's datastore options (`datastore: 'ioredis'`, `clientOptions`,
 * `id`) to share it across processes.
 */
export interface RateLimiter {
  schedule<T>(fn: () => Promise<T>): Promise<T>;
  /** Jobs waiting or running. */
  pending(): number;
  /** Stops: running jobs finish, waiting ones are rejected. */
  stop(): Promise<void>;
}

export interface LimiterOptions {
  /** Name in logs and, with Redis, the shared key. */
  name: string;
  maxConcurrent?: number;
  /** Jobs started per minute, spread evenly (minimum spacing 60 s / perMinute). */
  perMinute?: number;
  /** Jobs started per hour (a reservoir refilled every hour). */
  perHour?: number;
  /** Extra Bottleneck options, e.g. the Redis datastore (see `redisDatastore` in ./redis.ts). */
  bottleneck?: Bottleneck.ConstructorOptions;
  /** Reports how long each call waited before it ran. */
  telemetry?: Pick<Telemetry, 'rateLimitWaited'>;
  /** Datastore errors (Redis unreachable); jobs wait until it is back. */
  onError?: (error: Error) => void;
  /** The shared datastore's connection: every call waits until it is up (fail closed, see ./redis.ts). */
  shared?: { available(): Promise<void>; connected(): boolean; close(): void };
}

export const GITHUB_WRITE_LIMITS = { maxConcurrent: 1, perMinute: 80, perHour: 500 } as const;

export function createRateLimiter(options: LimiterOptions): RateLimiter {
  const perMinute = options.perMinute ?? GITHUB_WRITE_LIMITS.perMinute;
  const perHour = options.perHour ?? GITHUB_WRITE_LIMITS.perHour;
  const limiter = new Bottleneck({
    id: `pitcrew-${options.name}`,
    maxConcurrent: options.maxConcurrent ?? GITHUB_WRITE_LIMITS.maxConcurrent,
    minTime: Math.ceil(60_000 / perMinute),
    reservoir: perHour,
    reservoirRefreshAmount: perHour,
    reservoirRefreshInterval: 60 * 60_000,
    ...options.bottleneck,
  });
  if (options.onError) limiter.on('error', options.onError);
  const telemetry = options.telemetry;
  const shared = options.shared;
  let stopped = false;
  const schedule = <T>(fn: () => Promise<T>): Promise<T> => {
    if (!telemetry) return limiter.schedule(fn);
    const queued = performance.now();
    return limiter.schedule(() => {
      telemetry.rateLimitWaited(options.name, performance.now() - queued);
      return fn();
    });
  };
  let waiting = 0;
  return {
    schedule: async (fn) => {
      if (!shared) return schedule(fn);
      waiting++;
      try {
        await shared.available();
      } finally {
        waiting--;
      }
      if (stopped) throw new Error(`${options.name}: the rate limiter was stopped`);
      return schedule(fn);
    },
    pending: () => {
      const counts = limiter.counts();
      return waiting + (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0) + (counts.RUNNING ?? 0) + (counts.EXECUTING ?? 0);
    },
    // Queued jobs are rejected (a spent hourly budget would otherwise hold shutdown for up to an hour).
    stop: async () => {
      stopped = true;
      // Bottleneck's stop talks to the datastore and would wait forever for a Redis that is down.
      if (shared && !shared.connected()) {
        shared.close();
        // Without flushing: closes the client and Bottleneck's subscriber, which would otherwise keep reconnecting.
        await limiter.disconnect(false);
        return;
      }
      await limiter.stop({ dropWaitingJobs: true, dropErrorMessage: `${options.name}: the rate limiter was stopped` });
      await limiter.disconnect();
      shared?.close();
    },
  };
}
