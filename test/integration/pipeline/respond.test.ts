import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import type { IncidentChange } from '../../../src/domain/incident-change.js';
import type { Plan } from '../../../src/domain/plan.js';
import { createRedactor } from '../../../src/ops/redaction/redactor.js';
import { silentLogger } from '../../../src/ops/logger.js';
import type { Forge, ProposeRequest } from '../../../src/pipeline/ports/forge.js';
import { IncidentResponder } from '../../../src/pipeline/respond.js';
import { loadPolicy } from '../../../src/planner/policy-file.js';
import { DecisionRepo } from '../../../src/store/decision-repo.js';
import { IncidentRepo } from '../../../src/store/incident-repo.js';
import { freshStore } from '../../support/databases.js';
import { startIntakeServer } from '../../support/intake.js';
import { startTestChroma, testKnowledge } from '../../support/knowledge.js';
import { repoRoot } from '../../support/processes.js';
import { recordingChat } from '../../support/recording-chat.js';

const example = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'examples', 'alerts', `${name}.json`), 'utf8')) as unknown;

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the running service responds to a new incident', () => {
  let chroma: Awaited<ReturnType<typeof startTestChroma>>;
  before(async () => {
    chroma = await startTestChroma();
  });
  after(() => chroma.stop());

  it('shows the incident in chat, retrieves its runbook, plans, and records the decision', async () => {
    const chat = recordingChat();
    const server = await startIntakeServer({
      env: { CHROMA_URL: chroma.url, PITCREW_RUNBOOK_DIRS: join(repoRoot, 'runbooks'), PITCREW_POLICY_FILE: join(repoRoot, 'docs', 'policy.example.yml') },
      chat,
    });
    assert.equal((await server.post('alertmanager', example('crash-looping-pod'))).status, 202);

    const planReply = await until('the plan reply', () => [...chat.replies.values()].find((r) => r.reply.kind === 'plan'));
    const incident = chat.roots.get(planReply.incidentId)!;
    assert.equal(incident.title.includes('KubePodCrashLooping') || incident.title.includes('crash'), true, incident.title);
    const retrieval = [...chat.replies.values()].find((r) => r.reply.kind === 'retrieval')!.reply;
    assert.equal(retrieval.kind === 'retrieval' && retrieval.retrieval.runbooks[0]?.path, 'kubernetes/crash-looping-pod.md');
    const plan = planReply.reply.kind === 'plan' ? planReply.reply.plan : undefined;
    assert.deepEqual(plan?.actions.map((a) => a.kind), ['notify', 'kubernetes.rollout_restart']);
    assert.equal(plan?.incidentId, incident.id);

    const decision = await new DecisionRepo(server.service.store.db).latestForIncident(incident.id);
    assert.equal(decision?.planId, plan?.id);
    // GitHub is off: the plan stays in the thread, nothing is proposed.
    assert.equal([...chat.replies.values()].some((r) => r.reply.kind === 'proposal'), false);
  });
});

describe('IncidentResponder', () => {
  let chroma: Awaited<ReturnType<typeof startTestChroma>>;
  before(async () => {
    chroma = await startTestChroma();
  });
  after(() => chroma.stop());

  async function setup() {
    const store = await freshStore('sqlite');
    const knowledge = await testKnowledge(chroma.url, [join(repoRoot, 'runbooks')]);
    await knowledge.indexRunbooks();
    const chat = recordingChat();
    const proposals: ProposeRequest[] = [];
    const forge = { propose: async (request: ProposeRequest) => (proposals.push(request), { status: 'opened', number: 7, url: 'https://forge.example/pr/7', branch: 'pitcrew/x', headSha: 'abc', planHash: 'h', risk: 'medium' }) } as unknown as Forge;
    const decisions = new DecisionRepo(store.db);
    const responder = new IncidentResponder({
      retriever: async () => knowledge.retriever,
      planner: { policy: loadPolicy(join(repoRoot, 'docs', 'policy.example.yml')), redactor: createRedactor(), clock: manualClock() },
      decisions,
      chat,
      forge,
      autoPropose: true,
      defaultRepo: 'acme/platform-gitops',
      signalsOf: async (id) => (await new IncidentRepo(store.db).alerts(id)).map((a) => a.signal),
      log: silentLogger(),
    });
    return { responder, chat, proposals, decisions, store };
  }

  function change(name: string, overrides: Partial<IncidentChange> = {}): IncidentChange {
    const body = example(name) as { alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> };
    const alert = body.alerts[0]!;
    const incident = { id: `inc_${name}`, number: 1, groupKey: 'g', title: alert.labels.alertname!, severity: 'warning', service: null, source: 'alertmanager', state: 'open', openedAt: 0, acknowledgedAt: null, mitigatingAt: null, resolvedAt: null, reopenedCount: 0, lastSignalAt: 0, flapping: false, flappingSince: null, alertsTotal: 1, alertsFiring: 1, updatedAt: 0 } as const;
    const signal = { source: 'alertmanager' as const, fingerprint: `fp-${name}`, status: 'firing' as const, alertname: alert.labels.alertname, severity: 'warning' as const, labels: alert.labels, annotations: alert.annotations, summary: alert.annotations.summary!, description: alert.annotations.description, links: [] };
    return { id: `inc_${name}:1`, kind: 'opened', notify: true, at: 0, incident: { ...incident }, events: [], signals: [signal], ...overrides };
  }

  it('proposes a fix PR in the repository the plan names, once, and reuses the decision on redelivery', async () => {
    const { responder, chat, proposals, decisions } = await setup();
    const opened = change('oomkilled-container');
    await responder.onIncidentChange(opened);
    await responder.onIncidentChange(opened);
    assert.equal(proposals.length, 2, 'proposing is idempotent in the forge (one PR per key); the responder may ask twice');
    assert.equal(proposals[0]!.repo, 'acme/platform-gitops');
    assert.equal(proposals[0]!.key, 'inc_oomkilled-container');
    assert.equal(proposals[0]!.plan.id, proposals[1]!.plan.id, 'the same plan, not a second one');
    assert.equal((await decisions.listRecent(10)).length, 1);
    assert.equal([...chat.replies.keys()].filter((key) => key.startsWith('plan:')).length, 1);
    assert.equal(chat.replies.get('proposal:inc_oomkilled-container')?.reply.kind, 'proposal');
  });

  it('does not plan while the incident is flapping, but still updates the root message', async () => {
    const { responder, chat, decisions } = await setup();
    await responder.onIncidentChange(change('crash-looping-pod', { notify: false }));
    assert.equal(chat.syncs, 1);
    assert.equal((await decisions.listRecent(10)).length, 0);
  });

  it('keeps a human-steps-only plan in the thread and opens no PR', async () => {
    const { responder, chat, proposals } = await setup();
    await responder.onIncidentChange(change('high-error-rate'));
    const planned = [...chat.replies.values()].find((r) => r.reply.kind === 'plan')!.reply as { plan: Plan };
    assert.deepEqual(planned.plan.actions.map((a) => a.kind), ['notify']);
    assert.equal(proposals.length, 0);
  });
});
