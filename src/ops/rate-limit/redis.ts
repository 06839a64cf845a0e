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
 * rollout.
 *
 * Fail closed: Bottleneck 2.19 with ioredis 5 runs jobs while Redis cannot be
 * reached (measured: a job on a limiter whose Redis refuses connections ran
 * at once), which would lift the fleet-wide limit exactly when it cannot be
 * checked. `available()` resolves only while the client is connected; the
 * limiter awaits it before handing a job to Bottleneck, so calls wait for
 * Redis instead of going out unlimited.
 */
export interface RedisDatastore {
  bottleneck: Bottleneck.ConstructorOptions;
  /** Resolves once connected (at once when connected); rejects when the connection is closed. */
  available(): Promise<void>;
  connected(): boolean;
  /** Closes the connection (waiters on `available` are rejected). */
  close(): void;
}

export function redisDatastore(url: string, onError: (error: Error) => void = () => {}): RedisDatastore {
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  // Bottleneck adds its own listener once it starts; until then an error event must not crash the process.
  client.on('error', onError);
  // Callers waiting for the connection; rejected on close (ioredis emits no 'end' when closed while reconnecting).
  const waiters = new Set<{ resolve(): void; reject(error: Error): void }>();
  let closed = false;
  client.on('ready', () => {
    for (const waiter of waiters) waiter.resolve();
    waiters.clear();
  });
  const closedError = () => new Error('the Redis connection of the rate limiter is closed');
  return {
    bottleneck: { datastore: 'ioredis', clearDatastore: false, Redis, client } as Bottleneck.ConstructorOptions,
    connected: () => client.status === 'ready',
    close: () => {
      closed = true;
      client.disconnect();
      for (const waiter of waiters) waiter.reject(closedError());
      waiters.clear();
    },
    available: () => {
      if (closed) return Promise.reject(closedError());
      if (client.status === 'ready') return Promise.resolve();
      return new Promise<void>((resolve, reject) => void waiters.add({ resolve, reject }));
    },
  };
}
