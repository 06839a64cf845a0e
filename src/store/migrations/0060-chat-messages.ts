import type { Kysely } from 'kysely';

/**
 * Where each incident's chat messages are: the thread root (`key = 'root'`)
 * and one row per reply key. A row is claimed (ts null) before the message is
 * posted, so two replicas, or a redelivered change, never post the same
 * message twice (ADR 0011).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_messages')
    .addColumn('incident_id', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('ts', 'text')
    .addColumn('permalink', 'text')
    .addColumn('link_url', 'text')
    .addColumn('claimed_by', 'text', (col) => col.notNull())
    .addColumn('claimed_at', 'bigint', (col) => col.notNull())
    .addColumn('content_hash', 'text')
    .addColumn('version', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('chat_messages_pk', ['incident_id', 'key'])
    .execute();
  await db.schema.createIndex('chat_messages_ts').on('chat_messages').columns(['channel', 'ts']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_messages').execute();
}
