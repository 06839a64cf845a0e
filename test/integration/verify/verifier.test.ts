import assert from 'node:assert/strict';
import { it } from 'node:test';
import { readMergedChange } from '../../../src/adapters/github/merged-change-reader.js';
import { manualClock } from '../../../src/domain/clock.js';
import type { ExecutionRecord } from '../../../src/domain/execution.js';
import { DEFAULT_INCIDENT_POLICY } from '../../../src/domain/incident.js';
import { readPlanFile } from '../../../src/gitops/plan-file.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { intakeEvent } from '../../../src/pipeline/intake.js';
import type { IncidentMemoryRecord } from '../../../src/pipeline/verify/verify-notes.js';
import { Verifier } from '../../../src/pipeline/verify/verifier.js';
import { IncidentRepo } from '../../../src/store/incident-repo.js';
import { JobQueue } from '../../../src/store/queue/job-queue.js';
import { LocalNotifier } from '../../../src/store/queue/notifier.js';
import type { Store } from '../../../src/store/store.js';
import { VerificationRepo } from '../../../src/store/verification-repo.js';
import { describeOnBackends, freshStore, type BackendName } from '../../support/databases.js';
import { alertPlan, DEPLOYMENT_YAML } from '../../support/github.js';
import { REPO, pitcrewOnFake, type PitcrewOnFake } from '../../support/github-app.js';
import { alertmanagerBody } from '../../support/intake.js';
import { recordingChat } from '../../support/recording-chat.js';

const FINGERPRINT = 'a1b2c3d4e5f60718';
const START = Date.UTC(2026, 0, 1, 12);

function alert(status: 'firing' | 'resolved') {
  return JSON.stringify(alertmanagerBody([{ name: 'HighErrorRate', fingerprint: FINGERPRINT, status, labels: { service: 'checkout-api' }, ...(status === 'resolved' ? { endsAt: '2026-01-01T12:20:00Z' } : {}) }], '{}:{alertname="HighErrorRate"}'));
}

interface World {
  env: PitcrewOnFake;
  store: Store;
  clock: ReturnType<typeof manualClock>;
  chat: ReturnType<typeof recordingChat>;
  memory: IncidentMemoryRecord[];
  /** Outcomes told to metrics, across every verifier of the world. */
  observed: string[];
  incidentId: string;
  record: ExecutionRecord;
  newVerifier(): { verifier: Verifier; jobs: JobQueue };
  sendAlert(status: 'firing' | 'resolved'): Promise<void>;
}

/**
 * An incident from a real Alertmanager body, its fix PR proposed, approved and
 * merged in the GitHub fake, and the record the execute stage would hand over.
 */
