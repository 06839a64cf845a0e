import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Store } from '../../src/store/store.js';
import { alertmanagerBody } from './intake.js';
import { metricValue } from './metrics.js';
import { startServe, type Served } from './serve.js';
import { tempDir } from './tmp.js';

export const REPLICA_TOKEN = 'replica-test-token-0123456789';

/** Why the multi-replica tests cannot run here, or false when they can. */
export function replicaSkip(): string | false {
  const missing = ['TEST_DATABASE_URL', 'TEST_REDIS_URL'].filter((name) => !process.env[name]);
  return missing.length === 0 ? false : `${missing.join(' and ')} unset; set them (e.g. postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379) to run the multi-replica tests`;
}

/** `pitcrew serve` replicas on one Postgres (a schema of TEST_DATABASE_URL) and one Redis, each in a directory of its own. */
export async function startReplicas(count: number, databaseUrl: string, env: Record<string, string> = {}): Promise<Served[]> {
  return Promise.all(Array.from({ length: count }, () =>
    startServe(tempDir(), { DATABASE_URL: databaseUrl, REDIS_URL: process.env.TEST_REDIS_URL!, PITCREW_ALERT_TOKEN: REPLICA_TOKEN, ...env })));
}

/** One alert per request; `groups` incidents; unique fingerprints. */
export function alertBody(index: number, groups: number) {
  return alertmanagerBody([{ name: `Replica${index % groups}`, fingerprint: `fp-${index}`, labels: { instance: `host-${index}` } }], `group-${index % groups}`);
}

/** Why deliveries were not acked (status code or connection error), for the test's log line. */
export const refusals = new Map<string, number>();

/** Posts one alert; the inbox job id when acked (202), undefined when refused or the connection failed. */
export async function postAlert(base: string, index: number, groups: number): Promise<string | undefined> {
  let reason: string;
  try {
    const response = await fetch(`${base}/alerts/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${REPLICA_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(alertBody(index, groups)),
    });
    const answer = (await response.json()) as { id?: string; error?: string };
    if (response.status === 202) return answer.id;
    reason = `${response.status} ${answer.error ?? ''}`.trim();
  } catch (error) {
    reason = (error as Error).message;
  }
  refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
  return undefined;
}

/**
 * Delivers like Alertmanager: a refused delivery (503 while the store is
 * busy, a reset connection) is retried, a few times, a moment later.
 */
export async function deliverAlert(base: string, index: number, groups: number, attempts = 10): Promise<string | undefined> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const id = await postAlert(base, index, groups);
    if (id) return id;
    await sleep(200 * attempt);
  }
  return undefined;
}

export async function countRows(store: Store, query: string): Promise<Record<string, number>> {
  const { rows } = await sql.raw<{ k: string; n: number }>(query).execute(store.db);
  return Object.fromEntries(rows.map((row) => [row.k, Number(row.n)]));
}

/** Waits until no inbox job is pending or active (bounded: fails after `ms`). */
export async function waitForInbox(store: Store, ms = 180_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await countRows(store, "select 'n' as k, count(*) as n from jobs where queue = 'alerts' and state in ('pending', 'active')");
    if ((open.n ?? 0) === 0) return;
    assert.ok(Date.now() < deadline, `the inbox drains (${open.n} jobs still open)`);
    await sleep(100);
  }
}

/** Exactly once: every alert attached once, one incident per group with unique numbers, each alert once on its timeline, no dead job. */
export async function assertExactlyOnce(store: Store, alerts: number, groups: number): Promise<void> {
  const perAlert = await countRows(store, 'select fingerprint as k, count(*) as n from incident_alerts group by fingerprint');
  assert.equal(Object.keys(perAlert).length, alerts, `all ${alerts} alerts are attached`);
  assert.deepEqual(Object.entries(perAlert).filter(([, n]) => n !== 1), [], 'no alert attached twice');
  const perGroup = await countRows(store, 'select group_key as k, count(*) as n from incidents group by group_key');
  assert.equal(Object.keys(perGroup).length, groups, `${groups} incidents`);
  assert.deepEqual(Object.entries(perGroup).filter(([, n]) => n !== 1), [], 'no duplicate incidents');
  const numbers = await countRows(store, "select 'n' as k, count(distinct number) as n from incidents");
  assert.equal(numbers.n, groups, 'incident numbers are unique');
  const added = await countRows(store, "select fingerprint as k, count(*) as n from incident_events where kind = 'alert_added' group by fingerprint");
  assert.deepEqual(Object.entries(added).filter(([, n]) => n !== 1), [], 'each alert recorded once on its timeline');
  const totals = await store.db.selectFrom('incidents').select(['group_key', 'alerts_total']).execute();
  assert.deepEqual(totals.filter((row) => Number(row.alerts_total) !== alerts / groups), [], 'every incident counts each of its alerts once');
  const dead = await countRows(store, "select 'n' as k, count(*) as n from jobs where state = 'dead'");
  assert.equal(dead.n ?? 0, 0, 'no job dead-lettered');
}

/** A counter from a replica's /metrics (0 when absent). */
export async function scrape(base: string, name: string, labels: Record<string, string>): Promise<number> {
  return metricValue(await (await fetch(`${base}/metrics`)).text(), name, labels);
}
