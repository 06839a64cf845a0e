/**
 * The Telemetry port: the events that show whether pitcrew can be trusted,
 * named for what happened, free of any metrics vendor. Core code (the
 * pipeline, the executor, the Slack and GitHub listeners) calls these; the
 * Prometheus implementation (`prom-telemetry.ts`) turns them into `pitcrew_*`
 * metrics. `noopTelemetry` serves callers that were given none (tests, CLI).
 *
 * Every method is synchronous and never throws: telemetry must not be able to
 * fail the work it describes.
 */

export type PlannerKind = 'deterministic' | 'llm';

export interface PlannedEvent {
  planner: PlannerKind;
  /** From the incident's first signal (its opening) to the plan being recorded. */
  signalToPlanMs: number;
  /** The model's tokens for this plan (0 for the deterministic planner). */
  tokens: { input: number; output: number };
  /** Estimated cost in USD; null when the model's price is unknown. */
  costUsd: number | null;
  /** The model name, when an LLM planned. */
  model?: string;
}

export interface ProposedEvent {
  /** From the plan being recorded to the fix PR being opened or updated. */
  planToPrMs: number;
  /** What the forge did: opened, updated, unchanged, dry_run, blocked. */
  outcome: string;
}

/** One action of an executed plan, as the journal recorded it (the executor reports it). */
export interface ActionOutcomeEvent {
  /** The action type, e.g. `kubernetes.rollout_restart`. */
  type: string;
  outcome: 'succeeded' | 'failed' | 'skipped' | 'dry_run' | 'unknown';
  durationMs?: number;
}

export interface IncidentResolvedEvent {
  /** Opened (or last reopened) → resolved. */
  durationMs: number;
  /** Whether a pitcrew plan was executed for the incident before it resolved. */
  remediated: boolean;
}

/** A human said no: a fix PR closed without merging, or a review that requested changes. */
export type OverrideKind = 'pr_closed_unmerged' | 'changes_requested';

export type BreakerState = 'closed' | 'half_open' | 'open';

export interface Telemetry {
  planned(event: PlannedEvent): void;
  proposed(event: ProposedEvent): void;
  actionFinished(event: ActionOutcomeEvent): void;
  incidentResolved(event: IncidentResolvedEvent): void;
  humanOverride(kind: OverrideKind, repo: string): void;
  /** A call waited this long in a rate limiter before it ran (0 when it ran at once). */
  rateLimitWaited(limiter: string, waitMs: number): void;
  /** The circuit breaker of `scope` (e.g. `execution`) is now in `state`. */
  breakerChanged(scope: string, state: BreakerState): void;
}

export const noopTelemetry: Telemetry = {
  planned: () => {},
  proposed: () => {},
  actionFinished: () => {},
  incidentResolved: () => {},
  humanOverride: () => {},
  rateLimitWaited: () => {},
  breakerChanged: () => {},
};
