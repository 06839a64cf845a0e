import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { StoreConfig } from '../../config/config.js';
import type { Logger } from '../../ops/logger.js';

/**
 * Wakes workers when jobs are enqueued, so they wait on a signal instead of
 * polling. In process it is an event; on Postgres a LISTEN connection also
 * relays NOTIFYs sent by enqueues in other processes (other replicas, the CLI).
 */
export interface JobNotifier {
  /** The Postgres NOTIFY channel enqueues signal on. */
  readonly channel: string;
  wakeLocal(queue: string): void;
  onWake(queue: string, listener: () => void): () => void;
  close(): Promise<void>;
}

export const JOB_CHANNEL = 'pitcrew_jobs';

export class LocalNotifier implements JobNotifier {
  readonly channel = JOB_CHANNEL;
  protected readonly events = new EventEmitter().setMaxListeners(0);

  wakeLocal(queue: string): void {
    this.events.emit(queue);
  }

  onWake(queue: string, listener: () => void): () => void {
    this.events.on(queue, listener);
    return () => this.events.off(queue, listener);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }
}

/**
 * LISTENs on a dedicated connection and reconnects with backoff when it drops.
 * While it is down, workers still run on their timers, so a lost NOTIFY only
 * delays a job, never loses it.
 */
export class PostgresNotifier extends LocalNotifier {
  private client: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {
    super();
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload) this.wakeLocal(message.payload);
    });
    client.on('error', (error) => {
      this.log.warn({ err: error.message }, 'job notifier connection failed; reconnecting');
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      this.failures = 0;
      // Anything enqueued while we were not listening: let every worker look.
      for (const queue of this.events.eventNames()) this.wakeLocal(String(queue));
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'job notifier cannot LISTEN; workers fall back to their timers');
      this.scheduleReconnect(client);
    }
  }

  private scheduleReconnect(client: pg.Client): void {
    if (this.closed || this.retryTimer || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => {});
    const delay = Math.min(250 * 2 ** this.failures++, 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
    await super.close();
  }
}

export async function createNotifier(config: StoreConfig, log: Logger): Promise<JobNotifier> {
  if (config.kind !== 'postgres') return new LocalNotifier();
  const notifier = new PostgresNotifier(config.url, log);
  await notifier.start();
  return notifier;
}
