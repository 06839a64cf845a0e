import type { Clock } from '../../domain/clock.js';
import type { Severity } from '../../domain/signal.js';
import { proposalToken } from '../propose/branch.js';
import { plural, shortDuration } from './format.js';
import type {
  AlertEventFact,
  CiCategoryItem,
  CiOutcomeFact,
  FixPullFact,
  FlakyJobItem,
  Handoff,
  HandoffSources,
  HandoffWindow,
  NoisyAlertItem,
  OpenIncidentFact,
  OpenIncidentItem,
  OverrideItem,
  ResolvedIncidentFact,
  ResolvedIncidentItem,
  WaitingPullItem,
} from './model.js';

/**
 * The handoff for one window, from its sources:
 *  1. read every section's facts (in parallel: they are independent reads);
 *  2. compute each section (ages and MTTR against the window's end, so the
 *     same facts always give the same handoff);
 *  3. decide whether it was a quiet shift and write the headline.
 * No narrative here: that is optional and added after (./narrative.ts).
 */
export async function buildHandoff(sources: HandoffSources, window: HandoffWindow, clock: Clock): Promise<Handoff> {
  const [open, resolved, executions, pulls, alertEvents, ciOutcomes, pause, breaker] = await Promise.all([
    sources.openIncidents(),
    sources.resolvedIncidents(window),
    sources.executions(window),
    sources.fixPulls(window),
    sources.alertEvents(window),
    sources.ciOutcomes(window),
    sources.pause(),
    sources.breaker(),
  ]);
  return assembleHandoff({ open, resolved, executions, pulls, alertEvents, ciOutcomes, pause, breaker }, window, clock.now());
}

export interface HandoffFacts {
  open: OpenIncidentFact[];
  resolved: ResolvedIncidentFact[];
  executions: Awaited<ReturnType<HandoffSources['executions']>>;
  pulls: FixPullFact[];
  alertEvents: AlertEventFact[];
  ciOutcomes: CiOutcomeFact[];
  pause: Awaited<ReturnType<HandoffSources['pause']>>;
  breaker: Awaited<ReturnType<HandoffSources['breaker']>>;
}

/** The pure part: facts in, handoff out. */
export function assembleHandoff(facts: HandoffFacts, window: HandoffWindow, generatedAt: number): Handoff {
  const inWindow = (at: number | null): at is number => at !== null && at >= window.from && at < window.to;
  const incidentByKey = new Map<string, number>();
  for (const incident of [...facts.open, ...facts.resolved]) incidentByKey.set(proposalToken(incident.id), incident.number);

  const openPulls = facts.pulls.filter((pull) => pull.state === 'open');
  const openIncidents = facts.open.map((incident) => openItem(incident, openPulls, window.to)).sort(bySeverityThenAge);
  const resolved = resolvedSection(facts.resolved.filter((incident) => inWindow(incident.resolvedAt)));
  const remediations = { connected: facts.executions.connected, items: facts.executions.items.filter((e) => inWindow(e.executedAt)).sort((a, b) => a.executedAt - b.executedAt) };
  const waitingPulls: WaitingPullItem[] = openPulls
    .map((pull) => ({
      repo: pull.repo,
      number: pull.number,
      url: pull.url,
      title: pull.title,
      ageMs: Math.max(0, window.to - pull.openedAt),
      review: pull.review,
      incidentNumber: pull.proposalKey ? incidentByKey.get(pull.proposalKey) ?? null : null,
    }))
    .sort((a, b) => b.ageMs - a.ageMs || a.repo.localeCompare(b.repo) || a.number - b.number);
  const overrides = overrideItems(facts.pulls, inWindow);
  const flappingNow = new Set(facts.open.filter((incident) => incident.flapping).map((incident) => incident.number));
  const noisyAlerts = noisiest(facts.alertEvents.filter((event) => inWindow(event.at)), flappingNow);
  const ci = ciSection(facts.ciOutcomes.filter((outcome) => inWindow(outcome.occurredAt)));
  const controls = { pause: facts.pause, breaker: facts.breaker };

  const quiet = openIncidents.length === 0 && resolved.items.length === 0 && remediations.items.length === 0 && waitingPulls.length === 0
    && overrides.length === 0 && noisyAlerts.length === 0 && ci.failures === 0 && !controls.pause.paused && controls.breaker.state !== 'open';

  const handoff: Handoff = { window, generatedAt, quiet, headline: [], openIncidents, resolved, remediations, waitingPulls, noisyAlerts, ci, overrides, controls, narrative: null };
  handoff.headline = headline(handoff);
  return handoff;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, warning: 2, info: 1, unknown: 0 };

