import type { ChatMessagesTable } from './schema.js';
import type { Db } from './store.js';

/** The key of an incident's thread root among its chat messages. */
export const ROOT_KEY = 'root';

export type ClaimResult = { kind: 'claimed' } | { kind: 'existing'; row: ChatMessagesTable };

/**
 * SQL access to where incidents' chat messages were posted. Claiming a row
 * before posting is what keeps replicas and redeliveries from posting twice:
 * the insert is atomic in both SQLite and Postgres, so exactly one claimer
 * wins and the others find its row.
 */
export class ChatMessageRepo {
  constructor(private readonly db: Db) {}

  get(incidentId: string, key: string): Promise<ChatMessagesTable | undefined> {
    return this.db.selectFrom('chat_messages').selectAll().where('incident_id', '=', incidentId).where('key', '=', key).executeTakeFirst();
  }

  /** Claims (incident, key) for `claimer`, unless a row exists: then it is returned. */
  async claim(incidentId: string, key: string, channel: string, claimer: string, now: number): Promise<ClaimResult> {
    const result = await this.db
      .insertInto('chat_messages')
      .values({ incident_id: incidentId, key, channel, ts: null, permalink: null, link_url: null, claimed_by: claimer, claimed_at: now, content_hash: null, version: 0, updated_at: now })
      .onConflict((oc) => oc.columns(['incident_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'claimed' };
    const row = await this.get(incidentId, key);
    if (!row) return this.claim(incidentId, key, channel, claimer, now); // released in between: try again
    return { kind: 'existing', row };
  }

  /** Takes over a claim whose holder never posted (it crashed or gave up); false when someone else took it first. */
  async takeOver(row: ChatMessagesTable, claimer: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('chat_messages')
      .set({ claimed_by: claimer, claimed_at: now, updated_at: now })
      .where('incident_id', '=', row.incident_id)
      .where('key', '=', row.key)
      .where('ts', 'is', null)
      .where('claimed_by', '=', row.claimed_by)
      .where('claimed_at', '=', row.claimed_at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives a claim back after the post failed, so the retry (here or on another replica) can claim it at once. */
  async release(incidentId: string, key: string, claimer: string): Promise<void> {
    await this.db.deleteFrom('chat_messages').where('incident_id', '=', incidentId).where('key', '=', key).where('ts', 'is', null).where('claimed_by', '=', claimer).execute();
  }

  async posted(incidentId: string, key: string, fields: { channel: string; ts: string; permalink: string | null; linkUrl?: string | null; contentHash: string; version: number; now: number }): Promise<void> {
    await this.db
      .updateTable('chat_messages')
      .set({ channel: fields.channel, ts: fields.ts, permalink: fields.permalink, link_url: fields.linkUrl ?? null, content_hash: fields.contentHash, version: fields.version, updated_at: fields.now })
      .where('incident_id', '=', incidentId)
      .where('key', '=', key)
      .execute();
  }

  async updated(incidentId: string, key: string, fields: { contentHash: string; version: number; linkUrl?: string | null; now: number }): Promise<void> {
    await this.db
      .updateTable('chat_messages')
      .set({ content_hash: fields.contentHash, version: fields.version, ...(fields.linkUrl !== undefined ? { link_url: fields.linkUrl } : {}), updated_at: fields.now })
      .where('incident_id', '=', incidentId)
      .where('key', '=', key)
      .execute();
  }

  /** The incident whose thread holds the message at (channel, ts): its root or one of its replies. */
  async incidentAt(channel: string, ts: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('chat_messages').select('incident_id').where('channel', '=', channel).where('ts', '=', ts).executeTakeFirst();
    return row?.incident_id;
  }

  /** The newest link a reply of this kind recorded (e.g. `proposal:` → the fix PR). */
  async latestLink(incidentId: string, keyPrefix: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('chat_messages')
      .select('link_url')
      .where('incident_id', '=', incidentId)
      .where('key', 'like', `${keyPrefix}%`)
      .where('link_url', 'is not', null)
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.link_url ?? undefined;
  }

  async countRoots(): Promise<number> {
    const rows = await this.db.selectFrom('chat_messages').select('incident_id').where('key', '=', ROOT_KEY).where('ts', 'is not', null).execute();
    return rows.length;
  }
}
