import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { AlertmanagerWebhook, alertmanagerWebhookToSignals, labelsFingerprint } from '../../../../src/adapters/alerts/alertmanager.js';
import { repoRoot } from '../../../support/processes.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(repoRoot, '..', 'shared', 'fixtures', 'alertmanager', name), 'utf8')) as unknown;

it('normalizes a real Alertmanager v4 body into Signals', () => {
  const body = AlertmanagerWebhook.parse(fixture('am_v4_single_firing.prometheus-msteams.json'));
  const [signal] = alertmanagerWebhookToSignals(body);
  assert.equal(signal!.source, 'alertmanager');
  assert.equal(signal!.alertname, 'high_memory_load');
  assert.equal(signal!.status, 'firing');
  assert.equal(signal!.severity, 'warning');
  assert.equal(signal!.summary, 'Server High Memory usage');
  assert.equal(signal!.service, 'docker_nodes');
  assert.equal(signal!.startsAt, Date.parse('2018-03-07T06:33:21.873077559-05:00'));
  assert.equal(signal!.endsAt, undefined, 'the zero time means unset');
  assert.equal(signal!.groupKey, '{}:{alertname="high_memory_load"}');
  assert.equal(signal!.fingerprint, labelsFingerprint(body.alerts[0]!.labels), 'no fingerprint sent: hash of labels');
});

it('keeps one Signal per alert in a grouped body', () => {
  const body = AlertmanagerWebhook.parse(fixture('am_v4_large_grouped.prometheus-msteams.json'));
  const signals = alertmanagerWebhookToSignals(body);
  assert.equal(signals.length, body.alerts.length);
  assert.equal(new Set(signals.map((s) => s.fingerprint)).size, signals.length);
});

it('fingerprints labels independent of their order', () => {
  assert.equal(labelsFingerprint({ a: '1', b: '2' }), labelsFingerprint({ b: '2', a: '1' }));
  assert.notEqual(labelsFingerprint({ a: '1' }), labelsFingerprint({ a: '2' }));
});
