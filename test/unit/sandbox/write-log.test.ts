import assert from 'node:assert/strict';
import { it } from 'node:test';
import { manualClock } from '../../../src/domain/clock.js';
import { WriteLog } from '../../../src/sandbox/github/write-log.js';

it('measures overlap and per-window counts, and enforces limits when asked', () => {
  const clock = manualClock(0);
  const log = new WriteLog(clock);
  const first = log.begin('bot', 'POST', '/a');
  clock.advance(10);
  const second = log.begin('bot', 'POST', '/b');
  assert.ok('end' in first && 'end' in second);
  clock.advance(10);
  first.end(201);
  second.end(201);
  const third = log.begin('bot', 'POST', '/c');
  assert.ok('end' in third);
  third.end(201);
  assert.equal(log.maxConcurrent('bot'), 2);
  assert.equal(log.of('bot')[1]!.concurrentWith, 1);
  assert.equal(log.maxInWindow('bot', 60_000), 3);
  assert.equal(log.maxInWindow('bot', 5), 1);

  const limited = new WriteLog(clock, { perMinute: 2, rejectConcurrent: true });
  const a = limited.begin('bot', 'POST', '/a');
  assert.deepEqual(limited.begin('bot', 'POST', '/b'), { retryAfter: 1 }, 'concurrent write refused');
  assert.ok('end' in a);
  a.end(201);
  const b = limited.begin('bot', 'POST', '/b');
  assert.ok('end' in b);
  b.end(201);
  assert.deepEqual(limited.begin('bot', 'POST', '/c'), { retryAfter: 60 }, 'third in a minute refused');
  clock.advance(60_001);
  assert.ok('end' in limited.begin('bot', 'POST', '/c'));
});
