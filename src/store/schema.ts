/**
 * Table types for Kysely. Portable across SQLite and Postgres:
 * timestamps are epoch milliseconds (bigint in Postgres, parsed to number),
 * JSON is stored as text, booleans as 0/1 integers.
 *
 * The database holds only what git cannot (invariant I5): the inbox, dedupe
 * state, incident state and the execution journal, plus runtime settings.
 */
export interface SettingsTable {
  key: string;
  /** JSON-encoded value. */
  value: string;
  updated_at: number;
  updated_by: string;
}

/** Verification watches: one per execution that should clear an incident's signal (see src/pipeline/verify/). */
export interface VerificationsTable {
  /** `<planId>@<mergeSha>`. */
  id: string;
  repo: string;
  pr_number: number;
  plan_id: string;
  merge_sha: string;
  incident_id: string;
  /** The plan's signal: the alert whose clearing is watched. */
  signal_source: string;
  signal_fingerprint: string;
  executed_at: number;
  deadline_at: number;
  state: 'watching' | 'cleared' | 'reverting' | 'not_cleared';
  /** JSON: the ExecutionRecord and the plan's summary, for the memory record and chat notes. */
  detail: string;
  revert_pr: number | null;
  revert_url: string | null;
  /** One line: how it ended. */
  outcome_note: string | null;
  created_at: number;
  updated_at: number;
}

/** The planner's decision log (see src/planner/decision.ts); `body` is the Decision as JSON. */
export interface PlanDecisionsTable {
  id: string;
  created_at: number;
  plan_id: string;
  plan_hash: string;
  signal_fingerprint: string;
  incident_id: string | null;
  input_digest: string;
  planner: string;
  model: string | null;
  prompt_version: string | null;
  input_tokens: number;
  output_tokens: number;
  estimated_cost_usd: number | null;
  /** 0/1 */
  allowed: number;
  risk: string;
  body: string;
}

/** CI job outcomes, for flaky and broken-trunk decisions (see src/diagnosis/history.ts). */
export interface CiFailureHistoryTable {
  id: string;
  repo: string;
  branch: string;
  /** 0/1 */
  is_default_branch: number;
  sha: string;
  workflow: string;
  job: string;
  run_id: string;
  run_attempt: number;
  /** 'failure' | 'success' | 'cancelled' | 'timed_out' … as GitHub reports it. */
  conclusion: string;
  signature: string | null;
  category: string | null;
  pr_number: number | null;
  occurred_at: number;
  recorded_at: number;
}

/** Human-confirmed diagnoses, the examples a repository's log shapes are learned from. */
export interface CiConfirmedDiagnosesTable {
  id: string;
  repo: string;
  signature: string;
  category: string | null;
  /** 'reaction' | 'command' | 'cli' | 'eval' */
  source: string;
  confirmed_by: string | null;
  log_ref: string | null;
  /** JSON ConfirmedExample (redacted). */
  example: string;
  created_at: number;
}

