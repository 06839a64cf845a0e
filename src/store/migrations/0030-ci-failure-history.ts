import type { Kysely } from 'kysely';

/**
 * One row per CI job outcome pitcrew has seen (failed or passed), with the
 * failure signature when it failed. Answers "seen recently on the default
 * branch?", "passed on re-run?" and "does the base branch fail the same way?".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ci_failure_history')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('repo', 'text', (col) => col.notNull())
    .addColumn('branch', 'text', (col) => col.notNull())
    .addColumn('is_default_branch', 'integer', (col) => col.notNull())
    .addColumn('sha', 'text', (col) => col.notNull())
    .addColumn('workflow', 'text', (col) => col.notNull())
    .addColumn('job', 'text', (col) => col.notNull())
    .addColumn('run_id', 'text', (col) => col.notNull())
    .addColumn('run_attempt', 'integer', (col) => col.notNull())
    .addColumn('conclusion', 'text', (col) => col.notNull())
    .addColumn('signature', 'text')
    .addColumn('category', 'text')
    .addColumn('pr_number', 'integer')
    .addColumn('occurred_at', 'bigint', (col) => col.notNull())
    .addColumn('recorded_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('ci_failure_history_signature').on('ci_failure_history').columns(['repo', 'signature', 'occurred_at']).execute();
  await db.schema.createIndex('ci_failure_history_job').on('ci_failure_history').columns(['repo', 'workflow', 'job', 'sha']).execute();
  await db.schema.createIndex('ci_failure_history_branch').on('ci_failure_history').columns(['repo', 'branch', 'occurred_at']).execute();
  // One row per job attempt: a redelivered webhook must not count twice.
  await db.schema.createIndex('ci_failure_history_attempt').unique().on('ci_failure_history').columns(['repo', 'run_id', 'run_attempt', 'job']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ci_failure_history').execute();
}
