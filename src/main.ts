import { startGitHubFromConfig } from './adapters/github/from-config.js';
import type { GitHubService } from './adapters/github/mount.js';
import { mountAlertRoutes, type InboxAppend } from './adapters/alerts/http-routes.js';
import { logChat } from './adapters/chat/log-chat.js';
import type { SlackListenerDeps, SlackService } from './adapters/slack/from-config.js';
import { handoffReply } from './adapters/slack/handoff-reply.js';
import { startIntake, type IntakeService } from './adapters/alerts/intake-service.js';
import type { Config } from './config/config.js';
import { describeFeatures } from './config/features.js';
import { systemClock, type Clock } from './domain/clock.js';
import type { IncidentSubscriber } from './domain/incident-change.js';
import { mountHealthRoutes, type ReadinessCheck } from './http/health-routes.js';
import { HttpServer } from './http/server.js';
import { startChroma, type ChromaService } from './knowledge/chroma/chroma-service.js';
import { createEmbeddingModel } from './knowledge/embeddings/create-embeddings.js';
import { startKnowledge, type KnowledgeService } from './knowledge/knowledge-service.js';
import type { Logger } from './ops/logger.js';
import { createIntakeMetrics, registerQueueGauges } from './ops/intake-metrics.js';
import { createMetrics } from './ops/metrics.js';
import { incidentTelemetry } from './ops/incident-telemetry.js';
import { createPromTelemetry } from './ops/prom-telemetry.js';
import { githubWriteLimiter } from './ops/rate-limit/from-config.js';
import type { Telemetry } from './ops/telemetry.js';
import { replicaLock, type ReplicaLock } from './store/advisory-lock.js';
import { DeliveryClaims } from './store/delivery-claims.js';
import { newWorkerId } from './store/queue/job-queue.js';
import type { Chat } from './pipeline/ports/chat.js';
import { responderFromConfig, type Responder } from './pipeline/respond-from-config.js';
import { storedKillSwitch } from './store/kill-switch.js';
import { SettingsRepo } from './store/settings-repo.js';
import { openStore, type Store } from './store/store.js';
import type { AuditTrail, KillSwitch } from './domain/execution.js';
import { startVerify } from './pipeline/verify/start-verify.js';
import type { Verifier } from './pipeline/verify/verifier.js';
import type { ExecutionService } from './actions/start-execution.js';
import type { AfterExecution } from './pipeline/execute/ports.js';
import { startHandoffFromConfig } from './adapters/schedule/handoff-from-config.js';
import type { HandoffPublisher } from './pipeline/handoff/publisher.js';
import type { HandoffService } from './pipeline/handoff/service.js';
import { storeFixPullRecorder } from './store/fix-pull-repo.js';
import { storedBreaker } from './store/circuit-breaker.js';
import { ExecutionJournal } from './store/execution-journal.js';
import { breakerReader, describeBreakers, remediationLookup, storeExecutionReader } from './store/execution-readers.js';

/**
 * Composition root: builds the adapters from config and starts them. No logic
 * lives here; each part is built by its own module and passed what it needs.
 */
export interface RunningService {
  port: number;
  store: Store;
  chroma: ChromaService;
  /** Runbooks, incident and CI-failure memory, and the Retriever over them (pipeline stage 2). */
  knowledge: KnowledgeService;
  /** Alert inbox, queue and workers (pipeline stage 1). */
  intake: IntakeService;
  /** The GitHub App and its Forge; null when GitHub is not configured. */
  github: GitHubService | null;
  /** Retrieve → plan → propose for incidents (also what chat calls to propose on request). */
  responder: Responder;
  /** The runtime kill switch (`/pitcrew pause`); execution also honours `paused: true` in the repo config. */
  killSwitch: KillSwitch;
  /** The on-call handoff (`/pitcrew handoff`, and the PITCREW_HANDOFF_CRON schedule when set). */
  handoff: HandoffService;
  /**
   * Trust metrics (decision latency, action outcomes, MTTR, LLM spend, overrides,
   * rate-limit waits, breaker state) on /metrics; other parts report through it.
   */
  telemetry: Telemetry;
  /** Per-key lock across replicas (Postgres advisory locks; in-process on SQLite). */
  locks: ReplicaLock;
  /** Stage 6: merged plans run here (null when GitHub is off). Its breaker state is for `/pitcrew status`. */
  execution: ExecutionService | null;
  /** Stage 7: watches the signal after each successful execution; reverts when it does not clear. */
  verifier: Verifier;
  /** Stage 8: execution records as commits on the audit branch; null when GitHub is off. */
  auditTrail: AuditTrail | null;
  /** Slack (threads, /pitcrew, buttons, mentions); null when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set. */
  slack: SlackService | null;
  /** Stop accepting, finish in-flight work, close the store, stop Chroma. */
  stop(): Promise<void>;
}

