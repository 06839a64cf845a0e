import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import type { IncidentChange } from '../../../src/domain/incident-change.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { createPromTelemetry } from '../../../src/ops/prom-telemetry.js';
import { createRedactor } from '../../../src/ops/redaction/redactor.js';
import { silentLogger } from '../../../src/ops/logger.js';
import type { Forge } from '../../../src/pipeline/ports/forge.js';
import { IncidentResponder } from '../../../src/pipeline/respond.js';
import { loadPolicy } from '../../../src/planner/policy-file.js';
import { DecisionRepo } from '../../../src/store/decision-repo.js';
import { freshStore } from '../../support/databases.js';
import type { alertmanagerBody} from '../../support/intake.js';
import { startIntakeServer } from '../../support/intake.js';
import { startTestChroma, testKnowledge } from '../../support/knowledge.js';
import { repoRoot } from '../../support/processes.js';
import { metricValue as series } from '../../support/metrics.js';
import { recordingChat } from '../../support/recording-chat.js';


async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('/metrics on the running service follows incidents', () => {
  let chroma: Awaited<ReturnType<typeof startTestChroma>>;
  before(async () => {
    chroma = await startTestChroma();
  });
  after(() => chroma.stop());

  it('counts the plan and its signal → plan latency when an alert opens an incident, and MTTR when it resolves', async () => {
    const server = await startIntakeServer({
      env: { CHROMA_URL: chroma.url, PITCREW_RUNBOOK_DIRS: join(repoRoot, 'runbooks'), PITCREW_POLICY_FILE: join(repoRoot, 'docs', 'policy.example.yml') },
      chat: recordingChat(),
    });
    const scrape = async () => (await fetch(`${server.base}/metrics`)).text();
    const before = await scrape();
    assert.equal(series(before, 'pitcrew_plans_total', { planner: 'deterministic' }), 0);
    assert.equal(series(before, 'pitcrew_queue_jobs', { queue: 'alerts', state: 'pending' }), 0, 'queue depth is exported at 0');

    const firing = JSON.parse(readFileSync(join(repoRoot, 'examples', 'alerts', 'crash-looping-pod.json'), 'utf8')) as ReturnType<typeof alertmanagerBody>;
    assert.equal((await server.post('alertmanager', firing)).status, 202);
    const planned = await until('a plan on /metrics', async () => {
      const text = await scrape();
      return series(text, 'pitcrew_plans_total', { planner: 'deterministic' }) === 1 ? text : undefined;
    });
    assert.equal(series(planned, 'pitcrew_decision_latency_seconds_count', { stage: 'signal_to_plan' }), 1);
    assert.equal(series(planned, 'pitcrew_llm_tokens_total', { direction: 'input' }), 0, 'the deterministic planner spends no tokens');
    assert.equal(series(planned, 'pitcrew_incident_resolution_seconds_count', { remediation: 'none' }), 0);

    const resolved = { ...firing, status: 'resolved', alerts: firing.alerts.map((alert) => ({ ...alert, status: 'resolved', endsAt: new Date().toISOString() })) };
    assert.equal((await server.post('alertmanager', resolved)).status, 202);
    const after = await until('MTTR on /metrics', async () => {
      const text = await scrape();
      return series(text, 'pitcrew_incident_resolution_seconds_count', { remediation: 'none' }) === 1 ? text : undefined;
    });
    assert.ok(series(after, 'pitcrew_incident_resolution_seconds_sum', { remediation: 'none' }) >= 0);
    assert.equal(series(after, 'pitcrew_incident_resolution_seconds_count', { remediation: 'pitcrew' }), 0, 'nothing was executed for it');
  });

  it('counts plan → PR latency when the responder opens a fix PR, once per decision on redelivery', async () => {
    const store = await freshStore('sqlite');
    const knowledge = await testKnowledge(chroma.url, [join(repoRoot, 'runbooks')]);
    await knowledge.indexRunbooks();
    const metrics = createMetrics({ defaultMetrics: false });
    const telemetry = createPromTelemetry(metrics);
    const clock = manualClock(1_000_000);
    const forge = {
      propose: async () => {
        clock.advance(3_000); // the PR takes 3 s to open
        return { status: 'opened', number: 7, url: 'https://forge.example/pr/7', branch: 'pitcrew/x', headSha: 'abc', planHash: 'h', risk: 'medium' };
      },
    } as unknown as Forge;
    const responder = new IncidentResponder({
      retriever: async () => knowledge.retriever,
      planner: { policy: loadPolicy(join(repoRoot, 'docs', 'policy.example.yml')), redactor: createRedactor(), clock },
      decisions: new DecisionRepo(store.db),
      chat: recordingChat(),
      forge,
      autoPropose: true,
      defaultRepo: 'acme/platform-gitops',
      signalsOf: async () => [],
      log: silentLogger(),
      telemetry,
      now: () => clock.now(),
    });
    const body = JSON.parse(readFileSync(join(repoRoot, 'examples', 'alerts', 'oomkilled-container.json'), 'utf8')) as { alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> };
    const alert = body.alerts[0]!;
    const change: IncidentChange = {
      id: 'inc_oom:1', kind: 'opened', notify: true, at: clock.now() - 2_000, events: [],
      incident: { id: 'inc_oom', number: 1, groupKey: 'g', title: 'OOM', severity: 'warning', service: null, source: 'alertmanager', state: 'open', openedAt: clock.now() - 2_000, acknowledgedAt: null, mitigatingAt: null, resolvedAt: null, reopenedCount: 0, lastSignalAt: 0, flapping: false, flappingSince: null, alertsTotal: 1, alertsFiring: 1, updatedAt: 0 },
      signals: [{ source: 'alertmanager', fingerprint: 'fp-oom', status: 'firing', alertname: alert.labels.alertname, severity: 'warning', labels: alert.labels, annotations: alert.annotations, summary: alert.annotations.summary!, links: [] }],
    };
    await responder.onIncidentChange(change);
    await responder.onIncidentChange(change); // redelivered
    const text = await metrics.registry.metrics();
    assert.equal(series(text, 'pitcrew_plans_total', { planner: 'deterministic' }), 1, 'planned once');
    assert.equal(series(text, 'pitcrew_decision_latency_seconds_sum', { stage: 'signal_to_plan' }), 2, 'the change was recorded 2 s before the plan');
    assert.equal(series(text, 'pitcrew_proposals_total', { outcome: 'opened' }), 2, 'the responder asked the forge twice (the forge is idempotent)');
    assert.equal(series(text, 'pitcrew_decision_latency_seconds_count', { stage: 'plan_to_pr' }), 2);
    assert.equal(series(text, 'pitcrew_decision_latency_seconds_sum', { stage: 'plan_to_pr' }), 3 + 6, 'each measured from the one recorded plan');
  });
});
