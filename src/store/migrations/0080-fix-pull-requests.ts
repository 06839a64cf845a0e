import type { Kysely } from 'kysely';

/**
 * pitcrew's fix PRs as the GitHub webhooks showed them: the current state
 * of each (open, merged, closed unmerged; the latest review verdict) and a
 * log of the lifecycle events, for the handoff's "waiting for review" and
 * "human overrides" and for metrics. Git keeps the PRs themselves (I5); this
 * is only an index of what happened to them, rebuilt from webhooks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fix_pull_requests')
    .addColumn('repo', 'text', (col) => col.notNull())
    .addColumn('number', 'integer', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('branch', 'text', (col) => col.notNull())
    .addColumn('proposal_key', 'text')
    .addColumn('plan_id', 'text')
    .addColumn('author', 'text')
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('state_at', 'bigint', (col) => col.notNull())
    .addColumn('review', 'text', (col) => col.notNull())
    .addColumn('review_at', 'bigint')
    .addColumn('opened_at', 'bigint', (col) => col.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('closed_by', 'text')
    .addColumn('merged_at', 'bigint')
    .addColumn('changes_requested_at', 'bigint')
    .addColumn('changes_requested_by', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('approved_by', 'text')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('fix_pull_requests_pk', ['repo', 'number'])
    .execute();
  await db.schema.createIndex('fix_pull_requests_state').on('fix_pull_requests').columns(['state', 'opened_at']).execute();

  await db.schema
    .createTable('fix_pull_events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('repo', 'text', (col) => col.notNull())
    .addColumn('number', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('actor', 'text')
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('recorded_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('fix_pull_events_kind_at').on('fix_pull_events').columns(['kind', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('fix_pull_events').execute();
  await db.schema.dropTable('fix_pull_requests').execute();
}
