import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreConfig } from '../config/config.js';
import { redactUrl } from '../config/features.js';
import { PitcrewError } from '../domain/errors.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/**
 * The SQL store: Kysely over an embedded SQLite file (WAL) by default, or
 * Postgres. Both run the same migrations and pass the same contract suite.
 */
export interface Store {
  db: Db;
  dialect: StoreConfig['kind'];
  /** Human description for logs and doctor, with any password masked. */
  description: string;
  /**
   * Runs `fn` in a write transaction. On SQLite the write lock is taken up
   * front (BEGIN IMMEDIATE), so a second process waits on the busy timeout
   * instead of failing with SQLITE_BUSY when it upgrades a read lock. On
   * Postgres it runs SERIALIZABLE and is retried on a serialization failure,
   * so `fn` must touch nothing but the database. Inside `fn`, use only `trx`.
   */
  writeTransaction<T>(fn: (trx: Db) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Apply pending migrations (the service and CLI do; tests of migrations may not). */
  migrate?: boolean;
  /** SQLite busy timeout, ms. */
  busyTimeoutMs?: number;
}

export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  const store = config.kind === 'sqlite' ? openSqlite(config.file, options.busyTimeoutMs ?? 10_000) : openPostgres(config.url);
  try {
    await store.ping();
    if (options.migrate ?? true) await migrateToLatest(store);
  } catch (error) {
    await store.close().catch(() => {});
    if (error instanceof PitcrewError) throw error;
    throw new PitcrewError('store_unavailable', `Cannot open the store (${store.description}): ${(error as Error).message}`,
      config.kind === 'sqlite'
        ? 'Check that PITCREW_DATA_DIR (or the sqlite: path in DATABASE_URL) is writable.'
        : 'Check that Postgres is running and DATABASE_URL is right (host, port, user, database).',
      { cause: error });
  }
  return store;
}

function openSqlite(file: string, busyTimeoutMs: number): Store {
  mkdirSync(dirname(file), { recursive: true });
  const database = new BetterSqlite3(file, { timeout: busyTimeoutMs });
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (kill -9): committed pages are in the WAL file.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // 64 MB of page cache (default 2 MB): the inbox and incident indexes stay in memory under load.
  database.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    db,
    dialect: 'sqlite',
    description: `sqlite ${file}`,
    writeTransaction: (fn) =>
      db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await fn(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (error) {
          await sql`rollback`.execute(conn);
          throw error;
        }
      }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query it runs; parsing the same SQL again costs more
 * than running it. better-sqlite3 statements are reusable (Kysely runs one at a
 * time per connection), so keep the most recent ones.
 */
function withStatementCache(database: BetterSqlite3.Database, size = 256): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (source: string): BetterSqlite3.Statement => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
    } else {
      statement = database.prepare(source);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  };
  return new Proxy(database, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** int8 (bigint) columns hold epoch milliseconds, which fit in a JS number. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes, connectionTimeoutMillis: 5_000 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    description: `postgres ${redactUrl(url)}`,
    writeTransaction: (fn) => serializableWithRetry(db, fn),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** SQLSTATE 40001 serialization_failure, 40P01 deadlock_detected: safe to retry the whole transaction. */
const RETRYABLE = new Set(['40001', '40P01']);

async function serializableWithRetry<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().setIsolationLevel('serializable').execute(fn);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/**
 * On Postgres the migrator is pinned to the connection's current schema:
 * otherwise it finds its bookkeeping tables in *any* schema of the database
 * (another pitcrew's, a parallel test's) and then fails to use them in ours.
 */
async function migratorFor(store: Store): Promise<Migrator> {
  const provider = { getMigrations: async () => migrations };
  if (store.dialect !== 'postgres') return new Migrator({ db: store.db, provider });
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
  return new Migrator({ db: store.db, provider, migrationTableSchema: rows[0]?.schema ?? 'public' });
}

/**
 * Applies pending migrations. Kysely's migrator takes a lock on Postgres; on
 * SQLite two processes starting together can collide on the write lock, so
 * a busy collision is retried.
 */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = await migratorFor(store);
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    const busy = /SQLITE_BUSY|database is locked/i.test(String((error as Error).message ?? error));
    // Kysely's migrator introspects every schema of the database; DDL running
    // elsewhere at that moment (another schema being dropped) makes it fail. Transient.
    const concurrentDdl = (error as { code?: string }).code === '3F000' || /schema "[^"]+" does not exist/.test(String((error as Error).message));
    if ((busy || concurrentDdl) && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new PitcrewError('store_migration_failed', `Migration ${failed} failed on ${store.description}: ${(error as Error).message ?? error}`,
      'The store was left at the last good migration. Fix the cause above and start again.', { cause: error });
  }
}

export async function appliedMigrations(store: Store): Promise<string[]> {
  const migrator = await migratorFor(store);
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