function bySeverityThenAge(a: OpenIncidentItem, b: OpenIncidentItem): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.ageMs - a.ageMs || a.number - b.number;
}

function openItem(incident: OpenIncidentFact, openPulls: FixPullFact[], now: number): OpenIncidentItem {
  const key = proposalToken(incident.id);
  const pull = openPulls.filter((p) => p.proposalKey === key).sort((a, b) => b.openedAt - a.openedAt)[0];
  const fixPull = pull ? { number: pull.number, url: pull.url, review: pull.review } : null;
  return { ...incident, ageMs: Math.max(0, now - incident.openedAt), fixPull, nextStep: nextStep(incident, fixPull) };
}

/**
 * What the next engineer should do, from the incident's state and its fix PR.
 * A fix PR waiting on a human comes first: pitcrew cannot move without one.
 */
export function nextStep(incident: Pick<OpenIncidentFact, 'state' | 'owner' | 'flapping'>, fixPull: OpenIncidentItem['fixPull']): string {
  let step: string;
  if (fixPull?.review === 'changes_requested') step = `address the requested changes on fix PR #${fixPull.number}`;
  else if (fixPull?.review === 'approved') step = `merge the approved fix PR #${fixPull.number}`;
  else if (fixPull) step = `review fix PR #${fixPull.number}`;
  else if (incident.state === 'open') step = incident.owner ? 'investigate (no fix proposed)' : 'acknowledge and take ownership';
  else if (incident.state === 'acknowledged') step = 'mitigate: no fix PR was proposed, follow the runbook';
  else step = 'confirm recovery, then resolve';
  return incident.flapping ? `${step} (flapping: alert updates are muted)` : step;
}

function resolvedSection(incidents: ResolvedIncidentFact[]): Handoff['resolved'] {
  const items: ResolvedIncidentItem[] = incidents
    .map((incident) => ({ ...incident, mttrMs: incident.resolvedAt - incident.openedAt }))
    .sort((a, b) => a.resolvedAt - b.resolvedAt || a.number - b.number);
  if (items.length === 0) return { items, meanMttrMs: null, medianMttrMs: null };
  const sorted = items.map((item) => item.mttrMs).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { items, meanMttrMs: Math.round(mean), medianMttrMs: Math.round(median) };
}

function overrideItems(pulls: FixPullFact[], inWindow: (at: number | null) => at is number): OverrideItem[] {
  const items: OverrideItem[] = [];
  for (const pull of pulls) {
    const base = { repo: pull.repo, number: pull.number, url: pull.url, title: pull.title };
    if (pull.state === 'closed' && inWindow(pull.closedAt)) items.push({ kind: 'closed_unmerged', ...base, by: pull.closedBy, at: pull.closedAt });
    if (inWindow(pull.changesRequestedAt)) items.push({ kind: 'changes_requested', ...base, by: pull.changesRequestedBy, at: pull.changesRequestedAt });
  }
  return items.sort((a, b) => a.at - b.at || a.number - b.number);
}

function noisiest(events: AlertEventFact[], flappingNow: Set<number>): NoisyAlertItem[] {
  const flapped = new Set(flappingNow);
  for (const event of events) if (event.kind === 'flapping_started') flapped.add(event.incidentNumber);
  const byAlert = new Map<string, NoisyAlertItem>();
  for (const event of events) {
    if (event.kind === 'flapping_started') continue;
    const key = `${event.alert}\u0000${event.service ?? ''}`;
    let item = byAlert.get(key);
    if (!item) byAlert.set(key, (item = { alert: event.alert, service: event.service, firings: 0, stateChanges: 0, flapping: false, incidents: [] }));
    if (event.kind === 'alert_added' || event.kind === 'alert_refired') item.firings++;
    if (event.kind === 'alert_resolved' || event.kind === 'alert_refired') item.stateChanges++;
    if (!item.incidents.includes(event.incidentNumber)) item.incidents.push(event.incidentNumber);
    if (flapped.has(event.incidentNumber)) item.flapping = true;
  }
  return [...byAlert.values()]
    .map((item) => ({ ...item, incidents: item.incidents.sort((a, b) => a - b) }))
    .sort((a, b) => b.firings + b.stateChanges - (a.firings + a.stateChanges) || Number(b.flapping) - Number(a.flapping) || a.alert.localeCompare(b.alert));
}

const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);

