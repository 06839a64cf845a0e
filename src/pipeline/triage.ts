import { parseJsonBody } from '../adapters/alerts/json-body.js';
import { ALERT_SOURCES, detectSource, type AlertSourceName } from '../adapters/alerts/sources.js';
import type { Clock } from '../domain/clock.js';
import { PitcrewError } from '../domain/errors.js';
import type { Incident, IncidentAlert, IncidentPolicy } from '../domain/incident.js';
import type { RetrievalResult } from '../domain/retrieval.js';
import type { Signal } from '../domain/signal.js';
import type { PlanOutcome } from '../planner/plan.js';
import { leadSignal } from './lead-signal.js';
import { IncidentRepo } from '../store/incident-repo.js';
import { openStore } from '../store/store.js';
import { attachSignals, type SignalOutcome } from './intake/attach-signals.js';

/** What intake made of the payload: the same normalization and grouping the service applies. */
export interface TriageIntake {
  source: AlertSourceName;
  /** True when the source was guessed from the payload's shape rather than given. */
  detected: boolean;
  /** Set when the sender's payload is valid but carries nothing to process (e.g. a PagerDuty ping). */
  ignored?: string;
  signals: Signal[];
  outcomes: SignalOutcome[];
  incidents: Array<{ incident: Incident; alerts: IncidentAlert[] }>;
}

/** Retrieval and planning, behind ports, so triage needs no Slack and no GitHub and the CLI can leave either out. */
export interface TriagePorts {
  retrieve?: (signal: Signal) => Promise<RetrievalResult>;
  plan?: (signal: Signal, retrieval: RetrievalResult) => Promise<PlanOutcome>;
}

/** What retrieval and planning made of one incident's lead signal. */
export interface TriageResponse {
  incidentNumber: number;
  signal: Signal;
  retrieval?: RetrievalResult;
  plan?: PlanOutcome['plan'];
  decision?: PlanOutcome['decision'];
  /** A stage that failed, and why; the stages after it did not run. */
  failed?: { stage: 'retrieve' | 'plan'; message: string };
}

export interface TriageReport {
  intake: TriageIntake;
  responses: TriageResponse[];
  /** Stages the caller did not wire in (e.g. `--no-plan`). */
  skipped: Array<'retrieve' | 'plan'>;
}

export interface TriageOptions {
  /** Where the payload came from, for messages (a file name). */
  origin: string;
  source?: AlertSourceName;
  policy: IncidentPolicy;
  clock: Clock;
  ports?: TriagePorts;
}

/**
 * Triage of one saved alert payload, offline: nothing is stored, posted or opened.
 *  1. intake: validate against the sender's schema, normalize to Signals and
 *     group them into incidents, in a scratch in-memory store;
 *  2. retrieve: for each incident's lead signal, the runbooks and past incidents that match;
 *  3. plan: the fix the service would propose for it.
 * The lead signal is chosen as the service's responder chooses it.
 */
export async function triage(text: string, options: TriageOptions): Promise<TriageReport> {
  const intake = await triageIntake(text, options);
  const { retrieve, plan } = options.ports ?? {};
  const skipped = [...(retrieve ? [] : ['retrieve' as const]), ...(plan ? [] : ['plan' as const])];
  const responses: TriageResponse[] = [];
  for (const { incident, alerts } of intake.incidents) {
    const signal = leadSignal(alerts.map((alert) => alert.signal));
    if (!signal || !retrieve) continue;
    const response: TriageResponse = { incidentNumber: incident.number, signal };
    responses.push(response);
    try {
      response.retrieval = await retrieve(signal);
    } catch (error) {
      response.failed = { stage: 'retrieve', message: (error as Error).message };
      continue;
    }
    if (!plan) continue;
    try {
      const outcome = await plan(signal, response.retrieval);
      response.plan = outcome.plan;
      response.decision = outcome.decision;
    } catch (error) {
      response.failed = { stage: 'plan', message: (error as Error).message };
    }
  }
  return { intake, responses, skipped };
}

export async function triageIntake(text: string, options: TriageOptions): Promise<TriageIntake> {
  const json = parseJsonBody(text);
  if (!json.ok) throw new PitcrewError('input_invalid', `${options.origin}: ${json.message}`, 'Fix the JSON at that path and run triage again.');
  const source = options.source ?? detectSource(json.value);
  const validation = ALERT_SOURCES[source].validate(json.value);
  if (!validation.ok) {
    throw new PitcrewError('input_invalid', `${options.origin} is not a valid ${source} payload: ${validation.message}`,
      options.source
        ? 'Fix the field at that path. The generic schema is in docs/schemas/generic-alert.schema.json.'
        : `The sender was guessed from the payload's shape; pass --source (${Object.keys(ALERT_SOURCES).join(', ')}) if the guess is wrong.`);
  }
  const base = { source, detected: options.source === undefined };
  if ('ignored' in validation) return { ...base, ignored: validation.ignored, signals: [], outcomes: [], incidents: [] };

  const signals = ALERT_SOURCES[source].toSignals(json.value);
  // A scratch store: the very same grouping code, and nothing touches the real one.
  const store = await openStore({ kind: 'sqlite', file: ':memory:' });
  try {
    const { outcomes } = await store.writeTransaction((trx) => attachSignals(trx, signals, options.policy, options.clock));
    const repo = new IncidentRepo(store.db);
    const incidents = await Promise.all((await repo.list({ limit: 1_000 })).reverse().map(async (incident) => ({ incident, alerts: await repo.alerts(incident.id) })));
    return { ...base, signals, outcomes, incidents };
  } finally {
    await store.close();
  }
}
