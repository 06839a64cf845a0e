import type { Kysely } from 'kysely';

/** The planner's decision log: one row per plan, the full record as JSON in `body`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plan_decisions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('plan_id', 'text', (col) => col.notNull())
    .addColumn('plan_hash', 'text', (col) => col.notNull())
    .addColumn('signal_fingerprint', 'text', (col) => col.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('input_digest', 'text', (col) => col.notNull())
    .addColumn('planner', 'text', (col) => col.notNull())
    .addColumn('model', 'text')
    .addColumn('prompt_version', 'text')
    .addColumn('input_tokens', 'integer', (col) => col.notNull())
    .addColumn('output_tokens', 'integer', (col) => col.notNull())
    .addColumn('estimated_cost_usd', 'double precision')
    .addColumn('allowed', 'integer', (col) => col.notNull())
    .addColumn('risk', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('plan_decisions_fingerprint').on('plan_decisions').columns(['signal_fingerprint', 'created_at']).execute();
  await db.schema.createIndex('plan_decisions_plan').on('plan_decisions').column('plan_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plan_decisions').execute();
}
