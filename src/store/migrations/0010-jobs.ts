import type { Kysely } from 'kysely';

/**
 * The durable job queue (ADR 0006): the alert inbox and the incident-change
 * outbox are rows here. A job is `pending` until a worker claims it
 * (`active`, with a lease), then `completed` or, after max_attempts, `dead`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('queue', 'text', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (col) => col.notNull())
    .addColumn('run_after', 'bigint', (col) => col.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    // Enqueue order (epoch µs, strictly increasing within a process): FIFO among jobs due at the same time.
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  // The claim query: pending jobs of a queue that are due, oldest first.
  await db.schema.createIndex('jobs_claim').on('jobs').columns(['queue', 'state', 'run_after', 'seq']).execute();
  // Lease reaping and retention sweeps.
  await db.schema.createIndex('jobs_state_lease').on('jobs').columns(['state', 'locked_until']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
