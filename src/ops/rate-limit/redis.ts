import type Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';

/**
 * Bottleneck's Redis datastore ("clustering"): every limiter with the same id
 * on the same Redis shares one set of counters, so the limits hold across all
 * replicas together rather than per process. Each limiter gets its own
 * ioredis client (Bottleneck duplicates it for its pub/sub subscriber) and
 * closes both on `stop()`.
 *
 * `clearDatastore: false` keeps the shared state when a replica (re)starts:
 * clearing it would hand a fresh hourly budget to the whole fleet on every
 * rollout. The settings in Redis are refreshed from the options on start.
 */
export function redisDatastore(url: string): Bottleneck.ConstructorOptions {
  const client = new Redis(url, {
    // Fail calls while Redis is down instead of queueing them forever; Bottleneck reports the error.
    maxRetriesPerRequest: 3,
  });
  return {
    datastore: 'ioredis',
    clearDatastore: false,
    Redis,
    client,
  } as Bottleneck.ConstructorOptions;
}
