import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HANDOFF_LABEL, githubIssuePublisher } from '../../../src/adapters/github/handoff-issue.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { assembleHandoff, type HandoffFacts } from '../../../src/pipeline/handoff/build.js';
import { proposalToken } from '../../../src/pipeline/propose/branch.js';
import { FixPullRepo, storeFixPullRecorder } from '../../../src/store/fix-pull-repo.js';
import { freshStore } from '../../support/databases.js';
import { alertPlan } from '../../support/github.js';
import { REPO, pitcrewOnFake } from '../../support/github-app.js';

const links = { slackThread: 'https://acme.slack.com/archives/C0OPS/p1767268800000100', runbooks: [] };

describe('fix-PR lifecycle from GitHub webhooks (GitHub fake, real Probot)', () => {
  it('records a pitcrew PR opened, changes requested, approved, then closed unmerged; ignores other PRs; a redelivery counts once', async () => {
    const store = await freshStore('sqlite');
    const overrides: string[] = [];
    const telemetry = { humanOverride: (kind: string, repo: string) => void overrides.push(`${kind} ${repo}`) };
    const { fake, github } = await pitcrewOnFake({ fixPulls: storeFixPullRecorder(store, Date.now, telemetry) });
    const outcome = await github.forge.propose({ repo: REPO, plan: alertPlan(), links });
    assert.equal(outcome.status, 'opened');
    const number = (outcome as { number: number }).number;
    await fake.settled();
    await fake.as('bob').requestChanges(REPO, number, 'Use 6 replicas, not 8.');
    await fake.settled();

    const repo = new FixPullRepo(store.db);
    const window = { from: 0, to: Date.now() + 60_000 };
    let [fact] = await repo.forHandoff(window);
    assert.equal(fact!.number, number);
    assert.equal(fact!.state, 'open');
    assert.equal(fact!.review, 'changes_requested');
    assert.equal(fact!.changesRequestedBy, 'bob');
    assert.equal(fact!.proposalKey, proposalToken(alertPlan().incidentId!), 'linked to its incident through the proposal marker');

    await fake.as('carol').approve(REPO, number);
    await fake.settled();
    [fact] = await repo.forHandoff(window);
    assert.equal(fact!.review, 'changes_requested', "bob's change request still stands, as on GitHub");
    await fake.as('bob').approve(REPO, number);
    await fake.settled();
    [fact] = await repo.forHandoff(window);
    assert.equal(fact!.review, 'approved', 'once bob approves too');

    // A human PR on a non-pitcrew branch is none of the tracker's business.
    await fake.as('bob').push(REPO, 'feature', { 'notes.md': 'hi\n' });
    await fake.as('bob').openPullRequest(REPO, { title: 'Human change', head: 'feature' });
    await fake.as('alice').close(REPO, number);
    await fake.settled();
    [fact] = await repo.forHandoff(window);
    assert.equal(fact!.state, 'closed');
    assert.equal(fact!.closedBy, 'alice');
    assert.equal((await repo.forHandoff(window)).length, 1, 'only the pitcrew PR is tracked');

    const closed = fake.webhooks.list('pull_request', 'closed');
    assert.equal(closed.length, 1);
    await fake.webhooks.redeliver(closed[0]!.id, { times: 2 });
    await fake.settled();
    assert.deepEqual(await repo.eventCounts(0), { opened: 1, reopened: 0, merged: 0, closed_unmerged: 1, approved: 2, changes_requested: 1 });
    assert.deepEqual(await repo.counts(), { open: 0, awaitingReview: 0, changesRequested: 0, approved: 0, merged: 0, closedUnmerged: 1 });
    assert.deepEqual(overrides, [`changes_requested ${REPO}`, `pr_closed_unmerged ${REPO}`], 'each human override counts once in the metrics, redeliveries not again');
  });
});

describe('handoff filed as a GitHub issue', () => {
  function handoff(title: string) {
    const facts: HandoffFacts = {
      open: [{ id: 'i1', number: 3, title, severity: 'critical', service: null, state: 'open', openedAt: 0, flapping: false, alertsFiring: 1, owner: null }],
      resolved: [], executions: { connected: false, items: [] }, pulls: [], alertEvents: [], ciOutcomes: [],
      pause: { paused: false, by: null, at: null, reason: null }, breaker: { state: 'unknown', since: null, reason: null },
    };
    return assembleHandoff(facts, { from: Date.parse('2026-03-08T06:00Z'), to: Date.parse('2026-03-08T18:00Z') }, Date.parse('2026-03-08T18:00Z'));
  }

  it('files one labelled issue per shift, with untrusted text inert (no mentions, no links); filing the same shift again does nothing', async () => {
    const { fake, github } = await pitcrewOnFake();
    const publisher = githubIssuePublisher({ forge: github.forge, repo: REPO, timeZone: 'UTC', dryRun: false, log: silentLogger() });
    const first = await publisher.publish(handoff('DiskFull @acme/sre see [here](https://evil.example) #1'), { channel: null });
    assert.match(first.ref ?? '', /\/acme\/deploy\/issues\/\d+$/);
    const second = await publisher.publish(handoff('DiskFull @acme/sre see [here](https://evil.example) #1'), { channel: null });
    assert.equal(second.ref, first.ref);

    const issues = await fake.as('alice').request<Array<{ title: string; body: string; labels: Array<{ name: string }>; pull_request?: unknown }>>('GET', `/repos/${REPO}/issues?state=all&labels=${HANDOFF_LABEL}`);
    assert.equal(issues.length, 1);
    const [issue] = issues;
    assert.equal(issue!.title, 'On-call handoff 2026-03-08 06:00 UTC → 2026-03-08 18:00 UTC');
    assert.deepEqual(issue!.labels.map((l) => l.name), [HANDOFF_LABEL]);
    assert.match(issue!.body, /^# On-call handoff: /);
    assert.doesNotMatch(issue!.body, /@acme\/sre/, 'no mention');
    assert.doesNotMatch(issue!.body, /\]\(https:\/\/evil/, 'no link');
    assert.match(issue!.body, /Not tracked: the execution journal is not connected/);
  });

  it('in dry run it only logs', async () => {
    const { fake, github } = await pitcrewOnFake();
    const publisher = githubIssuePublisher({ forge: github.forge, repo: REPO, timeZone: 'UTC', dryRun: true, log: silentLogger() });
    assert.deepEqual(await publisher.publish(handoff('x'), { channel: null }), { ref: null });
    const issues = await fake.as('alice').request<unknown[]>('GET', `/repos/${REPO}/issues?state=all`);
    assert.equal(issues.length, 0);
  });
});
