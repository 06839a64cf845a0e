import pg from 'pg';
import type { StoreConfig } from '../config/config.js';
import { KeyedMutex, type KeyedLock } from '../ops/keyed-mutex.js';
import type { Logger } from '../ops/logger.js';

/**
 * A lock per key that holds across replicas: a Postgres session advisory lock
 * (`pg_advisory_lock(hashtextextended(key, 0))`) taken on a connection held
 * for the whole of `fn`. If the replica dies (kill -9, node lost), Postgres
 * drops the session and the lock with it: nothing to expire or clean up.
 *
 * Waiters in this process queue on an in-process mutex first, so a replica
 * holds at most one connection per key; the locks have a pool of their own so
 * a held lock never starves the store's pool (whose queries `fn` may need).
 *
 * On SQLite there is one replica by design (one file), so the in-process
 * mutex is the whole lock.
 */
export interface ReplicaLock extends KeyedLock {
  /** `postgres` when the lock holds across replicas. */
  readonly scope: 'process' | 'postgres';
  close(): Promise<void>;
}

export function replicaLock(config: StoreConfig, log: Logger, options: { maxConnections?: number } = {}): ReplicaLock {
  const local = new KeyedMutex();
  if (config.kind === 'sqlite') return { scope: 'process', run: (key, fn) => local.run(key, fn), close: async () => {} };
  const pool = new pg.Pool({ connectionString: config.url, max: options.maxConnections ?? 8, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => log.warn({ err: error.message }, 'advisory lock connection failed'));
  return {
    scope: 'postgres',
    run: (key, fn) =>
      local.run(key, async () => {
        const client = await pool.connect();
        // The session can die while held (Postgres restart, failover): the lock is gone then, so say so loudly.
        // Without a listener a checked-out client's error would crash the process.
        const onError = (error: Error) => log.error({ key, err: error.message }, 'advisory lock session lost while held; another replica may take the lock');
        client.on('error', onError);
        try {
          await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
          return await fn();
        } finally {
          // Unlock on the same session; if that fails, destroy the connection so the session (and lock) ends.
          await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]).then(
            () => {
              client.off('error', onError);
              client.release();
            },
            (error: Error) => {
              log.warn({ key, err: error.message }, 'cannot release advisory lock; dropping its connection');
              client.off('error', onError);
              client.release(true);
            },
          );
        }
      }),
    close: () => pool.end(),
  };
}
