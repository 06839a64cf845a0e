import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedMutex } from '../../../src/ops/keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs one holder per key at a time, in arrival order, and keys independently', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const slow = (name: string, ms: number) => async () => {
      events.push(`${name}+`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name}-`);
      return name;
    };
    const results = await Promise.all([mutex.run('a', slow('a1', 30)), mutex.run('a', slow('a2', 1)), mutex.run('b', slow('b1', 5))]);
    assert.deepEqual(results, ['a1', 'a2', 'b1']);
    assert.ok(events.indexOf('a1-') < events.indexOf('a2+'), events.join(' '));
    assert.ok(events.indexOf('b1+') < events.indexOf('a1-'), 'b does not wait for a');
    assert.equal(mutex.size, 0);
  });

  it('releases the key when the holder throws', async () => {
    const mutex = new KeyedMutex();
    await assert.rejects(mutex.run('k', async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await mutex.run('k', async () => 'next'), 'next');
  });
});
