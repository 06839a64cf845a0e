import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from '../../../src/ops/rate-limit/limiter.js';

describe('the content-creation limiter', () => {
  it('runs one job at a time, spaced by 60 s / perMinute', async () => {
    const limiter = createRateLimiter({ name: 'test-spacing', perMinute: 1200 });
    let running = 0;
    let most = 0;
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => limiter.schedule(async () => {
      running += 1;
      most = Math.max(most, running);
      starts.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    })));
    await limiter.stop();
    assert.equal(most, 1);
    // 1200/min is one start every 50 ms: five starts span at least four gaps (a few ms of timer jitter allowed).
    const span = starts.at(-1)! - starts[0]!;
    assert.ok(span >= 4 * 50 - 15, `five jobs started within ${span} ms`);
  });

  it('holds jobs once the hourly budget is spent', async () => {
    const limiter = createRateLimiter({ name: 'test-hourly', perMinute: 60_000, perHour: 3 });
    const done: number[] = [];
    const jobs = Array.from({ length: 5 }, (_, i) => limiter.schedule(async () => { done.push(i); }));
    const outcomes = Promise.allSettled(jobs);
    await Promise.all(jobs.slice(0, 3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(done, [0, 1, 2]);
    assert.equal(limiter.pending(), 2);
    await limiter.stop();
    const settled = await outcomes;
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    assert.match(String((settled[4] as PromiseRejectedResult).reason), /test-hourly: the rate limiter was stopped/);
  });
});
