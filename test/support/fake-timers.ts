import type { Timers } from '../../src/adapters/schedule/cron-schedule.js';

/**
 * Timers on a manual clock: nothing waits for real. `fireNext()` moves the
 * clock to the earliest pending timer, runs it and lets its promises settle.
 */
export function fakeTimers(clock: { now(): number; set(ms: number): void }): Timers & { pending(): number[]; fireNext(options?: { advance?: boolean }): Promise<number> } {
  const pending: Array<{ fn: () => void; at: number }> = [];
  return {
    setTimeout(fn, ms) {
      const timer = { fn, at: clock.now() + ms };
      pending.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      const index = pending.indexOf(handle as (typeof pending)[number]);
      if (index >= 0) pending.splice(index, 1);
    },
    pending: () => pending.map((timer) => timer.at).sort((a, b) => a - b),
    /** With `advance: false` the timer fires without moving the clock (a timer waking early). */
    async fireNext(options = {}) {
      pending.sort((a, b) => a.at - b.at);
      const timer = pending.shift();
      if (!timer) throw new Error('no timer pending');
      if (options.advance !== false) clock.set(Math.max(clock.now(), timer.at));
      timer.fn();
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      return timer.at;
    },
  };
}
