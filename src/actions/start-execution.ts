import { githubExecutionForge } from '../adapters/github/execution-forge.js';
import type { GitHubService } from '../adapters/github/mount.js';
import type { Clock } from '../domain/clock.js';
import type { AuditTrail, ExecutionRecord, KillSwitch } from '../domain/execution.js';
import type { Policy } from '../domain/policy.js';
import { createExecutionMetrics } from '../ops/execution-metrics.js';
import type { Logger } from '../ops/logger.js';
import type { Telemetry } from '../ops/telemetry.js';
import type { Metrics } from '../ops/metrics.js';
import type { BreakerState, CircuitBreaker } from '../pipeline/execute/breaker.js';
import { Executor } from '../pipeline/execute/executor.js';
import { storedIncidents } from '../pipeline/execute/incidents.js';
import type { AfterExecution } from '../pipeline/execute/ports.js';
import type { Chat } from '../pipeline/ports/chat.js';
import { storedBreaker } from '../store/circuit-breaker.js';
import { ExecutionJournal } from '../store/execution-journal.js';
import type { JobQueue } from '../store/queue/job-queue.js';
import type { Store } from '../store/store.js';
import { buildConnectors } from './connectors.js';

/**
 * Stage 6 wired for GitHub: the executor with its journal, breaker,
 * connectors and reports, registered as the handler of merged PRs, and
 * resuming unfinished executions from the journal at start.
 */
export interface ExecutionServiceDeps {
  github: GitHubService;
  store: Store;
  chat: Chat;
  killSwitch: KillSwitch;
  policy: Policy;
  clock: Clock;
  log: Logger;
  dryRun: boolean;
  /** The intake's job queue, so the incident's move to mitigating reaches subscribers (chat). */
  jobs?: JobQueue;
  metrics?: Metrics;
  /** Action outcomes and the breaker state for the trust metrics (ops/telemetry). */
  telemetry?: Telemetry;
  /** Where execution records are committed (the audit-trail writer); default: logged only. */
  audit?: AuditTrail;
  /** Verify hangs off this; default: nothing. */
  afterExecution?: AfterExecution;
  kubeconfig?: string;
  httpSecret?: string;
  httpTimeoutMs?: number;
  leaseMs?: number;
  runPollMs?: number;
  owner?: string;
  /** Fault injection for the crash tests (see run-actions.ts). */
  afterJournal?: (key: string) => Promise<void>;
  afterAction?: (key: string) => Promise<void>;
}

export interface ExecutionService {
  executor: Executor;
  journal: ExecutionJournal;
  breaker: CircuitBreaker;
  /** Breaker state of every repository that has one, for `/pitcrew status`. */
  breakers(): Promise<Array<Pick<BreakerState, 'repo' | 'open' | 'openedAt' | 'resetAt' | 'resetBy'>>>;
  stop(): Promise<void>;
}

/** Stands in until the git audit-trail writer is wired: the record goes to the log. */
export function logAuditTrail(log: Logger): AuditTrail {
  return {
    append: async (record: ExecutionRecord, auditBranch: string) => {
      log.info({ repo: record.repo, planId: record.planId, mergeSha: record.mergeSha, outcome: record.outcome, auditBranch }, 'audit record (no audit-trail writer wired; logged only)');
      return { sha: '', url: null };
    },
  };
}

export function startExecution(deps: ExecutionServiceDeps): ExecutionService {
  const log = deps.log.child({ component: 'execute' });
  const journal = new ExecutionJournal(deps.store);
  const breaker = storedBreaker(deps.store.db, journal);
  const forge = deps.github.forge;
  const built = buildConnectors({
    github: { client: (repo) => forge.client(repo), botLogin: () => forge.botLogin() },
    chat: deps.chat, policy: deps.policy, clock: deps.clock, log,
    ...(deps.kubeconfig ? { kubeconfig: deps.kubeconfig } : {}),
    ...(deps.httpSecret ? { httpSecret: deps.httpSecret } : {}),
    ...(deps.httpTimeoutMs ? { httpTimeoutMs: deps.httpTimeoutMs } : {}),
    ...(deps.runPollMs ? { runPollMs: deps.runPollMs } : {}),
  });
  const observe = deps.metrics ? createExecutionMetrics(deps.metrics, breaker, deps.telemetry) : () => {};
  const after = deps.afterExecution ?? (async () => {});
  const executor = new Executor({
    journal,
    forge: {
      readGateFacts: (ref) => forge.readGateFacts(ref),
      readPinnedGate: (repo, sha) => forge.readPinnedGate(repo, sha),
      ...githubExecutionForge(forge, { log, dryRun: deps.dryRun }),
    },
    connectors: built.connectors,
    chat: deps.chat,
    killSwitch: deps.killSwitch,
    breaker,
    incidents: storedIncidents(deps.store, deps.clock, deps.jobs),
    audit: deps.audit ?? logAuditTrail(log),
    afterExecution: async (record) => {
      observe(record);
      await after(record);
    },
    policy: deps.policy,
    clock: deps.clock,
    log,
    dryRun: deps.dryRun,
    ...(deps.owner ? { owner: deps.owner } : {}),
    ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
    ...(deps.afterJournal ? { afterJournal: deps.afterJournal } : {}),
    ...(deps.afterAction ? { afterAction: deps.afterAction } : {}),
  });
  deps.github.onMerged((pull) => executor.accept(pull));
  executor.start();
  return {
    executor,
    journal,
    breaker,
    breakers: () => breaker.all(),
    stop: async () => {
      await executor.stop();
      await built.stop();
    },
  };
}
