import { Cron } from 'croner';
import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../ops/logger.js';

/**
 * A cron schedule on the Clock port. croner only computes the fire times (in
 * the configured IANA zone, so 09:00 stays 09:00 local across daylight-saving
 * changes); waiting goes through the Timers port, so a test moves a manual
 * clock and fires the timer instead of waiting for real.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface CronScheduleOptions {
  pattern: string;
  timeZone: string;
  clock: Clock;
  timers?: Timers;
  log: Logger;
  name: string;
  /**
   * On start, run a fire time missed within this long (the service was
   * restarted across the shift change). Default 0: no catch-up. `run` must
   * make a repeated fire harmless (the handoff claims each fire time once).
   */
  catchUpMs?: number;
  /** Runs at each fire time; `previous` is the fire time before it (the start of the shift). Errors are logged, and the schedule goes on. */
  run(fireAt: number, previous: number): Promise<void>;
}

export interface CronSchedule {
  /** The next fire time (epoch ms), or null when stopped. */
  next(): number | null;
  /** Resolves when no run is in progress (tests await it after firing a timer). */
  idle(): Promise<void>;
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

/** setTimeout takes at most 2^31−1 ms (about 24.8 days); longer waits are re-armed. */
const MAX_DELAY_MS = 2_147_483_647;

export function startCronSchedule(options: CronScheduleOptions): CronSchedule {
  const timers = options.timers ?? systemTimers;
  const job = new Cron(options.pattern, { timezone: options.timeZone, paused: true });
  let nextAt: number | null = null;
  let handle: unknown = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const arm = () => {
    if (stopped) return;
    const next = job.nextRun(new Date(options.clock.now()));
    nextAt = next ? next.getTime() : null;
    if (nextAt === null) return void options.log.warn({ schedule: options.name }, 'schedule has no next fire time; stopped');
    handle = timers.setTimeout(tick, Math.min(MAX_DELAY_MS, Math.max(0, nextAt - options.clock.now())));
  };

  const fire = (fireAt: number, catchUp: boolean) => {
    const previous = job.previousRuns(1, new Date(fireAt))[0]?.getTime() ?? fireAt - 12 * 3_600_000;
    options.log.info({ schedule: options.name, fireAt: new Date(fireAt).toISOString(), catchUp }, 'schedule fired');
    running = options.run(fireAt, previous)
      .catch((error: Error) => options.log.error({ schedule: options.name, err: error.message }, 'scheduled run failed'))
      .finally(arm);
  };

  const tick = () => {
    handle = null;
    if (stopped || nextAt === null) return;
    // Woken early (a long wait re-armed, or the clock moved back): wait again.
    if (options.clock.now() < nextAt) return arm();
    fire(nextAt, false);
  };

  const missed = options.catchUpMs ? job.previousRuns(1, new Date(options.clock.now()))[0]?.getTime() : undefined;
  if (missed !== undefined && options.clock.now() - missed <= options.catchUpMs!) fire(missed, true);
  else arm();
  return {
    next: () => (stopped ? null : nextAt),
    idle: () => running,
    stop: async () => {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
      await running;
    },
  };
}
