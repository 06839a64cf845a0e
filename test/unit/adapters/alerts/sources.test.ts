import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { authorizeAlertRequest, bearerMatches, isLoopback } from '../../../../src/adapters/alerts/auth.js';
import { genericAlertJsonSchema, genericSource } from '../../../../src/adapters/alerts/generic.js';
import { grafanaSource } from '../../../../src/adapters/alerts/grafana.js';
import { pagerDutySource, signPagerDutyBody, verifyPagerDutySignature } from '../../../../src/adapters/alerts/pagerduty.js';
import { detectSource } from '../../../../src/adapters/alerts/sources.js';
import { repoRoot } from '../../../support/processes.js';
import type { IncomingMessage } from 'node:http';

const fixture = (name: string) => JSON.parse(readFileSync(join(repoRoot, '..', 'shared', 'fixtures', 'alertmanager', name), 'utf8')) as unknown;

it('normalizes a Grafana alert with its dashboard, panel and silence links and value', () => {
  const [signal] = grafanaSource.toSignals({
    status: 'firing', orgId: 1, groupKey: 'gk', externalURL: 'http://grafana:3000/',
    alerts: [{ status: 'firing', labels: { alertname: 'HighCPU', severity: 'warning', app: 'api' }, annotations: { summary: 'CPU high' }, fingerprint: 'abc', valueString: "[ var='A' value=97 ]", dashboardURL: 'http://d', panelURL: 'http://p', silenceURL: 'http://s', values: { A: 97 } }],
  });
  assert.deepEqual([signal!.source, signal!.fingerprint, signal!.alertname, signal!.severity, signal!.service, signal!.groupKey], ['grafana', 'abc', 'HighCPU', 'warning', 'api', 'gk']);
  assert.equal(signal!.description, "values: [ var='A' value=97 ]");
  assert.deepEqual(signal!.links.map((l) => l.title), ['dashboard', 'panel', 'silence', 'grafana']);
});

it('normalizes generic alerts, one or a batch, with a stable default fingerprint', () => {
  const one = genericSource.toSignals({ title: 'Disk full', service: 'db', severity: 'SEV1', labels: { host: 'db-1', replicas: 3, primary: true }, startsAt: 1767225600000 });
  assert.deepEqual([one[0]!.alertname, one[0]!.severity, one[0]!.service, one[0]!.labels], ['Disk full', 'critical', 'db', { host: 'db-1', replicas: '3', primary: 'true', service: 'db' }]);
  assert.equal(one[0]!.startsAt, 1767225600000);
  const again = genericSource.toSignals({ title: 'Disk full', service: 'db', labels: { primary: true, replicas: 3, host: 'db-1' } });
  assert.equal(again[0]!.fingerprint, one[0]!.fingerprint, 'same title and labels: same alert');
  const batch = genericSource.toSignals({ alerts: [{ title: 'a', fingerprint: 'x', status: 'resolved', group: 'g', endsAt: '2026-01-01T00:00:00Z' }, { title: 'b' }] });
  assert.deepEqual(batch.map((s) => [s.fingerprint === 'x', s.status, s.groupKey]), [[true, 'resolved', 'g'], [false, 'firing', undefined]]);
  assert.equal(batch[0]!.endsAt, Date.parse('2026-01-01T00:00:00Z'));
});

it('ships the generic JSON Schema generated from the zod schema', () => {
  const committed = JSON.parse(readFileSync(join(repoRoot, 'docs', 'schemas', 'generic-alert.schema.json'), 'utf8')) as unknown;
  assert.deepEqual(committed, genericAlertJsonSchema(), 'docs/schemas/generic-alert.schema.json is stale: run `node --import tsx scripts/generate-schemas.ts`');
});

