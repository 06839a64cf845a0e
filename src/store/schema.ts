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
  plan_decisions: PlanDecisionsTable;
  ci_failure_history: CiFailureHistoryTable;
  ci_confirmed_diagnoses: CiConfirmedDiagnosesTable;
  jobs: JobsTable;
  incidents: IncidentsTable;
  incident_alerts: IncidentAlertsTable;
  incident_events: IncidentEventsTable;
  chat_messages: ChatMessagesTable;
}
