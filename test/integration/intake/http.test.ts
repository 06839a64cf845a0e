import assert from 'node:assert/strict';
import { request } from 'node:http';
import { it } from 'node:test';
import { signPagerDutyBody } from '../../../src/adapters/alerts/pagerduty.js';
import type { IncidentChange } from '../../../src/domain/incident-change.js';
import { IncidentRepo } from '../../../src/store/incident-repo.js';
import { describeOnBackends } from '../../support/databases.js';
import { alertmanagerBody, startIntakeServer, type IntakeServer } from '../../support/intake.js';

const TOKEN = 'test-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

async function jobCount(server: IntakeServer): Promise<number> {
  const counts = await server.service.intake.jobs.counts();
  return counts.filter((c) => c.queue === 'alerts').reduce((sum, c) => sum + c.count, 0);
}

function pagerDutyEvent(eventType: string, status = 'triggered') {
  return {
    event: {
      id: '01DEN4HPBQAJ6HQHGYMNMBGNT2',
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: '2026-01-01T10:00:00.000Z',
      data: {
        id: 'PGR0VU2',
        type: 'incident',
        number: 2,
        title: 'Checkout latency above SLO',
        status,
        urgency: 'high',
        html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
        created_at: '2026-01-01T09:59:00Z',
        service: { id: 'PF9KMXH', summary: 'checkout', html_url: 'https://acme.pagerduty.com/services/PF9KMXH' },
        priority: { id: 'P1', summary: 'P1' },
      },
    },
  };
}

