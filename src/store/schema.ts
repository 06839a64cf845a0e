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

export interface Database {
  settings: SettingsTable;
  plan_decisions: PlanDecisionsTable;
}