it('maps PagerDuty incident events to one signal per PagerDuty incident', () => {
  const event = (eventType: string, status: string, occurredAt = '2026-01-01T10:00:00Z') => ({
    event: { event_type: eventType, occurred_at: occurredAt, data: { id: 'P1', type: 'incident', title: 'DB down', status, urgency: 'low', created_at: '2026-01-01T09:00:00Z', service: { summary: 'db' } } },
  });
  const [triggered] = pagerDutySource.toSignals(event('incident.triggered', 'triggered'));
  assert.deepEqual([triggered!.fingerprint, triggered!.status, triggered!.severity, triggered!.service, triggered!.startsAt], ['P1', 'firing', 'warning', 'db', Date.parse('2026-01-01T09:00:00Z')]);
  const [resolved] = pagerDutySource.toSignals(event('incident.resolved', 'resolved'));
  assert.deepEqual([resolved!.status, resolved!.endsAt], ['resolved', Date.parse('2026-01-01T10:00:00Z')]);
  const [reopened] = pagerDutySource.toSignals(event('incident.reopened', 'triggered', '2026-01-01T11:00:00Z'));
  assert.equal(reopened!.startsAt, Date.parse('2026-01-01T11:00:00Z'), 'a reopen is a new episode, not a stale repeat');
  assert.deepEqual(pagerDutySource.validate({ event: { event_type: 'service.updated', data: {} } }), { ok: true, alerts: 0, ignored: 'event type service.updated does not change an incident\'s state' });
});

it('verifies PagerDuty signatures: any of several, exact body, v1 only', () => {
  const body = Buffer.from('{"event":{}}');
  const good = signPagerDutyBody(body, 's3cret');
  assert.equal(verifyPagerDutySignature(body, good, 's3cret'), true);
  assert.equal(verifyPagerDutySignature(body, `v1=deadbeef, ${good}`, 's3cret'), true);
  assert.equal(verifyPagerDutySignature(body, good, 'other'), false);
  assert.equal(verifyPagerDutySignature(Buffer.from('{"event":{} }'), good, 's3cret'), false);
  assert.equal(verifyPagerDutySignature(body, good.replace('v1', 'v2'), 's3cret'), false);
  assert.equal(verifyPagerDutySignature(body, undefined, 's3cret'), false);
  assert.equal(verifyPagerDutySignature(body, [good], 's3cret'), false, 'a repeated header is refused');
});

it('guesses the sender from the payload shape', () => {
  assert.equal(detectSource(fixture('am_v4_single_firing.prometheus-msteams.json')), 'alertmanager');
  assert.equal(detectSource({ orgId: 1, alerts: [] }), 'grafana');
  assert.equal(detectSource({ receiver: 'x', alerts: [{ dashboardURL: 'http://d' }] }), 'grafana');
  assert.equal(detectSource({ event: { event_type: 'incident.triggered' } }), 'pagerduty');
  assert.equal(detectSource({ title: 'x' }), 'generic');
  assert.equal(detectSource([1]), 'generic');
});

it('accepts only loopback peers without a token, and only the right bearer token with one', () => {
  const req = (remoteAddress: string, authorization?: string) => ({ socket: { remoteAddress }, headers: authorization ? { authorization } : {} }) as unknown as IncomingMessage;
  for (const address of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(address), true, address);
  for (const address of ['10.0.0.5', '::ffff:10.0.0.5', '128.0.0.1', 'fe80::1', '']) assert.equal(isLoopback(address), false, address);
  assert.equal(authorizeAlertRequest(req('127.0.0.1'), undefined).ok, true);
  const remote = authorizeAlertRequest(req('10.0.0.5'), undefined);
  assert.equal(remote.ok, false);
  assert.match(!remote.ok ? remote.message : '', /loopback only/);
  const token = 'a'.repeat(24);
  assert.equal(authorizeAlertRequest(req('10.0.0.5', `Bearer ${token}`), token).ok, true);
  assert.equal(authorizeAlertRequest(req('127.0.0.1'), token).ok, false, 'with a token set, loopback needs it too');
  assert.equal(bearerMatches(`bearer ${token}`, token), true);
  assert.equal(bearerMatches(`Bearer ${token}x`, token), false);
  assert.equal(bearerMatches(`Bearer ${token} extra`, token), false);
});
