import { manualClock } from '../../src/domain/clock.js';
import type { IncidentEventKind } from '../../src/domain/incident.js';
import type { ExecutionSummary } from '../../src/pipeline/handoff/model.js';
import { proposalToken } from '../../src/pipeline/propose/branch.js';
import { CiHistoryRepo } from '../../src/store/ci-history-repo.js';
import { FixPullRepo, type FixPullEvent } from '../../src/store/fix-pull-repo.js';
import { IncidentRepo } from '../../src/store/incident-repo.js';
import { storedKillSwitch } from '../../src/store/kill-switch.js';
import type { IncidentsTable } from '../../src/store/schema.js';
import { SettingsRepo } from '../../src/store/settings-repo.js';
import type { Store } from '../../src/store/store.js';

/**
 * A shift with something in every section, every figure chosen so it can be
 * checked by hand. The window is 2026-03-08 06:00Z → 18:00Z.
 *
 * Incidents
 *  #1 critical HighErrorRate (checkout), opened 15:00, acknowledged by alice 15:10, flapping; fix PR #7
 *  #2 warning  DiskFull (db), opened 17:00, nobody owns it
 *  resolved in the window (MTTR = resolved − opened):
 *  #3 06:30 → 07:00 = 30m   #4 05:00 → 07:00 = 2h   #5 09:00 → 10:15 = 1h15m   #7 12:00 → 12:10 = 10m
 *    mean (10+30+75+120)/4 = 58.75m (3,525,000 ms), median (30+75)/2 = 52.5m (3,150,000 ms)
 *  #6 resolved before the window (01:00 → 05:00): left out
 * Alerts in the window
 *  HighErrorRate (#1): added 15:00, resolved 15:20, refired 15:25, resolved 15:30, refired 15:35, flapping 15:35
 *    → fired 3×, 4 state changes, flapping
 *  HighLatency (#3): added 06:30, resolved 07:00 → fired 1×, 1 state change
 *  DiskFull (#2): added 17:00 → fired 1×, 0 state changes
 *  (#6's alert at 01:00 is before the window)
 * CI (acme/app, workflow ci)
 *  test on a1: failed 08:00 (test_assertion), passed 08:10 (re-run) → flaky commit
 *  test on a2: failed 09:00 (test_assertion), passed 09:30 → flaky commit
 *  lint on a2: failed 09:00 (lint_error); build on a3: failed 10:00 (no signature)
 *  test on a0 failed 04:00: before the window
 *  → 6 runs, 4 failures: test_assertion 2 (1 job), lint_error 1, undiagnosed 1; flaky: test, 2 commits, 2 failures
 * Fix PRs (acme/deploy)
 *  #7 for incident #1, opened 15:40, no review → waiting 2h20m
 *  #8 opened 10:00, changes requested by bob 11:00, open → waiting 8h, and an override
 *  #9 opened 05:00, closed unmerged by carol 12:30 → an override
 *  #10 opened 06:00, approved by dave 07:00, merged by dave 08:00 → neither
 * Controls: paused by alice at 17:30 ("deploy freeze").
 * Executions (through the journal port): PR #10 at 08:05, succeeded and verified.
 */
export const T = (hhmm: string, day = 8) => Date.parse(`2026-03-${String(day).padStart(2, '0')}T${hhmm}:00Z`);
export const WINDOW = { from: T('06:00'), to: T('18:00') };

export const SEEDED_EXECUTION: ExecutionSummary = {
  repo: 'acme/deploy',
  prNumber: 10,
  prUrl: 'https://github.com/acme/deploy/pull/10',
  planId: 'plan_10',
  incidentId: 'inc-5',
  executedAt: T('08:05'),
  outcome: 'succeeded',
  reason: null,
  mergedBy: 'dave',
  actions: [{ type: 'kubernetes.rollout_restart', outcome: 'succeeded', detail: 'restarted deployment/checkout' }],
  verification: { status: 'verified', at: T('08:20'), detail: 'HighLatency cleared' },
};

