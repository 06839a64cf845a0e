import { performance } from 'node:perf_hooks';
import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../ops/logger.js';
import type { Db, Store } from '../store.js';
import { LeaseLostError, newWorkerId, type Job, type JobQueue } from './job-queue.js';

/**
 * How a job is handled:
 * - `transactional`: its effects are database writes; they commit in the same
 *   transaction that marks the job completed (exactly-once effects). It may
 *   return a callback to run after the commit (to wake other queues).
 * - `external`: its effects are outside the database (Slack, GitHub); it runs,
 *   then the job is completed. At least once: the handler must be idempotent.
 */
export type JobHandler<P> =
  | {
      mode: 'transactional';
      run(job: Job<P>, trx: Db): Promise<(() => void) | void>;
      /** Optional: a whole batch at once, with the same effects as `run` on each job in order. */
      runBatch?(jobs: Array<Job<P>>, trx: Db): Promise<(() => void) | void>;
    }
  | { mode: 'external'; run(job: Job<P>): Promise<void> };

/** A failure that retrying cannot fix (e.g. a payload no version of the schema accepts): dead-letter at once. */
export class PermanentJobError extends Error {}

export type JobOutcome = 'completed' | 'retry' | 'dead' | 'lost';

export interface WorkerObserver {
  jobFinished(queue: string, outcome: JobOutcome, durationMs: number): void;
}

export interface WorkerOptions {
  queue: string;
  /** Jobs claimed at once. */
  batchSize?: number;
  /** How long a claim is held before another worker may take the job. */
  leaseMs?: number;
  /** Longest sleep when nothing is due: the fallback for wakes missed across processes. */
  maxIdleMs?: number;
  /**
   * Wait this long after a wake before claiming, so jobs arriving together
   * are processed in one batch (one commit) rather than one transaction each.
   */
  coalesceMs?: number;
}

export interface WorkerDeps {
  store: Store;
  jobs: JobQueue;
  clock: Clock;
  log: Logger;
  observer?: WorkerObserver;
}

/**
 * Processes one queue. It sleeps until woken by an enqueue, or until the next
 * retry or lease expiry is due (its only timer), then drains what is due.
 * `stop()` finishes the job in hand and gives the rest of its batch back.
 */
