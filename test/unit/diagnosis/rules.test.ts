import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyLine, passesPrefilter } from '../../../src/diagnosis/line-classifier.js';
import { ALL_RULES } from '../../../src/diagnosis/rules/index.js';

describe('rules', () => {
  it('have unique ids and at least one example each', () => {
    const ids = ALL_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of ALL_RULES) assert.ok(rule.examples.length > 0, `${rule.id} has no example`);
  });

  it('match their own examples', () => {
    const misses = ALL_RULES.flatMap((rule) => rule.examples.filter((e) => !rule.re.test(e) || rule.unless?.test(e)).map((e) => `${rule.id}: ${e}`));
    assert.deepEqual(misses, []);
  });

  it('are reachable through the keyword prefilter unless marked otherwise', () => {
    const misses = ALL_RULES
      .filter((rule) => !(rule.armedOnly || rule.continuation || ['pass', 'boundary', 'context', 'noise'].includes(rule.role)))
      .flatMap((rule) => rule.examples.filter((e) => !passesPrefilter(e)).map((e) => `${rule.id}: ${e}`));
    assert.deepEqual(misses, []);
  });

  it('classify an example as that rule or as one of the same role (the first match wins)', () => {
    const mismatches: string[] = [];
    for (const rule of ALL_RULES) {
      for (const example of rule.examples) {
        const cls = classifyLine(example, true);
        if (cls.rule?.id !== rule.id && cls.rule?.role !== rule.role) mismatches.push(`${rule.id} → ${cls.rule?.id ?? cls.role}: ${example}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
});

describe('classifyLine', () => {
  it('recognizes a passing test before an error word in its name', () => {
    assert.equal(classifyLine('    ✓ testAccessDeniedOnTemporaryFile (0.045 seconds)', true).role, 'pass');
  });

  it('does not treat error words in an echoed command as errors', () => {
    assert.equal(classifyLine('$ pnpm install --frozen-lockfile --reporter=errors-only', false).weight, 0);
    assert.equal(classifyLine("++export 'GIT_PROVE_OPTS=--state=failed,slow'", false).weight, 0);
  });

  it('weakens generic errors on INFO/DEBUG lines', () => {
    assert.ok(classifyLine('DEBUG flashlight: error dialing proxy, retrying', false).weight <= 1);
    assert.ok(classifyLine('time="x" level=debug msg="401 Unauthorized, retrying with token"', false).weight <= 1);
  });

  it('treats "0 errors" as a clean result, but not "1 failed, 0 errors"', () => {
    assert.equal(classifyLine('Compiled with 0 errors and 2 warnings', false).role, 'pass');
    assert.notEqual(classifyLine('Tests: 1 failed, 0 errors', false).role, 'pass');
  });

  it('leaves ordinary output alone', () => {
    assert.deepEqual(classifyLine('Compiling serde v1.0.200', false), { role: 'plain', weight: 0, indent: 0 });
  });
});
