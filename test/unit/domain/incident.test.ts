import assert from 'node:assert/strict';
import { it } from 'node:test';
import { changeKind } from '../../../src/domain/incident-change.js';
import { canTransition, groupFor, higherSeverity, incidentTitle, isStaleRefire, mttaMs, mttrMs } from '../../../src/domain/incident.js';
import type { Signal } from '../../../src/domain/signal.js';

const signal = (overrides: Partial<Signal> = {}): Signal => ({
  source: 'alertmanager', fingerprint: 'f', status: 'firing', alertname: 'HighLatency', severity: 'warning',
  labels: { alertname: 'HighLatency', region: 'eu' }, annotations: {}, summary: 'p99 above 2s', service: 'api', links: [], ...overrides,
});

it('only moves incident state forward', () => {
  assert.equal(canTransition('open', 'acknowledged'), true);
  assert.equal(canTransition('open', 'resolved'), true);
  assert.equal(canTransition('mitigating', 'acknowledged'), false);
  assert.equal(canTransition('resolved', 'open'), false);
  assert.equal(canTransition('acknowledged', 'acknowledged'), false);
});

it('computes MTTA and MTTR', () => {
  assert.equal(mttrMs({ openedAt: 1_000, resolvedAt: 61_000 }), 60_000);
  assert.equal(mttrMs({ openedAt: 1_000, resolvedAt: null }), null);
  assert.equal(mttaMs({ openedAt: 1_000, acknowledgedAt: 3_000 }), 2_000);
});

it('groups by the configured labels, else by the sender group, else by the alert', () => {
  assert.deepEqual(groupFor(signal({ groupKey: 'gk' }), { groupBy: ['service', 'region'] }), { key: 'labels:service=api,region=eu', mode: 'labels' });
  assert.deepEqual(groupFor(signal({ groupKey: 'gk' }), { groupBy: null }), { key: 'alertmanager:group:gk', mode: 'sender' });
  assert.deepEqual(groupFor(signal(), { groupBy: null }), { key: 'alertmanager:alert:f', mode: 'alert' });
  assert.equal(groupFor(signal({ labels: {} }), { groupBy: ['alertname'] }).key, 'labels:alertname=HighLatency', 'alertname falls back to the signal field');
});

it('tells a stale repeat from a genuine re-fire', () => {
  assert.equal(isStaleRefire(1_000, signal({ startsAt: 1_000 })), true);
  assert.equal(isStaleRefire(1_000, signal({ startsAt: 2_000 })), false);
  assert.equal(isStaleRefire(null, signal({ startsAt: 1_000 })), false);
  assert.equal(isStaleRefire(1_000, signal({ startsAt: undefined })), false);
});

it('keeps the worse severity and a readable title', () => {
  assert.equal(higherSeverity('warning', 'critical'), 'critical');
  assert.equal(higherSeverity('critical', 'info'), 'critical');
  assert.equal(higherSeverity('unknown', 'info'), 'info');
  assert.equal(incidentTitle(signal()), 'HighLatency: p99 above 2s');
  assert.equal(incidentTitle(signal({ summary: 'HighLatency' })), 'HighLatency');
  assert.equal(incidentTitle(signal({ alertname: undefined })), 'p99 above 2s');
});

it('names a change by its most significant event', () => {
  const e = (kind: Parameters<typeof changeKind>[0][number]['kind']) => ({ seq: 1, at: 0, kind, actor: 'pitcrew', fingerprint: null, detail: {} });
  assert.equal(changeKind([e('alert_added'), e('opened')]), 'opened');
  assert.equal(changeKind([e('alert_refired'), e('reopened'), e('flapping_started')]), 'flapping_started');
  assert.equal(changeKind([e('alert_resolved'), e('resolved')]), 'resolved');
  assert.equal(changeKind([e('alert_added')]), 'updated');
});
