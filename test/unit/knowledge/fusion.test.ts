import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { rankByScore, reciprocalRankFusion } from '../../../src/knowledge/retrieval/fusion.js';

describe('reciprocal rank fusion', () => {
  it('ranks an item two lists agree on above items only one list ranks first', () => {
    const fused = reciprocalRankFusion([{ ids: ['a', 'b', 'c'] }, { ids: ['b', 'a', 'd'] }, { ids: ['e', 'b'] }]);
    assert.deepEqual(rankByScore(fused).slice(0, 2), ['b', 'a']);
    assert.equal(fused.get('b'), 1 / 62 + 1 / 61 + 1 / 62);
  });

  it('is monotone: moving an item up in one list never lowers its fused rank', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 20 }), fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 20 }), (first, second) => {
      const ids = first.map(String);
      const target = ids[ids.length - 1]!;
      const before = reciprocalRankFusion([{ ids }, { ids: second.map(String) }]);
      const moved = [target, ...ids.slice(0, -1)];
      const after = reciprocalRankFusion([{ ids: moved }, { ids: second.map(String) }]);
      assert.ok(after.get(target)! >= before.get(target)!);
    }));
  });

  it('honours list weights and depth', () => {
    const fused = reciprocalRankFusion([{ ids: ['a'], weight: 2 }, { ids: ['x', 'y', 'b'] }], 60, 2);
    assert.equal(fused.get('a'), 2 / 61);
    assert.equal(fused.has('b'), false);
  });
});
