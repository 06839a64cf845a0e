import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Clock } from '../../domain/clock.js';
import { PitcrewError } from '../../domain/errors.js';
import type { JobsTable } from '../schema.js';
import type { Db, Store } from '../store.js';
import type { JobNotifier } from './notifier.js';

/**
 * A durable job queue on the SQL store, the pg-boss / graphile-worker design
 * implemented on Kysely so one interface serves SQLite and Postgres (ADR 0006):
 *
 * - a `jobs` table with state, run_after, attempts and a lease (locked_by,
 *   locked_until);
 * - claim = one UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING, with
 *   FOR UPDATE SKIP LOCKED on Postgres and under BEGIN IMMEDIATE on SQLite;
 * - completion happens in the same transaction as the job's effects and
 *   checks the lease, so at-least-once delivery gives exactly-once effects;
 * - failures retry with exponential backoff and dead-letter after max_attempts;
 * - workers are woken on enqueue (in process, plus LISTEN/NOTIFY on Postgres).
 */
export type JobState = JobsTable['state'];

export interface Job<P = unknown> {
  id: string;
  queue: string;
  payload: P;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAfter: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export interface EnqueueOptions {
  maxAttempts?: number;
  /** Epoch ms before which no worker takes the job. */
  runAfter?: number;
}

export interface QueueOptions {
  /** Attempts before a job is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles on each attempt. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = { maxAttempts: 10, backoffBaseMs: 1_000, backoffMaxMs: 10 * 60_000 };

/** Thrown when a worker tries to complete a job whose lease it no longer holds; its transaction rolls back. */
export class LeaseLostError extends Error {
  constructor(readonly jobId: string) {
    super(`lost the lease on job ${jobId}; another worker owns it now`);
  }
}

let lastSeq = 0;

/**
 * Enqueue order: epoch microseconds, bumped to stay strictly increasing, so
 * jobs enqueued in the same millisecond (one group commit) keep their order.
 */
export function nextSeq(nowMs: number): number {
  lastSeq = Math.max(lastSeq + 1, nowMs * 1_000);
  return lastSeq;
}

/**
 * A UUIDv7 (RFC 9562): time-ordered, so inserts append to the primary-key
 * index instead of touching a random page of it on every enqueue.
 */
export function uuidv7(nowMs: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A worker id that names the host and pid, so a restarted process can recognise its dead predecessor's leases. */
export function newWorkerId(name: string): string {
  return `${hostname()}:${process.pid}:${name}:${randomUUID().slice(0, 8)}`;
}

export interface QueueCount {
  queue: string;
  state: JobState;
  count: number;
  /** created_at of the oldest job in this state. */
  oldestCreatedAt: number | null;
}

export class JobQueue {
  readonly options: QueueOptions;
  /** Worker ids alive in this process; any other lease held under this pid is a dead predecessor's. */
  private readonly liveWorkers = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly notifier: JobNotifier,
    options: Partial<QueueOptions> = {},
  ) {
    this.options = { ...DEFAULT_QUEUE_OPTIONS, ...options };
  }

  /**
   * Inserts jobs inside the caller's transaction. On Postgres a NOTIFY is sent
   * with them (delivered on commit); call `wake(queue)` after the commit for
   * workers in this process.
   */
  async enqueueIn(trx: Db, queue: string, payloads: unknown[], options: EnqueueOptions = {}): Promise<string[]> {
    if (payloads.length === 0) return [];
    const now = this.clock.now();
    const rows = payloads.map((payload) => ({
      id: uuidv7(now),
      queue,
      payload: JSON.stringify(payload),
      state: 'pending' as const,
      attempts: 0,
      max_attempts: options.maxAttempts ?? this.options.maxAttempts,
      run_after: options.runAfter ?? now,
      locked_by: null,
      locked_until: null,
      last_error: null,
      seq: nextSeq(now),
      created_at: now,
      updated_at: now,
      completed_at: null,
    }));
    // 13 columns a row; stay well under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('jobs').values(rows.slice(i, i + 500)).execute();
    if (this.store.dialect === 'postgres') await sql`select pg_notify(${this.notifier.channel}, ${queue})`.execute(trx);
    return rows.map((row) => row.id);
  }

  /** Enqueues in a transaction of its own and wakes local workers once it is committed. */
  async enqueue(queue: string, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    const [id] = await this.store.writeTransaction((trx) => this.enqueueIn(trx, queue, [payload], options));
    this.wake(queue);
    return id!;
  }

  registerWorker(workerId: string): () => void {
    this.liveWorkers.add(workerId);
    return () => this.liveWorkers.delete(workerId);
  }

  wake(queue: string): void {
    this.notifier.wakeLocal(queue);
  }

  /** Takes up to `limit` due jobs of `queue` for `workerId`, leased for `leaseMs`. */
  async claim<P>(queue: string, workerId: string, limit: number, leaseMs: number): Promise<Array<Job<P>>> {
    // Postgres: a plain READ COMMITTED statement (SKIP LOCKED does the work). SQLite: BEGIN IMMEDIATE.
    if (this.store.dialect === 'postgres') return this.claimIn(this.store.db, queue, workerId, limit, leaseMs);
    return this.store.writeTransaction((trx) => this.claimIn<P>(trx, queue, workerId, limit, leaseMs));
  }

  /**
   * The claim statement, inside the caller's transaction. On SQLite (one writer
   * at a time) a worker claims, processes and completes in one transaction.
   */
  async claimIn<P>(db: Db, queue: string, workerId: string, limit: number, leaseMs: number): Promise<Array<Job<P>>> {
    const run = async (db: Db) => {
      const now = this.clock.now();
      let due = db
        .selectFrom('jobs')
        .select('id')
        .where('queue', '=', queue)
        .where('state', '=', 'pending')
        .where('run_after', '<=', now)
        .orderBy('run_after')
        .orderBy('seq')
        .limit(limit);
      if (this.store.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return db
        .updateTable('jobs')
        .set({ state: 'active', locked_by: workerId, locked_until: now + leaseMs, attempts: sql<number>`attempts + 1`, updated_at: now })
        .where('id', 'in', due)
        .returningAll()
        .execute();
    };
    const rows = await run(db);
    return rows.sort((a, b) => Number(a.run_after) - Number(b.run_after) || Number(a.seq) - Number(b.seq)).map((row) => toJob<P>(row));
  }

  /** Takes specific pending jobs (e.g. the ones `pitcrew dead-letters --replay` just requeued). */
  async claimIds<P>(ids: string[], workerId: string, leaseMs: number): Promise<Array<Job<P>>> {
    if (ids.length === 0) return [];
    const now = this.clock.now();
    const rows = await this.store.writeTransaction((trx) =>
      trx
        .updateTable('jobs')
        .set({ state: 'active', locked_by: workerId, locked_until: now + leaseMs, attempts: sql<number>`attempts + 1`, updated_at: now })
        .where('id', 'in', ids)
        .where('state', '=', 'pending')
        .returningAll()
        .execute());
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((row) => toJob<P>(row));
  }

  /**
   * Marks the job completed inside the transaction that applied its effects.
   * If the lease was lost (expired and taken by another worker), throws
   * LeaseLostError so the effects roll back with it.
   */
  async completeIn(trx: Db, job: Job, workerId: string): Promise<void> {
    const now = this.clock.now();
    const result = await trx
      .updateTable('jobs')
      .set({ state: 'completed', completed_at: now, updated_at: now, locked_by: null, locked_until: null })
      .where('id', '=', job.id)
      .where('state', '=', 'active')
      .where('locked_by', '=', workerId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new LeaseLostError(job.id);
  }

  /** Completes several jobs inside the caller's transaction; throws LeaseLostError (rolling it back) unless it held every lease. */
  async completeManyIn(trx: Db, jobs: Job[], workerId: string): Promise<void> {
    const now = this.clock.now();
    for (let i = 0; i < jobs.length; i += 500) {
      const slice = jobs.slice(i, i + 500);
      const result = await trx
        .updateTable('jobs')
        .set({ state: 'completed', completed_at: now, updated_at: now, locked_by: null, locked_until: null })
        .where('id', 'in', slice.map((job) => job.id))
        .where('state', '=', 'active')
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== slice.length) throw new LeaseLostError(slice[0]!.id);
    }
  }

  /** Completes several jobs in one transaction; returns the ids completed (a job whose lease was lost is left to its new owner). */
  async completeMany(jobs: Job[], workerId: string): Promise<Set<string>> {
    if (jobs.length === 0) return new Set();
    const now = this.clock.now();
    const rows = await this.store.writeTransaction((trx) =>
      trx
        .updateTable('jobs')
        .set({ state: 'completed', completed_at: now, updated_at: now, locked_by: null, locked_until: null })
        .where('id', 'in', jobs.map((job) => job.id))
        .where('state', '=', 'active')
        .where('locked_by', '=', workerId)
        .returning('id')
        .execute());
    return new Set(rows.map((row) => row.id));
  }

  /** Completes a job in a transaction of its own (for jobs whose effects are outside the database). */
  async complete(job: Job, workerId: string): Promise<void> {
    await this.store.writeTransaction((trx) => this.completeIn(trx, job, workerId));
  }

  /**
   * Records a failed attempt: back to pending after an exponential backoff, or
   * dead when attempts are used up or the failure is permanent.
   */
  async fail(job: Job, workerId: string, error: string, options: { permanent?: boolean } = {}): Promise<'retry' | 'dead' | 'lost'> {
    const now = this.clock.now();
    const dead = options.permanent === true || job.attempts >= job.maxAttempts;
    const result = await this.store.writeTransaction((trx) =>
      trx
        .updateTable('jobs')
        .set({
          state: dead ? 'dead' : 'pending',
          run_after: dead ? job.runAfter : now + this.backoffMs(job.attempts),
          last_error: error.slice(0, 4_000),
          locked_by: null,
          locked_until: null,
          updated_at: now,
        })
        .where('id', '=', job.id)
        .where('state', '=', 'active')
        .where('locked_by', '=', workerId)
        .executeTakeFirst());
    if (Number(result.numUpdatedRows) !== 1) return 'lost';
    return dead ? 'dead' : 'retry';
  }

  backoffMs(attempts: number): number {
    return Math.min(this.options.backoffBaseMs * 2 ** Math.max(0, attempts - 1), this.options.backoffMaxMs);
  }

  /** Gives claimed but unstarted jobs back (shutdown), without counting the attempt. */
  async release(jobs: Job[], workerId: string): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.clock.now();
    await this.store.writeTransaction((trx) =>
      trx
        .updateTable('jobs')
        .set({ state: 'pending', locked_by: null, locked_until: null, attempts: sql<number>`attempts - 1`, updated_at: now })
        .where('id', 'in', jobs.map((job) => job.id))
        .where('state', '=', 'active')
        .where('locked_by', '=', workerId)
        .execute());
  }

  /**
   * Returns jobs whose lease expired to pending (or dead, when that was their
   * last attempt: a job that crashes its worker every time must not loop).
   * Jobs leased by a process of this host that no longer exists are reclaimed
   * at once rather than after the lease (`kill -9` recovery).
   */
  async reap(): Promise<{ released: number; dead: number }> {
    const now = this.clock.now();
    const localPrefix = `${hostname()}:`;
    return this.store.writeTransaction(async (trx) => {
      const active = await trx.selectFrom('jobs').select(['id', 'locked_by', 'locked_until', 'attempts', 'max_attempts']).where('state', '=', 'active').execute();
      const orphaned = active.filter((job) => (job.locked_until ?? 0) < now || isDeadLocalWorker(job.locked_by, localPrefix, this.liveWorkers));
      const toDead = orphaned.filter((job) => job.attempts >= job.max_attempts).map((job) => job.id);
      const toPending = orphaned.filter((job) => job.attempts < job.max_attempts).map((job) => job.id);
      if (toPending.length > 0) {
        await trx.updateTable('jobs').set({ state: 'pending', locked_by: null, locked_until: null, run_after: now, updated_at: now }).where('id', 'in', toPending).execute();
      }
      if (toDead.length > 0) {
        await trx
          .updateTable('jobs')
          .set({ state: 'dead', locked_by: null, locked_until: null, updated_at: now, last_error: sql<string>`coalesce(last_error, ${'the worker died or timed out on every attempt'})` })
          .where('id', 'in', toDead)
          .execute();
      }
      return { released: toPending.length, dead: toDead.length };
    });
  }

  /** When the next job of `queue` becomes due or its lease expires: the worker's only timer. */
  async nextDueAt(queue: string): Promise<number | undefined> {
    const row = await this.store.db
      .selectFrom('jobs')
      .select([
        sql<number | null>`min(case when state = 'pending' then run_after end)`.as('due'),
        sql<number | null>`min(case when state = 'active' then locked_until end)`.as('lease'),
      ])
      .where('queue', '=', queue)
      .where('state', 'in', ['pending', 'active'])
      .executeTakeFirst();
    const times = [row?.due, row?.lease].filter((t): t is number => t !== null && t !== undefined).map(Number);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }

  async list(filter: { state?: JobState; queue?: string; limit?: number } = {}): Promise<Job[]> {
    let query = this.store.db.selectFrom('jobs').selectAll().orderBy('seq').limit(filter.limit ?? 1_000);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.queue) query = query.where('queue', '=', filter.queue);
    return (await query.execute()).map((row) => toJob(row));
  }

