import type { Clock } from '../../domain/clock.js';
import { isPitcrewError } from '../../domain/errors.js';
import type { ExecutionRecord } from '../../domain/execution.js';
import type { IncidentChange, IncidentSubscriber } from '../../domain/incident-change.js';
import { describeAction } from '../../domain/describe-action.js';
import type { Logger } from '../../ops/logger.js';
import { KeyedMutex } from '../../ops/keyed-mutex.js';
import { IncidentRepo, toIncident } from '../../store/incident-repo.js';
import type { JobQueue } from '../../store/queue/job-queue.js';
import { Worker } from '../../store/queue/worker.js';
import type { Store } from '../../store/store.js';
import { VerificationRepo, type Verification, type VerificationDetail } from '../../store/verification-repo.js';
import { CHANGES_QUEUE } from '../intake.js';
import { transitionIncident } from '../intake/transition.js';
import type { Chat } from '../ports/chat.js';
import type { ProposeOutcome, ProposeRequest } from '../ports/forge.js';
import { buildRevertPlan, isRevertPlanId, revertProposalKey, type MergedChange } from './revert-plan.js';
import { clearedNote, incidentMemoryRecord, notClearedNote, revertingNote, type IncidentMemoryRecord } from './verify-notes.js';

/**
 * Stage 7, verify. After an execution that succeeded for an incident:
 *
 *  1. watch: a row per execution (its deadline = executedAt + the plan's
 *     verification window) and a delayed job due at the deadline, written in
 *     one transaction, so the watch survives a restart;
 *  2. check, whenever the incident changes (and once at once, and at the
 *     deadline): has the plan's alert resolved?
 *  3. cleared → resolve the incident (when nothing else fires), store its
 *     summary in incident memory, say so in the thread;
 *  4. deadline passed, still firing → propose a revert PR (its own key, the
 *     same gate), say so in the thread. A revert that does not clear is not
 *     reverted again: the thread asks a human.
 *
 * Every effect is idempotent (memory by incident id, chat by reply key, the
 * PR by proposal key), then the watch leaves `watching` with a conditional
 * update, so redeliveries and restarts repeat nothing visible.
 */
export const VERIFY_QUEUE = 'verify-deadlines';

/** The hook the execute stage calls after each execution (any outcome). */
export type AfterExecution = (record: ExecutionRecord) => Promise<void>;

export interface VerifierDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  chat: Chat;
  /** Reads what a merged plan changed, from git (null when GitHub is off: nothing was executed then). */
  readMergedChange: ((repo: string, mergeSha: string, planId: string) => Promise<MergedChange>) | null;
  /** Opens the revert PR (Forge.propose); null when GitHub is off. */
  propose: ((request: ProposeRequest) => Promise<ProposeOutcome>) | null;
  /** Stores the resolved incident's summary in the `incidents` memory collection. */
  remember: (record: IncidentMemoryRecord) => Promise<void>;
  /** Told once per finished watch (metrics). */
  observe?: (outcome: 'cleared' | 'reverting' | 'not_cleared') => void;
}

type Check = 'execution' | 'change' | 'deadline';

export class Verifier implements IncidentSubscriber {
  readonly name = 'verify';
  private readonly mutex = new KeyedMutex();
  private jobs: JobQueue | undefined;
  private worker: Worker<{ id: string }> | undefined;

  constructor(private readonly deps: VerifierDeps) {}

  /** Starts the deadline worker on the service's job queue (the one intake uses, so incident changes wake intake's workers). */
  start(jobs: JobQueue): void {
    this.jobs = jobs;
    this.worker = new Worker<{ id: string }>({ store: this.deps.store, jobs, clock: this.deps.clock, log: this.deps.log }, {
      mode: 'external',
      run: async (job) => {
        await this.check(job.payload.id, 'deadline');
      },
    }, { queue: VERIFY_QUEUE, batchSize: 5, leaseMs: 5 * 60_000 });
    this.worker.start();
  }

  /** Runs every deadline that is due now (tests, the demo). */
  async drain(): Promise<void> {
    await this.worker?.drain();
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
  }