async function world(backend: BackendName): Promise<World> {
  const env = await pitcrewOnFake();
  const store = await freshStore(backend);
  const clock = manualClock(START);
  const chat = recordingChat();
  const memory: IncidentMemoryRecord[] = [];
  const observed: string[] = [];
  const verifiers: Verifier[] = [];
  const newVerifier = () => {
    const jobs = new JobQueue(store, clock, new LocalNotifier());
    const verifier = new Verifier({
      store, clock, log: silentLogger(), chat,
      readMergedChange: async (repo, sha, planId) => readMergedChange(await env.github.forge.client(repo), sha, planId),
      propose: (request) => env.github.forge.propose(request),
      remember: async (record) => {
        memory.push(record);
      },
      observe: (outcome) => observed.push(outcome),
    });
    verifier.start(jobs);
    verifiers.push(verifier);
    return { verifier, jobs };
  };
  let verifier: Verifier | undefined;
  const sendAlert = async (status: 'firing' | 'resolved') => {
    const result = await store.writeTransaction((trx) => intakeEvent(trx, { source: 'alertmanager', body: alert(status), receivedAt: clock.now() }, { policy: DEFAULT_INCIDENT_POLICY, clock }));
    for (const change of result.changes) await verifier?.onIncidentChange(change);
  };
  await sendAlert('firing');
  const [incident] = await new IncidentRepo(store.db).list();
  const plan = alertPlan({ incidentId: incident!.id });
  const proposed = await env.github.forge.propose({ repo: REPO, plan });
  assert.equal(proposed.status, 'opened');
  if (proposed.status !== 'opened') throw new Error('not opened');
  await env.fake.as('carol').approve(REPO, proposed.number);
  await env.fake.as('bob').merge(REPO, proposed.number);
  const pull = await env.fake.pull(REPO, proposed.number);
  clock.advance(60_000);
  const record: ExecutionRecord = {
    repo: REPO, prNumber: proposed.number, prUrl: pull.html_url, planId: plan.id, planHash: proposed.planHash, incidentId: incident!.id,
    mergeSha: pull.merge_commit_sha!, headSha: proposed.headSha, proposedBy: 'pitcrew[bot]', approvals: [{ login: 'carol', sha: proposed.headSha }],
    mergedBy: 'bob', executedAt: clock.now(), outcome: 'succeeded', reason: null, evidenceDigest: 'sha256:0',
    actions: [
      { index: 0, type: 'kubernetes.rollout_restart', idempotencyKey: `${plan.id}:x:0`, outcome: 'succeeded', detail: 'restarted payments/checkout-api' },
      { index: 1, type: 'gitops.patch', idempotencyKey: `${plan.id}:x:1`, outcome: 'succeeded', detail: 'merge observed' },
    ],
  };
  const w: World = {
    env, store, clock, chat, memory, observed, incidentId: incident!.id, record, sendAlert,
    newVerifier: () => {
      const made = newVerifier();
      verifier = made.verifier;
      return made;
    },
  };
  return w;
}

const stateOf = async (store: Store, record: ExecutionRecord) => (await new VerificationRepo(store.db).get(`${record.planId}@${record.mergeSha}`))?.state;

