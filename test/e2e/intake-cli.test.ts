import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Incident, IncidentEvent } from '../../src/domain/incident.js';
import { openStore } from '../../src/store/store.js';
import { alertmanagerBody } from '../support/intake.js';
import { repoRoot, runCli } from '../support/processes.js';
import { startServe } from '../support/serve.js';
import { tempDir } from '../support/tmp.js';

async function post(base: string, source: string, body: unknown): Promise<number> {
  const response = await fetch(`${base}/alerts/${source}`, { method: 'POST', body: JSON.stringify(body) });
  await response.body?.cancel();
  return response.status;
}

async function incidentsJson(cwd: string): Promise<Incident[]> {
  const { code, output } = await runCli(['incidents', '--json'], { cwd });
  assert.equal(code, 0, output);
  return JSON.parse(output) as Incident[];
}

describe('incident CLI against a running service', () => {
  it('lists incidents, shows one with its timeline, and moves it forward', async () => {
    const cwd = tempDir();
    const { serve, base } = await startServe(cwd);
    after(() => void serve.child.kill('SIGKILL'));
    assert.equal(await post(base, 'alertmanager', alertmanagerBody([{ name: 'HighErrorRate', fingerprint: 'e1' }, { name: 'HighErrorRate', fingerprint: 'e2', labels: { pod: 'b' } }], 'errors')), 202);
    assert.equal(await post(base, 'generic', { title: 'Queue backlog growing', service: 'worker', severity: 'warning' }), 202);
    let incidents: Incident[] = [];
    for (let i = 0; i < 50 && incidents.length < 2; i++) {
      incidents = await incidentsJson(cwd);
      if (incidents.length < 2) await sleep(100);
    }
    assert.deepEqual(incidents.map((i) => [i.number, i.source, i.alertsTotal]), [[2, 'generic', 1], [1, 'alertmanager', 2]]);

    const table = await runCli(['incidents'], { cwd });
    assert.match(table.output, /^#\s+STATE\s+SEVERITY/m);
    assert.match(table.output, /^1\s+open\s+critical\s+checkout\s+2\/2\s+.*HighErrorRate/m);

    const ack = await runCli(['incident', '1', '--set', 'acknowledged', '--by', 'alice'], { cwd });
    assert.equal(ack.code, 0, ack.output);
    assert.match(ack.output, /incident #1 is now acknowledged/);
    assert.match(ack.output, /acknowledged\s+\d{4}-\d\d-\d\d .*\(MTTA/);
    assert.match(ack.output, /Alerts \(2 firing of 2\)/);
    assert.match(ack.output, /Timeline[\s\S]*opened[\s\S]*alert added[\s\S]*acknowledged\s+open → acknowledged\s+by alice/);

    const back = await runCli(['incident', '1', '--set', 'acknowledged'], { cwd });
    assert.equal(back.code, 1);
    assert.match(back.output, /Incident #1 is acknowledged; it cannot move to acknowledged/);

    const shown = await runCli(['incident', '#1', '--json'], { cwd });
    const detail = JSON.parse(shown.output) as { incident: Incident; timeline: IncidentEvent[]; mttaMs: number };
    assert.equal(detail.incident.state, 'acknowledged');
    assert.equal(detail.timeline.at(-1)?.actor, 'alice');
    assert.ok(detail.mttaMs >= 0);

    const missing = await runCli(['incident', '42'], { cwd });
    assert.equal(missing.code, 1);
    assert.match(missing.output, /No incident "42"[\s\S]*pitcrew incidents/);

    serve.child.kill('SIGTERM');
    assert.equal((await serve.exited).code, 0);
  });

  it('lists dead letters and replays them, while the service runs', async () => {
    const cwd = tempDir();
    const { serve } = await startServe(cwd);
    after(() => void serve.child.kill('SIGKILL'));
    // A dead letter whose cause has passed (a valid body), and one that cannot succeed (not JSON).
    const store = await openStore({ kind: 'sqlite', file: join(cwd, '.pitcrew', 'pitcrew.db') });
    after(() => store.close());
    const now = Date.now();
    const row = (id: string, body: string) => ({
      id, queue: 'alerts', payload: JSON.stringify({ source: 'alertmanager', body, receivedAt: now }), state: 'dead' as const, attempts: 10, max_attempts: 10,
      run_after: now, locked_by: null, locked_until: null, last_error: 'SQLITE_FULL: database or disk is full', seq: now * 1_000 + (id === good ? 0 : 1), created_at: now, updated_at: now, completed_at: null,
    });
    const good = randomUUID();
    const bad = randomUUID();
    await store.db.insertInto('jobs').values([row(good, JSON.stringify(alertmanagerBody([{ name: 'Recovered', fingerprint: 'r1' }], 'rec'))), row(bad, 'not json')]).execute();

    const doctor = await runCli(['doctor'], { cwd, env: { CHROMA_URL: 'http://127.0.0.1:9' } });
    assert.match(doctor.output, /! inbox +0 waiting, 2 dead\n\s+→ Run `pitcrew dead-letters`/);

    const listed = await runCli(['dead-letters'], { cwd });
    assert.equal(listed.code, 0);
    assert.match(listed.output, /2 dead letters/);
    assert.match(listed.output, new RegExp(`${good}[\\s\\S]*alertmanager alert request[\\s\\S]*SQLITE_FULL`));

    const one = await runCli(['dead-letters', '--replay', good.slice(0, 8), '--json'], { cwd });
    assert.equal(one.code, 0, one.output);
    assert.deepEqual((JSON.parse(one.output) as Array<{ id: string; state: string; outcome: string }>).map((r) => [r.id, r.state, r.outcome]), [[good, 'completed', 'completed']]);
    assert.equal((await incidentsJson(cwd))[0]?.title, 'Recovered: Recovered is happening');

    const rest = await runCli(['dead-letters', '--replay'], { cwd });
    assert.equal(rest.code, 1, 'a replay that fails again says so');
    assert.match(rest.output, /stored body is not JSON/);
    const after2 = await runCli(['dead-letters', '--json'], { cwd });
    assert.deepEqual((JSON.parse(after2.output) as Array<{ id: string }>).map((r) => r.id), [bad]);

    const none = await runCli(['dead-letters', '--replay', 'ffffffff'], { cwd });
    assert.equal(none.code, 1);
    assert.match(none.output, /No dead letter matches ffffffff/);
  });

  it('triages a saved payload offline and prints the intake result', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'alert.json');
    writeFileSync(file, JSON.stringify(alertmanagerBody([{ name: 'HighErrorRate', fingerprint: 'a' }, { name: 'HighErrorRate', fingerprint: 'b' }, { name: 'HighErrorRate', fingerprint: 'a' }], 'errors')));
    const human = await runCli(['triage', file], { cwd });
    assert.equal(human.code, 0, human.output);
    assert.match(human.output, /1\. intake\n\s+source\s+alertmanager \(guessed/);
    assert.match(human.output, /opens incident #1[\s\S]*joins incident #1[\s\S]*duplicate of an alert already in incident #1 \(dropped\)/);
    assert.match(human.output, /2\. retrieve/);
    assert.match(human.output, /no runbooks indexed: No runbook directory found/, 'a missing runbook directory is said, not fatal');
    const json = JSON.parse((await runCli(['triage', file, '--json'], { cwd })).stdout) as { intake: { incidents: unknown[]; outcomes: Array<{ result: string }> } };
    assert.deepEqual(json.intake.outcomes.map((o) => o.result), ['new_incident', 'joined', 'duplicate']);
    assert.equal(json.intake.incidents.length, 1);

    const bad = await runCli(['triage', join(repoRoot, 'package.json'), '--source', 'alertmanager'], { cwd });
    assert.equal(bad.code, 1);
    assert.match(bad.output, /package\.json is not a valid alertmanager payload: \$\.alerts: /);
  });
});
