import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetrics } from '../../../src/ops/metrics.js';
import { createPromTelemetry } from '../../../src/ops/prom-telemetry.js';
import { createRateLimiter } from '../../../src/ops/rate-limit/limiter.js';
import type { Telemetry } from '../../../src/ops/telemetry.js';

/** The value of one series (a counter, a gauge, or a histogram's `_count` / `_sum`), 0 when absent. */
async function value(telemetry: { registry: ReturnType<typeof createMetrics>['registry'] }, name: string, labels: Record<string, string> = {}): Promise<number> {
  const base = name.replace(/_(count|sum)$/, '');
  const metric = telemetry.registry.getSingleMetric(base) ?? telemetry.registry.getSingleMetric(name);
  assert.ok(metric, `metric ${name} is registered`);
  const { values } = await metric.get();
  const series = values.find((v) => (v as { metricName?: string }).metricName === name || ((v as { metricName?: string }).metricName === undefined && base === name)
    ? Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)
    : false);
  return series?.value ?? 0;
}

function setup(): { telemetry: Telemetry; registry: ReturnType<typeof createMetrics>['registry'] } {
  const metrics = createMetrics({ defaultMetrics: false });
  return { telemetry: createPromTelemetry(metrics), registry: metrics.registry };
}

/** Runs `event` and returns how much the series moved. */
async function delta(ctx: ReturnType<typeof setup>, name: string, labels: Record<string, string>, event: () => void | Promise<void>): Promise<number> {
  const before = await value(ctx, name, labels);
  await event();
  return (await value(ctx, name, labels)) - before;
}

