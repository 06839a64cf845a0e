import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../../src/domain/canonical-json.js';
import { planHash, type Plan } from '../../../src/domain/plan.js';
import { planDeterministically } from '../../../src/planner/deterministic-planner.js';
import { context, policy } from '../../support/planning.js';

function aPlan(): Plan {
  return planDeterministically({ planId: 'plan_abc123', now: Date.UTC(2026, 0, 1), context: context(), policy: policy() }).plan;
}

describe('plan hash', () => {
  it('is stable whatever order the keys were built in', () => {
    const plan = aPlan();
    const reordered = JSON.parse(JSON.stringify(plan, Object.keys(plan).reverse())) as Plan;
    const shuffled = Object.fromEntries(Object.entries(plan).reverse()) as Plan;
    assert.equal(planHash(shuffled), planHash(plan));
    assert.equal(planHash(JSON.parse(JSON.stringify(plan)) as Plan), planHash(plan));
    assert.ok(reordered);
    assert.match(planHash(plan), /^sha256:[0-9a-f]{64}$/);
  });

  it('changes when any action parameter changes', () => {
    const plan = aPlan();
    const changed = structuredClone(plan);
    (changed.actions[1] as { replicas: number }).replicas = 7;
    assert.notEqual(planHash(changed), planHash(plan));
  });

  it('treats schema defaults as written (ref: main is the same as no ref)', () => {
    const base = aPlan();
    const withDefaults = { ...base, actions: [{ kind: 'github.workflow_dispatch', workflow: 'fix.yml', repo: 'acme/api' }] } as Plan;
    const explicit = { ...base, actions: [{ kind: 'github.workflow_dispatch', workflow: 'fix.yml', repo: 'acme/api', ref: 'main', inputs: {} }] } as Plan;
    assert.equal(planHash(withDefaults), planHash(explicit));
  });

  it('canonical JSON sorts keys, drops undefined and rejects non-finite numbers', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, { d: undefined, c: 'x' }] }), '{"a":[true,null,{"c":"x"}],"b":1}');
    assert.throws(() => canonicalJson({ x: Number.NaN }));
  });
});
