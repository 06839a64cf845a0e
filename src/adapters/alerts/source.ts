import type { Signal, SignalSource } from '../../domain/signal.js';
import type { BodyProblem } from './json-body.js';

/** The result of validating a parsed body at the edge, before anything is stored. */
export type Validation =
  | { ok: true; alerts: number }
  /** Valid, but nothing to process (e.g. PagerDuty's subscription ping): acknowledged, not stored. */
  | { ok: true; alerts: 0; ignored: string }
  | ({ ok: false } & BodyProblem);

/**
 * One kind of alert sender. `validate` runs before the ack (a 400 names the
 * first problem's path); `toSignals` runs in the worker on the stored body and
 * throws on a body `validate` would reject.
 */
export interface AlertSource {
  name: Extract<SignalSource, 'alertmanager' | 'grafana' | 'pagerduty' | 'generic'>;
  validate(body: unknown): Validation;
  toSignals(body: unknown): Signal[];
}
