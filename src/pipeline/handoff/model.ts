import type { ActionRecord, ExecutionRecord, PauseState } from '../../domain/execution.js';
import type { IncidentState } from '../../domain/incident.js';
import type { Severity } from '../../domain/signal.js';

/**
 * The on-call handoff as data: what is burning, what was fixed, what waits on
 * the next engineer. Renderers (markdown, JSON, Block Kit) only format it;
 * every figure is computed once, by `buildHandoff`, from the sources below.
 */

/** The shift the handoff covers: [from, to), epoch milliseconds. */
export interface HandoffWindow {
  from: number;
  to: number;
}

// ---- What the sources return (facts, unaggregated) ----

export interface OpenIncidentFact {
  id: string;
  number: number;
  title: string;
  severity: Severity;
  service: string | null;
  state: Exclude<IncidentState, 'resolved'>;
  openedAt: number;
  flapping: boolean;
  alertsFiring: number;
  /** Whoever last acknowledged or took it to mitigating (not pitcrew); null when nobody has. */
  owner: string | null;
}

export interface ResolvedIncidentFact {
  id: string;
  number: number;
  title: string;
  severity: Severity;
  service: string | null;
  openedAt: number;
  resolvedAt: number;
  reopenedCount: number;
}

/** A pitcrew fix PR as the webhook recorder last saw it. */
export interface FixPullFact {
  repo: string;
  number: number;
  url: string;
  title: string;
  /** The proposal key from the PR (the incident id as a branch token), when known. */
  proposalKey: string | null;
  state: 'open' | 'merged' | 'closed';
  review: 'none' | 'approved' | 'changes_requested';
  openedAt: number;
  closedAt: number | null;
  closedBy: string | null;
  /** The latest "changes requested" review, if any. */
  changesRequestedAt: number | null;
  changesRequestedBy: string | null;
}

/**
 * The read side of the execution journal: one finished execution, close to
 * `ExecutionRecord` (src/domain/execution.ts) plus what verification found.
 */
export interface ExecutionSummary extends Pick<ExecutionRecord, 'repo' | 'prNumber' | 'prUrl' | 'planId' | 'incidentId' | 'executedAt' | 'outcome' | 'reason' | 'mergedBy'> {
  actions: Array<Pick<ActionRecord, 'type' | 'outcome' | 'detail'>>;
  verification: {
    /** verified: the signal cleared in the plan's window; not_cleared: it did not (a revert is proposed). */
    status: 'verified' | 'not_cleared' | 'pending' | 'skipped' | 'unknown';
    at: number | null;
    detail: string | null;
  };
}

/** One alert state change or firing inside the window (from the incident timelines). */
export interface AlertEventFact {
  /** The alert name, or its summary when it has none. */
  alert: string;
  service: string | null;
  fingerprint: string;
  incidentNumber: number;
  kind: 'alert_added' | 'alert_refired' | 'alert_resolved' | 'flapping_started';
  at: number;
}

/** One CI job outcome inside the window. */
export interface CiOutcomeFact {
  repo: string;
  workflow: string;
  job: string;
  sha: string;
  branch: string;
  isDefaultBranch: boolean;
  conclusion: string;
  /** `<category>:<hash>` for failures that were diagnosed. */
  signature: string | null;
  occurredAt: number;
}

export interface BreakerState {
  /** unknown: no breaker is connected to this process (the execution stage is not wired). */
  state: 'closed' | 'open' | 'half_open' | 'unknown';
  /** Epoch ms of the last change, when known. */
  since: number | null;
  reason: string | null;
}

/**
 * Where the handoff's facts come from: one method per section. The store
 * implements most of it (src/store/handoff-sources.ts); execution and the
 * breaker come from their own stage through the same port.
 */
export interface HandoffSources {
  openIncidents(): Promise<OpenIncidentFact[]>;
  resolvedIncidents(window: HandoffWindow): Promise<ResolvedIncidentFact[]>;
  /** Executions finished in the window; `connected: false` when no journal is wired (then the section says so). */
  executions(window: HandoffWindow): Promise<{ connected: boolean; items: ExecutionSummary[] }>;
  /** Fix PRs open now, plus those closed or reviewed in the window. */
  fixPulls(window: HandoffWindow): Promise<FixPullFact[]>;
  alertEvents(window: HandoffWindow): Promise<AlertEventFact[]>;
  ciOutcomes(window: HandoffWindow): Promise<CiOutcomeFact[]>;
  pause(): Promise<PauseState>;
  breaker(): Promise<BreakerState>;
}

// ---- The handoff (computed) ----

export interface OpenIncidentItem extends OpenIncidentFact {
  ageMs: number;
  /** One imperative line: what the next engineer should do about it. */
  nextStep: string;
  fixPull: { number: number; url: string; review: FixPullFact['review'] } | null;
}

export interface ResolvedIncidentItem extends ResolvedIncidentFact {
  /** resolvedAt − openedAt. */
  mttrMs: number;
}

export interface WaitingPullItem {
  repo: string;
  number: number;
  url: string;
  title: string;
  ageMs: number;
  review: FixPullFact['review'];
  incidentNumber: number | null;
}

export interface OverrideItem {
  kind: 'closed_unmerged' | 'changes_requested';
  repo: string;
  number: number;
  url: string;
  title: string;
  by: string | null;
  at: number;
}

export interface NoisyAlertItem {
  alert: string;
  service: string | null;
  /** Times it fired in the window (first firing plus re-fires). */
  firings: number;
  /** Firing ↔ resolved changes in the window. */
  stateChanges: number;
  flapping: boolean;
  incidents: number[];
}

export interface CiCategoryItem {
  category: string;
  failures: number;
  jobs: number;
}

export interface FlakyJobItem {
  repo: string;
  workflow: string;
  job: string;
  /** Commits on which the job both failed and passed in the window. */
  flakyCommits: number;
  failures: number;
}

export interface Handoff {
  window: HandoffWindow;
  generatedAt: number;
  /** True when nothing happened and nothing is open: the renderers say "quiet shift". */
  quiet: boolean;
  /** One line per headline figure, for the top of every rendering. */
  headline: string[];
  openIncidents: OpenIncidentItem[];
  resolved: {
    items: ResolvedIncidentItem[];
    /** Mean and median MTTR over `items`; null when none resolved. */
    meanMttrMs: number | null;
    medianMttrMs: number | null;
  };
  remediations: { connected: boolean; items: ExecutionSummary[] };
  waitingPulls: WaitingPullItem[];
  noisyAlerts: NoisyAlertItem[];
  ci: { failures: number; runs: number; categories: CiCategoryItem[]; flaky: FlakyJobItem[] };
  overrides: OverrideItem[];
  controls: { pause: PauseState; breaker: BreakerState };
  /** An optional model-written summary of the data above; labelled as generated wherever it is shown. */
  narrative: { text: string; model: string } | null;
}
