import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import { buildHandoff } from '../../../src/pipeline/handoff/build.js';
import { renderHandoffMarkdown } from '../../../src/pipeline/handoff/render-markdown.js';
import { FixPullRepo } from '../../../src/store/fix-pull-repo.js';
import { storeHandoffSources } from '../../../src/store/handoff-sources.js';
import { storedKillSwitch } from '../../../src/store/kill-switch.js';
import { SettingsRepo } from '../../../src/store/settings-repo.js';
import type { Store } from '../../../src/store/store.js';
import { describeOnBackends, freshStore } from '../../support/databases.js';
import { repoRoot } from '../../support/processes.js';
import { SEEDED_EXECUTION, T, WINDOW, seedHandoffStore } from '../../support/handoff-seed.js';

const MIN = 60_000;

function sources(store: Store) {
  return storeHandoffSources({
    db: store.db,
    killSwitch: storedKillSwitch(new SettingsRepo(store.db, manualClock())),
    executions: { executedBetween: async () => [SEEDED_EXECUTION, { ...SEEDED_EXECUTION, prNumber: 99, executedAt: T('05:00') }] },
  });
}

describeOnBackends('handoff from a seeded store', (backend) => {
  it('every section matches the hand-computed figures (see test/support/handoff-seed.ts)', async () => {
    const store = await freshStore(backend);
    await seedHandoffStore(store);
    const handoff = await buildHandoff(sources(store), WINDOW, manualClock(T('18:00')));

    assert.equal(handoff.quiet, false);
    // Open incidents: critical first; age against the window's end; owner from the timeline; next step from the fix PR.
    assert.deepEqual(handoff.openIncidents.map((i) => [i.number, i.severity, i.state, i.ageMs / MIN, i.owner, i.nextStep]), [
      [1, 'critical', 'acknowledged', 180, 'alice', 'review fix PR #7 (flapping: alert updates are muted)'],
      [2, 'warning', 'open', 60, null, 'acknowledge and take ownership'],
    ]);
    assert.deepEqual(handoff.openIncidents[0]!.fixPull, { number: 7, url: 'https://github.com/acme/deploy/pull/7', review: 'none' });

    // Resolved in the window, with MTTR: 10m, 30m, 1h15m, 2h → mean 58.75m, median 52.5m.
    assert.deepEqual(handoff.resolved.items.map((i) => [i.number, i.mttrMs / MIN]), [[3, 30], [4, 120], [5, 75], [7, 10]]);
    assert.equal(handoff.resolved.meanMttrMs, 3_525_000);
    assert.equal(handoff.resolved.medianMttrMs, 3_150_000);

    // Remediations: only the one executed inside the window.
    assert.equal(handoff.remediations.connected, true);
    assert.deepEqual(handoff.remediations.items.map((e) => [e.prNumber, e.outcome, e.verification.status]), [[10, 'succeeded', 'verified']]);

    // Fix PRs waiting, oldest first.
    assert.deepEqual(handoff.waitingPulls.map((p) => [p.number, p.ageMs / MIN, p.review, p.incidentNumber]), [[8, 480, 'changes_requested', null], [7, 140, 'none', 1]]);

    // Noisiest alerts.
    assert.deepEqual(handoff.noisyAlerts.map((a) => [a.alert, a.service, a.firings, a.stateChanges, a.flapping, a.incidents]), [
      ['HighErrorRate', 'checkout', 3, 4, true, [1]],
      ['HighLatency', 'search', 1, 1, false, [3]],
      ['DiskFull', 'db', 1, 0, false, [2]],
    ]);

    // CI hotspots and flaky jobs.
    assert.equal(handoff.ci.runs, 6);
    assert.equal(handoff.ci.failures, 4);
    assert.deepEqual(handoff.ci.categories, [
      { category: 'test_assertion', failures: 2, jobs: 1 },
      { category: 'lint_error', failures: 1, jobs: 1 },
      { category: 'undiagnosed', failures: 1, jobs: 1 },
    ]);
    assert.deepEqual(handoff.ci.flaky, [{ repo: 'acme/app', workflow: 'ci', job: 'test', flakyCommits: 2, failures: 2 }]);

    // Human overrides, in time order.
    assert.deepEqual(handoff.overrides.map((o) => [o.kind, o.number, o.by, o.at]), [['changes_requested', 8, 'bob', T('11:00')], ['closed_unmerged', 9, 'carol', T('12:30')]]);

    // Pause and breaker.
    assert.deepEqual(handoff.controls.pause, { paused: true, by: 'alice', at: T('17:30'), reason: 'deploy freeze' });
    assert.equal(handoff.controls.breaker.state, 'unknown');

    assert.deepEqual(handoff.headline, [
      '2 open incidents (1 critical), 1 without an owner.',
      '4 incidents resolved, MTTR mean 59m, median 53m.',
      '1 remediation executed.',
      '2 fix PRs waiting on a human, oldest 8h.',
      '2 human overrides (fix PRs closed unmerged or changes requested).',
      '4 CI failures, 1 flaky job.',
      'pitcrew is PAUSED by alice: nothing executes until someone resumes it.',
    ]);
  });

  it('an empty store is a quiet shift; without a journal remediations are "not connected"; open incidents show in any window', async () => {
    const store = await freshStore(backend);
    await seedHandoffStore(store);
    await storedKillSwitch(new SettingsRepo(store.db, manualClock())).resume('alice');
    const empty = await freshStore(backend);
    const quiet = await buildHandoff(storeHandoffSources({ db: empty.db, killSwitch: storedKillSwitch(new SettingsRepo(empty.db, manualClock())) }), WINDOW, manualClock(T('18:00')));
    assert.equal(quiet.quiet, true);
    assert.deepEqual(quiet.headline, ['Quiet shift: no open incidents, nothing resolved, no fix PRs waiting, no CI failures.']);
    assert.equal(quiet.remediations.connected, false);

    const busy = await buildHandoff(storeHandoffSources({ db: store.db, killSwitch: storedKillSwitch(new SettingsRepo(store.db, manualClock())) }), { from: T('00:00', 7), to: T('01:00', 7) }, manualClock(T('01:00', 7)));
    assert.equal(busy.quiet, false, 'open incidents are open in any window');
    assert.equal(busy.resolved.items.length, 0);
    assert.equal(busy.ci.runs, 0);
  });

  it('fix-PR counts for metrics, and a redelivered webhook is not counted twice', async () => {
    const store = await freshStore(backend);
    await seedHandoffStore(store);
    const repo = new FixPullRepo(store.db);
    assert.deepEqual(await repo.counts(), { open: 2, awaitingReview: 1, changesRequested: 1, approved: 0, merged: 1, closedUnmerged: 1 });
    assert.deepEqual(await repo.eventCounts(T('00:00')), { opened: 4, reopened: 0, merged: 1, closed_unmerged: 1, approved: 1, changes_requested: 1 });
    const again = await repo.record({ deliveryId: 'd9c', kind: 'closed_unmerged', pull: { repo: 'acme/deploy', number: 9, url: 'u', title: 't', branch: 'b', proposalKey: null, planId: null, author: null, openedAt: T('05:00') }, actor: 'carol', at: T('12:30') }, T('18:00'));
    assert.equal(again, false);
    assert.equal((await repo.eventCounts(T('00:00'))).closed_unmerged, 1);
  });

  it('an event older than the PR\'s last state change does not move it back (webhooks out of order)', async () => {
    const store = await freshStore(backend);
    const repo = new FixPullRepo(store.db);
    const pull = { repo: 'acme/deploy', number: 3, url: 'https://github.com/acme/deploy/pull/3', title: 'pitcrew: x', branch: 'pitcrew/k-x', proposalKey: 'k', planId: 'p', author: 'pitcrew[bot]', openedAt: T('06:00') };
    await repo.record({ deliveryId: 'c', kind: 'closed_unmerged', pull, actor: 'bob', at: T('09:00') }, T('09:00'));
    await repo.record({ deliveryId: 'o', kind: 'opened', pull, actor: 'pitcrew[bot]', at: T('06:00') }, T('09:01'));
    await repo.record({ deliveryId: 'a', kind: 'approved', pull, actor: 'carol', at: T('08:00') }, T('09:02'));
    await repo.record({ deliveryId: 'r', kind: 'changes_requested', pull, actor: 'carol', at: T('07:00') }, T('09:03'));
    let [fact] = await repo.forHandoff(WINDOW);
    assert.equal(fact!.state, 'closed');
    assert.equal(fact!.closedBy, 'bob');
    assert.equal(fact!.review, 'approved', "carol's latest review (08:00) counts, though her earlier one was delivered later");
    assert.equal(fact!.changesRequestedBy, 'carol');
    // Another reviewer's outstanding change request outweighs the approval, as on GitHub.
    await repo.record({ deliveryId: 'd', kind: 'changes_requested', pull, actor: 'dave', at: T('07:30') }, T('09:04'));
    [fact] = await repo.forHandoff(WINDOW);
    assert.equal(fact!.review, 'changes_requested');
    assert.equal(fact!.changesRequestedBy, 'dave', 'the latest change request (07:30) is the one shown');
  });
});

describe('handoff markdown', () => {
  it('matches the reviewed snapshot for the seeded shift (Europe/Berlin), and reads as plain text in a terminal', async () => {
    const store = await freshStore('sqlite');
    await seedHandoffStore(store);
    const handoff = await buildHandoff(storeHandoffSources({ db: store.db, killSwitch: storedKillSwitch(new SettingsRepo(store.db, manualClock())), executions: { executedBetween: async () => [SEEDED_EXECUTION] } }), WINDOW, manualClock(T('18:00')));
    const markdown = renderHandoffMarkdown(handoff, { timeZone: 'Europe/Berlin' });
    // To review a change: node --import tsx with the same calls, diff, and update the file on purpose.
    assert.equal(markdown, readFileSync(join(repoRoot, 'test/fixtures/handoff/seeded-europe-berlin.md'), 'utf8'));
    for (const line of markdown.split('\n')) {
      assert.ok(line.length <= 100 || /^\s*https:\/\//.test(line), `line fits a terminal: ${line}`);
      assert.ok(!line.includes('\u001b') && !/<[a-z]|\|.*\|/i.test(line), 'no HTML, colour codes or tables');
    }
  });
});