  /**
   * Puts dead jobs back to pending with a fresh set of attempts. `ids` may be
   * full ids or unique prefixes; without ids, every dead job is replayed.
   * Returns the ids replayed.
   */
  async replay(ids?: string[]): Promise<string[]> {
    const now = this.clock.now();
    const replayed = await this.store.writeTransaction(async (trx) => {
      const dead = await trx.selectFrom('jobs').select(['id', 'queue']).where('state', '=', 'dead').execute();
      const rows = ids && ids.length > 0 ? ids.map((ref) => matchOne(dead, ref)) : dead;
      if (rows.length === 0) return [];
      await trx
        .updateTable('jobs')
        .set({ state: 'pending', attempts: 0, run_after: now, locked_by: null, locked_until: null, updated_at: now })
        .where('id', 'in', rows.map((row) => row.id))
        .execute();
      if (this.store.dialect === 'postgres') {
        for (const queue of new Set(rows.map((row) => row.queue))) await sql`select pg_notify(${this.notifier.channel}, ${queue})`.execute(trx);
      }
      return rows;
    });
    for (const queue of new Set(replayed.map((row) => row.queue))) this.wake(queue);
    return replayed.map((row) => row.id);
  }

  /** Jobs by queue and state. `open` leaves out the completed ones kept for history (cheap enough to scrape). */
  async counts(options: { open?: boolean } = {}): Promise<QueueCount[]> {
    let query = this.store.db
      .selectFrom('jobs')
      .select(['queue', 'state', sql<number>`count(*)`.as('count'), sql<number | null>`min(created_at)`.as('oldest')])
      .groupBy(['queue', 'state']);
    if (options.open) query = query.where('state', 'in', ['pending', 'active', 'dead']);
    const rows = await query.execute();
    return rows.map((row) => ({ queue: row.queue, state: row.state, count: Number(row.count), oldestCreatedAt: row.oldest === null ? null : Number(row.oldest) }));
  }

