import type { Action } from '../domain/action.js';
import type { Plan } from '../domain/plan.js';
import type { PolicyVerdict } from '../domain/policy.js';
import { assemblePlan, buildPlan, frameTrustedUrls, type DraftPlan, type PlanFrame } from './assemble.js';
import type { PlanningContext, RunbookCandidate } from './context.js';
import { firstSentence, oneLine } from './prose.js';
import { interpolateSteps } from './template.js';

/**
 * The deterministic runbook planner, the default: no model, same input →
 * same plan. It follows the top runbook's remediation template, filled from
 * the signal. When nothing matched (retrieval abstained) or the template or
 * policy rejects the runbook's actions, it returns a plan of human steps only
 * and says why.
 */
export interface DeterministicResult {
  plan: Plan;
  /** The verdict on the plan returned. */
  verdict: PolicyVerdict;
  /** The runbook's actions and their verdict, when they were rejected (kept for the decision log). */
  rejected?: { actions: Action[]; reasons: string[] };
}

export const DETERMINISTIC = { kind: 'deterministic' } as const;

export function summaryOf(context: PlanningContext): string {
  const { signal } = context;
  const name = signal.alertname ?? 'Alert';
  return `${name}${signal.service ? ` on ${signal.service}` : ''}: ${signal.summary}`;
}

function notify(message: string, title?: string): Action {
  return { kind: 'notify', message, ...(title ? { title } : {}) };
}

function topRunbook(context: PlanningContext): RunbookCandidate | undefined {
  if (context.retrieval.abstained) return undefined;
  return [...context.runbooks].sort((a, b) => b.score - a.score)[0];
}

function causeFrom(context: PlanningContext, runbook: RunbookCandidate, trusted: string[]): string {
  const where = [runbook.title, ...runbook.headingPath].filter(Boolean).join(' › ');
  const because = runbook.reason || `matched by ${runbook.matchedBy}`;
  const parts = [`Matches runbook "${where}" (${runbook.path}; ${because}; score ${runbook.score.toFixed(2)}).`];
  const passage = firstSentence(runbook.text);
  if (passage) parts.push(passage);
  const incident = context.similarIncidents[0];
  if (incident) parts.push(`A similar incident, "${oneLine(incident.title, trusted, 120)}" (${incident.id}), ${incident.resolution ? `was resolved by: ${oneLine(incident.resolution, trusted, 300)}` : 'is on record'}.`);
  return parts.join(' ');
}

function humanOnly(frame: PlanFrame, draft: Omit<DraftPlan, 'planner'>, rejected?: DeterministicResult['rejected']): DeterministicResult {
  const plan = buildPlan(frame, { ...draft, planner: DETERMINISTIC }, 'low');
  return { plan, verdict: { allowed: true, risk: 'low', reasons: [], raised: [], actionRisks: plan.actions.map(() => 'low') }, rejected };
}

function abstain(frame: PlanFrame): DeterministicResult {
  const { context } = frame;
  const { signal } = context;
  const trusted = frameTrustedUrls(frame);
  const why = context.retrieval.reason ?? (context.retrieval.abstained ? 'retrieval abstained: nothing scored high enough' : 'no runbook was retrieved');
  const steps: Action[] = [
    notify(`No runbook matched this alert (${why}). Investigate by hand: confirm the alert is real, then check recent deploys and configuration changes${signal.service ? ` to ${signal.service}` : ''}.`, 'Investigate by hand'),
  ];
  const incident = context.similarIncidents[0];
  if (incident) {
    steps.push(notify(`A past incident may help: "${oneLine(incident.title, trusted, 150)}" (${incident.id}, score ${incident.score.toFixed(2)})${incident.resolution ? `, resolved by: ${oneLine(incident.resolution, trusted, 400)}` : ''}.`, 'Read the similar incident'));
  }
  steps.push(notify(`Once resolved, write or update a runbook that declares ${signal.alertname ? `alert ${signal.alertname}` : 'this alert'} in its front matter, so pitcrew can plan it next time.`, 'Capture the fix'));
  return humanOnly(frame, {
    summary: summaryOf(context),
    probableCause: `Unknown: no runbook matched (${why}).`,
    actions: steps,
    rollback: ['Nothing to roll back: the plan makes no automated change.'],
    notes: [`No runbook matched: this plan holds human steps only (${why}).`],
  });
}

export function planDeterministically(frame: PlanFrame): DeterministicResult {
  const { context } = frame;
  const runbook = topRunbook(context);
  if (!runbook) return abstain(frame);
  const trusted = frameTrustedUrls(frame);
  const where = `${runbook.title || runbook.path} (${runbook.path}${runbook.headingPath.length ? ` § ${runbook.headingPath.join(' › ')}` : ''})`;
  const base = { summary: summaryOf(context), probableCause: causeFrom(context, runbook, trusted), runbook, rollback: runbook.rollback, verifyMinutes: runbook.verifyMinutes };

  if (runbook.remediation.length === 0) {
    return humanOnly(frame, {
      ...base,
      actions: [notify(`Follow runbook ${where} by hand; it declares no automated remediation.`, 'Follow the runbook')],
      rollback: runbook.rollback ?? ['See the runbook.'],
      notes: ['The runbook declares no remediation template: this plan holds human steps only.'],
    });
  }

  const filled = interpolateSteps(runbook.remediation, context.signal);
  if (!filled.ok) return rejectedToHuman(frame, base, where, [], filled.reasons, 'its remediation template could not be filled from this alert');

  const result = assemblePlan(frame, { ...base, actions: filled.actions, notes: [], planner: DETERMINISTIC, riskFloor: runbook.risk });
  if (result.plan) return { plan: result.plan, verdict: result.verdict };
  return rejectedToHuman(frame, base, where, result.actions, result.verdict.reasons, 'the policy rejected its actions');
}

function rejectedToHuman(frame: PlanFrame, base: Omit<DraftPlan, 'actions' | 'notes' | 'planner'>, where: string, actions: Action[], reasons: string[], why: string): DeterministicResult {
  const shown = reasons.slice(0, 5).join('; ');
  return humanOnly(frame, {
    ...base,
    actions: [notify(`Follow runbook ${where} by hand: pitcrew did not propose its automated remediation because ${why}: ${shown}${reasons.length > 5 ? ` (and ${reasons.length - 5} more)` : ''}.`, 'Follow the runbook by hand')],
    rollback: base.rollback ?? ['See the runbook.'],
    notes: [`Automated remediation rejected (${why}); this plan holds human steps only.`, ...reasons.slice(0, 15)],
  }, { actions, reasons });
}
