import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { freshStoreConfig } from '../support/databases.js';
import { assertExactlyOnce, countRows, deliverAlert, refusals, replicaSkip, scrape, startReplicas, waitForInbox } from '../support/replicas.js';

const ALERTS = 2_000;
const GROUPS = 50;
const DUPLICATES = 300;

/**
 * Two `pitcrew serve` replicas on one Postgres and one Redis, no leader: the
 * alerts are split across both through the real endpoints, and some are
 * delivered to both (as an HA pair of Alertmanagers does). Intake must make
 * exactly one incident per group and attach each alert once.
 *
 * TODO(slack): once the Slack adapter is on main, start both replicas with the
 * Slack fake (SLACK_API_URL) and assert one thread per incident and that the
 * fake's per-channel rate never exceeded its limit across both replicas.
 * TODO(github webhooks): duplicated GitHub deliveries across replicas are
 * covered for the gate by the advisory lock (test/integration/store/advisory-lock.test.ts);
 * an end-to-end case needs the execution branch's pull_request.closed handler.
 */
describe('two replicas on one Postgres and one Redis', { skip: replicaSkip() }, () => {
  it(`turns ${ALERTS} alerts split across both (and ${DUPLICATES} delivered to both) into exactly one incident per group`, async () => {
    const config = await freshStoreConfig('postgres');
    assert.equal(config.kind, 'postgres');
    const replicas = await startReplicas(2, config.kind === 'postgres' ? config.url : '');
    after(() => replicas.forEach((r) => r.serve.child.kill('SIGKILL')));

    // Alert i goes to replica i % 2; the first DUPLICATES are sent again to the other one, interleaved.
    const deliveries = [
      ...Array.from({ length: ALERTS }, (_, i) => ({ index: i, replica: i % 2 })),
      ...Array.from({ length: DUPLICATES }, (_, i) => ({ index: i * 3, replica: (i * 3 + 1) % 2 })),
    ].sort((a, b) => a.index - b.index);
    let next = 0;
    const refused: number[] = [];
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        if (!(await deliverAlert(replicas[delivery.replica]!.base, delivery.index, GROUPS))) refused.push(delivery.index);
      }
    }));
    if (refusals.size > 0) console.log(`# replicas: refused first and retried (as Alertmanager does): ${JSON.stringify(Object.fromEntries(refusals))}`);
    assert.deepEqual(refused, [], 'every delivery was acked (after the retries a sender makes)');

    const store = await openStore(config);
    after(() => store.close());
    await waitForInbox(store);
    await assertExactlyOnce(store, ALERTS, GROUPS);
    // A retried delivery whose first ack was lost is one more inbox job: count what was stored.
    const stored = (await countRows(store, "select 'n' as k, count(*) as n from jobs where queue = 'alerts'")).n ?? 0;
    assert.ok(stored >= ALERTS + DUPLICATES, `every delivery is in the inbox (${stored})`);
    const seen = await countRows(store, "select 'n' as k, sum(seen_count) as n from incident_alerts");
    assert.equal(seen.n, stored, 'the duplicate deliveries were seen, and folded into the alerts they repeat');

    // No leader: both replicas processed inbox jobs.
    const processed = await Promise.all(replicas.map((r) => scrape(r.base, 'pitcrew_queue_jobs_finished_total', { queue: 'alerts', outcome: 'completed' })));
    console.log(`# replicas: inbox jobs completed per replica ${JSON.stringify(processed)}`);
    assert.ok(processed.every((n) => n > 0), `both replicas processed alerts (${processed.join(', ')})`);
    assert.equal(processed.reduce((a, b) => a + b, 0), stored, 'each inbox job completed once, by one replica');

    for (const replica of replicas) replica.serve.child.kill('SIGTERM');
    const exits = await Promise.all(replicas.map((r) => r.serve.exited));
    assert.deepEqual(exits.map((e) => e.code), [0, 0], 'both stop cleanly');
  });
});
