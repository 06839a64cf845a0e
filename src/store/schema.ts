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

export interface Database {
  settings: SettingsTable;
}
