import type { Store } from '../store.js';
import type { JobQueue } from './job-queue.js';

/**
 * Enqueues with group commit: concurrent requests that arrive in the same
 * turn of the event loop share one transaction (one fsync), and each caller is
 * answered only after that transaction has committed. This is what lets the
 * inbox ack fast while every ack still means "persisted" (ADR 0006).
 */
export class GroupCommitEnqueuer {
  private pending: Array<{ payload: unknown; resolve: (id: string) => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly jobs: JobQueue,
    readonly queue: string,
    private readonly maxBatch = 256,
  ) {}

  enqueue(payload: unknown): Promise<string> {
    return new Promise((resolve, reject) => {
      this.pending.push({ payload, resolve, reject });
      if (!this.scheduled && !this.flushing) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once everything enqueued so far is committed (or failed). */
  async settle(): Promise<void> {
    while (this.flushing || this.scheduled) await (this.flushing ?? new Promise((r) => setImmediate(r)));
  }

  private flush(): void {
    this.scheduled = false;
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0) this.flush();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const ids = await this.store.writeTransaction((trx) => this.jobs.enqueueIn(trx, this.queue, batch.map((entry) => entry.payload)));
        batch.forEach((entry, i) => entry.resolve(ids[i]!));
        this.jobs.wake(this.queue);
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
      // Let requests that arrived meanwhile join the next batch.
      if (this.pending.length > 0 && this.pending.length < this.maxBatch) await new Promise((r) => setImmediate(r));
    }
  }
}
