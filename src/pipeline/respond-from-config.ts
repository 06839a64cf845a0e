import type { Config } from '../config/config.js';
import type { Clock } from '../domain/clock.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentChange, IncidentSubscriber } from '../domain/incident-change.js';
import { PitcrewError } from '../domain/errors.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { KnowledgeService } from '../knowledge/knowledge-service.js';
import type { Logger } from '../ops/logger.js';
import { DecisionRepo } from '../store/decision-repo.js';
import { IncidentRepo } from '../store/incident-repo.js';
import type { Store } from '../store/store.js';
import type { Chat } from './ports/chat.js';
import type { Forge, ProposeOutcome } from './ports/forge.js';
import type { IncidentResponder } from './respond.js';

export interface ResponderWiring {
  config: Config;
  store: Store;
  knowledge: KnowledgeService;
  chat: Chat;
  forge: Forge | null;
  clock: Clock;
  log: Logger;
}

export type Responder = IncidentSubscriber & {
  proposeLatest(incident: Incident, requestedBy?: string): Promise<ProposeOutcome | { status: 'not_proposed'; reason: string }>;
  /** Gives up waits in progress (for Chroma), so a stopping service does not hang on them; their changes are retried after restart. */
  stop(): Promise<void>;
};

/**
 * How long one incident change waits for knowledge still on its first
 * attempt to open (service start). When Chroma is known to be down the
 * change fails at once instead, and the durable queue retries it with
 * backoff, so retrieval catches up when Chroma is back and nothing is lost.
 */
const KNOWLEDGE_WAIT_MS = 30_000;

async function knowledgeWithin(knowledge: KnowledgeService, ms: number, stopping: AbortSignal): Promise<Knowledge> {
  const status = knowledge.status();
  if (status.state === 'unavailable') {
    throw new PitcrewError('chroma_unavailable', `Runbook search is unavailable: ${status.error}`, 'Check that Chroma answers (pitcrew doctor); the incident is planned once it does.');
  }
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PitcrewError('chroma_unavailable', `Knowledge did not open within ${ms / 1000} s`, 'Check that Chroma answers (pitcrew doctor); the incident is planned once it does.')), ms);
    onStop = () => reject(new PitcrewError('stopping', 'The service is stopping; the incident is planned after it restarts'));
    stopping.addEventListener('abort', onStop, { once: true });
  });
  try {
    return await Promise.race([knowledge.ready(), timeout]);
  } finally {
    clearTimeout(timer);
    if (onStop) stopping.removeEventListener('abort', onStop);
  }
}

/**
 * The incident responder from configuration, built on first use: the planner
 * pulls in LangChain and secretlint, which a service that has not seen an
 * incident yet should not pay for at startup.
 */
export function responderFromConfig(wiring: ResponderWiring): Responder {
  let built: Promise<IncidentResponder> | undefined;
  const stopping = new AbortController();
  const responder = () => (built ??= build(wiring, stopping.signal));
  return {
    name: 'respond',
    onIncidentChange: async (change: IncidentChange) => (await responder()).onIncidentChange(change),
    proposeLatest: async (incident, requestedBy) => (await responder()).proposeLatest(incident, requestedBy),
    stop: async () => stopping.abort(),
  };
}

async function build({ config, store, knowledge, chat, forge, clock, log }: ResponderWiring, stopping: AbortSignal): Promise<IncidentResponder> {
  const [{ IncidentResponder }, { plannerDepsFromConfig }, { plannerTools }] = await Promise.all([
    import('./respond.js'),
    import('../planner/from-config.js'),
    import('./planner-tools.js'),
  ]);
  const incidents = new IncidentRepo(store.db);
  const planner = plannerDepsFromConfig(config, { clock, tools: plannerTools({ knowledge: () => knowledge.ready(), incidents }) });
  return new IncidentResponder({
    retriever: async () => (await knowledgeWithin(knowledge, KNOWLEDGE_WAIT_MS, stopping)).retriever,
    planner,
    decisions: new DecisionRepo(store.db),
    chat,
    forge,
    autoPropose: config.env.PITCREW_AUTO_PROPOSE,
    ...(planner.policy.defaultRepo ? { defaultRepo: planner.policy.defaultRepo } : {}),
    signalsOf: async (incidentId) => (await incidents.alerts(incidentId)).map((alert) => alert.signal),
    log,
  });
}
