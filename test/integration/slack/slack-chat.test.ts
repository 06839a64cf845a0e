import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { SlackChat } from '../../../src/adapters/slack/slack-chat.js';
import { SlackOutbound } from '../../../src/adapters/slack/outbound.js';
import { systemClock } from '../../../src/domain/clock.js';
import type { Incident } from '../../../src/domain/incident.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { createRedactor, type Redactor } from '../../../src/ops/redaction/redactor.js';
import { FakeSlack } from '../../../src/sandbox/index.js';
import { freshStore } from '../../support/databases.js';

const slack = await FakeSlack.start({ rateLimits: { perChannel: { perSecond: 1, burst: 1 }, tiers: true } });
after(() => slack.stop());

const incident = (id: string, overrides: Partial<Incident> = {}): Incident => ({
  id, number: 1, groupKey: 'g', title: 'HighErrorRate', severity: 'high', service: 'api', source: 'alertmanager', state: 'open',
  openedAt: Date.now(), acknowledgedAt: null, mitigatingAt: null, resolvedAt: null, reopenedCount: 0, lastSignalAt: Date.now(),
  flapping: false, flappingSince: null, alertsTotal: 1, alertsFiring: 1, updatedAt: 1_000, ...overrides,
});

function replica(store: Awaited<ReturnType<typeof freshStore>>, channel: string, name: string, redactor?: Redactor): SlackChat {
  const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  return new SlackChat({ outbound: new SlackOutbound(client, silentLogger()), db: store.db, channel: async () => channel, clock: systemClock, log: silentLogger(), canPropose: false, replicaId: name, ...(redactor ? { redactor } : {}) });
}

describe('SlackChat', () => {
  it('two replicas syncing and replying to the same incident at once post one root and one reply per key', async () => {
    const store = await freshStore('sqlite');
    const channel = slack.addChannel('replicas').id;
    const [a, b] = [replica(store, channel, 'a'), replica(store, channel, 'b')];
    const inc = incident('inc_replicas');
    await store.db.insertInto('incidents').values({ id: inc.id, number: 1, group_key: 'g', title: inc.title, severity: 'high', service: 'api', source: 'alertmanager', state: 'open', opened_at: inc.openedAt, acknowledged_at: null, mitigating_at: null, resolved_at: null, reopened_count: 0, last_signal_at: inc.openedAt, flapping: 0, flapping_since: null, alerts_total: 1, alerts_firing: 1, event_seq: 1, updated_at: 1_000 } as never).execute();
    await Promise.all([a.syncIncident(inc), b.syncIncident(inc), a.reply(inc, 'note:1', { kind: 'note', text: 'hello' }), b.reply(inc, 'note:1', { kind: 'note', text: 'hello' })]);
    assert.equal(slack.roots('replicas').length, 1);
    assert.equal(slack.replies('replicas', slack.roots('replicas')[0]!.ts).length, 1);
    // A restart (a new replica) finds the thread and updates the reply instead of posting again.
    const c = replica(store, channel, 'c');
    await c.reply(inc, 'note:1', { kind: 'note', text: 'hello again' });
    const replies = slack.replies('replicas', slack.roots('replicas')[0]!.ts);
    assert.equal(replies.length, 1);
    assert.match(replies[0]!.text, /hello again/);
    assert.equal((await c.threadOf(inc.id))?.ts, slack.roots('replicas')[0]!.ts);
    // An older state never overwrites a newer root.
    await c.syncIncident(incident(inc.id, { state: 'acknowledged', updatedAt: 2_000 }));
    await c.syncIncident(incident(inc.id, { state: 'open', updatedAt: 1_500 }));
    await c.flush();
    assert.match(JSON.stringify(slack.roots('replicas')[0]!.blocks), /Acknowledged/);
    await store.close();
  });

  it('the reconciler brings a root up to date when its incident moved on without a sync (e.g. a crash in between)', async () => {
    const store = await freshStore('sqlite');
    const channel = slack.addChannel('reconcile').id;
    const chat = replica(store, channel, 'a');
    await store.db.insertInto('incidents').values({ id: 'inc_rec', number: 3, group_key: 'g3', title: 'DiskFilling', severity: 'warning', service: null, source: 'alertmanager', state: 'open', opened_at: 1, acknowledged_at: null, mitigating_at: null, resolved_at: null, reopened_count: 0, last_signal_at: 1, flapping: 0, flapping_since: null, alerts_total: 1, alerts_firing: 1, event_seq: 1, updated_at: 1_000 } as never).execute();
    await chat.syncIncident(incident('inc_rec', { number: 3, title: 'DiskFilling', updatedAt: 1_000 }));
    assert.equal(await chat.reconcile(), 0);
    await store.db.updateTable('incidents').set({ state: 'resolved', resolved_at: 5_000, updated_at: 5_000 }).where('id', '=', 'inc_rec').execute();
    assert.equal(await chat.reconcile(), 1);
    await chat.flush();
    assert.match(JSON.stringify(slack.roots('reconcile')[0]!.blocks), /Resolved · #3/);
    assert.equal(await chat.reconcile(), 0);
    assert.equal(slack.roots('reconcile').length, 1);
    await store.close();
  });

  it('redacts secrets in alert text before they reach Slack, keeping button values intact', async () => {
    const store = await freshStore('sqlite');
    const channel = slack.addChannel('redacted').id;
    const chat = replica(store, channel, 'a', createRedactor());
    const secret = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6';
    await store.db.insertInto('incidents').values({ id: 'inc_secret', number: 4, group_key: 'g4', title: `Login failing token=${secret}`, severity: 'high', service: null, source: 'alertmanager', state: 'open', opened_at: 1, acknowledged_at: null, mitigating_at: null, resolved_at: null, reopened_count: 0, last_signal_at: 1, flapping: 0, flapping_since: null, alerts_total: 1, alerts_firing: 1, event_seq: 1, updated_at: 1 } as never).execute();
    const inc = incident('inc_secret', { number: 4, title: `Login failing token=${secret}`, updatedAt: 1 });
    await chat.syncIncident(inc);
    await chat.reply(inc, 'note:1', { kind: 'note', text: `seen ${secret} in the logs` });
    const all = JSON.stringify(slack.messages('redacted').map((m) => [m.text, m.blocks]));
    assert.doesNotMatch(all, new RegExp(secret));
    assert.match(all, /REDACTED/);
    await store.close();
  });

  it('a 429 waits for Retry-After and the message is posted once, not dropped', async () => {
    const store = await freshStore('sqlite');
    const channel = slack.addChannel('limited').id;
    const chat = replica(store, channel, 'a');
    await store.db.insertInto('incidents').values({ id: 'inc_429', number: 2, group_key: 'g2', title: 'x', severity: 'high', service: null, source: 'alertmanager', state: 'open', opened_at: 1, acknowledged_at: null, mitigating_at: null, resolved_at: null, reopened_count: 0, last_signal_at: 1, flapping: 0, flapping_since: null, alerts_total: 1, alerts_firing: 1, event_seq: 1, updated_at: 1 } as never).execute();
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 2);
    const started = Date.now();
    await chat.syncIncident(incident('inc_429', { number: 2 }));
    assert.ok(Date.now() - started >= 2000, 'waited Retry-After twice');
    assert.equal(slack.roots('limited').length, 1);
    await store.close();
  });
});
