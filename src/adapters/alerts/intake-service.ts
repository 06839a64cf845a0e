import type { StoreConfig } from '../../config/config.js';
import type { Clock } from '../../domain/clock.js';
import type { IncidentChange, IncidentSubscriber } from '../../domain/incident-change.js';
import type { IncidentPolicy } from '../../domain/incident.js';
import type { IntakeMetrics } from '../../ops/intake-metrics.js';
import type { Logger } from '../../ops/logger.js';
import { CHANGES_QUEUE, INBOX_QUEUE, intakeEvent, intakeEvents, type InboxEvent, type IntakeResult } from '../../pipeline/intake.js';
import { GroupCommitEnqueuer } from '../../store/queue/group-commit.js';
import { JobQueue, type QueueOptions } from '../../store/queue/job-queue.js';
import { createNotifier } from '../../store/queue/notifier.js';
import { Worker, type JobHandler } from '../../store/queue/worker.js';
import type { Db, Store } from '../../store/store.js';
import type { InboxAppend } from './http-routes.js';

/** Completed inbox jobs are kept this long (for `pitcrew` forensics), then pruned. */
export const COMPLETED_RETENTION_MS = 7 * 24 * 3_600_000;

export interface IntakeServiceDeps {
  store: Store;
  storeConfig: StoreConfig;
  clock: Clock;
  log: Logger;
  metrics?: IntakeMetrics;
  policy: IncidentPolicy;
  queue?: Partial<QueueOptions>;
  subscribers: IncidentSubscriber[];
}

export interface IntakeService {
  jobs: JobQueue;
  /** Commits an accepted request to the inbox (group commit); resolves with its job id. */
  append: InboxAppend;
  /** Processes everything due now, in both queues (tests and the CLI). */
  drain(): Promise<void>;
  /** Finishes the jobs in hand, gives the rest back, stops listening. */
  stop(): Promise<void>;
}

/**
 * The inbox handler: intake runs in the transaction that completes the job.
 * Changes are queued for subscribers unless `publish` is false (a service with
 * no subscriber has nobody to deliver them to; the timeline keeps them).
 */
export function inboxHandler(deps: Pick<IntakeServiceDeps, 'policy' | 'clock' | 'metrics'>, jobs: JobQueue, publish = true): JobHandler<InboxEvent> {
  const afterCommit = (result: IntakeResult) => () => {
    // After the commit only: a rolled-back attempt must not count, nor wake anyone.
    for (const outcome of result.outcomes) deps.metrics?.signal(outcome.signal.source, outcome.result);
    if (result.changes.length > 0) jobs.wake(CHANGES_QUEUE);
  };
  const intakeDeps = { policy: deps.policy, clock: deps.clock, jobs: publish ? jobs : undefined };
  return {
    mode: 'transactional',
    run: async (job, trx) => afterCommit(await intakeEvent(trx, job.payload, intakeDeps)),
    runBatch: async (batch, trx) => afterCommit(await intakeEvents(trx, batch.map((job) => job.payload), intakeDeps)),
  };
}

/** The queue that delivers incident changes to one subscriber. */
export function subscriberQueue(subscriber: Pick<IncidentSubscriber, 'name'>): string {
  return `${CHANGES_QUEUE}:${subscriber.name}`;
}

/**
 * The outbox fans each incident change out to one queue per subscriber, in
 * the transaction that completes it. So a subscriber that is slow (waiting
 * for Chroma) or failing (Slack down) neither delays the others nor makes
 * them see the change twice when it is retried.
 */
export function fanOutHandler(subscribers: IncidentSubscriber[], jobs: JobQueue): JobHandler<IncidentChange> {
  const fanOut = async (changes: IncidentChange[], trx: Db) => {
    for (const subscriber of subscribers) await jobs.enqueueIn(trx, subscriberQueue(subscriber), changes);
    return () => subscribers.forEach((subscriber) => jobs.wake(subscriberQueue(subscriber)));
  };
  return {
    mode: 'transactional',
    run: (job, trx) => fanOut([job.payload], trx),
    runBatch: (batch, trx) => fanOut(batch.map((job) => job.payload), trx),
  };
}

/** Delivers incident changes to one subscriber; a failure retries the change for it alone (subscribers are idempotent). */
export function deliveryHandler(subscriber: IncidentSubscriber): JobHandler<IncidentChange> {
  return {
    mode: 'external',
    async run(job) {
      try {
        await subscriber.onIncidentChange(job.payload);
      } catch (error) {
        throw new Error(`subscriber ${subscriber.name}: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

export async function startIntake(deps: IntakeServiceDeps): Promise<IntakeService> {
  const { store, clock, log } = deps;
  const names = deps.subscribers.map((subscriber) => subscriber.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new Error(`Two incident subscribers are named "${repeated}": each needs its own name, which names its delivery queue`);
  const notifier = await createNotifier(deps.storeConfig, log);
  const jobs = new JobQueue(store, clock, notifier, deps.queue);
  const workerDeps = { store, jobs, clock, log, observer: deps.metrics };
  const inbox = new Worker(workerDeps, inboxHandler(deps, jobs, deps.subscribers.length > 0), { queue: INBOX_QUEUE, batchSize: 50, coalesceMs: 5 });
  const changes = new Worker(workerDeps, fanOutHandler(deps.subscribers, jobs), { queue: CHANGES_QUEUE, batchSize: 50 });
  const deliveries = deps.subscribers.map(
    (subscriber) => new Worker(workerDeps, deliveryHandler(subscriber), { queue: subscriberQueue(subscriber), batchSize: 10, leaseMs: 5 * 60_000 }),
  );
  const enqueuer = new GroupCommitEnqueuer(store, jobs, INBOX_QUEUE);
  for (const worker of [inbox, changes, ...deliveries]) worker.start();

  const prune = setInterval(() => {
    jobs.prune(COMPLETED_RETENTION_MS).then(
      (deleted) => deleted > 0 && log.info({ deleted }, 'pruned completed jobs'),
      (error: Error) => log.warn({ err: error.message }, 'cannot prune completed jobs'),
    );
  }, 3_600_000);
  prune.unref();

  return {
    jobs,
    append: (event) => enqueuer.enqueue(event),
    drain: async () => {
      await enqueuer.settle();
      await inbox.drain();
      await changes.drain();
      await Promise.all(deliveries.map((worker) => worker.drain()));
    },
    stop: async () => {
      clearInterval(prune);
      await enqueuer.settle();
      await Promise.all([inbox, changes, ...deliveries].map((worker) => worker.stop()));
      await notifier.close();
    },
  };
}
