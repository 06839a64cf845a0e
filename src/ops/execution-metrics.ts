import { Counter, Gauge } from 'prom-client';
import type { ExecutionRecord } from '../domain/execution.js';
import type { CircuitBreaker } from '../pipeline/execute/breaker.js';
import type { Metrics } from './metrics.js';

/**
 * Execution metrics: outcomes of executions and actions, and each
 * repository's circuit breaker (1 = open), read from the store on scrape.
 */
export function createExecutionMetrics(metrics: Metrics, breaker: CircuitBreaker): (record: ExecutionRecord) => void {
  const registers = [metrics.registry];
  const executions = new Counter({ name: 'pitcrew_executions_total', help: 'Executions of merged plans by outcome (succeeded, failed, refused, dry_run)', labelNames: ['outcome'], registers });
  const actions = new Counter({ name: 'pitcrew_execution_actions_total', help: 'Executed actions by kind and outcome', labelNames: ['kind', 'outcome'], registers });
  new Gauge({
    name: 'pitcrew_execution_breaker_open',
    help: 'Circuit breaker per repository: 1 while open (execution paused until a human resets it), 0 when closed',
    labelNames: ['repo'],
    registers,
    async collect() {
      this.reset();
      for (const state of await breaker.all()) this.set({ repo: state.repo }, state.open ? 1 : 0);
    },
  });
  return (record) => {
    executions.inc({ outcome: record.outcome });
    for (const action of record.actions) actions.inc({ kind: action.type, outcome: action.outcome });
  };
}
