import type { Signal } from '../domain/signal.js';

/** The signal an incident is planned from: its first firing alert, else its first alert. */
export function leadSignal(signals: Signal[]): Signal | undefined {
  return signals.find((signal) => signal.status === 'firing') ?? signals[0];
}
