import type { Breaker } from '../../config/repo-config/schema.js';

/**
 * The circuit breaker (invariant I6): `failures` failed executions of one
 * repository within `windowMinutes` open it, and it stays open (latched)
 * until a human resets it, however much time passes. Only failures after the
 * last reset count, so a reset is a fresh start.
 */
export interface BreakerState {
  repo: string;
  open: boolean;
  /** Failed executions counted towards opening (within the window, since the last reset). */
  failures: number;
  threshold: number;
  windowMinutes: number;
  openedAt: number | null;
  resetAt: number | null;
  resetBy: string | null;
}

export interface CircuitBreaker {
  state(repo: string, config: Breaker, now: number): Promise<BreakerState>;
  /** Called after a failed execution: opens the breaker when the threshold is reached. */
  recordFailure(repo: string, config: Breaker, now: number): Promise<BreakerState>;
  /** A human closes it again. */
  reset(repo: string, by: string, now: number): Promise<void>;
  /** Every repository whose breaker has been opened or reset, for `/pitcrew status` and metrics. */
  all(): Promise<Array<Pick<BreakerState, 'repo' | 'open' | 'openedAt' | 'resetAt' | 'resetBy'>>>;
}

export function describeBreaker(state: BreakerState): string {
  if (!state.open) return `closed (${state.failures}/${state.threshold} failed executions in ${state.windowMinutes} min)`;
  return `open since ${new Date(state.openedAt ?? 0).toISOString()} after ${state.threshold} failed executions within ${state.windowMinutes} min`;
}
