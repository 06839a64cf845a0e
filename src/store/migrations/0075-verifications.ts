import type { Kysely } from 'kysely';

/** Verification watches (pipeline stage 7): they outlive restarts, so they live in the store. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('verifications')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('repo', 'text', (col) => col.notNull())
    .addColumn('pr_number', 'integer', (col) => col.notNull())
    .addColumn('plan_id', 'text', (col) => col.notNull())
    .addColumn('merge_sha', 'text', (col) => col.notNull())
    .addColumn('incident_id', 'text', (col) => col.notNull())
    .addColumn('signal_source', 'text', (col) => col.notNull())
    .addColumn('signal_fingerprint', 'text', (col) => col.notNull())
    .addColumn('executed_at', 'bigint', (col) => col.notNull())
    .addColumn('deadline_at', 'bigint', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('detail', 'text', (col) => col.notNull())
    .addColumn('revert_pr', 'integer')
    .addColumn('revert_url', 'text')
    .addColumn('outcome_note', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('verifications_incident').on('verifications').columns(['incident_id', 'state']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('verifications').execute();
}
