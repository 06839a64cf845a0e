import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import type { ApprovalRecord, AuditTrail, ExecutionRecord, KillSwitch } from '../../domain/execution.js';
import type { Plan } from '../../domain/plan.js';
import type { Policy } from '../../domain/policy.js';
import type { Logger } from '../../ops/logger.js';
import { BROKE, type ExecutionJournal } from '../../store/execution-journal.js';
import type { ExecutionsTable } from '../../store/schema.js';
import type { GateFacts } from '../gate/facts.js';
import { proposersOf } from '../gate/reviews.js';
import { recheckGate } from '../gate/run.js';
import type { Chat } from '../ports/chat.js';
import type { Forge } from '../ports/forge.js';
import type { CircuitBreaker } from './breaker.js';
import { preflight } from './checks.js';
import type { ExecutionIncidents } from './incidents.js';
import type { AfterExecution, Connectors, ExecutionForge, MergedPlanRead, MergedPull } from './ports.js';
import { buildRecord, overallOutcome, renderReport } from './report.js';
import { LeaseLost, runActions } from './run-actions.js';

/**
 * Stage 6, execute: a merged, approved plan runs exactly once.
 *
 *  1. read the plan from the merge commit (a PR without one is not ours);
 *  2. claim the execution (unique per merge commit: duplicates stop here);
 *  3. check the gate again, `paused`, the kill switch, the windows and the breaker;
 *     on any failure run nothing and say exactly why;
 *  4. run the actions, each journaled before it runs;
 *  5. report (check run, PR comment, chat), move the incident to mitigating,
 *     append the audit record, hand over to verify.
 *
 * The claimer holds a lease it renews while it works. A process that dies
 * leaves an expired lease; `resume` (at start, then periodically) takes such
 * executions over and continues from the journal.
 */
export interface ExecutorDeps {
  journal: ExecutionJournal;
  forge: Pick<Forge, 'readGateFacts' | 'readPinnedGate'> & ExecutionForge;
  connectors: Connectors;
  chat: Chat;
  killSwitch: KillSwitch;
  breaker: CircuitBreaker;
  incidents: ExecutionIncidents;
  audit: AuditTrail;
  afterExecution: AfterExecution;
  policy: Policy;
  clock: Clock;
  log: Logger;
  dryRun: boolean;
  /** This process's identity in the journal (default: a random id). */
  owner?: string;
  /** How long a claim holds without renewal (default 60 s). */
  leaseMs?: number;
  /** Fault injection for crash tests: runs after an action's entry is committed, before the action. */
  afterJournal?: (key: string) => Promise<void>;
  /** Fault injection for crash tests: runs after an action's side effect, before its outcome is journaled. */
  afterAction?: (key: string) => Promise<void>;
}

export type MergedOutcome =
  | { status: 'no_plan' }
  | { status: 'duplicate'; executionId: string }
  | { status: 'done'; executionId: string; record: ExecutionRecord };