export interface ServiceDeps {
  clock?: Clock;
  /** More receivers of incident changes (the responder is always one); delivered at least once from the outbox. */
  subscribers?: IncidentSubscriber[];
  /** The chat the responder posts to (default: Slack when configured, else the log). */
  chat?: Chat;
  /** Where scheduled handoffs are posted (the Slack on-call channel); default: the log. */
  handoffPublishers?: HandoffPublisher[];
  /** Where execution records are committed (default: the git audit branch when GitHub is on). */
  audit?: AuditTrail;
  /** Runs after each execution, after verify's own hook. */
  afterExecution?: AfterExecution;
  /** Slack ports other parts provide: the circuit breaker's state and the handoff summary. */
  slack?: Pick<SlackListenerDeps, 'breaker' | 'handoff'> & { channelGapMs?: number };
}

export async function startService(config: Config, log: Logger, deps: ServiceDeps = {}): Promise<RunningService> {
  const clock = deps.clock ?? systemClock;
  const metrics = createMetrics();
  const telemetry = createPromTelemetry(metrics);
  const http = new HttpServer(log, metrics);
  const checks: ReadinessCheck[] = [];
  const stops: Array<() => Promise<void>> = [];
  // Shutdown: stop accepting and let in-flight requests (acks) commit first,
  // then stop the parts in reverse order of start (workers drain their jobs).
  const stopAll = async () => {
    await http.close().catch((error: Error) => log.error({ err: error.message }, 'error while closing http'));
    for (const stop of stops.reverse()) await stop().catch((error: Error) => log.error({ err: error.message }, 'error while stopping'));
  };

  // 1. Health first, so probes see "starting" rather than a refused connection.
  // Alert routes answer 503 (senders retry) until the inbox is ready.
  mountHealthRoutes(http, metrics, () => checks);
  const intakeMetrics = createIntakeMetrics(metrics);
  let inbox: InboxAppend | undefined;
  mountAlertRoutes(http, { inbox: () => inbox, token: config.alerts.token, pagerDutySecret: config.alerts.pagerDutySecret, metrics: intakeMetrics, log, clock });
  const port = await http.listen(config.port, config.host);
  log.info({ port, host: config.host }, 'http server listening');

  try {
    // 2. The store and Chroma come up side by side.
    const [store, chroma] = await bothOrStop(openStore(config.store), startChroma(config.chroma, log), stops);
    log.info({ store: store.description }, 'store ready');
    const killSwitch = storedKillSwitch(new SettingsRepo(store.db, clock));
    // No leader: replicas coordinate through Postgres (locks, queue claims) and Redis (rate limits). ADR 0015.
    const locks = replicaLock(config.store, log);
    stops.push(() => locks.close());

    // 3. Knowledge opens in the background (and keeps retrying while Chroma is
    // down): intake must ack alerts even when the vector store is unreachable.
    const knowledge = startKnowledge({
      chromaUrl: chroma.url,
      embedding: createEmbeddingModel(config.knowledge.embeddings),
      runbookDirs: config.knowledge.runbookDirs,
      minEvidence: config.knowledge.minEvidence,
      log,
      clock,
    }, log);
    stops.push(() => knowledge.stop());

    // 4. GitHub: webhooks and the Forge when configured, else the app setup page.
    const limiter = config.github ? await githubWriteLimiter(config, telemetry, log) : undefined;
    if (limiter) stops.push(() => limiter.stop());
    const deliveries = new DeliveryClaims(store, clock, newWorkerId('webhooks'));
    stops.push(deliveries.schedulePrune(log));
    const github = await startGitHubFromConfig(config, http, log, port, {
      mutex: locks,
      deliveries,
      fixPulls: storeFixPullRecorder(store, () => clock.now(), telemetry),
      ...(limiter ? { limiter } : {}),
      ci: { store, knowledge, clock },
    });
    if (github) stops.push(() => github.stop());

    // 5. Respond to incidents: show them in chat, retrieve, plan, propose (stages 2–4).
    // Loaded only when configured: Bolt and the Web API client cost startup time a service without Slack should not pay.
    const slack = config.slack ? await (await import('./adapters/slack/from-config.js')).createSlackFromConfig(config, { store, http, clock, log, canPropose: github !== null, ...(deps.slack?.channelGapMs !== undefined ? { channelGapMs: deps.slack.channelGapMs } : {}) }) : null;
    if (slack) stops.push(() => slack.stop()); // stops after intake: changes in flight still post
    const chat = deps.chat ?? slack?.chat ?? logChat(log);
    const responder = responderFromConfig({ config, store, knowledge, chat, forge: github?.forge ?? null, clock, log, telemetry });

    // 6. The on-call handoff, and its schedule when configured (posted to Slack when it is on).
    const breakers = storedBreaker(store.db, new ExecutionJournal(store));
    const handoff = await startHandoffFromConfig({
      config, store, killSwitch, clock, log,
      forge: github?.forge ?? null,
      executions: storeExecutionReader(store.db),
      breaker: breakerReader(breakers),
      ...(await handoffPublishersFor(deps.handoffPublishers, slack, config.env.PITCREW_HANDOFF_TZ)),
    });
    stops.push(() => handoff.stop());

    // 7. Verify and record (stages 7–8): watches survive restarts in the store.
    const { verifier, auditTrail } = await startVerify({ config, store, knowledge, chat, github, clock, log, metrics });

    // 8. Intake: inbox and outbox workers; from here on alerts are acked.
    // Telemetry first: a responder failure retries the change, and MTTR must not wait on it.
    const subscribers = [incidentTelemetry(telemetry, remediationLookup(store.db)), responder, verifier, ...(deps.subscribers ?? [])];
    const intake = await startIntake({ store, storeConfig: config.store, clock, log, metrics: intakeMetrics, policy: config.incidents, queue: config.queue, subscribers });
    stops.push(() => intake.stop());
    stops.push(() => responder.stop()); // stops run in reverse: waits for Chroma are given up before intake drains
    verifier.start(intake.jobs);
    stops.push(() => verifier.stop());
    registerQueueGauges(metrics, intake.jobs, () => clock.now());
    inbox = intake.append;

    // 9. Execute merged plans (GitHub only): resumes unfinished executions from the journal first.
    let execution: ExecutionService | null = null;
    const audit = deps.audit ?? auditTrail;
    if (github) {
      const [{ startExecution }, { loadPolicy }] = await Promise.all([import('./actions/start-execution.js'), import('./planner/policy-file.js')]);
      execution = startExecution({
        github, store, chat, killSwitch, clock, log, jobs: intake.jobs, metrics, telemetry,
        policy: loadPolicy(config.planning.policyFile),
        dryRun: config.dryRun,
        ...(config.env.PITCREW_KUBECONFIG ? { kubeconfig: config.env.PITCREW_KUBECONFIG } : {}),
        ...(config.env.PITCREW_HTTP_ACTION_SECRET ? { httpSecret: config.env.PITCREW_HTTP_ACTION_SECRET } : {}),
        httpTimeoutMs: config.env.PITCREW_HTTP_ACTION_TIMEOUT,
        ...(audit ? { audit } : {}),
        afterExecution: async (record) => {
          await verifier.afterExecution(record);
          await deps.afterExecution?.(record);
        },
      });
      const started = execution;
      stops.push(() => started.stop());
    }

    // 10. Slack listeners: /pitcrew, buttons, mentions (they call the responder, the queue and the kill switch).
    if (slack) {
      await slack.listen({
        responder,
        retriever: async () => (await knowledge.ready()).retriever,
        jobs: intake.jobs,
        killSwitch,
        breaker: deps.slack?.breaker ?? (() => describeBreakers(breakers)),
        handoff: deps.slack?.handoff ?? (async ({ window }) => handoffReply(handoff.service, window ?? '')),
      });
    }

    // Ready from here on (knowledge may still be opening; readiness reports Chroma as degraded, not down).
    checks.push(
      { name: 'store', ready: () => store.ping().then(() => true, () => false) },
      // Optional: without Chroma, alerts are still acked and planned once it is back (ADR 0015).
      { name: 'chroma', ready: () => chroma.ready(), optional: true },
    );

    for (const feature of describeFeatures(config)) {
      log.info({ feature: feature.name, on: feature.on, detail: feature.detail }, `feature ${feature.name} ${feature.on ? 'on' : 'off'}`);
    }
    if (!config.alerts.token) log.warn('PITCREW_ALERT_TOKEN is not set: alert endpoints accept requests from loopback only');

    return { port, store, chroma, knowledge, intake, github, responder, killSwitch, handoff: handoff.service, telemetry, locks, execution, verifier, auditTrail, slack, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Where scheduled handoffs go: those the caller passes, else the Slack channel when Slack is on (else the default, the log). */
async function handoffPublishersFor(given: HandoffPublisher[] | undefined, slack: SlackService | null, timeZone: string): Promise<{ publishers?: HandoffPublisher[] }> {
  if (given) return { publishers: given };
  if (!slack) return {};
  const { slackServiceHandoffPublisher } = await import('./adapters/slack/from-config.js');
  return { publishers: [slackServiceHandoffPublisher(slack, timeZone)] };
}

/** Awaits both; registers a stop for each that started, so a failure of one never orphans the other. */
async function bothOrStop(
  storePromise: Promise<Store>,
  chromaPromise: Promise<ChromaService>,
  stops: Array<() => Promise<void>>,
): Promise<[Store, ChromaService]> {
  const [store, chroma] = await Promise.allSettled([storePromise, chromaPromise]);
  if (store.status === 'fulfilled') stops.push(() => store.value.close());
  if (chroma.status === 'fulfilled') stops.push(() => chroma.value.stop());
  if (store.status === 'rejected') throw store.reason;
  if (chroma.status === 'rejected') throw chroma.reason;
  return [store.value, chroma.value];
}
