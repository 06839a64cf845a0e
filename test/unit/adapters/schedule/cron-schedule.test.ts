import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startCronSchedule } from '../../../../src/adapters/schedule/cron-schedule.js';
import { manualClock } from '../../../../src/domain/clock.js';
import { silentLogger } from '../../../../src/ops/logger.js';
import { wallClock } from '../../../../src/pipeline/handoff/window.js';
import { fakeTimers } from '../../../support/fake-timers.js';

const HOUR = 3_600_000;
const local = (ms: number, zone: string) => {
  const w = wallClock(ms, zone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
};

function schedule(pattern: string, timeZone: string, start: string, run?: (fireAt: number, previous: number) => Promise<void>) {
  const clock = manualClock(Date.parse(start));
  const timers = fakeTimers(clock);
  const runs: Array<{ fireAt: number; previous: number; now: number }> = [];
  const handle = startCronSchedule({
    pattern, timeZone, clock, timers, log: silentLogger(), name: 'test',
    run: async (fireAt, previous) => {
      runs.push({ fireAt, previous, now: clock.now() });
      await run?.(fireAt, previous);
    },
  });
  return { clock, timers, runs, handle };
}

describe('cron schedule on an injected clock', () => {
  it('fires at 09:00 Berlin time on both sides of the spring-forward change (2026-03-29), one real hour apart in UTC', async () => {
    const { timers, runs, handle } = schedule('0 9 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z');
    for (let i = 0; i < 3; i++) await timers.fireNext();
    assert.deepEqual(runs.map((r) => new Date(r.fireAt).toISOString()), ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    assert.deepEqual(runs.map((r) => local(r.fireAt, 'Europe/Berlin')), ['2026-03-28 09:00', '2026-03-29 09:00', '2026-03-30 09:00']);
    // Each run's window starts at the previous shift change: the shift across the change is 23 real hours.
    assert.deepEqual(runs.map((r) => (r.fireAt - r.previous) / HOUR), [24, 23, 24]);
    assert.equal(runs[1]!.previous, runs[0]!.fireAt);
    await handle.stop();
    assert.deepEqual(timers.pending(), [], 'stop cancels the next timer');
  });

  it('fires at 21:00 Berlin time across the fall-back change (2026-10-25): that shift is 25 real hours', async () => {
    const { timers, runs } = schedule('0 9,21 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z');
    for (let i = 0; i < 4; i++) await timers.fireNext();
    assert.deepEqual(runs.map((r) => local(r.fireAt, 'Europe/Berlin')), ['2026-10-24 21:00', '2026-10-25 09:00', '2026-10-25 21:00', '2026-10-26 09:00']);
    assert.deepEqual(runs.map((r) => (r.fireAt - r.previous) / HOUR), [12, 13, 12, 12]);
  });

  it('a time in the skipped hour (02:30 on 2026-03-08 in New York) runs once, at 03:00 local, and every day after', async () => {
    const { timers, runs } = schedule('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z');
    for (let i = 0; i < 3; i++) await timers.fireNext();
    assert.deepEqual(runs.map((r) => local(r.fireAt, 'America/New_York')), ['2026-03-08 03:00', '2026-03-09 02:30', '2026-03-10 02:30']);
  });

  it('a failing run is logged and the schedule goes on; a timer that wakes early waits again', async () => {
    let calls = 0;
    const { clock, timers, runs } = schedule('0 * * * *', 'UTC', '2026-01-01T00:30:00Z', async () => {
      calls++;
      if (calls === 1) throw new Error('chat is down');
    });
    await timers.fireNext();
    await timers.fireNext();
    assert.equal(runs.length, 2, 'the second hour ran after the first failed');
    // The clock moved back (NTP) after the timer was armed: it wakes before the fire time and is re-armed, not run.
    const [due] = timers.pending();
    clock.set(due! - 10 * 60_000);
    await timers.fireNext({ advance: false });
    assert.equal(runs.length, 2, 'nothing ran early');
    assert.deepEqual(timers.pending(), [due], 'armed again for the same fire time');
    await timers.fireNext();
    assert.equal(runs.length, 3);
  });
});
