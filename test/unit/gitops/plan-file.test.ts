import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planHash, type Plan } from '../../../src/domain/plan.js';
import { firstInvisible } from '../../../src/domain/text-safety.js';
import { isPlanPath, planFilePath, readPlanFile, renderPlanFile } from '../../../src/gitops/plan-file.js';
import { alertPlan } from '../../support/github.js';

describe('plan files', () => {
  it('round-trips a plan with its hash', () => {
    const plan = alertPlan();
    const text = renderPlanFile(plan);
    assert.match(text, /^# pitcrew plan\./);
    assert.match(text, new RegExp(`^planHash: ${planHash(plan)}$`, 'm'));
    const read = readPlanFile(planFilePath(plan.id), text);
    assert.ok(read.ok);
    assert.deepEqual(read.plan, plan);
    assert.equal(read.hash, planHash(plan));
  });

  it('round-trips any summary and note text exactly (YAML quoting never changes a plan)', () => {
    const base = alertPlan();
    fc.assert(fc.property(
      fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }).filter((s) => s.trim().length > 0 && firstInvisible(s) === undefined),
      fc.array(fc.string({ maxLength: 100 }), { maxLength: 3 }),
      (summary, notes) => {
        const plan: Plan = { ...base, summary, notes };
        const read = readPlanFile(planFilePath(plan.id), renderPlanFile(plan));
        assert.ok(read.ok, read.ok ? '' : read.problem);
        assert.equal(read.hash, planHash(plan));
      },
    ), { numRuns: 200 });
  });

  it('detects an edited plan, a renamed file and a malformed file', () => {
    const plan = alertPlan();
    const text = renderPlanFile(plan);
    const edited = readPlanFile(planFilePath(plan.id), text.replace('value: 8', 'value: 9'));
    assert.equal(edited.ok, false);
    assert.match(edited.ok ? '' : edited.problem, /was edited: its planHash does not match the plan/);
    const renamed = readPlanFile('.pitcrew/plans/plan_zz.yaml', text);
    assert.match(renamed.ok ? '' : renamed.problem, /holds plan plan_a1; the file name must match the plan id/);
    assert.match((readPlanFile('.pitcrew/plans/x.json', text) as { problem: string }).problem, /not a plan file name/);
    assert.match((readPlanFile(planFilePath(plan.id), 'planHash: [') as { problem: string }).problem, /not valid YAML/);
    assert.match((readPlanFile(planFilePath(plan.id), `${text}extra: 1\n`) as { problem: string }).problem, /must hold planHash .* and plan, nothing else/);
    const invalid = readPlanFile(planFilePath(plan.id), text.replace('kind: kubernetes.rollout_restart', 'kind: shell.exec'));
    assert.match(invalid.ok ? '' : invalid.problem, /holds an invalid plan \(actions\.0/);
  });

  it('recognizes every path under .pitcrew/plans/', () => {
    assert.equal(isPlanPath('.pitcrew/plans/plan_a.yaml'), true);
    assert.equal(isPlanPath('.pitcrew/plans/notes.txt'), true);
    assert.equal(isPlanPath('.pitcrew/other.yaml'), false);
  });
});
