import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createRateLimiter, type RateLimiter } from '../../../src/ops/rate-limit/limiter.js';
import { redisDatastore } from '../../../src/ops/rate-limit/redis.js';

const REDIS = process.env.TEST_REDIS_URL;
const skip = REDIS ? false : 'TEST_REDIS_URL is unset; set it (e.g. redis://127.0.0.1:6379) to run the shared rate-limit tests';

/** Two limiters with one name on one Redis: two replicas of pitcrew. */
function pair(options: { perMinute: number; perHour?: number }): [RateLimiter, RateLimiter] {
  const name = `test-${randomBytes(4).toString('hex')}`;
  return [0, 1].map(() => createRateLimiter({ name, ...options, bottleneck: redisDatastore(REDIS!) })) as [RateLimiter, RateLimiter];
}

describe('rate limits shared through Redis (two replicas)', { skip }, () => {
  it('never runs two jobs at once across both limiters, and spaces starts by 60 s / perMinute fleet-wide', async () => {
    const limiters = pair({ perMinute: 600 });
    let running = 0;
    let most = 0;
    const starts: number[] = [];
    const job = async () => {
      running += 1;
      most = Math.max(most, running);
      starts.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    };
    await Promise.all(limiters.flatMap((limiter) => Array.from({ length: 6 }, () => limiter.schedule(job))));
    await Promise.all(limiters.map((limiter) => limiter.stop()));
    assert.equal(starts.length, 12);
    assert.equal(most, 1, 'one job at a time across both replicas');
    // 600/min is one start every 100 ms for the pair together (per process it would allow two at once, 100 ms apart each).
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    assert.ok(Math.min(...gaps) >= 100 - 15, `every start is ~100 ms after the previous one (gaps ${gaps.join(', ')} ms)`);
  });

  it('spends one hourly budget for the whole fleet', async () => {
    const limiters = pair({ perMinute: 60_000, perHour: 5 });
    const ran: string[] = [];
    const jobs = limiters.flatMap((limiter, replica) => Array.from({ length: 4 }, (_, i) => limiter.schedule(async () => void ran.push(`${replica}:${i}`))));
    const settled = Promise.allSettled(jobs);
    // Wait until the budget is spent (5 of 8 ran) and give the rest time to (wrongly) run too.
    while (ran.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(ran.length, 5, `only the fleet's budget of 5 ran: ${ran.join(' ')}`);
    await Promise.all(limiters.map((limiter) => limiter.stop()));
    const outcomes = (await settled).map((s) => s.status);
    assert.equal(outcomes.filter((s) => s === 'rejected').length, 3, 'the 3 over budget were held, then dropped on stop');
  });
});
