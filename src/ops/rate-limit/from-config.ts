import type { Config } from '../../config/config.js';
import type { Logger } from '../logger.js';
import type { Telemetry } from '../telemetry.js';
import { GITHUB_WRITE_LIMITS, createRateLimiter, type LimiterOptions, type RateLimiter } from './limiter.js';

/**
 * A rate limiter for one downstream service: per process by default; shared
 * by every replica through Redis when REDIS_URL is set (ADR 0015), so the
 * limit holds for the fleet. ioredis is loaded only then. Waits are reported
 * to telemetry as `pitcrew_rate_limit_wait_seconds{limiter=<name>}`.
 */
export async function limiterFromConfig(
  config: Config,
  limits: Pick<LimiterOptions, 'name' | 'maxConcurrent' | 'perMinute' | 'perHour'>,
  telemetry: Telemetry,
  log: Logger,
): Promise<RateLimiter> {
  const url = config.env.REDIS_URL;
  const onError = (error: Error) => log.warn({ limiter: limits.name, err: error.message }, 'rate limiter datastore error; calls wait until it is back');
  const shared = url ? (await import('./redis.js')).redisDatastore(url, onError) : undefined;
  if (url) log.info({ limiter: limits.name }, 'rate limits shared through Redis');
  return createRateLimiter({ ...limits, telemetry, onError, ...(shared ? { bottleneck: shared.bottleneck, shared } : {}) });
}

/** GitHub content-creation writes: ≤ 80 a minute, 500 an hour, one at a time, for the whole App. */
export function githubWriteLimiter(config: Config, telemetry: Telemetry, log: Logger): Promise<RateLimiter> {
  return limiterFromConfig(config, { name: 'github-writes', ...GITHUB_WRITE_LIMITS }, telemetry, log);
}