describeOnBackends('verify: after a successful execution, watch the signal within the plan window', (backend) => {
  it('the alert resolves within the window: incident resolved, summary in memory, thread told, no revert', async () => {
    const w = await world(backend);
    const { verifier } = w.newVerifier();
    await verifier.afterExecution(w.record);
    assert.equal(await stateOf(w.store, w.record), 'watching');
    assert.equal(w.chat.replies.size, 0, 'nothing said while the alert fires');

    w.clock.advance(4 * 60_000);
    await w.sendAlert('resolved');
    assert.equal(await stateOf(w.store, w.record), 'cleared');
    const incident = (await new IncidentRepo(w.store.db).list())[0]!;
    assert.equal(incident.state, 'resolved');

    const reply = w.chat.replies.get(`verify:${w.record.planId}@${w.record.mergeSha}`);
    assert.equal(reply?.reply.kind, 'execution');
    if (reply?.reply.kind !== 'execution') return;
    assert.equal(reply.reply.note.outcome, 'cleared');
    assert.match(reply.reply.note.title, /^Verified: HighErrorRate cleared 4 min after plan_a1 ran$/);
    assert.ok(reply.reply.note.lines.includes(`Incident #${incident.number} resolved.`));

    assert.equal(w.memory.length, 1);
    assert.equal(w.memory[0]!.id, w.incidentId);
    assert.match(w.memory[0]!.text, /Fixed by plan_a1 .*acme\/deploy#1/);
    assert.match(w.memory[0]!.text, /Approved by carol; merged by bob\./);
    assert.equal(w.memory[0]!.metadata.service, 'checkout-api');

    // The deadline passes later: nothing more happens.
    w.clock.advance(60 * 60_000);
    await verifier.drain();
    assert.equal(w.env.fake.pulls(REPO).length, 1, 'no revert PR');
    assert.equal(w.memory.length, 1);
    assert.deepEqual(w.observed, ['cleared']);
    await verifier.stop();
  });

  it('an alert already resolved when the execution reports is verified at once', async () => {
    const w = await world(backend);
    const { verifier } = w.newVerifier();
    await w.sendAlert('resolved');
    await verifier.afterExecution(w.record);
    assert.equal(await stateOf(w.store, w.record), 'cleared');
    await verifier.stop();
  });

  it('the window closes with the alert firing: a revert PR restores the file, through the same propose path, once', async () => {
    const w = await world(backend);
    const { verifier } = w.newVerifier();
    const mainBeforeFix = DEPLOYMENT_YAML;
    await verifier.afterExecution(w.record);
    w.clock.advance(14 * 60_000);
    await verifier.drain();
    assert.equal(w.env.fake.pulls(REPO).length, 1, 'not before the 15-minute window closes');

    w.clock.advance(2 * 60_000);
    await verifier.drain();
    assert.equal(await stateOf(w.store, w.record), 'reverting', JSON.stringify(await new VerificationRepo(w.store.db).list()));
    const pulls = w.env.fake.pulls(REPO);
    assert.equal(pulls.length, 2);
    const revert = pulls.find((pull) => pull.head.startsWith('pitcrew/revert_plan_a1-'))!;
    assert.ok(revert, `a revert branch: ${pulls.map((p) => p.head).join(', ')}`);
    assert.equal(revert.state, 'open');
    assert.deepEqual(revert.labels.sort(), ['pitcrew', 'risk:medium'], 'the gate will ask for the same approvals');
    assert.equal(await w.env.fake.readFile(REPO, 'k8s/checkout-api.yaml', revert.head), mainBeforeFix, 'the file is as it was before the fix');

    const planPath = (await w.env.fake.log(REPO, revert.head, 1))[0]!.message.match(/Changes (\.pitcrew\/plans\/plan_rv[a-z0-9]+\.yaml)/)![1]!;
    const read = readPlanFile(planPath, (await w.env.fake.readFile(REPO, planPath, revert.head))!);
    assert.ok(read.ok);
    if (!read.ok) return;
    assert.equal(read.plan.incidentId, w.incidentId);
    assert.deepEqual(read.plan.actions.map((a) => a.kind), ['gitops.patch', 'notify'], 'the restart cannot be undone in git: a human step');

    const reply = w.chat.replies.get(`verify:${w.record.planId}@${w.record.mergeSha}`);
    assert.equal(reply?.reply.kind === 'execution' && reply.reply.note.outcome, 'reverting');
    assert.match(reply?.reply.kind === 'execution' ? reply.reply.note.title : '', /^Not cleared within 15 min: revert PR #2 opened$/);

    // The alert clears late: the watch is over; no memory record claims the fix worked.
    await w.sendAlert('resolved');
    await verifier.drain();
    assert.equal(w.memory.length, 0);
    assert.equal(w.env.fake.pulls(REPO).length, 2);
    assert.deepEqual(w.observed, ['reverting']);
    await verifier.stop();
  });

  it('the watch survives a restart: a new process opens the revert at the deadline, once', async () => {
    const w = await world(backend);
    const first = w.newVerifier();
    await first.verifier.afterExecution(w.record);
    await first.verifier.afterExecution(w.record);
    await first.verifier.stop();

    w.clock.advance(20 * 60_000);
    const second = w.newVerifier();
    await second.verifier.drain();
    assert.equal(await stateOf(w.store, w.record), 'reverting');
    const third = w.newVerifier();
    await third.verifier.drain();
    assert.equal(w.env.fake.pulls(REPO).filter((pull) => pull.head.startsWith('pitcrew/revert_')).length, 1);
    const jobs = await second.jobs.list({ queue: 'verify-deadlines' });
    assert.equal(jobs.length, 1, 'one deadline job for the repeated hook call');
    assert.deepEqual(w.observed, ['reverting']);
    await second.verifier.stop();
    await third.verifier.stop();
  });

  it('a failed, refused or incident-less execution starts no watch', async () => {
    const w = await world(backend);
    const { verifier } = w.newVerifier();
    await verifier.afterExecution({ ...w.record, outcome: 'failed' });
    await verifier.afterExecution({ ...w.record, outcome: 'refused' });
    await verifier.afterExecution({ ...w.record, incidentId: null });
    assert.deepEqual(await new VerificationRepo(w.store.db).list(), []);
    await verifier.stop();
  });
});
