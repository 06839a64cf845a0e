import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/store.js';
import { alertmanagerBody } from '../support/intake.js';
import { startServe } from '../support/serve.js';
import { tempDir } from '../support/tmp.js';

const TOKEN = 'crash-test-token-0123456789';
const ALERTS = 1_000;
const GROUPS = 50;
const KILL_AFTER_ACKS = 350;

interface Sent {
  index: number;
  jobId?: string;
}

function body(index: number) {
  return alertmanagerBody([{ name: `Crash${index % GROUPS}`, fingerprint: `fp-${index}`, labels: { instance: `host-${index}` } }], `group-${index % GROUPS}`);
}

async function post(base: string, index: number): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}/alerts/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body(index)),
    });
    const answer = (await response.json()) as { id?: string };
    return response.status === 202 ? answer.id : undefined;
  } catch {
    return undefined; // connection refused or reset: not acked
  }
}

async function countRows(store: Store, query: string): Promise<Record<string, number>> {
  const { rows } = await sql.raw<{ k: string; n: number }>(query).execute(store.db);
  return Object.fromEntries(rows.map((row) => [row.k, Number(row.n)]));
}

it(`loses nothing and duplicates nothing when killed with -9 while ${ALERTS} alerts arrive and are processed`, async () => {
  const cwd = tempDir();
  const file = join(cwd, '.pitcrew', 'pitcrew.db');
  const env = { PITCREW_ALERT_TOKEN: TOKEN };
  const first = await startServe(cwd, env);

  // 1. Alerts arrive, 48 requests at a time (faster than one worker processes them), and the process is killed with -9 partway through.
  const sent: Sent[] = [];
  let next = 0;
  let acked = 0;
  let killed = false;
  await Promise.all(Array.from({ length: 48 }, async () => {
    while (next < ALERTS) {
      const index = next++;
      const jobId = await post(first.base, index);
      sent.push({ index, jobId });
      if (jobId) acked++;
      if (acked >= KILL_AFTER_ACKS && !killed) {
        killed = true;
        first.serve.child.kill('SIGKILL');
      }
    }
  }));
  assert.equal((await first.serve.exited).signal, 'SIGKILL');
  const ackedBeforeKill = sent.filter((s) => s.jobId);
  assert.ok(ackedBeforeKill.length >= KILL_AFTER_ACKS && ackedBeforeKill.length < ALERTS, `killed mid-stream (${ackedBeforeKill.length} acked)`);

  // What the crash left behind: every acked event is in the inbox, some not processed yet.
  const snapshot = await openStore({ kind: 'sqlite', file });
  const atKill = await countRows(snapshot, "select state as k, count(*) as n from jobs where queue = 'alerts' group by state");
  const stored = new Set((await snapshot.db.selectFrom('jobs').select('id').where('queue', '=', 'alerts').execute()).map((row) => row.id));
  await snapshot.close();
  const lost = ackedBeforeKill.filter((s) => !stored.has(s.jobId!));
  assert.deepEqual(lost, [], 'every acked alert survived kill -9');
  console.log(`# crash: ${ackedBeforeKill.length}/${ALERTS} acked before kill -9; inbox at kill: ${JSON.stringify(atKill)}`);
  assert.ok((atKill.completed ?? 0) > 0, 'processing had started');

  // 2. Restart; the senders retry what was not acked (as Alertmanager does), and re-deliver 100 acked ones.
  const second = await startServe(cwd, env);
  after(() => void second.serve.child.kill('SIGKILL'));
  const retries = [...sent.filter((s) => !s.jobId).map((s) => s.index), ...ackedBeforeKill.slice(0, 100).map((s) => s.index)];
  const retried: Sent[] = [];
  let cursor = 0;
  await Promise.all(Array.from({ length: 12 }, async () => {
    while (cursor < retries.length) {
      const index = retries[cursor++]!;
      retried.push({ index, jobId: await post(second.base, index) });
    }
  }));
  assert.ok(retried.every((s) => s.jobId), 'the restarted service acks every retry');

  // 3. Wait for the inbox to drain.
  const store = await openStore({ kind: 'sqlite', file });
  after(() => store.close());
  const deadline = Date.now() + 120_000;
  for (;;) {
    const open = await countRows(store, "select 'n' as k, count(*) as n from jobs where queue = 'alerts' and state in ('pending', 'active')");
    if ((open.n ?? 0) === 0) break;
    assert.ok(Date.now() < deadline, 'the inbox drains after the restart');
    await sleep(100);
  }

  // Every acked job completed: none lost, none dead.
  const allAcked = [...ackedBeforeKill, ...retried].map((s) => s.jobId!);
  const states = await store.db.selectFrom('jobs').select(['id', 'state']).where('id', 'in', allAcked).execute();
  assert.equal(states.length, allAcked.length);
  assert.deepEqual(states.filter((row) => row.state !== 'completed'), [], 'every acked alert was processed');

  // Exactly once: each alert attached once, each group one incident, no duplicate timeline entries.
  const perAlert = await countRows(store, 'select fingerprint as k, count(*) as n from incident_alerts group by fingerprint');
  assert.equal(Object.keys(perAlert).length, ALERTS, 'all 1,000 alerts are attached');
  assert.deepEqual(Object.entries(perAlert).filter(([, n]) => n !== 1), [], 'no alert attached twice');
  const perGroup = await countRows(store, 'select group_key as k, count(*) as n from incidents group by group_key');
  assert.equal(Object.keys(perGroup).length, GROUPS);
  assert.deepEqual(Object.entries(perGroup).filter(([, n]) => n !== 1), [], 'no duplicate incidents');
  const added = await countRows(store, "select fingerprint as k, count(*) as n from incident_events where kind = 'alert_added' group by fingerprint");
  assert.deepEqual(Object.entries(added).filter(([, n]) => n !== 1), [], 'each alert recorded once on its timeline');
  const totals = await store.db.selectFrom('incidents').select(['alerts_total', 'alerts_firing']).execute();
  assert.ok(totals.every((row) => Number(row.alerts_total) === ALERTS / GROUPS && Number(row.alerts_firing) === ALERTS / GROUPS));

  second.serve.child.kill('SIGTERM');
  assert.equal((await second.serve.exited).code, 0, 'the restarted service stops cleanly');
});

it('on SIGTERM answers the requests in flight, finishes the job in hand and leaves nothing half-done', async () => {
  const cwd = tempDir();
  const file = join(cwd, '.pitcrew', 'pitcrew.db');
  const env = { PITCREW_ALERT_TOKEN: TOKEN };
  const served = await startServe(cwd, env);
  const acks: Array<string | undefined> = [];
  let next = 0;
  let signalled = false;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < 600) {
      const id = await post(served.base, next++);
      acks.push(id);
      if (acks.filter(Boolean).length >= 300 && !signalled) {
        signalled = true;
        served.serve.child.kill('SIGTERM');
      }
    }
  }));
  assert.deepEqual(await served.serve.exited, { code: 0, signal: null }, served.serve.output());
  const store = await openStore({ kind: 'sqlite', file });
  after(() => store.close());
  const states = await countRows(store, "select state as k, count(*) as n from jobs where queue = 'alerts' group by state");
  console.log(`# sigterm: ${acks.filter(Boolean).length} acked; inbox after a graceful stop: ${JSON.stringify(states)}`);
  assert.equal(states.active ?? 0, 0, 'no job is left claimed by the stopped process');
  const ids = acks.filter((id): id is string => id !== undefined);
  const stored = await store.db.selectFrom('jobs').select('id').where('id', 'in', ids).execute();
  assert.equal(stored.length, ids.length, 'every acked alert is in the inbox');
});
