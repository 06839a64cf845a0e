import type { Kysely } from 'kysely';

/**
 * The execution journal (invariant I2, ADR 0010): one row per merge commit
 * (unique on repo + merge SHA, so a redelivered or concurrent webhook cannot
 * start a second execution) and one row per action, keyed
 * `<planId>:<mergeSha>:<index>` and committed before the action runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('executions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('repo', 'text', (col) => col.notNull())
    .addColumn('pr_number', 'integer', (col) => col.notNull())
    .addColumn('merge_sha', 'text', (col) => col.notNull())
    .addColumn('head_sha', 'text', (col) => col.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('plan_hash', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('context', 'text')
    .addColumn('record', 'text')
    .addColumn('reported', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('executions_merge').on('executions').columns(['repo', 'merge_sha']).unique().execute();
  await db.schema.createIndex('executions_state').on('executions').columns(['state', 'lease_until']).execute();
  await db.schema.createIndex('executions_finished').on('executions').columns(['repo', 'finished_at']).execute();

  await db.schema
    .createTable('execution_actions')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('execution_id', 'text', (col) => col.notNull())
    .addColumn('idx', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('detail', 'text', (col) => col.notNull())
    .addColumn('checkpoint', 'text')
    .addColumn('owner', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('execution_actions_execution').on('execution_actions').columns(['execution_id', 'idx']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('execution_actions').execute();
  await db.schema.dropTable('executions').execute();
}