describeOnBackends('alert endpoints', (backend) => {
  it('persists the raw body before the 202, then opens an incident and notifies subscribers', async () => {
    const changes: IncidentChange[] = [];
    const server = await startIntakeServer({ backend, env: { PITCREW_ALERT_TOKEN: TOKEN }, subscribers: [{ name: 'recorder', onIncidentChange: async (change) => void changes.push(change) }] });
    const body = alertmanagerBody([{ name: 'HighErrorRate', fingerprint: 'fp1' }], 'grp');
    const response = await server.post('alertmanager', body, AUTH);
    assert.equal(response.status, 202);
    assert.equal(response.json.alerts, 1);
    // The ack says "persisted": the job is in the store at the moment the answer arrives.
    const job = await server.service.intake.jobs.get(String(response.json.id));
    assert.ok(job, 'the acked event is in the inbox');
    assert.equal((job!.payload as { body: string }).body, JSON.stringify(body), 'the raw body is stored as received');
    await server.service.intake.drain();
    const [incident] = await new IncidentRepo(server.service.store.db).list();
    assert.equal(incident?.title, 'HighErrorRate: HighErrorRate is happening');
    assert.deepEqual(changes.map((c) => [c.kind, c.incident.number, c.notify]), [['opened', 1, true]]);
  });

  it('answers 401 to a missing or wrong token and stores nothing', async () => {
    const server = await startIntakeServer({ backend, env: { PITCREW_ALERT_TOKEN: TOKEN } });
    const body = alertmanagerBody([{ name: 'X' }]);
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
      const response = await server.post('alertmanager', body, headers);
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal(response.json.error, 'unauthorized');
    }
    assert.equal(await jobCount(server), 0);
  });

  it('answers 413 above 1 MB and stores nothing', async () => {
    const server = await startIntakeServer({ backend });
    const big = alertmanagerBody([{ name: 'Big', labels: { padding: 'x'.repeat(1_000_001) } }]);
    const response = await server.post('alertmanager', big);
    assert.equal(response.status, 413);
    assert.equal(response.json.error, 'too_large');
    // Without a content-length (chunked): the limit holds while streaming too.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.base}/alerts/generic`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(`${'{"title": "'.repeat(i === 0 ? 1 : 0)}${'y'.repeat(100_000)}`);
      req.end('"}');
    });
    assert.equal(chunked, 413);
    assert.equal(await jobCount(server), 0);
  });

  it('answers 400 naming the JSON path of the first problem, and stores nothing', async () => {
    const server = await startIntakeServer({ backend });
    const cases: Array<[string, unknown, string]> = [
      ['alertmanager', '{"alerts": [{"labels": {"a": 1}}]}', '$.alerts[0].labels.a'],
      ['alertmanager', '{"alerts": []}', '$.alerts'],
      ['alertmanager', '{"alerts": [{"status": "firing", "labels": {"x": }]}', '$.alerts[0].labels.x'],
      ['grafana', { alerts: [{ status: 'pending' }] }, '$.alerts[0].status'],
      ['generic', { title: 'x', startsAt: 'last tuesday' }, '$.startsAt'],
      ['generic', { alerts: [{ title: 'ok' }, { severity: 'p1' }] }, '$.alerts[1].title'],
      ['generic', '', '$'],
      ['pagerduty', { event: { event_type: 'incident.triggered', data: { title: 'no id' } } }, '$.event.data.id'],
      ['pagerduty', { event: {} }, '$.event.event_type'],
    ];
    for (const [source, body, path] of cases) {
      const response = await server.post(source, body);
      assert.equal(response.status, 400, `${source} ${JSON.stringify(body)}`);
      assert.equal(response.json.path, path, `${source} ${JSON.stringify(body)}: ${String(response.json.message)}`);
      assert.match(String(response.json.message), new RegExp(path.replace(/[$[\].]/g, '\\$&')));
    }
    assert.equal(await jobCount(server), 0);
  });

  it('tolerates unknown fields', async () => {
    const server = await startIntakeServer({ backend });
    const body = { ...alertmanagerBody([{ name: 'X' }]), truncatedAlerts: 0, somethingNew: { nested: [1, 2] } };
    (body.alerts[0] as Record<string, unknown>).extra = 'field';
    assert.equal((await server.post('alertmanager', body)).status, 202);
    assert.equal((await server.post('generic', { title: 'disk full', runbook: 'https://x', team: { name: 'db' } })).status, 202);
  });

  it('accepts Grafana and generic alerts and keeps their links', async () => {
    const server = await startIntakeServer({ backend });
    const grafana = {
      receiver: 'pitcrew', status: 'firing', orgId: 1, groupKey: '{}/{}:{alertname="CPU"}', title: '[FIRING:1] CPU', state: 'alerting', message: '…',
      alerts: [{ status: 'firing', labels: { alertname: 'CPU', grafana_folder: 'infra' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z', fingerprint: 'g1', values: { B: 93.5 }, valueString: '[ var=\'B\' value=93.5 ]', dashboardURL: 'http://grafana/d/1', panelURL: 'http://grafana/d/1?viewPanel=2', silenceURL: 'http://grafana/silence' }],
    };
    assert.equal((await server.post('grafana', grafana)).status, 202);
    assert.equal((await server.post('generic', { alerts: [{ title: 'Queue backlog', service: 'worker', severity: 'sev2', fingerprint: 'q1', links: [{ title: 'runbook', url: 'http://rb' }] }] })).status, 202);
    await server.service.intake.drain();
    const repo = new IncidentRepo(server.service.store.db);
    const incidents = await repo.list();
    assert.deepEqual(incidents.map((i) => [i.source, i.severity, i.service]).sort(), [['generic', 'high', 'worker'], ['grafana', 'unknown', null]]);
    const grafanaAlert = (await repo.alerts(incidents.find((i) => i.source === 'grafana')!.id))[0]!;
    assert.deepEqual(grafanaAlert.signal.links.map((l) => l.title), ['dashboard', 'panel', 'silence']);
  });

  it('verifies PagerDuty signatures, including several during a secret rotation', async () => {
    const secret = 'pd-secret-new';
    const server = await startIntakeServer({ backend, env: { PAGERDUTY_WEBHOOK_SECRET: secret, PITCREW_ALERT_TOKEN: TOKEN } });
    const raw = JSON.stringify(pagerDutyEvent('incident.triggered'));
    const good = signPagerDutyBody(raw, secret);
    const old = signPagerDutyBody(raw, 'pd-secret-old');
    assert.equal((await server.post('pagerduty', raw, { 'x-pagerduty-signature': good })).status, 202, 'a valid signature needs no bearer token');
    assert.equal((await server.post('pagerduty', raw, { 'x-pagerduty-signature': `${old},${good}` })).status, 202);
    assert.equal((await server.post('pagerduty', raw, { 'x-pagerduty-signature': `${good.toUpperCase().replace('V1=', 'v1=')}` })).status, 202, 'hex case does not matter');
    for (const signature of [old, '', 'v1=', `v0=${good.slice(3)}`, `${good}00`, 'v1=zz']) {
      const response = await server.post('pagerduty', raw, { 'x-pagerduty-signature': signature, ...AUTH });
      assert.equal(response.status, 401, signature);
    }
    const tampered = raw.replace('Checkout', 'Checkin');
    assert.equal((await server.post('pagerduty', tampered, { 'x-pagerduty-signature': good })).status, 401);
    assert.equal(await jobCount(server), 3);
  });

  it('turns PagerDuty trigger and resolve into an incident that resolves; pings are acked, not stored', async () => {
    const server = await startIntakeServer({ backend });
    assert.equal((await server.post('pagerduty', pagerDutyEvent('incident.triggered'))).status, 202);
    assert.equal((await server.post('pagerduty', pagerDutyEvent('incident.acknowledged', 'acknowledged'))).status, 202);
    const ping = await server.post('pagerduty', { event: { id: 'x', event_type: 'pagey.ping', resource_type: 'pagey', occurred_at: '2026-01-01T10:00:00Z', data: { message: 'Hello from your friend Pagey!', type: 'ping' } } });
    assert.deepEqual([ping.status, ping.json.status], [200, 'ignored']);
    assert.equal((await server.post('pagerduty', pagerDutyEvent('incident.annotated'))).status, 200);
    assert.equal(await jobCount(server), 2);
    await server.service.intake.drain();
    assert.equal((await server.post('pagerduty', pagerDutyEvent('incident.resolved', 'resolved'))).status, 202);
    await server.service.intake.drain();
    const [incident] = await new IncidentRepo(server.service.store.db).list();
    assert.deepEqual([incident?.state, incident?.severity, incident?.service, incident?.title], ['resolved', 'critical', 'checkout', 'Checkout latency above SLO']);
  });

  it('counts requests and alerts by source and outcome, and exposes queue depth', async () => {
    const server = await startIntakeServer({ backend });
    await server.post('alertmanager', alertmanagerBody([{ name: 'A' }, { name: 'B' }]));
    await server.post('generic', '{');
    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    assert.match(metrics, /pitcrew_alerts_received_total\{source="alertmanager",outcome="accepted"\} 2/);
    assert.match(metrics, /pitcrew_alert_requests_total\{source="generic",outcome="invalid_json"\} 1/);
    assert.match(metrics, /pitcrew_queue_jobs\{queue="alerts",state="pending"\} \d+/);
    assert.match(metrics, /pitcrew_queue_jobs\{queue="alerts",state="dead"\} 0/);
    assert.match(metrics, /pitcrew_queue_oldest_pending_age_seconds\{queue="alerts"\} [\d.]+/);
  });
});
