import { Counter, Gauge } from 'prom-client';
import type { ExecutionRecord } from '../domain/execution.js';
import type { CircuitBreaker } from '../pipeline/execute/breaker.js';
import type { Metrics } from './metrics.js';
import { noopTelemetry, type Telemetry } from './telemetry.js';

/**
 * Execution metrics: outcomes of executions, each repository's circuit
 * breaker (1 = open) read from the store on scrape, and, through the
 * Telemetry port, action outcomes (`pitcrew_actions_total`) and the overall
 * breaker state (`pitcrew_breaker_state{scope="execution"}`).
 */
export function createExecutionMetrics(metrics: Metrics, breaker: CircuitBreaker, telemetry: Pick<Telemetry, 'actionFinished' | 'breakerChanged'> = noopTelemetry): (record: ExecutionRecord) => void {
  const registers = [metrics.registry];
  const executions = new Counter({ name: 'pitcrew_executions_total', help: 'Executions of merged plans by outcome (succeeded, failed, refused, dry_run)', labelNames: ['outcome'], registers });
  let lastOpen: boolean | undefined;
  new Gauge({
    name: 'pitcrew_execution_breaker_open',
    help: 'Circuit breaker per repository: 1 while open (execution paused until a human resets it), 0 when closed',
    labelNames: ['repo'],
    registers,
    async collect() {
      this.reset();
      const all = await breaker.all();
      for (const state of all) this.set({ repo: state.repo }, state.open ? 1 : 0);
      const open = all.some((state) => state.open);
      if (open !== lastOpen) telemetry.breakerChanged('execution', open ? 'open' : 'closed');
      lastOpen = open;
    },
  });
  return (record) => {
    executions.inc({ outcome: record.outcome });
    for (const action of record.actions) telemetry.actionFinished({ type: action.type, outcome: action.outcome });
  };
}
