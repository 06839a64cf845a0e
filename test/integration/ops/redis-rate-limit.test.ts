import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/config.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { limiterFromConfig } from '../../../src/ops/rate-limit/from-config.js';
import { createRateLimiter, type RateLimiter } from '../../../src/ops/rate-limit/limiter.js';
import { noopTelemetry } from '../../../src/ops/telemetry.js';
import { redisDatastore } from '../../../src/ops/rate-limit/redis.js';

const REDIS = process.env.TEST_REDIS_URL;
const skip = REDIS ? false : 'TEST_REDIS_URL is unset; set it (e.g. redis://127.0.0.1:6379) to run the shared rate-limit tests';

/** Two limiters with one name on one Redis: two replicas of pitcrew. */
function pair(options: { perMinute: number; perHour?: number }): [RateLimiter, RateLimiter] {
  const name = `test-${randomBytes(4).toString('hex')}`;
  return [0, 1].map(() => {
    const shared = redisDatastore(REDIS!);
    return createRateLimiter({ name, ...options, bottleneck: shared.bottleneck, shared });
  }) as [RateLimiter, RateLimiter];
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
    // 600/min is one start every 100 ms for the pair together. A start can run a timer tick late on a
    // busy machine, so judge windows of 5 gaps: shared, they span ~500 ms; two per-process limiters
    // would start two jobs per 100 ms, and 5 gaps would span ~250 ms.
    const windows = starts.slice(5).map((at, i) => at - starts[i]!);
    assert.ok(Math.min(...windows) >= 400, `every 6 consecutive starts span at least ~500 ms (${windows.join(', ')} ms)`);
    const span = starts.at(-1)! - starts[0]!;
    assert.ok(span >= 11 * 100 * 0.85, `twelve starts span about eleven slots (${span} ms; unshared limiters would take ~550 ms)`);
  });

  it('spends one hourly budget for the whole fleet', async () => {
    const limiters = pair({ perMinute: 60_000, perHour: 5 });
    const ran: string[] = [];
    const jobs = limiters.flatMap((limiter, replica) => Array.from({ length: 4 }, (_, i) => limiter.schedule(async () => void ran.push(`${replica}:${i}`))));
    const settled = Promise.allSettled(jobs);
    // Wait until the budget is spent (5 of 8 ran) and give the rest time to (wrongly) run too.
    for (let i = 0; i < 500 && ran.length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(ran.length, 5, `only the fleet's budget of 5 ran: ${ran.join(' ')}`);
    await Promise.all(limiters.map((limiter) => limiter.stop()));
    const outcomes = (await settled).map((s) => s.status);
    assert.equal(outcomes.filter((s) => s === 'rejected').length, 3, 'the 3 over budget were held, then dropped on stop');
  });

  it('REDIS_URL makes the limiters the service builds share one budget', async () => {
    const name = `test-config-${randomBytes(4).toString('hex')}`;
    const shared = await Promise.all([0, 1].map(() => limiterFromConfig(loadConfig({ REDIS_URL: REDIS! }), { name, perMinute: 60_000, perHour: 3 }, noopTelemetry, silentLogger())));
    const local = await Promise.all([0, 1].map(() => limiterFromConfig(loadConfig({}), { name: `${name}-local`, perMinute: 60_000, perHour: 3 }, noopTelemetry, silentLogger())));
    const ran = { shared: 0, local: 0 };
    const jobs = [
      ...shared.flatMap((limiter) => [0, 1, 2].map(() => limiter.schedule(async () => void ran.shared++))),
      ...local.flatMap((limiter) => [0, 1, 2].map(() => limiter.schedule(async () => void ran.local++))),
    ];
    const settled = Promise.allSettled(jobs);
    for (let i = 0; i < 500 && (ran.shared < 3 || ran.local < 6); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(ran, { shared: 3, local: 6 }, 'with Redis the pair spends one budget of 3; without, each spends its own');
    await Promise.all([...shared, ...local].map((limiter) => limiter.stop()));
    await settled;
  });

  it('fails closed: while Redis cannot be reached, calls wait instead of going out unlimited', async () => {
    const errors: string[] = [];
    const shared = redisDatastore('redis://127.0.0.1:1', (error) => errors.push(error.message));
    const limiter = createRateLimiter({ name: `test-down-${randomBytes(4).toString('hex')}`, bottleneck: shared.bottleneck, shared });
    let ran = false;
    const call = limiter.schedule(async () => {
      ran = true;
    });
    const outcome = call.then(() => 'ran', (error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(ran, false, 'nothing ran without the shared limit');
    assert.equal(limiter.pending(), 1);
    assert.ok(errors.some((message) => /ECONNREFUSED/.test(message)), 'the connection error was reported');
    await limiter.stop();
    assert.match(await outcome, /closed|stopped/);
    assert.equal(ran, false);
  });
});