interface SeedIncident {
  n: number;
  title: string;
  severity: string;
  service: string | null;
  state: IncidentsTable['state'];
  opened: number;
  resolved?: number;
  flapping?: boolean;
  alerts?: Array<{ fp: string; name: string }>;
  events?: Array<{ at: number; kind: IncidentEventKind; actor?: string; fp?: string }>;
}

export const incidentId = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-00000000000${n}`;

const INCIDENTS: SeedIncident[] = [
  {
    n: 1, title: 'HighErrorRate: checkout 5xx above 5%', severity: 'critical', service: 'checkout', state: 'acknowledged', opened: T('15:00'), flapping: true,
    alerts: [{ fp: 'fp1', name: 'HighErrorRate' }],
    events: [
      { at: T('15:00'), kind: 'opened' }, { at: T('15:00'), kind: 'alert_added', fp: 'fp1' }, { at: T('15:10'), kind: 'acknowledged', actor: 'alice' },
      { at: T('15:20'), kind: 'alert_resolved', fp: 'fp1' }, { at: T('15:25'), kind: 'alert_refired', fp: 'fp1' },
      { at: T('15:30'), kind: 'alert_resolved', fp: 'fp1' }, { at: T('15:35'), kind: 'alert_refired', fp: 'fp1' }, { at: T('15:35'), kind: 'flapping_started' },
    ],
  },
  {
    n: 2, title: 'DiskFull: /var/lib/postgresql at 95%', severity: 'warning', service: 'db', state: 'open', opened: T('17:00'),
    alerts: [{ fp: 'fp2', name: 'DiskFull' }],
    events: [{ at: T('17:00'), kind: 'opened' }, { at: T('17:00'), kind: 'alert_added', fp: 'fp2' }],
  },
  {
    n: 3, title: 'HighLatency: search p99 above 2s', severity: 'high', service: 'search', state: 'resolved', opened: T('06:30'), resolved: T('07:00'),
    alerts: [{ fp: 'fp3', name: 'HighLatency' }],
    events: [{ at: T('06:30'), kind: 'opened' }, { at: T('06:30'), kind: 'alert_added', fp: 'fp3' }, { at: T('07:00'), kind: 'alert_resolved', fp: 'fp3' }, { at: T('07:00'), kind: 'resolved' }],
  },
  { n: 4, title: 'QueueBacklog', severity: 'warning', service: 'jobs', state: 'resolved', opened: T('05:00'), resolved: T('07:00') },
  { n: 5, title: 'PodCrashLooping', severity: 'high', service: 'checkout', state: 'resolved', opened: T('09:00'), resolved: T('10:15') },
  {
    n: 6, title: 'CertificateExpiring', severity: 'info', service: null, state: 'resolved', opened: T('01:00'), resolved: T('05:00'),
    alerts: [{ fp: 'fp6', name: 'CertificateExpiring' }],
    events: [{ at: T('01:00'), kind: 'alert_added', fp: 'fp6' }],
  },
  { n: 7, title: 'ReplicationLag', severity: 'warning', service: 'db', state: 'resolved', opened: T('12:00'), resolved: T('12:10') },
];

export async function seedHandoffStore(store: Store): Promise<void> {
  await store.writeTransaction(async (trx) => {
    const incidents = new IncidentRepo(trx);
    for (const seed of INCIDENTS) {
      const id = incidentId(seed.n);
      await incidents.insertIncident({
        id, number: seed.n, group_key: `seed:${seed.n}`, title: seed.title, severity: seed.severity, service: seed.service, source: 'alertmanager', state: seed.state,
        opened_at: seed.opened, acknowledged_at: null, mitigating_at: null, resolved_at: seed.resolved ?? null, reopened_count: 0, last_signal_at: seed.opened,
        flapping: seed.flapping ? 1 : 0, flapping_since: seed.flapping ? T('15:35') : null, alerts_total: seed.alerts?.length ?? 0, alerts_firing: seed.state === 'resolved' ? 0 : seed.alerts?.length ?? 0,
        event_seq: seed.events?.length ?? 0, updated_at: seed.resolved ?? seed.opened,
      });
      for (const alert of seed.alerts ?? []) {
        await incidents.upsertAlert({
          incident_id: id, source: 'alertmanager', fingerprint: alert.fp, status: seed.state === 'resolved' ? 'resolved' : 'firing', alertname: alert.name, severity: seed.severity,
          summary: seed.title, signal: '{}', starts_at: seed.opened, ends_at: null, first_seen_at: seed.opened, last_seen_at: seed.opened, last_change_at: seed.opened, seen_count: 1, state_changes: 0,
        });
      }
      await incidents.insertEvents((seed.events ?? []).map((event, index) => ({
        incident_id: id, seq: index + 1, at: event.at, kind: event.kind, actor: event.actor ?? 'pitcrew', fingerprint: event.fp ?? null, detail: '{}',
      })));
    }

    const ci = new CiHistoryRepo(trx, manualClock(T('18:00')));
    const job = (sha: string, jobName: string, runId: string, attempt: number, conclusion: string, at: number, signature?: string) =>
      ci.record({ repo: 'acme/app', branch: 'main', isDefaultBranch: true, sha, workflow: 'ci', job: jobName, runId, runAttempt: attempt, conclusion, occurredAt: at, ...(signature ? { signature } : {}) });
    await job('a1', 'test', 'r1', 1, 'failure', T('08:00'), 'test_assertion:1111111111111111');
    await job('a1', 'test', 'r1', 2, 'success', T('08:10'));
    await job('a2', 'test', 'r2', 1, 'failure', T('09:00'), 'test_assertion:1111111111111111');
    await job('a2', 'test', 'r3', 1, 'success', T('09:30'));
    await job('a2', 'lint', 'r2', 1, 'failure', T('09:00'), 'lint_error:2222222222222222');
    await job('a3', 'build', 'r4', 1, 'failure', T('10:00'));
    await job('a0', 'test', 'r0', 1, 'failure', T('04:00'), 'test_assertion:1111111111111111');

    const pulls = new FixPullRepo(trx);
    const pull = (number: number, opened: number, key: string | null) => ({
      repo: 'acme/deploy', number, url: `https://github.com/acme/deploy/pull/${number}`, title: `pitcrew: fix ${number}`, branch: `pitcrew/${key ?? `k${number}`}-fix`,
      proposalKey: key, planId: `plan_${number}`, author: 'pitcrew[bot]', openedAt: opened,
    });
    const events: FixPullEvent[] = [
      { deliveryId: 'd7', kind: 'opened', pull: pull(7, T('15:40'), proposalToken(incidentId(1))), actor: 'pitcrew[bot]', at: T('15:40') },
      { deliveryId: 'd8', kind: 'opened', pull: pull(8, T('10:00'), 'k8'), actor: 'pitcrew[bot]', at: T('10:00') },
      { deliveryId: 'd8r', kind: 'changes_requested', pull: pull(8, T('10:00'), 'k8'), actor: 'bob', at: T('11:00') },
      { deliveryId: 'd9', kind: 'opened', pull: pull(9, T('05:00'), 'k9'), actor: 'pitcrew[bot]', at: T('05:00') },
      { deliveryId: 'd9c', kind: 'closed_unmerged', pull: pull(9, T('05:00'), 'k9'), actor: 'carol', at: T('12:30') },
      { deliveryId: 'd10', kind: 'opened', pull: pull(10, T('06:00'), 'k10'), actor: 'pitcrew[bot]', at: T('06:00') },
      { deliveryId: 'd10a', kind: 'approved', pull: pull(10, T('06:00'), 'k10'), actor: 'dave', at: T('07:00') },
      { deliveryId: 'd10m', kind: 'merged', pull: pull(10, T('06:00'), 'k10'), actor: 'dave', at: T('08:00') },
    ];
    for (const event of events) await pulls.record(event, T('18:00'));
  });
  await storedKillSwitch(new SettingsRepo(store.db, manualClock(T('17:30')))).pause('alice', 'deploy freeze');
}
