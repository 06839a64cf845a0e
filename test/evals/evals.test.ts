import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRedactor } from '../../src/ops/redaction/redactor.js';
import { runEvals } from '../../src/planner/evals/run-evals.js';

/** CI runs every eval against its recorded model responses (`pitcrew eval planner --live` asks a real model). */
describe('planner evals (recorded responses)', async () => {
  const results = await runEvals({ dir: join(import.meta.dirname), redactor: createRedactor(), limits: { maxSteps: 6, timeoutMs: 20_000, maxTokens: 100_000 } });
  it('found the eval folders', () => assert.ok(results.length >= 3));
  for (const result of results) {
    it(`${result.name}: ${result.description}`, () => {
      assert.equal(result.error, undefined);
      for (const check of result.checks) assert.ok(check.pass, `${check.name}${check.detail ? ` (${check.detail})` : ''}`);
      assert.ok(result.checks.length > 0);
    });
  }
});
