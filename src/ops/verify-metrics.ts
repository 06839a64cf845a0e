import { Counter, Gauge } from 'prom-client';
import type { Metrics } from './metrics.js';

/**
 * Verify-stage metrics: how watches ended (a rising `reverting` rate says the
 * runbooks' fixes do not work), and how many are open now, read on scrape.
 */
export function createVerifyMetrics(metrics: Metrics, watching: () => Promise<number>): (outcome: 'cleared' | 'reverting' | 'not_cleared') => void {
  const registers = [metrics.registry];
  const finished = new Counter({ name: 'pitcrew_verifications_total', help: 'Finished verification watches by outcome (cleared, reverting, not_cleared)', labelNames: ['outcome'], registers });
  new Gauge({
    name: 'pitcrew_verifications_watching',
    help: 'Executions whose signal is being watched now',
    registers,
    async collect() {
      this.set(await watching());
    },
  });
  return (outcome) => finished.inc({ outcome });
}
