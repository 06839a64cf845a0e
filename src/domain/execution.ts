/**
 * What one execution of a merged plan was, and the ports around it that
 * several parts share: the audit trail it is written to (git), and the
 * runtime kill switch humans use to stop everything (invariant I6).
 */

/** One action's part of an execution, as the journal recorded it. */
export interface ActionRecord {
  index: number;
  /** The action type, e.g. `kubernetes.rollout_restart`. */
  type: string;
  /** `<planId>:<mergeSha>:<index>`: what makes running it idempotent (invariant I2). */
  idempotencyKey: string;
  outcome: 'succeeded' | 'failed' | 'skipped' | 'dry_run' | 'unknown';
  /** One line, already redacted, that an on-call engineer can read. */
  detail: string;
}

export interface ApprovalRecord {
  login: string;
  /** The head SHA the approval was given on. */
  sha: string;
}

/** A finished (or refused) execution: what the audit commit and the reports are made from. */
export interface ExecutionRecord {
  /** `owner/name` of the repository whose merged PR carried the plan. */
  repo: string;
  prNumber: number;
  prUrl: string;
  planId: string;
  planHash: string;
  incidentId: string | null;
  /** The merge commit the plan file was read from. */
  mergeSha: string;
  /** The PR's head SHA at merge: the SHA the approvals must be on. */
  headSha: string;
  proposedBy: string | null;
  approvals: ApprovalRecord[];
  mergedBy: string | null;
  /** Epoch milliseconds. */
  executedAt: number;
  outcome: 'succeeded' | 'failed' | 'refused' | 'dry_run';
  /** Why it was refused or failed, in one sentence. */
  reason: string | null;
  actions: ActionRecord[];
  /** sha256 of the plan's evidence, so the record proves what the plan was based on without copying it. */
  evidenceDigest: string;
}

/** Where execution records are kept for good: commits on the audit branch (invariant I5). */
export interface AuditTrail {
  /** Appends one commit for the record; idempotent per (planId, mergeSha). Returns the commit's URL or SHA. */
  append(record: ExecutionRecord, auditBranch: string): Promise<{ sha: string; url: string | null }>;
}

export interface PauseState {
  paused: boolean;
  /** Who paused or resumed it last (a Slack or GitHub identity, or `cli`). */
  by: string | null;
  /** Epoch milliseconds of the last change. */
  at: number | null;
  reason: string | null;
}

/**
 * The runtime kill switch (`/pitcrew pause`). It sits beside the one committed
 * in git (`paused: true` in `.github/pitcrew.yml`); either one stops execution.
 */
export interface KillSwitch {
  state(): Promise<PauseState>;
  pause(by: string, reason: string | null): Promise<PauseState>;
  resume(by: string): Promise<PauseState>;
}