  /** Deletes completed jobs older than `olderThanMs` (the inbox keeps a window of history). */
  async prune(olderThanMs: number): Promise<number> {
    const cutoff = this.clock.now() - olderThanMs;
    const result = await this.store.writeTransaction((trx) =>
      trx.deleteFrom('jobs').where('state', '=', 'completed').where('completed_at', '<', cutoff).executeTakeFirst());
    return Number(result.numDeletedRows);
  }
}

function matchOne<T extends { id: string }>(rows: T[], ref: string): T {
  const wanted = ref.trim().toLowerCase();
  const exact = rows.find((row) => row.id === wanted);
  if (exact) return exact;
  const matches = rows.filter((row) => row.id.startsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new PitcrewError('not_found', `No dead letter matches ${ref}.`, 'Run `pitcrew dead-letters` to list them with their ids.');
  throw new PitcrewError('input_invalid', `${ref} matches ${matches.length} dead letters.`, 'Give more of the id (ids start with their time, so copy the whole id).');
}

function isDeadLocalWorker(lockedBy: string | null, localPrefix: string, liveWorkers: Set<string>): boolean {
  if (!lockedBy?.startsWith(localPrefix)) return false;
  const pid = Number(lockedBy.slice(localPrefix.length).split(':')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // Our own pid: alive if it is one of our workers; otherwise a dead predecessor that had this pid.
  if (pid === process.pid) return !liveWorkers.has(lockedBy);
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else; only ESRCH means gone.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

type JobRow = JobsTable;

function toJob<P>(row: JobRow): Job<P> {
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload) as P,
    state: row.state,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAfter: Number(row.run_after),
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
  };
}
