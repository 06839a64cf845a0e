import type { Kysely } from 'kysely';

/**
 * Incidents, the alerts attached to them (dedupe state by source and
 * fingerprint) and each incident's timeline.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('number', 'integer', (col) => col.notNull().unique())
    .addColumn('group_key', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('severity', 'text', (col) => col.notNull())
    .addColumn('service', 'text')
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('opened_at', 'bigint', (col) => col.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('mitigating_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('reopened_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_signal_at', 'bigint', (col) => col.notNull())
    .addColumn('flapping', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('flapping_since', 'bigint')
    .addColumn('alerts_total', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('alerts_firing', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('event_seq', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('incidents_group').on('incidents').columns(['group_key', 'last_signal_at']).execute();
  await db.schema.createIndex('incidents_state').on('incidents').columns(['state', 'opened_at']).execute();

  await db.schema
    .createTable('incident_alerts')
    .addColumn('incident_id', 'text', (col) => col.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('fingerprint', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('alertname', 'text')
    .addColumn('severity', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('signal', 'text', (col) => col.notNull())
    .addColumn('starts_at', 'bigint')
    .addColumn('ends_at', 'bigint')
    .addColumn('first_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('last_change_at', 'bigint', (col) => col.notNull())
    .addColumn('seen_count', 'integer', (col) => col.notNull())
    .addColumn('state_changes', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('incident_alerts_pk', ['incident_id', 'source', 'fingerprint'])
    .execute();
  // Dedupe lookup: the latest row for a (source, fingerprint).
  await db.schema.createIndex('incident_alerts_fingerprint').on('incident_alerts').columns(['source', 'fingerprint', 'last_seen_at']).execute();

  await db.schema
    .createTable('incident_events')
    .addColumn('incident_id', 'text', (col) => col.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('fingerprint', 'text')
    .addColumn('detail', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('incident_events_pk', ['incident_id', 'seq'])
    .execute();
  await db.schema.createIndex('incident_events_kind_at').on('incident_events').columns(['incident_id', 'kind', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incident_events').execute();
  await db.schema.dropTable('incident_alerts').execute();
  await db.schema.dropTable('incidents').execute();
}
