import assert from 'node:assert/strict';
import { it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import { DEFAULT_INCIDENT_POLICY, mttrMs, type IncidentPolicy } from '../../../src/domain/incident.js';
import type { Signal } from '../../../src/domain/signal.js';
import { attachSignalBatches, attachSignals } from '../../../src/pipeline/intake/attach-signals.js';
import { transitionIncident } from '../../../src/pipeline/intake/transition.js';
import { IncidentRepo } from '../../../src/store/incident-repo.js';
import type { Store } from '../../../src/store/store.js';
import { describeOnBackends, freshStore } from '../../support/databases.js';

const MINUTE = 60_000;

function signal(fingerprint: string, overrides: Partial<Signal> = {}): Signal {
  return {
    source: 'alertmanager',
    fingerprint,
    status: 'firing',
    alertname: `Alert${fingerprint}`,
    severity: 'warning',
    labels: { alertname: `Alert${fingerprint}`, service: 'checkout' },
    annotations: {},
    summary: `alert ${fingerprint}`,
    service: 'checkout',
    links: [],
    groupKey: 'g1',
    startsAt: Date.UTC(2026, 0, 1),
    ...overrides,
  };
}

function harness(store: Store, policy: Partial<IncidentPolicy> = {}) {
  const clock = manualClock();
  const effective = { ...DEFAULT_INCIDENT_POLICY, ...policy };
  const repo = new IncidentRepo(store.db);
  return {
    clock,
    repo,
    apply: (...signals: Signal[]) => store.writeTransaction((trx) => attachSignals(trx, signals, effective, clock)),
  };
}

describeOnBackends('incidents from signals', (backend) => {
  it('opens one incident per Alertmanager group and drops repeats of the same alert', async () => {
    const store = await freshStore(backend);
    const { apply, repo } = harness(store);
    const first = await apply(signal('a'), signal('b'), signal('c', { groupKey: 'g2' }));
    assert.deepEqual(first.outcomes.map((o) => [o.signal.fingerprint, o.result, o.incidentNumber]), [['a', 'new_incident', 1], ['b', 'joined', 1], ['c', 'new_incident', 2]]);
    const repeat = await apply(signal('a'), signal('b'));
    assert.deepEqual(repeat.outcomes.map((o) => o.result), ['duplicate', 'duplicate']);
    assert.equal(repeat.changes.length, 0, 'duplicates change nothing, so nothing is notified');
    const incidents = await repo.list();
    assert.equal(incidents.length, 2);
    const one = incidents.find((i) => i.number === 1)!;
    assert.deepEqual([one.alertsTotal, one.alertsFiring, one.state], [2, 2, 'open']);
    const alerts = await repo.alerts(one.id);
    assert.deepEqual(alerts.map((a) => [a.fingerprint, a.seenCount]), [['a', 2], ['b', 2]]);
  });

  it('resolves the incident only when all its alerts have resolved, with MTTR', async () => {
    const store = await freshStore(backend);
    const { apply, repo, clock } = harness(store);
    await apply(signal('a'), signal('b'));
    clock.advance(5 * MINUTE);
    const partial = await apply(signal('a', { status: 'resolved' }));
    assert.equal(partial.changes[0]!.incident.state, 'open');
    assert.equal(partial.changes[0]!.incident.alertsFiring, 1);
    clock.advance(5 * MINUTE);
    const all = await apply(signal('b', { status: 'resolved' }));
    assert.equal(all.changes[0]!.kind, 'resolved');
    const [incident] = await repo.list();
    assert.equal(incident!.state, 'resolved');
    assert.equal(mttrMs(incident!), 10 * MINUTE);
    const kinds = (await repo.timeline(incident!.id)).map((e) => e.kind);
    assert.deepEqual(kinds, ['opened', 'alert_added', 'alert_added', 'alert_resolved', 'alert_resolved', 'resolved']);
  });

  it('reopens a recently resolved incident when its alert fires again, and opens a new one after the window', async () => {
    const store = await freshStore(backend);
    const { apply, repo, clock } = harness(store, { windowMs: 30 * MINUTE, flapThreshold: 100 });
    await apply(signal('a'));
    clock.advance(MINUTE);
    await apply(signal('a', { status: 'resolved' }));
    clock.advance(10 * MINUTE);
    const refire = await apply(signal('a', { startsAt: Date.UTC(2026, 0, 1, 1) }));
    assert.deepEqual(refire.outcomes.map((o) => [o.result, o.incidentNumber]), [['refired', 1]]);
    assert.equal(refire.changes[0]!.kind, 'reopened');
    assert.equal((await repo.find('1'))!.reopenedCount, 1);
    await apply(signal('a', { status: 'resolved' }));
    clock.advance(31 * MINUTE);
    const later = await apply(signal('a', { startsAt: Date.UTC(2026, 0, 2) }));
    assert.deepEqual(later.outcomes.map((o) => [o.result, o.incidentNumber]), [['new_incident', 2]]);
  });

  it('ignores a stale firing notification for an episode that already resolved', async () => {
    const store = await freshStore(backend);
    const { apply } = harness(store);
    await apply(signal('a'));
    await apply(signal('a', { status: 'resolved' }));
    const stale = await apply(signal('a'));
    assert.deepEqual(stale.outcomes.map((o) => o.result), ['stale']);
    assert.equal(stale.changes.length, 0);
  });

  it('ignores a resolve for an alert it never saw firing', async () => {
    const store = await freshStore(backend);
    const { apply, repo } = harness(store);
    const result = await apply(signal('ghost', { status: 'resolved' }));
    assert.deepEqual(result.outcomes.map((o) => o.result), ['unknown_resolved']);
    assert.equal(await repo.count(), 0);
  });

  it('groups by a configured label set within the window, across senders', async () => {
    const store = await freshStore(backend);
    const { apply, clock } = harness(store, { groupBy: ['service'], windowMs: 10 * MINUTE });
    const first = await apply(signal('a', { groupKey: undefined }), signal('x', { source: 'grafana', groupKey: 'other' }), signal('p', { service: 'payments', labels: { service: 'payments' } }));
    assert.deepEqual(first.outcomes.map((o) => o.incidentNumber), [1, 1, 2]);
    clock.advance(9 * MINUTE);
    const within = await apply(signal('b', { source: 'generic' }));
    assert.equal(within.outcomes[0]!.incidentNumber, 1);
    clock.advance(11 * MINUTE);
    const after = await apply(signal('c'));
    assert.deepEqual(after.outcomes.map((o) => [o.result, o.incidentNumber]), [['new_incident', 3]], 'quiet longer than the window: a new incident');
  });

  it('flags flapping after N state changes in the window and stops notifying, then clears after a quiet window', async () => {
    const store = await freshStore(backend);
    const { apply, repo, clock } = harness(store, { flapThreshold: 4, flapWindowMs: 30 * MINUTE });
    let startsAt = Date.UTC(2026, 0, 1);
    const flip = async (status: 'firing' | 'resolved') => {
      clock.advance(MINUTE);
      if (status === 'firing') startsAt += MINUTE;
      return apply(signal('a', { status, startsAt }));
    };
    const opened = await apply(signal('a', { startsAt }));
    assert.equal(opened.changes[0]!.notify, true);
    const notified: boolean[] = [];
    const kinds: string[] = [];
    for (const status of ['resolved', 'firing', 'resolved', 'firing', 'resolved', 'firing'] as const) {
      const change = (await flip(status)).changes[0]!;
      notified.push(change.notify);
      kinds.push(change.kind);
    }
    assert.deepEqual(kinds, ['resolved', 'reopened', 'resolved', 'flapping_started', 'resolved', 'reopened']);
    assert.deepEqual(notified, [true, true, true, true, false, false], 'the flapping flag is notified once, then nothing');
    assert.equal((await repo.find('1'))!.flapping, true);
    assert.equal(await repo.count(), 1, 'flapping never opens a second incident');

    clock.advance(31 * MINUTE);
    const calm = (await flip('resolved')).changes[0]!;
    assert.equal(calm.kind, 'resolved');
    assert.ok(calm.events.some((e) => e.kind === 'flapping_cleared'));
    assert.equal(calm.notify, true);
    assert.equal((await repo.find('1'))!.flapping, false);
  });

  it('raises the incident severity to its worst alert', async () => {
    const store = await freshStore(backend);
    const { apply, repo } = harness(store);
    await apply(signal('a', { severity: 'warning' }));
    await apply(signal('b', { severity: 'critical' }));
    assert.equal((await repo.find('1'))!.severity, 'critical');
  });

  it('moves state forward by hand with timestamps, and refuses to move back', async () => {
    const store = await freshStore(backend);
    const { apply, repo, clock } = harness(store);
    await apply(signal('a'));
    clock.advance(2 * MINUTE);
    const ack = await store.writeTransaction((trx) => transitionIncident(trx, '#1', 'acknowledged', 'alice', { clock }));
    assert.equal(ack.kind, 'state_changed');
    clock.advance(3 * MINUTE);
    await store.writeTransaction((trx) => transitionIncident(trx, '1', 'mitigating', 'bob', { clock }));
    await assert.rejects(store.writeTransaction((trx) => transitionIncident(trx, '1', 'acknowledged', 'bob', { clock })), /cannot move to acknowledged/);
    await assert.rejects(store.writeTransaction((trx) => transitionIncident(trx, '99', 'resolved', 'bob', { clock })), /No incident "99"/);
    clock.advance(5 * MINUTE);
    await store.writeTransaction((trx) => transitionIncident(trx, '1', 'resolved', 'bob', { clock }));
    const incident = (await repo.find('1'))!;
    assert.deepEqual([incident.acknowledgedAt! - incident.openedAt, incident.mitigatingAt! - incident.openedAt, mttrMs(incident)], [2 * MINUTE, 5 * MINUTE, 10 * MINUTE]);
    const timeline = await repo.timeline(incident.id);
    assert.deepEqual(timeline.slice(-3).map((e) => [e.kind, e.actor]), [['acknowledged', 'alice'], ['mitigating', 'bob'], ['resolved', 'bob']]);
  });

  it('gives a batch of jobs the same incidents and timeline as the jobs one by one', async () => {
    const jobs: Signal[][] = [
      [signal('a'), signal('b')],
      [signal('a', { status: 'resolved' })],
      [signal('b', { status: 'resolved' })],
      [signal('a', { startsAt: Date.UTC(2026, 0, 1, 1) })],
      [signal('a', { status: 'resolved' }), signal('c', { groupKey: 'g2' })],
      [signal('a', { startsAt: Date.UTC(2026, 0, 1, 2) })],
    ];
    const policy = { ...DEFAULT_INCIDENT_POLICY, flapThreshold: 3 };
    const one = await freshStore(backend);
    const clockOne = manualClock();
    for (const job of jobs) await one.writeTransaction((trx) => attachSignals(trx, job, policy, clockOne));
    const batched = await freshStore(backend);
    const result = await batched.writeTransaction((trx) => attachSignalBatches(trx, jobs, policy, manualClock()));
    const snapshot = async (store: Store) => {
      const repo = new IncidentRepo(store.db);
      return Promise.all((await repo.list()).map(async (i) => ({
        number: i.number, state: i.state, flapping: i.flapping, firing: i.alertsFiring, reopened: i.reopenedCount,
        timeline: (await repo.timeline(i.id)).map((e) => `${e.kind}:${e.fingerprint ?? ''}`),
      })));
    };
    const expected = await snapshot(one);
    assert.deepEqual(await snapshot(batched), expected);
    assert.ok(expected[1]!.timeline.includes('flapping_started:'), 'the sequence flaps');
    assert.equal(result.changes.length, 2, 'one change per incident for the batch');
  });

  it('keeps one incident per group when many workers process its alerts at once', async () => {
    const store = await freshStore(backend);
    const clock = manualClock();
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      store.writeTransaction((trx) => attachSignals(trx, [signal(`f${i}`, { groupKey: `g${i % 4}` })], DEFAULT_INCIDENT_POLICY, clock))));
    const repo = new IncidentRepo(store.db);
    const incidents = await repo.list();
    assert.equal(incidents.length, 4);
    assert.deepEqual(incidents.map((i) => i.alertsTotal), [5, 5, 5, 5]);
    assert.deepEqual(incidents.map((i) => i.number).sort(), [1, 2, 3, 4]);
  });
});