interface StoredContext {
  mergedBy: string | null;
  url: string;
  defaultBranch?: string;
  approvals?: ApprovalRecord[];
  proposedBy?: string | null;
  auditBranch?: string;
  refusals?: string[];
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_AUDIT_BRANCH = 'pitcrew-audit';

export function executionId(repo: string, mergeSha: string): string {
  return `exe_${createHash('sha256').update(`${repo.toLowerCase()}@${mergeSha}`).digest('hex').slice(0, 20)}`;
}

export class Executor {
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly running = new Map<string, Promise<ExecutionRecord | null>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: ExecutorDeps) {
    this.owner = deps.owner ?? `pitcrew-${randomUUID()}`;
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** The `pull_request.closed` (merged) event, run to the end. Safe to call any number of times, from any process. */
  async onMerged(pull: MergedPull): Promise<MergedOutcome> {
    const accepted = await this.accept(pull);
    if (accepted.status !== 'accepted') return accepted;
    const record = await accepted.done;
    return record ? { status: 'done', executionId: accepted.executionId, record } : { status: 'duplicate', executionId: accepted.executionId };
  }

  /**
   * Reads the plan and claims the execution (committed), then runs it in the
   * background: the webhook is acknowledged once the claim is persisted, not
   * after minutes of waiting for workflow runs.
   */
  async accept(pull: MergedPull): Promise<{ status: 'no_plan' } | { status: 'duplicate'; executionId: string } | { status: 'accepted'; executionId: string; done: Promise<ExecutionRecord | null> }> {
    // A stopping process claims nothing new (the webhook fails, and its claim would wait out a lease).
    if (this.stopped) throw new Error('the executor is stopping; deliver the event again');
    const read = await this.deps.forge.readMergedPlan(pull);
    if (read.status === 'none') return { status: 'no_plan' };
    if (read.status === 'not_merged') {
      this.deps.log.warn({ repo: pull.repo, pull: pull.number, mergeSha: pull.mergeSha, problem: read.problem }, 'merged event not confirmed by the forge; ignored');
      return { status: 'no_plan' };
    }
    const id = executionId(pull.repo, pull.mergeSha);
    const plan = read.status === 'ok' ? read.plan : null;
    const context: StoredContext = { mergedBy: pull.mergedBy, url: pull.url };
    const claimed = await this.deps.journal.claim({
      id, repo: pull.repo, prNumber: pull.number, mergeSha: pull.mergeSha, headSha: pull.headSha,
      planId: plan?.id ?? null, planHash: read.status === 'ok' ? read.hash : null, incidentId: plan?.incidentId ?? null, context: JSON.stringify(context),
    }, this.owner, this.deps.clock.now(), this.leaseMs);
    if (!claimed) {
      this.deps.log.info({ repo: pull.repo, pull: pull.number, mergeSha: pull.mergeSha, executionId: id }, 'execution already claimed; duplicate delivery ignored');
      return { status: 'duplicate', executionId: id };
    }
    const done = this.drive(id, pull, read);
    done.catch((error: Error) => this.deps.log.error({ executionId: id, err: error.message }, 'execution stopped by an error; it resumes when its lease runs out'));
    return { status: 'accepted', executionId: id, done };
  }

  /** Waits until no execution is under way in this process. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Takes over executions whose owner died (expired lease) and finishes them from the journal. */
  async resume(): Promise<number> {
    const rows = await this.deps.journal.resumable(this.deps.clock.now());
    let resumed = 0;
    for (const row of rows) {
      if (this.running.has(row.id) || this.stopped) continue;
      const taken = await this.deps.journal.takeOver(row.id, this.owner, this.deps.clock.now(), this.leaseMs);
      if (!taken) continue;
      this.deps.log.warn({ executionId: row.id, repo: row.repo, pull: row.pr_number, state: row.state }, 'resuming an execution from the journal');
      resumed++;
      await this.drive(row.id, pullOf(taken), null).catch((error: Error) => this.deps.log.error({ executionId: row.id, err: error.message }, 'resumed execution failed; will retry'));
    }
    return resumed;
  }

  /** Resumes now, then every half lease. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.resume().catch((error: Error) => this.deps.log.error({ err: error.message }, 'execution resume scan failed'));
    };
    tick();
    this.timer = setInterval(tick, Math.max(1_000, Math.floor(this.leaseMs / 2)));
    this.timer.unref();
  }

  /**
   * Stops resuming and waits for executions under way, at most `graceMs`: a
   * plan waiting on a long workflow run must not hold shutdown. One cut short
   * keeps its journal (a pending entry with its checkpoint); whoever takes
   * over its lease asks the connector and carries on.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.running.values()]), grace]);
    clearTimeout(timer);
    if (this.running.size > 0) this.deps.log.warn({ executions: [...this.running.keys()] }, 'stopped with executions under way; they resume from the journal when their lease runs out');
  }

  private drive(id: string, pull: MergedPull, read: MergedPlanRead | null): Promise<ExecutionRecord | null> {
    const existing = this.running.get(id);
    if (existing) return existing;
    const work = this.driveOnce(id, pull, read).finally(() => this.running.delete(id));
    this.running.set(id, work);
    return work;
  }

  private async driveOnce(id: string, pull: MergedPull, initialRead: MergedPlanRead | null): Promise<ExecutionRecord | null> {
    const { journal, clock, log } = this.deps;
    let lost = false;
    const heartbeat = setInterval(() => {
      journal.renew(id, this.owner, clock.now(), this.leaseMs).then((held) => {
        if (!held) lost = true;
      }, (error: Error) => log.warn({ executionId: id, err: error.message }, 'could not renew the execution lease'));
    }, Math.max(250, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    try {
      let row = (await journal.get(id))!;
      const context = JSON.parse(row.context ?? '{}') as StoredContext;
      const read = initialRead ?? (await this.deps.forge.readMergedPlan(pull));
      const plan = read.status === 'ok' ? read.plan : null;
      const planHash = read.status === 'ok' ? read.hash : null;

      if (row.state === 'claimed') {
        const refusals = await this.check(pull, read, context);
        const now = clock.now();
        if (refusals.length > 0) {
          context.refusals = refusals;
          log.warn({ executionId: id, repo: pull.repo, pull: pull.number, reasons: refusals }, 'merged plan refused; nothing runs');
          await this.must(journal.update(id, this.owner, { state: 'refused', reason: refusals.join('; '), context: JSON.stringify(context), finished_at: now }, now), id);
        } else {
          await this.must(journal.update(id, this.owner, { state: 'running', context: JSON.stringify(context) }, now), id);
        }
        row = (await journal.get(id))!;
      }

      if (row.state === 'running') {
        if (!plan) throw new Error(`execution ${id} is running but its plan cannot be read from ${pull.mergeSha}`);
        const incident = plan.incidentId ? await this.deps.incidents.find(plan.incidentId) : null;
        const actions = await runActions(id, plan, pull, incident, { ...this.deps, owner: this.owner });
        if (lost) throw new LeaseLost(id);
        const outcome = overallOutcome(actions);
        // A human pause between actions stops the plan, but is not a failure the breaker counts.
        const broke = actions.some((a) => a.outcome === 'failed' || a.outcome === 'unknown');
        const reason = broke ? BROKE : outcome === 'failed' ? `stopped before the end (${actions.find((a) => a.outcome === 'skipped')?.detail ?? 'skipped'})` : null;
        const now = clock.now();
        await this.must(journal.update(id, this.owner, { state: outcome, finished_at: now, reason }, now), id);
        if (broke) {
          const config = await this.deps.forge.readDefaultConfig(pull.repo);
          if (config.status === 'ok') {
            const breaker = await this.deps.breaker.recordFailure(pull.repo, config.config.breaker, now);
            if (breaker.open) log.error({ repo: pull.repo, failures: breaker.failures }, 'circuit breaker opened: execution paused for this repository until a human resets it');
          }
        }
        row = (await journal.get(id))!;
      }

      if (row.reported === 1) return row.record ? (JSON.parse(row.record) as ExecutionRecord) : null;
      const record = await this.report(id, row, pull, plan, planHash, context);
      await journal.release(id, this.owner);
      return record;
    } catch (error) {
      if (error instanceof LeaseLost) {
        log.warn({ executionId: id }, 'execution lease lost; another process continues it');
        return null;
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Every reason not to run, in one list (empty: run). */
  private async check(pull: MergedPull, read: MergedPlanRead, context: StoredContext): Promise<string[]> {
    if (read.status === 'invalid') return [`the plan cannot be read from the merge commit ${pull.mergeSha.slice(0, 7)}: ${read.problem}`];
    if (read.status === 'not_merged') return [read.problem];
    if (read.status !== 'ok') return ['the PR carries no plan'];
    let facts: GateFacts | null = null;
    const gate = await recheckGate(pull, {
      read: async (ref) => (facts = await this.deps.forge.readGateFacts(ref)),
      readPinned: (repo, sha) => this.deps.forge.readPinnedGate(repo, sha),
    }, { policy: this.deps.policy }, { headSha: pull.headSha, planHash: read.hash });
    const f = facts as GateFacts | null;
    context.defaultBranch = f?.defaultBranch ?? 'the default branch';
    context.approvals = gate.result.approvals.map((a) => ({ login: a.login, sha: a.sha }));
    context.proposedBy = f ? ([...proposersOf(f)][0] ?? null) : null;
    const [config, pause] = await Promise.all([this.deps.forge.readDefaultConfig(pull.repo), this.deps.killSwitch.state()]);
    const now = this.deps.clock.now();
    const breaker = config.status === 'ok' ? await this.deps.breaker.state(pull.repo, config.config.breaker, now) : null;
    if (config.status === 'ok') context.auditBranch = config.config.auditBranch;
    const verdict = preflight({ gate, config, pause, breaker, now, defaultBranch: context.defaultBranch });
    return verdict.reasons;
  }

  private async report(id: string, row: ExecutionsTable, pull: MergedPull, plan: Plan | null, planHash: string | null, context: StoredContext): Promise<ExecutionRecord> {
    const { journal, clock, log } = this.deps;
    const actions = (await journal.actions(id)).map((a) => ({ index: a.idx, type: a.kind, idempotencyKey: a.key, outcome: a.state as ExecutionRecord['actions'][number]['outcome'], detail: a.detail }));
    const refusals = context.refusals ?? [];
    const outcome = row.state as ExecutionRecord['outcome'];
    const record = buildRecord({
      pull, plan, planHash, proposedBy: context.proposedBy ?? null, approvals: context.approvals ?? [],
      executedAt: Number(row.finished_at ?? clock.now()), outcome, reason: outcome === 'refused' ? refusals.join('; ') : row.reason, actions,
    });
    const report = renderReport(id, record, plan, refusals);
    const published = await this.deps.forge.publishReport(pull, report);
    const incident = plan?.incidentId ? await this.deps.incidents.find(plan.incidentId) : null;
    if (incident) {
      const note = { title: report.title, outcome: outcome === 'refused' ? 'skipped' as const : outcome, lines: report.lines, ...(published.checkRunUrl ? { url: published.checkRunUrl } : { url: pull.url }) };
      await this.deps.chat.reply(incident, `execution:${id}`, { kind: 'execution', note });
      if (outcome === 'succeeded') await this.deps.incidents.mitigating(incident.id, 'pitcrew');
    }
    await this.deps.audit.append(record, context.auditBranch ?? DEFAULT_AUDIT_BRANCH);
    await this.deps.afterExecution(record);
    await this.must(journal.update(id, this.owner, { record: JSON.stringify(record), reported: 1 }, clock.now()), id);
    log.info({ executionId: id, repo: pull.repo, pull: pull.number, outcome, actions: actions.map((a) => a.outcome) }, `execution ${outcome}`);
    return record;
  }

  private async must(updated: Promise<boolean>, id: string): Promise<void> {
    if (!(await updated)) throw new LeaseLost(id);
  }
}

function pullOf(row: ExecutionsTable): MergedPull {
  const context = JSON.parse(row.context ?? '{}') as StoredContext;
  return { repo: row.repo, number: row.pr_number, mergeSha: row.merge_sha, headSha: row.head_sha, mergedBy: context.mergedBy ?? null, url: context.url ?? '' };
}