export class Worker<P = unknown> {
  readonly id: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxIdleMs: number;
  private running: Promise<void> | undefined;
  private wanted = false;
  private reapWanted = true;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private coalescing: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private unregister: (() => void) | undefined;
  /** Set when claim, processing and completion share one transaction (transactional jobs on SQLite). */
  private readonly fused: Extract<JobHandler<P>, { mode: 'transactional' }> | undefined;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly handler: JobHandler<P>,
    private readonly options: WorkerOptions,
  ) {
    this.id = newWorkerId(options.queue);
    this.batchSize = options.batchSize ?? 25;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxIdleMs = options.maxIdleMs ?? 30_000;
    this.unregister = deps.jobs.registerWorker(this.id);
    this.fused = handler.mode === 'transactional' && deps.store.dialect === 'sqlite' ? handler : undefined;
  }

  start(): void {
    this.unsubscribe = this.deps.jobs.notifier.onWake(this.options.queue, () => this.kick());
    this.kick();
  }

  /** Resolves when nothing is due (used by the CLI and tests to drain a queue). */
  async drain(): Promise<void> {
    do {
      this.kick(true);
      while (this.running) await this.running;
    } while ((this.wanted || this.coalescing) && !this.stopping);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.coalescing) clearTimeout(this.coalescing);
    this.unsubscribe?.();
    while (this.running) await this.running;
    this.unregister?.();
  }

  /**
   * Processes the given pending jobs now, in this process; ids another worker
   * took first are left to it. Returns each processed job's outcome.
   */
  async runNow(ids: string[]): Promise<Map<string, JobOutcome>> {
    const outcomes = new Map<string, JobOutcome>();
    const claimed = await this.deps.jobs.claimIds<P>(ids, this.id, this.leaseMs);
    for (const job of claimed) outcomes.set(job.id, await this.process(job));
    return outcomes;
  }

  private kick(now = false): void {
    if (this.stopping) return;
    this.wanted = true;
    if (this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const coalesceMs = this.options.coalesceMs ?? 0;
    if (!now && coalesceMs > 0) {
      this.coalescing ??= setTimeout(() => {
        this.coalescing = undefined;
        this.kick(true);
      }, coalesceMs);
      return;
    }
    if (this.coalescing) clearTimeout(this.coalescing);
    this.coalescing = undefined;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.wanted && !this.stopping) this.kick();
    });
  }

  private async loop(): Promise<void> {
    let retryInMs: number | undefined;
    try {
      while (this.wanted && !this.stopping) {
        this.wanted = false;
        if (this.reapWanted) {
          this.reapWanted = false;
          const reaped = await this.deps.jobs.reap();
          if (reaped.released + reaped.dead > 0) this.deps.log.warn({ queue: this.options.queue, ...reaped }, 'reclaimed jobs from a dead or timed-out worker');
        }
        for (;;) {
          if (this.stopping) return;
          if (this.fused) {
            const processed = await this.claimAndProcess(this.fused);
            if (processed === 0) break;
            if (processed > 0) continue;
            // A job of the batch failed: claim again and process one by one, so only that job is retried.
          }
          const batch = await this.deps.jobs.claim<P>(this.options.queue, this.id, this.batchSize, this.leaseMs);
          if (batch.length === 0) break;
          await this.processBatch(batch);
        }
      }
    } catch (error) {
      // The store is unreachable or failing: try again shortly, never in a tight loop.
      this.deps.log.error({ queue: this.options.queue, err: (error as Error).message }, 'queue worker cannot reach the store; retrying');
      retryInMs = 1_000;
    }
    if (!this.stopping) await this.schedule(retryInMs);
  }

  private async schedule(retryInMs: number | undefined): Promise<void> {
    let delay = retryInMs ?? this.maxIdleMs;
    if (retryInMs === undefined) {
      const next = await this.deps.jobs.nextDueAt(this.options.queue).catch(() => undefined);
      if (next !== undefined) delay = Math.min(this.maxIdleMs, Math.max(10, next - this.deps.clock.now() + 5));
    }
    if (this.stopping || this.wanted) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reapWanted = true;
      this.kick();
    }, delay);
    this.timer.unref();
  }

  /**
   * SQLite has one writer at a time, so a batch is claimed, processed and
   * completed in one transaction (one commit). A crash before the commit
   * leaves the jobs pending, as if never claimed. Returns how many jobs were
   * processed, or -1 when one failed and the batch rolled back.
   */
  private async claimAndProcess(handler: Extract<JobHandler<P>, { mode: 'transactional' }>): Promise<number> {
    const started = performance.now();
    const { store, jobs, observer } = this.deps;
    let result: { batch: Array<Job<P>>; after: Array<(() => void) | void> };
    try {
      result = await store.writeTransaction(async (trx) => {
        const batch = await jobs.claimIn<P>(trx, this.options.queue, this.id, this.batchSize, this.leaseMs);
        return { batch, after: await this.runAll(batch, handler, trx) };
      });
    } catch {
      return -1;
    }
    for (const after of result.after) after?.();
    const each = (performance.now() - started) / Math.max(1, result.batch.length);
    for (const job of result.batch) observer?.jobFinished(job.queue, 'completed', each);
    return result.batch.length;
  }

  /**
   * A claimed batch, as few transactions as possible: transactional jobs are
   * first tried all together in one (one commit for the batch); if any of them
   * fails, the batch rolls back and each job is processed on its own, so only
   * the failing one is retried. External jobs run one by one and are completed
   * together.
   */
  private async processBatch(batch: Array<Job<P>>): Promise<void> {
    if (batch.length > 1 && this.handler.mode === 'transactional' && (await this.processTogether(batch, this.handler))) return;
    if (batch.length > 1 && this.handler.mode === 'external') return this.processExternal(batch, this.handler);
    for (let i = 0; i < batch.length; i++) {
      if (this.stopping) return this.deps.jobs.release(batch.slice(i), this.id);
      await this.process(batch[i]!);
    }
  }

  /** Runs and completes a batch inside `trx`; any failure (or a lost lease) throws and rolls it all back. */
  private async runAll(batch: Array<Job<P>>, handler: Extract<JobHandler<P>, { mode: 'transactional' }>, trx: Db): Promise<Array<(() => void) | void>> {
    if (batch.length === 0) return [];
    if (handler.runBatch) {
      const after = await handler.runBatch(batch, trx);
      await this.deps.jobs.completeManyIn(trx, batch, this.id);
      return [after];
    }
    const after: Array<(() => void) | void> = [];
    for (const job of batch) {
      after.push(await handler.run(job, trx));
      await this.deps.jobs.completeIn(trx, job, this.id);
    }
    return after;
  }

  private async processTogether(batch: Array<Job<P>>, handler: Extract<JobHandler<P>, { mode: 'transactional' }>): Promise<boolean> {
    const started = performance.now();
    const { store, observer } = this.deps;
    let afterCommit: Array<(() => void) | void>;
    try {
      afterCommit = await store.writeTransaction((trx) => this.runAll(batch, handler, trx));
    } catch {
      return false;
    }
    for (const after of afterCommit) after?.();
    const each = (performance.now() - started) / batch.length;
    for (const job of batch) observer?.jobFinished(job.queue, 'completed', each);
    return true;
  }

  private async processExternal(batch: Array<Job<P>>, handler: Extract<JobHandler<P>, { mode: 'external' }>): Promise<void> {
    const done: Array<{ job: Job<P>; ms: number }> = [];
    for (let i = 0; i < batch.length; i++) {
      if (this.stopping) {
        await this.deps.jobs.release(batch.slice(i), this.id);
        break;
      }
      const job = batch[i]!;
      const started = performance.now();
      try {
        await handler.run(job);
        done.push({ job, ms: performance.now() - started });
      } catch (error) {
        await this.recordFailure(job, error, started);
      }
    }
    const completed = await this.deps.jobs.completeMany(done.map((entry) => entry.job), this.id);
    for (const { job, ms } of done) {
      if (!completed.has(job.id)) this.deps.log.warn({ queue: job.queue, jobId: job.id }, 'job lease lost; another worker finishes it');
      this.deps.observer?.jobFinished(job.queue, completed.has(job.id) ? 'completed' : 'lost', ms);
    }
  }

  private async recordFailure(job: Job<P>, error: unknown, started: number): Promise<JobOutcome> {
    const { jobs, log, observer } = this.deps;
    const message = error instanceof Error ? error.message : String(error);
    const outcome = await jobs.fail(job, this.id, message, { permanent: error instanceof PermanentJobError }).catch((failError: Error) => {
      log.error({ queue: job.queue, jobId: job.id, err: failError.message }, 'cannot record job failure; the lease will expire and it will be retried');
      return 'lost' as const;
    });
    const meta = { queue: job.queue, jobId: job.id, attempt: job.attempts, maxAttempts: job.maxAttempts, err: message };
    if (outcome === 'dead') log.error(meta, 'job dead-lettered; replay with `pitcrew dead-letters --replay`');
    else log.warn({ ...meta, retryInMs: jobs.backoffMs(job.attempts) }, 'job failed; will retry');
    observer?.jobFinished(job.queue, outcome, performance.now() - started);
    return outcome;
  }

  private async process(job: Job<P>): Promise<JobOutcome> {
    const started = performance.now();
    const { store, jobs, log, observer } = this.deps;
    let outcome: JobOutcome;
    try {
      if (this.handler.mode === 'transactional') {
        const handler = this.handler;
        const afterCommit = await store.writeTransaction(async (trx) => {
          const after = await handler.run(job, trx);
          await jobs.completeIn(trx, job, this.id);
          return after;
        });
        afterCommit?.();
      } else {
        await this.handler.run(job);
        await jobs.complete(job, this.id);
      }
      outcome = 'completed';
    } catch (error) {
      if (!(error instanceof LeaseLostError)) return this.recordFailure(job, error, started);
      log.warn({ queue: job.queue, jobId: job.id }, 'job lease lost; another worker finishes it');
      outcome = 'lost';
    }
    observer?.jobFinished(job.queue, outcome, performance.now() - started);
    return outcome;
  }
}
