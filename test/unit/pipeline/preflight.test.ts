import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preflight, type PreflightFacts } from '../../../src/pipeline/execute/checks.js';
import type { GateRecheck } from '../../../src/pipeline/gate/run.js';
import { repoConfig } from '../../support/github.js';

const passing = { ok: true, reasons: [], pinned: null, result: { risk: 'medium' } } as unknown as GateRecheck;
const facts = (overrides: Partial<PreflightFacts> = {}): PreflightFacts => ({
  gate: passing,
  config: { status: 'ok', config: repoConfig(), path: '.github/pitcrew.yml', ref: 'main' },
  pause: { paused: false, by: null, at: null, reason: null },
  breaker: null,
  now: Date.UTC(2026, 0, 5, 12),
  defaultBranch: 'main',
  ...overrides,
});

describe('preflight checks before execution', () => {
  it('passes when every check passes', () => {
    assert.deepEqual(preflight(facts()).reasons, []);
  });

  it('lists every failing check, each in one sentence', () => {
    const verdict = preflight(facts({
      gate: { ...passing, ok: false, reasons: ['needs 1 approval'] },
      config: { status: 'ok', config: repoConfig({ paused: true, executionWindows: [{ days: ['sat'], start: '01:00', end: '02:00' }] }), path: '.github/pitcrew.yml', ref: 'main' },
      pause: { paused: true, by: 'alice', at: Date.UTC(2026, 0, 5, 11), reason: 'migration' },
      breaker: { repo: 'acme/deploy', open: true, failures: 3, threshold: 3, windowMinutes: 60, openedAt: Date.UTC(2026, 0, 5, 10), resetAt: null, resetBy: null },
    }));
    assert.equal(verdict.ok, false);
    assert.deepEqual(verdict.reasons, [
      'Gate: needs 1 approval',
      'Paused: `paused: true` is set in .github/pitcrew.yml on main',
      'Outside the execution window: outside the execution windows for medium risk (sat 01:00–02:00 UTC)',
      'Paused by alice at 2026-01-05T11:00:00.000Z (/pitcrew pause): migration',
      'Circuit breaker open since 2026-01-05T10:00:00.000Z after 3 failed executions within 60 min; a human must reset it (`pitcrew breaker reset acme/deploy`)',
    ]);
  });

  it('refuses when the config on the default branch is missing or invalid', () => {
    assert.match(preflight(facts({ config: { status: 'missing', path: '.github/pitcrew.yml', ref: 'main' } })).reasons[0]!, /missing on main/);
    assert.match(preflight(facts({ config: { status: 'invalid', problems: [], path: '.github/pitcrew.yml', ref: 'main' } })).reasons[0]!, /is invalid/);
  });
});