function ciSection(outcomes: CiOutcomeFact[]): Handoff['ci'] {
  const failures = outcomes.filter((outcome) => FAILED.has(outcome.conclusion));
  const categories = new Map<string, { failures: number; jobs: Set<string> }>();
  for (const failure of failures) {
    const category = failure.signature?.split(':')[0] || 'undiagnosed';
    const entry = categories.get(category) ?? { failures: 0, jobs: new Set<string>() };
    entry.failures++;
    entry.jobs.add(`${failure.repo}\u0000${failure.workflow}\u0000${failure.job}`);
    categories.set(category, entry);
  }
  const categoryItems: CiCategoryItem[] = [...categories.entries()]
    .map(([category, entry]) => ({ category, failures: entry.failures, jobs: entry.jobs.size }))
    .sort((a, b) => b.failures - a.failures || a.category.localeCompare(b.category));

  // Flaky: the same job on the same commit both failed and passed in the window.
  const byCommit = new Map<string, { failed: boolean; passed: boolean }>();
  for (const outcome of outcomes) {
    const key = [outcome.repo, outcome.workflow, outcome.job, outcome.sha].join('\u0000');
    const entry = byCommit.get(key) ?? { failed: false, passed: false };
    if (FAILED.has(outcome.conclusion)) entry.failed = true;
    if (outcome.conclusion === 'success') entry.passed = true;
    byCommit.set(key, entry);
  }
  const flakyJobs = new Map<string, FlakyJobItem>();
  for (const [key, entry] of byCommit) {
    if (!entry.failed || !entry.passed) continue;
    const [repo, workflow, job] = key.split('\u0000') as [string, string, string];
    const jobKey = [repo, workflow, job].join('\u0000');
    const item = flakyJobs.get(jobKey) ?? { repo, workflow, job, flakyCommits: 0, failures: 0 };
    item.flakyCommits++;
    flakyJobs.set(jobKey, item);
  }
  for (const failure of failures) {
    const item = flakyJobs.get([failure.repo, failure.workflow, failure.job].join('\u0000'));
    if (item) item.failures++;
  }
  const flaky = [...flakyJobs.values()].sort((a, b) => b.flakyCommits - a.flakyCommits || b.failures - a.failures || a.job.localeCompare(b.job));
  return { failures: failures.length, runs: outcomes.length, categories: categoryItems, flaky };
}

function headline(handoff: Handoff): string[] {
  if (handoff.quiet) return ['Quiet shift: no open incidents, nothing resolved, no fix PRs waiting, no CI failures.'];
  const lines: string[] = [];
  const open = handoff.openIncidents;
  const critical = open.filter((incident) => incident.severity === 'critical').length;
  const unowned = open.filter((incident) => !incident.owner).length;
  lines.push(open.length === 0
    ? 'No open incidents.'
    : `${plural(open.length, 'open incident')}${critical > 0 ? ` (${critical} critical)` : ''}${unowned > 0 ? `, ${unowned} without an owner` : ''}.`);
  const { items, meanMttrMs, medianMttrMs } = handoff.resolved;
  if (items.length > 0 && meanMttrMs !== null && medianMttrMs !== null) {
    lines.push(`${plural(items.length, 'incident')} resolved, MTTR mean ${shortDuration(meanMttrMs)}, median ${shortDuration(medianMttrMs)}.`);
  }
  const executed = handoff.remediations.items;
  if (executed.length > 0) {
    const failed = executed.filter((e) => e.outcome === 'failed' || e.outcome === 'refused' || e.verification.status === 'not_cleared').length;
    lines.push(`${plural(executed.length, 'remediation')} executed${failed > 0 ? `, ${failed} failed or not verified` : ''}.`);
  }
  if (handoff.waitingPulls.length > 0) lines.push(`${plural(handoff.waitingPulls.length, 'fix PR')} waiting on a human, oldest ${shortDuration(handoff.waitingPulls[0]!.ageMs)}.`);
  if (handoff.overrides.length > 0) lines.push(`${plural(handoff.overrides.length, 'human override')} (fix PRs closed unmerged or changes requested).`);
  if (handoff.ci.failures > 0) lines.push(`${plural(handoff.ci.failures, 'CI failure')}${handoff.ci.flaky.length > 0 ? `, ${plural(handoff.ci.flaky.length, 'flaky job')}` : ''}.`);
  const { pause, breaker } = handoff.controls;
  if (pause.paused) lines.push(`pitcrew is PAUSED${pause.by ? ` by ${pause.by}` : ''}: nothing executes until someone resumes it.`);
  if (breaker.state === 'open') lines.push('The circuit breaker is OPEN: execution is halted after repeated failures.');
  return lines;
}
