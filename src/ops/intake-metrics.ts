import { Counter, Gauge, Histogram } from 'prom-client';
import { CHANGES_QUEUE, INBOX_QUEUE } from '../pipeline/intake.js';
import type { JobQueue } from '../store/queue/job-queue.js';
import type { JobOutcome, WorkerObserver } from '../store/queue/worker.js';
import type { Metrics } from './metrics.js';

export type ReceiveOutcome = 'accepted' | 'ignored' | 'unauthorized' | 'too_large' | 'invalid_json' | 'invalid_body' | 'unavailable';

/** Intake and queue metrics, on the service's registry. Every name starts with `pitcrew_`. */
export interface IntakeMetrics extends WorkerObserver {
  received(source: string, outcome: ReceiveOutcome, alerts?: number): void;
  signal(source: string, result: string): void;
}

export function createIntakeMetrics(metrics: Metrics): IntakeMetrics {
  const registers = [metrics.registry];
  const requests = new Counter({ name: 'pitcrew_alert_requests_total', help: 'Alert webhook requests by source and outcome', labelNames: ['source', 'outcome'], registers });
  const alerts = new Counter({ name: 'pitcrew_alerts_received_total', help: 'Alerts received by source and outcome (a request may carry several)', labelNames: ['source', 'outcome'], registers });
  const signals = new Counter({ name: 'pitcrew_alert_signals_total', help: 'Processed alerts by source and result (new_incident, joined, duplicate, resolved, …)', labelNames: ['source', 'result'], registers });
  const jobs = new Counter({ name: 'pitcrew_queue_jobs_finished_total', help: 'Job attempts by queue and outcome (completed, retry, dead, lost)', labelNames: ['queue', 'outcome'], registers });
  const duration = new Histogram({ name: 'pitcrew_queue_job_duration_seconds', help: 'Time to process one job', labelNames: ['queue'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5], registers });
  return {
    received(source, outcome, count = 0) {
      requests.inc({ source, outcome });
      if (count > 0) alerts.inc({ source, outcome }, count);
    },
    signal(source, result) {
      signals.inc({ source, result });
    },
    jobFinished(queue: string, outcome: JobOutcome, durationMs: number) {
      jobs.inc({ queue, outcome });
      duration.observe({ queue }, durationMs / 1_000);
    },
  };
}

const QUEUES = [INBOX_QUEUE, CHANGES_QUEUE];

/** Queue depth and age, read from the store when Prometheus scrapes (0 when empty, so alerts on them work). */
export function registerQueueGauges(metrics: Metrics, jobs: JobQueue, now: () => number): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'pitcrew_queue_jobs',
    help: 'Jobs by queue and state: pending, active (being processed) and dead (see `pitcrew dead-letters`)',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      const counts = await jobs.counts({ open: true }).catch(() => []);
      this.reset();
      for (const queue of QUEUES) for (const state of ['pending', 'active', 'dead']) this.set({ queue, state }, 0);
      for (const row of counts) this.set({ queue: row.queue, state: row.state }, row.count);
    },
  });
  new Gauge({
    name: 'pitcrew_queue_oldest_pending_age_seconds',
    help: 'Age of the oldest job waiting to be processed, by queue (0 when none)',
    labelNames: ['queue'],
    registers,
    async collect() {
      const counts = await jobs.counts({ open: true }).catch(() => []);
      this.reset();
      for (const queue of QUEUES) this.set({ queue }, 0);
      for (const row of counts) {
        if (row.state !== 'pending') continue;
        this.set({ queue: row.queue }, row.oldestCreatedAt === null ? 0 : Math.max(0, (now() - row.oldestCreatedAt) / 1_000));
      }
    },
  });
}
