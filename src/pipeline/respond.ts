import { createHash } from 'node:crypto';
import { isPitcrewError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentChange, IncidentSubscriber } from '../domain/incident-change.js';
import type { Plan } from '../domain/plan.js';
import type { Retriever } from '../domain/retrieval.js';
import type { Signal } from '../domain/signal.js';
import type { Logger } from '../ops/logger.js';
import { plan as runPlanner, type PlannerDeps } from '../planner/plan.js';
import type { DecisionRepo } from '../store/decision-repo.js';
import { toPlanningContext } from './planning-context.js';
import { leadSignal } from './lead-signal.js';
import type { Chat } from './ports/chat.js';
import type { Forge, ProposeOutcome } from './ports/forge.js';

/**
 * Stages 2–4 of the pipeline for one incident change (see DESIGN.md):
 *
 *  1. show the incident: its thread's root message, in place, on every change;
 *  2. retrieve the runbooks and past incidents that match its first signal;
 *  3. plan, and record the decision (once per change, so a redelivery reuses it);
 *  4. propose: reply with what was found and the plan; open (or update) the
 *     fix PR when the plan has actions and GitHub is on.
 *
 * Steps 2–4 run when an incident opens or reopens and should notify (not
 * while flapping). Every step is idempotent: changes arrive at least once.
 */
export interface ResponderDeps {
  /** The retriever, once knowledge has opened (it may still be waiting for Chroma). */
  retriever: () => Promise<Retriever>;
  planner: PlannerDeps;
  decisions: DecisionRepo;
  chat: Chat;
  forge: Forge | null;
  /** Open the fix PR without waiting for someone to ask in chat. */
  autoPropose: boolean;
  /** Fallback repository for plans whose actions name none (policy `defaultRepo`). */
  defaultRepo?: string;
  /** The alerts behind an incident, for a change that carries no signal (e.g. a reopen by a refire). */
  signalsOf: (incidentId: string) => Promise<Signal[]>;
  log: Logger;
}

export class IncidentResponder implements IncidentSubscriber {
  readonly name = 'respond';

  constructor(private readonly deps: ResponderDeps) {}

  async onIncidentChange(change: IncidentChange): Promise<void> {
    const { incident } = change;
    await this.deps.chat.syncIncident(incident);
    if (!change.notify || (change.kind !== 'opened' && change.kind !== 'reopened')) return;

    const signal = await this.leadSignal(change);
    if (!signal) {
      this.deps.log.warn({ incidentId: incident.id, change: change.id }, 'incident has no signal to plan from');
      return;
    }
    const { plan } = await this.planOnce(change.id, incident, signal);
    if (this.deps.autoPropose) await this.propose(incident, plan);
  }

  /** Opens or updates the fix PR for the incident's latest plan (the chat "Propose fix PR" button calls this too). */
  async proposeLatest(incident: Incident, requestedBy?: string): Promise<ProposeOutcome | { status: 'not_proposed'; reason: string }> {
    const decision = await this.deps.decisions.latestForIncident(incident.id);
    if (!decision) return { status: 'not_proposed', reason: 'no plan has been made for this incident yet' };
    return this.propose(incident, decision.plan, requestedBy);
  }

  private async leadSignal(change: IncidentChange): Promise<Signal | undefined> {
    return leadSignal(change.signals.length > 0 ? change.signals : await this.deps.signalsOf(change.incident.id));
  }

  /** Plans once per change: a redelivered change finds its decision and reuses it (an LLM would not answer the same twice). */
  private async planOnce(changeId: string, incident: Incident, signal: Signal): Promise<{ plan: Plan; decisionId: string }> {
    const ids = deterministicIds(changeId);
    const recorded = await this.deps.decisions.get(ids('dec'));
    if (recorded) return { plan: recorded.plan, decisionId: recorded.id };

    const retriever = await this.deps.retriever().catch(async (error: unknown) => {
      // Say so once in the thread, then fail: the queue retries the change until Chroma is back.
      if (isPitcrewError(error, 'chroma_unavailable')) {
        await this.deps.chat.reply(incident, `knowledge-down:${incident.id}`, { kind: 'note', text: `Runbook search is unavailable, so there is no plan yet; it is retried until the search is back. (${(error as Error).message})` });
      }
      throw error;
    });
    const retrieval = await retriever.retrieve({ signal });
    await this.deps.chat.reply(incident, `retrieval:${changeId}`, { kind: 'retrieval', retrieval });

    const { plan, decision } = await runPlanner(toPlanningContext(signal, retrieval, incident.id), { ...this.deps.planner, newId: ids, logger: this.deps.log });
    await this.deps.decisions.save(decision);
    this.deps.log.info({ incidentId: incident.id, planId: plan.id, decisionId: decision.id, risk: plan.risk, actions: plan.actions.length, planner: decision.planner }, 'incident planned');
    await this.deps.chat.reply(incident, `plan:${changeId}`, { kind: 'plan', plan, decisionId: decision.id });
    return { plan, decisionId: decision.id };
  }

  private async propose(incident: Incident, plan: Plan, requestedBy?: string): Promise<ProposeOutcome | { status: 'not_proposed'; reason: string }> {
    const reason = this.whyNotProposable(plan);
    if (reason) {
      this.deps.log.info({ incidentId: incident.id, planId: plan.id, reason }, 'fix PR not proposed');
      return { status: 'not_proposed', reason };
    }
    const repo = targetRepo(plan) ?? this.deps.defaultRepo!;
    const thread = await this.deps.chat.threadOf(incident.id);
    const outcome = await this.deps.forge!.propose({
      repo,
      plan,
      key: incident.id,
      ...(requestedBy ? { proposedBy: requestedBy } : {}),
      links: thread?.permalink ? { slackThread: thread.permalink } : {},
    });
    await this.deps.chat.reply(incident, `proposal:${incident.id}`, { kind: 'proposal', outcome, ...(requestedBy ? { requestedBy } : {}) });
    return outcome;
  }

  private whyNotProposable(plan: Plan): string | undefined {
    if (!plan.actions.some((action) => action.kind !== 'notify')) return 'the plan holds only human steps';
    if (!this.deps.forge) return 'GitHub is not configured';
    if (!targetRepo(plan) && !this.deps.defaultRepo) return 'no action names a repository and the policy has no defaultRepo';
    return undefined;
  }
}

/** The repository a plan's fix PR belongs in: the first repository any of its actions names. */
export function targetRepo(plan: Plan): string | undefined {
  for (const action of plan.actions) {
    const repo = (action as { repo?: string }).repo;
    if (repo) return repo;
  }
  return undefined;
}

/** Ids derived from the change, so planning the same change twice lands on the same decision. */
function deterministicIds(changeId: string): (prefix: 'plan' | 'dec') => string {
  const digest = createHash('sha256').update(changeId).digest('hex').slice(0, 16);
  return (prefix) => `${prefix}_${digest}`;
}
