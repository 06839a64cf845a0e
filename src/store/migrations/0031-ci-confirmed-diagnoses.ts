import type { Kysely } from 'kysely';

/**
 * Diagnoses a human confirmed (👍 on the comment, `/pitcrew confirm`, or the
 * eval's `--learn`). Each row keeps the confirmed lines with a little
 * context, already redacted, so later logs of the same repository can be read
 * the same way. Never the whole log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ci_confirmed_diagnoses')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('repo', 'text', (col) => col.notNull())
    .addColumn('signature', 'text', (col) => col.notNull())
    .addColumn('category', 'text')
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('confirmed_by', 'text')
    .addColumn('log_ref', 'text')
    .addColumn('example', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('ci_confirmed_diagnoses_repo').on('ci_confirmed_diagnoses').columns(['repo', 'created_at']).execute();
  // Confirming the same failure twice (a 👍 and a /pitcrew confirm) keeps one row.
  await db.schema.createIndex('ci_confirmed_diagnoses_unique').unique().on('ci_confirmed_diagnoses').columns(['repo', 'signature']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ci_confirmed_diagnoses').execute();
}