describe('trust metrics: each changes when its event happens', () => {
  it('decision latency signal → plan, plans by planner, LLM tokens and cost per incident', async () => {
    const ctx = setup();
    const llm = () => ctx.telemetry.planned({ planner: 'llm', signalToPlanMs: 4_000, tokens: { input: 1_200, output: 300 }, costUsd: 0.02, model: 'gpt-x' });
    assert.equal(await delta(ctx, 'pitcrew_decision_latency_seconds_count', { stage: 'signal_to_plan' }, llm), 1);
    assert.equal(await value(ctx, 'pitcrew_decision_latency_seconds_sum', { stage: 'signal_to_plan' }), 4);
    assert.equal(await value(ctx, 'pitcrew_plans_total', { planner: 'llm' }), 1);
    assert.equal(await value(ctx, 'pitcrew_llm_tokens_total', { direction: 'input' }), 1_200);
    assert.equal(await value(ctx, 'pitcrew_llm_tokens_total', { direction: 'output' }), 300);
    assert.equal(await value(ctx, 'pitcrew_llm_cost_usd_total'), 0.02);
    assert.equal(await value(ctx, 'pitcrew_llm_tokens_per_incident_sum'), 1_500);
    assert.equal(await value(ctx, 'pitcrew_llm_cost_usd_per_incident_count'), 1);
    // A model with no known price counts as unknown, not as free.
    assert.equal(await delta(ctx, 'pitcrew_llm_cost_unknown_total', {}, () => ctx.telemetry.planned({ planner: 'llm', signalToPlanMs: 1, tokens: { input: 10, output: 1 }, costUsd: null })), 1);
    assert.equal(await value(ctx, 'pitcrew_llm_cost_usd_per_incident_count'), 1);
    // The deterministic planner spends no tokens.
    assert.equal(await delta(ctx, 'pitcrew_llm_tokens_total', { direction: 'input' }, () => ctx.telemetry.planned({ planner: 'deterministic', signalToPlanMs: 10, tokens: { input: 0, output: 0 }, costUsd: null })), 0);
    assert.equal(await value(ctx, 'pitcrew_plans_total', { planner: 'deterministic' }), 1);
  });

  it('decision latency plan → PR, only when a PR was opened or updated', async () => {
    const ctx = setup();
    assert.equal(await delta(ctx, 'pitcrew_decision_latency_seconds_count', { stage: 'plan_to_pr' }, () => ctx.telemetry.proposed({ planToPrMs: 2_500, outcome: 'opened' })), 1);
    assert.equal(await delta(ctx, 'pitcrew_decision_latency_seconds_count', { stage: 'plan_to_pr' }, () => ctx.telemetry.proposed({ planToPrMs: 5, outcome: 'dry_run' })), 0);
    assert.equal(await value(ctx, 'pitcrew_proposals_total', { outcome: 'dry_run' }), 1);
  });

  it('action outcomes (the success rate)', async () => {
    const ctx = setup();
    assert.equal(await delta(ctx, 'pitcrew_actions_total', { type: 'kubernetes.rollout_restart', outcome: 'succeeded' }, () => ctx.telemetry.actionFinished({ type: 'kubernetes.rollout_restart', outcome: 'succeeded', durationMs: 1_200 })), 1);
    assert.equal(await delta(ctx, 'pitcrew_actions_total', { type: 'kubernetes.rollout_restart', outcome: 'failed' }, () => ctx.telemetry.actionFinished({ type: 'kubernetes.rollout_restart', outcome: 'failed' })), 1);
    assert.equal(await value(ctx, 'pitcrew_action_duration_seconds_count', { type: 'kubernetes.rollout_restart' }), 1);
  });

  it('MTTR with and without a pitcrew remediation', async () => {
    const ctx = setup();
    assert.equal(await delta(ctx, 'pitcrew_incident_resolution_seconds_count', { remediation: 'pitcrew' }, () => ctx.telemetry.incidentResolved({ durationMs: 600_000, remediated: true })), 1);
    assert.equal(await delta(ctx, 'pitcrew_incident_resolution_seconds_count', { remediation: 'none' }, () => ctx.telemetry.incidentResolved({ durationMs: 1_800_000, remediated: false })), 1);
    assert.equal(await value(ctx, 'pitcrew_incident_resolution_seconds_sum', { remediation: 'pitcrew' }), 600);
    assert.equal(await value(ctx, 'pitcrew_incident_resolution_seconds_sum', { remediation: 'none' }), 1_800);
  });

  it('human overrides: fix PRs closed unmerged, changes requested', async () => {
    const ctx = setup();
    assert.equal(await delta(ctx, 'pitcrew_human_overrides_total', { kind: 'pr_closed_unmerged', repo: 'acme/web' }, () => ctx.telemetry.humanOverride('pr_closed_unmerged', 'Acme/Web')), 1);
    assert.equal(await delta(ctx, 'pitcrew_human_overrides_total', { kind: 'changes_requested', repo: 'acme/web' }, () => ctx.telemetry.humanOverride('changes_requested', 'acme/web')), 1);
  });

  it('the breaker state and its transitions', async () => {
    const ctx = setup();
    assert.equal(await delta(ctx, 'pitcrew_breaker_state', { scope: 'execution' }, () => ctx.telemetry.breakerChanged('execution', 'open')), 2);
    assert.equal(await delta(ctx, 'pitcrew_breaker_state', { scope: 'execution' }, () => ctx.telemetry.breakerChanged('execution', 'half_open')), -1);
    assert.equal(await delta(ctx, 'pitcrew_breaker_state', { scope: 'execution' }, () => ctx.telemetry.breakerChanged('execution', 'closed')), -1);
    assert.equal(await value(ctx, 'pitcrew_breaker_transitions_total', { scope: 'execution', state: 'open' }), 1);
  });

  it('rate-limit waits, reported by the limiter for every call', async () => {
    const ctx = setup();
    const limiter = createRateLimiter({ name: 'test-waits', perMinute: 600, telemetry: ctx.telemetry });
    await Promise.all([1, 2, 3].map(() => limiter.schedule(async () => {})));
    await limiter.stop();
    assert.equal(await value(ctx, 'pitcrew_rate_limit_wait_seconds_count', { limiter: 'test-waits' }), 3);
    // The third call waited behind two 100 ms slots.
    assert.ok((await value(ctx, 'pitcrew_rate_limit_wait_seconds_sum', { limiter: 'test-waits' })) >= 0.2 - 0.03);
  });

  it('names every metric pitcrew_*, and never throws into the caller', async () => {
    const ctx = setup();
    const names = (await ctx.registry.getMetricsAsJSON()).map((m) => m.name);
    assert.ok(names.length >= 14);
    assert.deepEqual(names.filter((name) => !name.startsWith('pitcrew_')), []);
    assert.doesNotThrow(() => ctx.telemetry.rateLimitWaited('x', Number.NaN));
    assert.doesNotThrow(() => ctx.telemetry.breakerChanged('x', 'sideways' as never));
  });
});
