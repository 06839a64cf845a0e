import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleHandoff, nextStep, type HandoffFacts } from '../../../../src/pipeline/handoff/build.js';
import { shortDuration } from '../../../../src/pipeline/handoff/format.js';

const MIN = 60_000;
const WINDOW = { from: 0, to: 12 * 60 * MIN };

function emptyFacts(): HandoffFacts {
  return {
    open: [], resolved: [], executions: { connected: true, items: [] }, pulls: [], alertEvents: [], ciOutcomes: [],
    pause: { paused: false, by: null, at: null, reason: null }, breaker: { state: 'closed', since: null, reason: null },
  };
}

const resolved = (number: number, openedMin: number, resolvedMin: number) => ({ id: `i${number}`, number, title: `t${number}`, severity: 'warning' as const, service: null, openedAt: openedMin * MIN, resolvedAt: resolvedMin * MIN, reopenedCount: 0 });

describe('handoff builder', () => {
  it('MTTR: odd count takes the middle value, mean is rounded to the millisecond', () => {
    const handoff = assembleHandoff({ ...emptyFacts(), resolved: [resolved(1, 0, 7), resolved(2, 10, 20), resolved(3, 30, 31)] }, WINDOW, WINDOW.to);
    assert.deepEqual(handoff.resolved.items.map((i) => i.mttrMs / MIN), [7, 10, 1]);
    assert.equal(handoff.resolved.medianMttrMs, 7 * MIN);
    assert.equal(handoff.resolved.meanMttrMs, 6 * MIN);
  });

  it('an incident resolved outside the window is not counted; an empty window is a quiet shift', () => {
    const handoff = assembleHandoff({ ...emptyFacts(), resolved: [resolved(1, -100, -10), resolved(2, 700, 730)] }, WINDOW, WINDOW.to);
    assert.equal(handoff.resolved.items.length, 0);
    assert.equal(handoff.resolved.meanMttrMs, null);
    assert.equal(handoff.quiet, true);
    assert.match(handoff.headline[0]!, /^Quiet shift/);
  });

  it('a pause or an open breaker alone is not quiet: the next engineer must know', () => {
    assert.equal(assembleHandoff({ ...emptyFacts(), pause: { paused: true, by: 'bob', at: 1, reason: null } }, WINDOW, WINDOW.to).quiet, false);
    const open = assembleHandoff({ ...emptyFacts(), breaker: { state: 'open', since: 5, reason: '3 failures in 10m' } }, WINDOW, WINDOW.to);
    assert.equal(open.quiet, false);
    assert.deepEqual(open.headline, ['No open incidents.', 'The circuit breaker is OPEN: execution is halted after repeated failures.']);
  });

  it('next step follows the fix PR first, then the incident state', () => {
    const base = { state: 'open' as const, owner: null, flapping: false };
    assert.equal(nextStep(base, null), 'acknowledge and take ownership');
    assert.equal(nextStep({ ...base, owner: 'amy' }, null), 'investigate (no fix proposed)');
    assert.equal(nextStep({ ...base, state: 'acknowledged' }, null), 'mitigate: no fix PR was proposed, follow the runbook');
    assert.equal(nextStep({ ...base, state: 'mitigating' }, null), 'confirm recovery, then resolve');
    assert.equal(nextStep(base, { number: 4, url: 'u', review: 'approved' }), 'merge the approved fix PR #4');
    assert.equal(nextStep(base, { number: 4, url: 'u', review: 'changes_requested' }), 'address the requested changes on fix PR #4');
  });

  it('durations read at a glance', () => {
    assert.deepEqual([40_000, 3 * MIN, 125 * MIN, 120 * MIN, 26 * 60 * MIN, 48 * 60 * MIN].map(shortDuration), ['40s', '3m', '2h 5m', '2h', '1d 2h', '2d']);
  });
});
