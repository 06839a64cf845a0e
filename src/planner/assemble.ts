import { maxRisk, type Action, type Risk } from '../domain/action.js';
import { PLAN_VERSION, Plan, type Evidence, type PlannerInfo } from '../domain/plan.js';
import { evaluatePolicy, withDefaultRepo, type Policy, type PolicyVerdict } from '../domain/policy.js';
import { computeConfidence } from './confidence.js';
import type { PlanningContext, RunbookCandidate } from './context.js';
import { collectEvidence, trustedUrls } from './evidence.js';
import { oneLine, sanitizeProse } from './prose.js';
import { deriveRollback } from './rollback.js';

/** What both planners know when they start: ids, time, the (redacted) context and the policy. */
export interface PlanFrame {
  planId: string;
  now: number;
  context: PlanningContext;
  policy: Policy;
}

/** A planner's proposal before policy: prose, the runbook it follows and its actions. */
export interface DraftPlan {
  summary: string;
  probableCause: string;
  runbook?: RunbookCandidate;
  actions: Action[];
  rollback?: string[];
  verifyMinutes?: number;
  notes: string[];
  planner: PlannerInfo;
  extraEvidence?: Evidence[];
  /** Risk floor for every action (runbook front matter, or "not grounded in a runbook"). */
  riskFloor?: Risk;
}

export const DEFAULT_VERIFY_MINUTES = 15;

export function frameTrustedUrls(frame: PlanFrame): string[] {
  return trustedUrls(frame.context, frame.policy.http.baseUrls);
}

/** Defaults and floors applied to actions before policy judges them. */
export function prepareActions(actions: Action[], frame: PlanFrame, floor: Risk | undefined): Action[] {
  const trusted = frameTrustedUrls(frame);
  return actions.map((original) => {
    // Human steps are shown in Slack and on the PR: their prose loses links and disguises like any other.
    const action = original.kind === 'notify'
      ? { ...original, message: sanitizeProse(original.message, trusted, 4000) || 'Check the alert by hand.', ...(original.title ? { title: oneLine(original.title, trusted, 200) } : {}) }
      : original;
    const withRepo = withDefaultRepo(action, frame.policy);
    return floor ? ({ ...withRepo, risk: maxRisk(withRepo.risk ?? 'low', floor) } as Action) : withRepo;
  });
}

/**
 * Turns a draft into a Plan and judges it. The plan is returned only when the
 * policy allows it; each action then carries its final (possibly raised) risk.
 */
export function assemblePlan(frame: PlanFrame, draft: DraftPlan): { plan?: Plan; verdict: PolicyVerdict; actions: Action[] } {
  const actions = prepareActions(draft.actions, frame, draft.riskFloor);
  const verdict = evaluatePolicy(actions, frame.policy, frame.context.signal);
  if (!verdict.allowed) return { verdict, actions };
  const judged = actions.map((action, index) => (action.kind === 'notify' && !action.risk ? action : ({ ...action, risk: verdict.actionRisks[index] } as Action)));
  return { plan: buildPlan(frame, { ...draft, actions: judged }, verdict.risk), verdict, actions };
}

export function buildPlan(frame: PlanFrame, draft: DraftPlan, risk: Risk): Plan {
  const { context } = frame;
  const trusted = frameTrustedUrls(frame);
  const { signal } = context;
  const runbook = draft.runbook;
  const verifyMinutes = draft.verifyMinutes ?? runbook?.verifyMinutes ?? DEFAULT_VERIFY_MINUTES;
  return Plan.parse({
    version: PLAN_VERSION,
    id: frame.planId,
    createdAt: frame.now,
    incidentId: context.incidentId,
    signal: { source: signal.source, fingerprint: signal.fingerprint, status: signal.status, alertname: signal.alertname, service: signal.service, severity: signal.severity },
    summary: oneLine(draft.summary, trusted, 500) || 'Alert',
    probableCause: sanitizeProse(draft.probableCause, trusted, 2000),
    confidence: computeConfidence(context),
    runbook: runbook && { path: runbook.path, title: oneLine(runbook.title, trusted), headingPath: runbook.headingPath.map((h) => oneLine(h, trusted)) },
    evidence: [...collectEvidence(context, trusted), ...(draft.extraEvidence ?? [])].slice(0, 50),
    actions: draft.actions,
    risk,
    rollback: (draft.rollback && draft.rollback.length > 0 ? draft.rollback : deriveRollback(draft.actions)).map((step) => sanitizeProse(step, trusted, 1000)).slice(0, 20),
    verification: {
      windowSeconds: Math.min(86_400, Math.max(60, verifyMinutes * 60)),
      condition: oneLine(`${signal.alertname ?? 'the alert'} (fingerprint ${signal.fingerprint}) resolves within ${verifyMinutes} minutes of the change`, trusted, 500),
    },
    planner: draft.planner,
    notes: draft.notes.map((note) => sanitizeProse(note, trusted, 1000)).slice(0, 20),
  });
}
