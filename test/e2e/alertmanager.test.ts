import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Incident } from '../../src/domain/incident.js';
import { IncidentRepo } from '../../src/store/incident-repo.js';
import { openStore } from '../../src/store/store.js';
import { ALERTMANAGER_MISSING, alertmanagerBinary, startAlertmanager } from '../support/alertmanager.js';
import { runCli } from '../support/processes.js';
import { startServe } from '../support/serve.js';
import { tempDir } from '../support/tmp.js';

const TOKEN = 'e2e-alert-token-0123456789';

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('real Alertmanager → pitcrew', { skip: alertmanagerBinary() ? false : ALERTMANAGER_MISSING }, () => {
  it('opens one incident when Alertmanager fires, and resolves it when Alertmanager resolves', async () => {
    const cwd = tempDir();
    const { serve, base } = await startServe(cwd, { PITCREW_ALERT_TOKEN: TOKEN });
    const am = await startAlertmanager({ webhookUrl: `${base}/alerts/alertmanager`, token: TOKEN });
    const store = await openStore({ kind: 'sqlite', file: join(cwd, '.pitcrew', 'pitcrew.db') });
    after(() => store.close());
    const repo = new IncidentRepo(store.db);

    const labels = { alertname: 'DiskAlmostFull', severity: 'critical', service: 'postgres', instance: 'db-1:9100' };
    const alert = { labels, annotations: { summary: 'Disk /var/lib/postgresql is 97% full', runbook_url: 'https://runbooks.example/disk' }, generatorURL: 'http://prometheus.example/graph?g0.expr=disk' };
    assert.equal(await am.postAlerts([{ ...alert, startsAt: new Date().toISOString() }]), 200);

    const opened = await waitFor<Incident>('the incident to open', async () => (await repo.list())[0]);
    assert.equal(opened.state, 'open');
    assert.equal(opened.severity, 'critical');
    assert.equal(opened.service, 'postgres');
    assert.match(opened.groupKey, /DiskAlmostFull/);
    const [alertRow] = await repo.alerts(opened.id);
    assert.ok(alertRow!.signal.links.some((link) => link.title === 'runbook' && link.url === 'https://runbooks.example/disk'));

    // Alertmanager re-sends the group while it is firing; posting the alert again must not open another incident.
    assert.equal(await am.postAlerts([{ ...alert, startsAt: new Date().toISOString() }]), 200);
    await sleep(2_500);
    assert.equal(await repo.count(), 1);

    // Resolve: the same alert with endsAt in the past.
    assert.equal(await am.postAlerts([{ ...alert, endsAt: new Date(Date.now() - 1_000).toISOString() }]), 200);
    const resolved = await waitFor('the incident to resolve', async () => {
      const incident = await repo.find(String(opened.number));
      return incident?.state === 'resolved' ? incident : undefined;
    });
    assert.equal(resolved.alertsFiring, 0);
    assert.equal(await repo.count(), 1, 'still exactly one incident');
    const kinds = (await repo.timeline(opened.id)).map((event) => event.kind);
    assert.deepEqual(kinds, ['opened', 'alert_added', 'alert_resolved', 'resolved']);

    // The CLI reads the same SQLite file while the service runs.
    const cli = await runCli(['incident', String(opened.number), '--json'], { cwd });
    assert.equal(cli.code, 0, cli.output);
    const shown = JSON.parse(cli.output) as { incident: Incident; mttrMs: number };
    assert.equal(shown.incident.state, 'resolved');
    assert.ok(shown.mttrMs > 0);

    serve.child.kill('SIGTERM');
    assert.equal((await serve.exited).code, 0);
  });
});
