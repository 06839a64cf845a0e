import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import pg from 'pg';
import type { StoreConfig } from '../../src/config/config.js';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/store.js';
import { tempDir } from './tmp.js';

export type BackendName = StoreConfig['kind'];

/**
 * A fresh, isolated store config per call: a new SQLite file, or a new
 * Postgres schema (dropped after the test file) on TEST_DATABASE_URL.
 */
export async function freshStoreConfig(backend: BackendName): Promise<StoreConfig> {
  if (backend === 'sqlite') return { kind: 'sqlite', file: join(tempDir(), 'pitcrew.db') };
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is unset');
  const schema = `pitcrew_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  after(async () => {
    const cleanup = new pg.Client({ connectionString: base });
    await cleanup.connect();
    await cleanup.query(`drop schema if exists ${schema} cascade`);
    await cleanup.end();
  });
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { kind: 'postgres', url: url.toString() };
}

export async function freshStore(backend: BackendName, options?: OpenStoreOptions): Promise<Store> {
  const store = await openStore(await freshStoreConfig(backend), options);
  after(() => store.close());
  return store;
}

/**
 * Runs a suite once per store backend. SQLite always runs; Postgres runs when
 * TEST_DATABASE_URL is set and is otherwise skipped with a visible notice.
 */
export function describeOnBackends(name: string, suite: (backend: BackendName) => void): void {
  describe(`${name} [sqlite]`, () => suite('sqlite'));
  if (process.env.TEST_DATABASE_URL) {
    describe(`${name} [postgres]`, () => suite('postgres'));
  } else {
    describe(`${name} [postgres]`, { skip: 'TEST_DATABASE_URL is unset; set it (e.g. postgres://postgres@127.0.0.1:5432/test) to run the Postgres contract' }, () => {});
  }
}
