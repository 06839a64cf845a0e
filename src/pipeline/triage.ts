import { parseJsonBody } from '../adapters/alerts/json-body.js';
import { ALERT_SOURCES, detectSource, type AlertSourceName } from '../adapters/alerts/sources.js';
import type { Clock } from '../domain/clock.js';
import { PitcrewError } from '../domain/errors.js';
import type { Incident, IncidentAlert, IncidentPolicy } from '../domain/incident.js';
import type { Signal } from '../domain/signal.js';
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

/** A later stage of triage (retrieval, planning) behind a port, so the CLI needs no Slack and no GitHub. */
export interface TriageStage {
  readonly name: string;
  run(intake: TriageIntake): Promise<TriageStageResult>;
}

export type TriageStageResult =
  | { status: 'ok'; summary: string; detail?: unknown }
  | { status: 'abstained'; summary: string; detail?: unknown }
  | { status: 'failed'; summary: string };

export interface TriagePorts {
  retrieve?: TriageStage;
  plan?: TriageStage;
}

export interface TriageReport {
  intake: TriageIntake;
  stages: Array<{ name: string } & (TriageStageResult | { status: 'not_available'; summary: string })>;
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
 *     group them into incidents, in a scratch in-memory store
 *  2. retrieve: the runbooks and past incidents that match (port)
 *  3. plan: a proposed fix (port)
 */
export async function triage(text: string, options: TriageOptions): Promise<TriageReport> {
  const intake = await triageIntake(text, options);
  const stages: TriageReport['stages'] = [];
  for (const [name, stage] of [['retrieve', options.ports?.retrieve], ['plan', options.ports?.plan]] as const) {
    if (!stage) {
      stages.push({ name, status: 'not_available', summary: `no ${name} stage is wired into triage in this build` });
      continue;
    }
    const result = await stage.run(intake).catch((error: Error): TriageStageResult => ({ status: 'failed', summary: error.message }));
    stages.push({ name: stage.name, ...result });
  }
  return { intake, stages };
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