  /** The execute stage's hook: start watching when a plan for an incident ran successfully. */
  readonly afterExecution: AfterExecution = async (record) => {
    const { log } = this.deps;
    if (record.outcome !== 'succeeded' || !record.incidentId) {
      log.info({ plan: record.planId, outcome: record.outcome, incidentId: record.incidentId }, 'nothing to verify for this execution');
      return;
    }
    if (!this.deps.readMergedChange) throw new Error('verify: no forge to read the merged plan from');
    if (!this.jobs) throw new Error('verify: the verifier was not started');
    const change = await this.deps.readMergedChange(record.repo, record.mergeSha, record.planId);
    const { plan } = change;
    const id = `${record.planId}@${record.mergeSha}`;
    const now = this.deps.clock.now();
    const deadline = record.executedAt + plan.verification.windowSeconds * 1000;
    const detail: VerificationDetail = {
      prUrl: record.prUrl,
      planSummary: plan.summary,
      probableCause: plan.probableCause,
      alertname: plan.signal.alertname ?? null,
      service: plan.signal.service ?? null,
      windowSeconds: plan.verification.windowSeconds,
      actions: record.actions.map((action) => `${action.type} ${action.outcome}`).concat(record.actions.length === 0 ? plan.actions.map(describeAction) : []),
      approvedBy: record.approvals.map((approval) => approval.login),
      mergedBy: record.mergedBy,
      isRevert: isRevertPlanId(record.planId),
    };
    const jobs = this.jobs;
    const created = await this.deps.store.writeTransaction(async (trx) => {
      const inserted = await new VerificationRepo(trx).insert({
        id, repo: record.repo, pr_number: record.prNumber, plan_id: record.planId, merge_sha: record.mergeSha, incident_id: record.incidentId!,
        signal_source: plan.signal.source, signal_fingerprint: plan.signal.fingerprint, executed_at: record.executedAt, deadline_at: deadline,
        state: 'watching', detail: JSON.stringify(detail), revert_pr: null, revert_url: null, outcome_note: null, created_at: now, updated_at: now,
      });
      if (inserted) await jobs.enqueueIn(trx, VERIFY_QUEUE, [{ id }], { runAfter: deadline });
      return inserted;
    });
    if (created) {
      jobs.wake(VERIFY_QUEUE);
      log.info({ verification: id, incidentId: record.incidentId, deadline }, 'watching for the signal to clear');
    }
    try {
      await this.check(id, 'execution');
    } catch (error) {
      // The watch is stored: the next incident change or the deadline checks again.
      log.warn({ verification: id, err: (error as Error).message }, 'first verification check failed; will check again');
    }
  };

  async onIncidentChange(change: IncidentChange): Promise<void> {
    const watching = await new VerificationRepo(this.deps.store.db).watchingFor(change.incident.id);
    for (const verification of watching) await this.check(verification.id, 'change');
  }

  /** Checks one watch; finishes it when its alert cleared or its deadline passed. */
  async check(id: string, trigger: Check): Promise<void> {
    await this.mutex.run(id, async () => {
      const { store, clock, log } = this.deps;
      const verification = await new VerificationRepo(store.db).get(id);
      if (!verification || verification.state !== 'watching') return;
      const incidents = new IncidentRepo(store.db);
      const row = await incidents.row(verification.incidentId);
      if (!row) {
        log.warn({ verification: id, incidentId: verification.incidentId }, 'incident of a verification is gone; closing the watch');
        await new VerificationRepo(store.db).finish(id, 'not_cleared', { outcomeNote: 'incident not found', at: clock.now() });
        return;
      }
      const alerts = await incidents.alerts(verification.incidentId);
      const watched = alerts.find((alert) => alert.source === verification.signal.source && alert.fingerprint === verification.signal.fingerprint);
      const cleared = watched ? watched.status === 'resolved' : row.alerts_firing === 0;
      if (cleared) return this.cleared(verification);
      if (clock.now() >= verification.deadlineAt) return this.notCleared(verification);
      if (trigger === 'deadline') {
        // The job ran early (clock skew between processes): run it again at the deadline.
        await this.jobs?.enqueue(VERIFY_QUEUE, { id }, { runAfter: verification.deadlineAt });
      }
    });
  }

