import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from './metrics.js';
import type { BreakerState, Telemetry } from './telemetry.js';

/**
 * The Telemetry port on the service's Prometheus registry. Each replica
 * exposes its own counts on /metrics; Prometheus sums them across replicas
 * (see deploy/grafana/pitcrew.json for the queries).
 */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

const LATENCY_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const MTTR_BUCKETS = [60, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400, 259200];
const TOKEN_BUCKETS = [0, 500, 1000, 2000, 5000, 10000, 20000, 40000, 80000];
const COST_BUCKETS = [0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2];
const WAIT_BUCKETS = [0, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

export function createPromTelemetry(metrics: Metrics): Telemetry {
  const registers = [metrics.registry];
  const decisionLatency = new Histogram({
    name: 'pitcrew_decision_latency_seconds',
    help: 'Decision latency by stage: signal_to_plan (incident opened → plan recorded) and plan_to_pr (plan recorded → fix PR opened or updated)',
    labelNames: ['stage'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const planned = new Counter({ name: 'pitcrew_plans_total', help: 'Plans recorded for incidents, by planner', labelNames: ['planner'], registers });
  const proposals = new Counter({ name: 'pitcrew_proposals_total', help: 'Fix PR proposals by outcome (opened, updated, unchanged, dry_run, blocked)', labelNames: ['outcome'], registers });
  const tokens = new Counter({ name: 'pitcrew_llm_tokens_total', help: 'LLM tokens spent on plans, by direction (input, output)', labelNames: ['direction'], registers });
  const cost = new Counter({ name: 'pitcrew_llm_cost_usd_total', help: 'Estimated LLM cost of plans in USD (plans whose model price is unknown add 0 and count in pitcrew_llm_cost_unknown_total)', registers });
  const costUnknown = new Counter({ name: 'pitcrew_llm_cost_unknown_total', help: 'LLM plans whose cost could not be estimated (model price unknown)', registers });
  const tokensPerIncident = new Histogram({ name: 'pitcrew_llm_tokens_per_incident', help: 'LLM tokens (input + output) spent planning one incident change', buckets: TOKEN_BUCKETS, registers });
  const costPerIncident = new Histogram({ name: 'pitcrew_llm_cost_usd_per_incident', help: 'Estimated LLM cost in USD of planning one incident change (known prices only)', buckets: COST_BUCKETS, registers });
  const actions = new Counter({ name: 'pitcrew_actions_total', help: 'Executed plan actions by type and outcome (succeeded, failed, skipped, dry_run, unknown); success rate = succeeded / (succeeded + failed)', labelNames: ['type', 'outcome'], registers });
  const actionDuration = new Histogram({ name: 'pitcrew_action_duration_seconds', help: 'Time one action took to run', labelNames: ['type'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300], registers });
  const mttr = new Histogram({
    name: 'pitcrew_incident_resolution_seconds',
    help: 'Time to resolve an incident (opened → resolved), by whether a pitcrew plan was executed for it (remediation="pitcrew") or not ("none"); MTTR = sum / count',
    labelNames: ['remediation'],
    buckets: MTTR_BUCKETS,
    registers,
  });
  const overrides = new Counter({ name: 'pitcrew_human_overrides_total', help: 'Humans overriding pitcrew: fix PRs closed unmerged, reviews requesting changes', labelNames: ['kind', 'repo'], registers });
  const waits = new Histogram({ name: 'pitcrew_rate_limit_wait_seconds', help: 'Time a call waited in a rate limiter before it ran, by limiter', labelNames: ['limiter'], buckets: WAIT_BUCKETS, registers });
  const breaker = new Gauge({ name: 'pitcrew_breaker_state', help: 'Circuit breaker state by scope: 0 closed, 1 half-open, 2 open (execution halted)', labelNames: ['scope'], registers });
  const breakerChanges = new Counter({ name: 'pitcrew_breaker_transitions_total', help: 'Circuit breaker state changes by scope and new state', labelNames: ['scope', 'state'], registers });

  const seconds = (ms: number) => Math.max(0, ms) / 1_000;
  // Telemetry must never fail the work it describes.
  const safe = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A): void => {
    try {
      fn(...args);
    } catch {
      // A metric that cannot be recorded is not worth an error in the pipeline.
    }
  };

  return {
    planned: safe((event) => {
      planned.inc({ planner: event.planner });
      decisionLatency.observe({ stage: 'signal_to_plan' }, seconds(event.signalToPlanMs));
      if (event.planner !== 'llm') return;
      tokens.inc({ direction: 'input' }, event.tokens.input);
      tokens.inc({ direction: 'output' }, event.tokens.output);
      tokensPerIncident.observe(event.tokens.input + event.tokens.output);
      if (event.costUsd === null) {
        costUnknown.inc();
      } else {
        cost.inc(event.costUsd);
        costPerIncident.observe(event.costUsd);
      }
    }),
    proposed: safe((event) => {
      proposals.inc({ outcome: event.outcome });
      if (event.outcome === 'opened' || event.outcome === 'updated') decisionLatency.observe({ stage: 'plan_to_pr' }, seconds(event.planToPrMs));
    }),
    actionFinished: safe((event) => {
      actions.inc({ type: event.type, outcome: event.outcome });
      if (event.durationMs !== undefined) actionDuration.observe({ type: event.type }, seconds(event.durationMs));
    }),
    incidentResolved: safe((event) => {
      mttr.observe({ remediation: event.remediated ? 'pitcrew' : 'none' }, seconds(event.durationMs));
    }),
    humanOverride: safe((kind, repo) => {
      overrides.inc({ kind, repo: repo.toLowerCase() });
    }),
    rateLimitWaited: safe((limiter, waitMs) => {
      waits.observe({ limiter }, seconds(waitMs));
    }),
    breakerChanged: safe((scope, state) => {
      breaker.set({ scope }, BREAKER_STATE_VALUE[state]);
      breakerChanges.inc({ scope, state });
    }),
  };
}
