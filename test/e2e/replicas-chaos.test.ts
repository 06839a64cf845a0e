import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { freshStoreConfig } from '../support/databases.js';
import { assertExactlyOnce, countRows, deliverAlert, postAlert, replicaSkip, scrape, startReplicas, waitForInbox } from '../support/replicas.js';

const ALERTS = 2_000;
const GROUPS = 40;
const KILL_AFTER_ACKS = 700;

/**
 * Chaos: two replicas share the intake; one is killed with -9 while it is
 * processing. The survivor takes over the dead replica's claimed jobs (its
 * leases: at once on the same host, where the pid is known dead; after the
 * lease elsewhere), the senders retry what was not acked, and nothing is lost
 * or processed twice.
 *
 * TODO(execution): the execution chaos case (kill -9 mid-execution of a merged
 * plan; the survivor or the journal finishes it, no action runs twice) needs
 * the `execution` branch's executor and journal; add it here when it lands.
 */
describe('kill -9 of one replica while both process alerts', { skip: replicaSkip() }, () => {
  it('the other replica finishes the work, and nothing is lost or processed twice', async () => {
    const config = await freshStoreConfig('postgres');
    const [victim, survivor] = await startReplicas(2, config.kind === 'postgres' ? config.url : '');
    after(() => [victim, survivor].forEach((r) => r!.serve.child.kill('SIGKILL')));
    const victimPid = victim!.serve.child.pid!;
    const store = await openStore(config);
    after(() => store.close());

    // 1. Alerts go to both, 48 requests at a time; the victim is killed with -9 once it has acked enough.
    const acked = new Map<number, string>();
    const unacked: number[] = [];
    let next = 0;
    let killed = false;
    let activeAtKill: Record<string, number> = {};
    await Promise.all(Array.from({ length: 48 }, async () => {
      while (next < ALERTS) {
        const index = next++;
        const replica = index % 2 === 0 || killed ? survivor! : victim!;
        const id = await postAlert(replica.base, index, GROUPS);
        if (id) acked.set(index, id);
        else unacked.push(index);
        if (!killed && acked.size >= KILL_AFTER_ACKS) {
          killed = true;
          victim!.serve.child.kill('SIGKILL');
          activeAtKill = await countRows(store, `select 'n' as k, count(*) as n from jobs where state = 'active' and locked_by like '%:${victimPid}:%'`);
        }
      }
    }));
    assert.equal((await victim!.serve.exited).signal, 'SIGKILL');
    const victimDone = await countRows(store, "select 'n' as k, count(*) as n from jobs where queue = 'alerts' and state = 'completed'");
    assert.ok((victimDone.n ?? 0) > 0, 'processing had started before the kill');

    // 2. The senders retry what was not acked, on the survivor (Alertmanager retries until it gets a 2xx).
    for (const index of unacked) {
      const id = await deliverAlert(survivor!.base, index, GROUPS);
      assert.ok(id, `the survivor acks the retry of alert ${index}`);
      acked.set(index, id);
    }

    // 3. The survivor drains everything, the dead replica's claims included.
    await waitForInbox(store);
    console.log(`# chaos: ${acked.size} acked, ${unacked.length} retried after kill -9; jobs the victim held at the kill: ${activeAtKill.n ?? 0}`);
    const states = await store.db.selectFrom('jobs').select(['id', 'state']).where('id', 'in', [...acked.values()]).execute();
    assert.equal(states.length, acked.size, 'every acked alert is in the inbox');
    assert.deepEqual(states.filter((row) => row.state !== 'completed'), [], 'every acked alert was processed');
    await assertExactlyOnce(store, ALERTS, GROUPS);
    assert.ok(await scrape(survivor!.base, 'pitcrew_queue_jobs_finished_total', { queue: 'alerts', outcome: 'completed' }) > 0);

    survivor!.serve.child.kill('SIGTERM');
    assert.equal((await survivor!.serve.exited).code, 0, 'the survivor stops cleanly');
  });
});