  private async cleared(verification: Verification): Promise<void> {
    const { store, clock, log, chat } = this.deps;
    const at = clock.now();
    const incidents = new IncidentRepo(store.db);
    let row = (await incidents.row(verification.incidentId))!;
    const firing = Number(row.alerts_firing);
    if (firing === 0 && row.state !== 'resolved') {
      // Intake resolves an incident when its last alert resolves; this covers one a human moved back by hand.
      await store.writeTransaction((trx) => transitionIncident(trx, row.id, 'resolved', 'pitcrew', { clock, ...(this.jobs ? { jobs: this.jobs } : {}) }));
      this.jobs?.wake(CHANGES_QUEUE);
      row = (await incidents.row(verification.incidentId))!;
    }
    const incident = toIncident(row);
    if (firing === 0) await this.deps.remember(incidentMemoryRecord(verification, incident, at));
    await chat.reply(incident, `verify:${verification.id}`, { kind: 'execution', note: clearedNote(verification, incident, at, firing) });
    const finished = await new VerificationRepo(store.db).finish(verification.id, 'cleared', { outcomeNote: firing === 0 ? 'signal cleared; incident resolved' : `signal cleared; ${firing} other alert(s) firing`, at });
    if (!finished) return;
    this.deps.observe?.('cleared');
    log.info({ verification: verification.id, incidentId: incident.id, afterMs: at - verification.executedAt }, 'verification passed: signal cleared');
  }

  private async notCleared(verification: Verification): Promise<void> {
    const { store, clock, log, chat } = this.deps;
    const at = clock.now();
    const incident = toIncident((await new IncidentRepo(store.db).row(verification.incidentId))!);
    const finish = async (state: 'reverting' | 'not_cleared', outcomeNote: string, revert?: { number: number; url: string }) => {
      const finished = await new VerificationRepo(store.db).finish(verification.id, state, { outcomeNote, at, revertPr: revert?.number ?? null, revertUrl: revert?.url ?? null });
      if (!finished) return;
      this.deps.observe?.(state);
      log.warn({ verification: verification.id, incidentId: incident.id, state, revertPr: revert?.number }, 'verification failed: signal did not clear in time');
    };
    const humanOnly = async (reason: string, steps: string[]) => {
      await chat.reply(incident, `verify:${verification.id}`, { kind: 'execution', note: notClearedNote(verification, reason, steps) });
      await finish('not_cleared', reason);
    };

    if (verification.detail.isRevert) return humanOnly(`${verification.planId} is itself a revert; pitcrew does not revert a revert`, []);
    if (!this.deps.readMergedChange || !this.deps.propose) return humanOnly('GitHub is not configured', []);
    const change = await this.deps.readMergedChange(verification.repo, verification.mergeSha, verification.planId);
    const revert = buildRevertPlan(change, { repo: verification.repo, prNumber: verification.prNumber, prUrl: verification.detail.prUrl, mergeSha: verification.mergeSha, decidedAt: verification.deadlineAt });
    if (!revert.ok) return humanOnly(revert.reason, revert.humanSteps);

    let outcome: ProposeOutcome;
    try {
      outcome = await this.deps.propose({ repo: verification.repo, plan: revert.plan, key: revertProposalKey(verification.planId) });
    } catch (error) {
      // A revert that cannot be proposed (the file changed since, the policy refuses it) is for a human; anything else retries.
      if (!isPitcrewError(error)) throw error;
      return humanOnly(`the revert could not be proposed: ${error.message}`, []);
    }
    if (outcome.status === 'dry_run') return humanOnly(`dry run: would propose the revert on ${outcome.branch}`, []);
    if (outcome.status === 'blocked') return humanOnly(outcome.reason, []);
    await chat.reply(incident, `verify:${verification.id}`, { kind: 'execution', note: revertingNote(verification, { number: outcome.number, url: outcome.url, status: outcome.status }, revert.revertedFiles) });
    await finish('reverting', `revert PR #${outcome.number}`, { number: outcome.number, url: outcome.url });
  }
}
