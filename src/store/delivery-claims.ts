import type { Clock } from '../domain/clock.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from './store.js';

export type ClaimResult = 'claimed' | 'duplicate' | 'in_progress';

/**
 * Claims on webhook deliveries, in the store every replica shares (ADR 0015).
 * A delivery id is claimed by the first replica to see it; the same delivery
 * arriving again (at that replica or another) is skipped: `duplicate` once it
 * was handled, `in_progress` while another holder works on it. A failed
 * handling releases its claim, so a redelivery is handled again; a claim left
 * by a replica that died is taken over after `staleMs`.
 */
export class DeliveryClaims {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly owner: string,
    private readonly staleMs = 10 * 60_000,
  ) {}

  async claim(source: string, id: string, event: string): Promise<ClaimResult> {
    const now = this.clock.now();
    return this.store.writeTransaction(async (trx) => {
      const inserted = await trx
        .insertInto('webhook_deliveries')
        .values({ id: `${source}:${id}`, source, event, state: 'processing', claimed_by: this.owner, claimed_at: now, completed_at: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return 'claimed';
      const row = await trx.selectFrom('webhook_deliveries').select(['state', 'claimed_at']).where('id', '=', `${source}:${id}`).executeTakeFirst();
      if (!row) return 'in_progress';
      if (row.state === 'done') return 'duplicate';
      if (Number(row.claimed_at) > now - this.staleMs) return 'in_progress';
      await trx.updateTable('webhook_deliveries').set({ claimed_by: this.owner, claimed_at: now }).where('id', '=', `${source}:${id}`).execute();
      return 'claimed';
    });
  }

  async complete(source: string, id: string): Promise<void> {
    const now = this.clock.now();
    await this.store.writeTransaction((trx) =>
      trx.updateTable('webhook_deliveries').set({ state: 'done', completed_at: now }).where('id', '=', `${source}:${id}`).execute());
  }

  /** Gives a claim up after a failed handling, so the delivery can be handled when it is redelivered. */
  async release(source: string, id: string): Promise<void> {
    await this.store.writeTransaction((trx) =>
      trx.deleteFrom('webhook_deliveries').where('id', '=', `${source}:${id}`).where('state', '=', 'processing').where('claimed_by', '=', this.owner).execute());
  }

  /** Forgets deliveries claimed before `olderThanMs` ago (GitHub offers redelivery for 3 days). */
  async prune(olderThanMs: number): Promise<number> {
    const cutoff = this.clock.now() - olderThanMs;
    const result = await this.store.writeTransaction((trx) => trx.deleteFrom('webhook_deliveries').where('claimed_at', '<', cutoff).executeTakeFirst());
    return Number(result.numDeletedRows);
  }

  /** Prunes claims older than GitHub's 3-day redelivery window, hourly. Returns the stop. */
  schedulePrune(log: Logger, retentionMs = 4 * 24 * 3_600_000): () => Promise<void> {
    const timer = setInterval(() => {
      this.prune(retentionMs).then(
        (deleted) => deleted > 0 && log.info({ deleted }, 'pruned webhook delivery claims'),
        (error: Error) => log.warn({ err: error.message }, 'cannot prune webhook delivery claims'),
      );
    }, 3_600_000);
    timer.unref();
    return async () => clearInterval(timer);
  }
}
