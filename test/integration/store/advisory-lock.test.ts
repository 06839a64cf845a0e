import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../../src/ops/logger.js';
import { replicaLock } from '../../../src/store/advisory-lock.js';
import { freshStoreConfig } from '../../support/databases.js';

const skip = process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is unset; set it (e.g. postgres://postgres@127.0.0.1:5432/test) to run the cross-replica lock tests';

describe('the replica lock on Postgres', { skip }, () => {
  it('lets one holder per key run at a time across two replicas, and different keys in parallel', async () => {
    const config = await freshStoreConfig('postgres');
    // Two locks with pools of their own: two replicas.
    const replicas = [replicaLock(config, silentLogger()), replicaLock(config, silentLogger())];
    assert.deepEqual(replicas.map((r) => r.scope), ['postgres', 'postgres']);
    const key = `gate:acme/web#${randomBytes(4).toString('hex')}`;
    const inside: string[] = [];
    let most = 0;
    const hold = (replica: number, i: number) => replicas[replica]!.run(key, async () => {
      inside.push(`${replica}:${i}`);
      most = Math.max(most, inside.length);
      await sleep(20);
      inside.splice(inside.indexOf(`${replica}:${i}`), 1);
      return `${replica}:${i}`;
    });
    const results = await Promise.all([0, 1, 2].flatMap((i) => [hold(0, i), hold(1, i)]));
    assert.equal(results.length, 6);
    assert.equal(most, 1, 'never two holders of one key, even on different replicas');

    // Another key is not blocked by a held one.
    let release!: () => void;
    const held = replicas[0]!.run(key, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    const other = await replicas[1]!.run(`${key}-other`, async () => 'ran');
    assert.equal(other, 'ran');
    release();
    await held;
    await Promise.all(replicas.map((r) => r.close()));
  });

  it('frees the lock when its holder fails, and when its replica goes away', async () => {
    const config = await freshStoreConfig('postgres');
    const [a, b] = [replicaLock(config, silentLogger()), replicaLock(config, silentLogger())];
    const key = `propose:${randomBytes(4).toString('hex')}`;
    await assert.rejects(a.run(key, async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await b.run(key, async () => 'after a failure'), 'after a failure');

    // A replica dies holding the lock: its session ends and the other gets it.
    void a.run(key, () => new Promise(() => {}));
    await sleep(50);
    const waiting = b.run(key, async () => 'after the holder died');
    await sleep(50);
    // End the holder's session from the server side, as Postgres does when a replica dies.
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and classid = ((hashtextextended($1, 0) >> 32) & 4294967295)::oid and objid = (hashtextextended($1, 0) & 4294967295)::oid", [key]);
    await admin.end();
    assert.equal(await waiting, 'after the holder died');
    await b.close();
    void a.close().catch(() => {});
  });
});
