import type { BreakerState, ExecutionSummary, HandoffWindow } from './model.js';

/**
 * The two sections that belong to the execution stage come in through these
 * ports. Until the execution journal and the circuit breaker are wired in,
 * the defaults say so honestly ("not connected") rather than "nothing ran".
 */
export interface ExecutionJournalReader {
  /** Executions that finished in [from, to), oldest first. */
  executedBetween(window: HandoffWindow): Promise<ExecutionSummary[]>;
}

export interface BreakerReader {
  state(): Promise<BreakerState>;
}

export const disconnectedBreaker: BreakerReader = {
  state: async () => ({ state: 'unknown', since: null, reason: null }),
};