/** A durable job (ADR 0006): inbox events and incident-change notifications. */
export interface JobsTable {
  id: string;
  queue: string;
  /** JSON-encoded payload. */
  payload: string;
  state: 'pending' | 'active' | 'completed' | 'dead';
  attempts: number;
  max_attempts: number;
  run_after: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  /** Enqueue order: epoch microseconds, strictly increasing within a process. */
  seq: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface IncidentsTable {
  id: string;
  /** Human handle: `pitcrew incident 12`. */
  number: number;
  group_key: string;
  title: string;
  severity: string;
  service: string | null;
  source: string;
  state: 'open' | 'acknowledged' | 'mitigating' | 'resolved';
  opened_at: number;
  acknowledged_at: number | null;
  mitigating_at: number | null;
  resolved_at: number | null;
  reopened_count: number;
  last_signal_at: number;
  flapping: number;
  flapping_since: number | null;
  alerts_total: number;
  alerts_firing: number;
  /** The seq of the incident's last timeline event. */
  event_seq: number;
  updated_at: number;
}

/** One alert (by source and fingerprint) of one incident: the dedupe state. */
export interface IncidentAlertsTable {
  incident_id: string;
  source: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  alertname: string | null;
  severity: string;
  summary: string;
  /** JSON: the latest Signal for this alert. */
  signal: string;
  starts_at: number | null;
  ends_at: number | null;
  first_seen_at: number;
  last_seen_at: number;
  last_change_at: number;
  seen_count: number;
  state_changes: number;
}

export interface IncidentEventsTable {
  incident_id: string;
  seq: number;
  at: number;
  kind: string;
  actor: string;
  fingerprint: string | null;
  /** JSON object. */
  detail: string;
}

/** A pitcrew fix PR's lifecycle as webhooks reported it (migration 0080). */
export interface FixPullRequestsTable {
  repo: string;
  number: number;
  url: string;
  title: string;
  branch: string;
  /** The proposal key (incident id as a branch token) from the PR body or branch. */
  proposal_key: string | null;
  plan_id: string | null;
  author: string | null;
  state: 'open' | 'merged' | 'closed';
  /** When `state` last changed (events older than this do not move it back). */
  state_at: number;
  review: 'none' | 'approved' | 'changes_requested';
  review_at: number | null;
  opened_at: number;
  closed_at: number | null;
  closed_by: string | null;
  merged_at: number | null;
  changes_requested_at: number | null;
  changes_requested_by: string | null;
  approved_at: number | null;
  approved_by: string | null;
  updated_at: number;
}

/** One lifecycle event of a fix PR; `id` is the webhook delivery (plus kind), so a redelivery is not counted twice. */
export interface FixPullEventsTable {
  id: string;
  repo: string;
  number: number;
  kind: 'opened' | 'reopened' | 'merged' | 'closed_unmerged' | 'approved' | 'changes_requested';
  actor: string | null;
  at: number;
  recorded_at: number;
}

/** A webhook delivery claimed by a replica: handled once however often it arrives (migration 0090). */
export interface WebhookDeliveriesTable {
  id: string;
  /** e.g. `github`. */
  source: string;
  event: string;
  state: 'processing' | 'done';
  claimed_by: string;
  claimed_at: number;
  completed_at: number | null;
}

/** One execution of a merged plan (ADR 0010): unique per (repo, merge_sha). */
export interface ExecutionsTable {
  id: string;
  repo: string;
  pr_number: number;
  merge_sha: string;
  head_sha: string;
  plan_id: string | null;
  plan_hash: string | null;
  incident_id: string | null;
  /** 'claimed' (checks not passed yet) | 'running' | 'succeeded' | 'failed' | 'refused' | 'dry_run' */
  state: string;
  reason: string | null;
  /** JSON: what the checks established (approvals, merged by, risk, audit branch). */
  context: string | null;
  /** JSON ExecutionRecord, once finished. */
  record: string | null;
  /** 0/1: the check run, comment, chat reply and audit commit were made. */
  reported: number;
  /** The process holding the lease; it alone runs the execution's actions. */
  owner: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** One action's journal entry, written (committed) before the action runs. */
export interface ExecutionActionsTable {
  /** `<planId>:<mergeSha>:<index>` */
  key: string;
  execution_id: string;
  idx: number;
  kind: string;
  /** 'pending' (outcome unknown until finished) | 'succeeded' | 'failed' | 'skipped' | 'dry_run' | 'unknown' */
  state: string;
  detail: string;
  /** JSON the connector saved before its side effect (e.g. the dispatch time, the run attempt), for status(). */
  checkpoint: string | null;
  owner: string;
  attempts: number;
  started_at: number;
  finished_at: number | null;
}

/** One chat message of an incident: its thread root (`key = 'root'`) or a keyed reply. `ts` is null while claimed, not yet posted. */
export interface ChatMessagesTable {
  incident_id: string;
  key: string;
  channel: string;
  ts: string | null;
  permalink: string | null;
  /** What the message points at, for the root to link (a proposal reply: its PR). */
  link_url: string | null;
  claimed_by: string;
  claimed_at: number;
  /** sha256 of the last payload written, so an unchanged update is skipped. */
  content_hash: string | null;
  /** The incident's updatedAt the root was last rendered from (older changes never overwrite newer ones). */
  version: number;
  updated_at: number;
}

export interface Database {
  settings: SettingsTable;
  verifications: VerificationsTable;
  plan_decisions: PlanDecisionsTable;
  ci_failure_history: CiFailureHistoryTable;
  ci_confirmed_diagnoses: CiConfirmedDiagnosesTable;
  jobs: JobsTable;
  incidents: IncidentsTable;
  incident_alerts: IncidentAlertsTable;
  incident_events: IncidentEventsTable;
  fix_pull_requests: FixPullRequestsTable;
  fix_pull_events: FixPullEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  executions: ExecutionsTable;
  execution_actions: ExecutionActionsTable;
  chat_messages: ChatMessagesTable;
}
