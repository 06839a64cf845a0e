import type { Config } from '../../config/config.js';
import type { Logger } from '../logger.js';
import type { Telemetry } from '../telemetry.js';
import { createRateLimiter, type RateLimiter } from './limiter.js';

/**
 * The GitHub content-creation limiter: per process by default; shared by
 * every replica through Redis when REDIS_URL is set (ADR 0015). ioredis is
 * loaded only then.
 */
export async function githubWriteLimiter(config: Config, telemetry: Telemetry, log: Logger): Promise<RateLimiter> {
  const url = config.env.REDIS_URL;
  const onError = (error: Error) => log.warn({ limiter: 'github-writes', err: error.message }, 'rate limiter datastore error; calls wait until it is back');
  const shared = url ? (await import('./redis.js')).redisDatastore(url, onError) : undefined;
  if (url) log.info({ limiter: 'github-writes' }, 'rate limits shared through Redis');
  return createRateLimiter({
    name: 'github-writes',
    telemetry,
    onError,
    ...(shared ? { bottleneck: shared.bottleneck, shared } : {}),
  });
}
