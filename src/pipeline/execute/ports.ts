import type { Action, ActionKind } from '../../domain/action.js';
import type { ActionRecord, ExecutionRecord } from '../../domain/execution.js';
import type { Incident } from '../../domain/incident.js';
import type { Plan } from '../../domain/plan.js';
import type { RepoConfigRead } from '../gate/facts.js';
import type { PullRef } from '../ports/forge.js';

/**
 * The ports stage 6 (execute) talks through. Vendor-free: GitHub, HTTP and
 * Kubernetes live behind them in src/adapters/github and src/actions.
 */

/** A merged PR, as the `pull_request.closed` webhook announced it. */
export interface MergedPull extends PullRef {
  /** The merge commit: the plan is read from here, never from the database. */
  mergeSha: string;
  /** The PR's head when it was merged: the approvals must be on this SHA. */
  headSha: string;
  mergedBy: string | null;
  url: string;
}

export type MergedPlanRead =
  /** The PR carries no plan file: nothing to execute (not pitcrew's business). */
  | { status: 'none' }
  /** GitHub does not confirm the merge the event claims (a forged or replayed payload): nothing happens. */
  | { status: 'not_merged'; problem: string }
  | { status: 'invalid'; path: string | null; problem: string }
  | { status: 'ok'; path: string; plan: Plan; hash: string };

/** One line per action (or one for a refusal), for the check run and the comment. */
export interface ExecutionReport {
  record: ExecutionRecord;
  executionId: string;
  /** Markdown title and body, vendor-neutral. */
  title: string;
  summary: string;
  lines: string[];
}

/** What execution needs from the forge, beyond the gate's reads. */
export interface ExecutionForge {
  /** The plan file the merged PR carries, read at the merge commit. */
  readMergedPlan(pull: MergedPull): Promise<MergedPlanRead>;
  /** `.github/pitcrew.yml` on the default branch's head (where `paused: true` is committed). */
  readDefaultConfig(repo: string): Promise<RepoConfigRead>;
  /** The check run on the merge commit and the PR comment, created or updated in place (idempotent per execution). */
  publishReport(pull: MergedPull, report: ExecutionReport): Promise<{ checkRunUrl: string | null }>;
}

/** What a connector knows about the action it is asked to run. */
export interface ConnectorContext {
  /** `<planId>:<mergeSha>:<index>`: sent downstream wherever the target accepts one. */
  key: string;
  /** The repository the plan was merged in (the default for GitHub actions). */
  repo: string;
  mergeSha: string;
  prNumber: number;
  incident: Incident | null;
  dryRun: boolean;
  /** Saved before the side effect, so `status` can tell after a crash what was under way. */
  checkpoint(data: Record<string, unknown>): Promise<void>;
  /** What an earlier attempt saved, or null. */
  saved: Record<string, unknown> | null;
  /** Epoch ms when the journal entry was first written. */
  startedAt: number;
}

export type ConnectorOutcome = Pick<ActionRecord, 'detail'> & { outcome: 'succeeded' | 'failed' | 'dry_run' | 'unknown' };

/**
 * After a crash, an action whose journal entry is pending has an unknown
 * outcome. The connector is asked, never simply run again:
 *  - applied: it happened (its outcome is returned);
 *  - not_applied: it certainly did not happen, so running it now is its first run;
 *  - unknown: nobody can tell; the execution stops and a human looks.
 */
export type ConnectorStatus =
  | { state: 'applied'; outcome: ConnectorOutcome }
  | { state: 'not_applied'; detail: string }
  | { state: 'unknown'; detail: string };

export interface Connector<K extends ActionKind = ActionKind> {
  kind: K;
  run(action: Extract<Action, { kind: K }>, context: ConnectorContext): Promise<ConnectorOutcome>;
  status(action: Extract<Action, { kind: K }>, context: ConnectorContext): Promise<ConnectorStatus>;
}

/** The Executor port: one connector per action kind. */
export type Connectors = { [K in ActionKind]: Connector<K> };

/** Called after every finished (or refused) execution; verify and the audit trail hang off it. */
export type AfterExecution = (record: ExecutionRecord) => Promise<void>;
