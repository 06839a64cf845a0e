import { z } from 'zod/v4';
import { Action, PlainText, Risk, actionRisk, maxRisk } from './action.js';
import { digestOf } from './canonical-json.js';
import { Severity, SignalSource, SignalStatus } from './signal.js';

/**
 * A Plan: what pitcrew proposes to do about one signal, and why. It is the
 * unit a human approves (the GitHub gate pins `planHash`), so it holds only
 * validated, allowlisted actions and already-redacted text.
 */
export const PLAN_VERSION = 1;

export const ConfidenceLevel = z.enum(['none', 'low', 'medium', 'high']);
export type ConfidenceLevel = z.infer<typeof ConfidenceLevel>;

export const Confidence = z.strictObject({
  /** 0..1, derived from retrieval scores (see planner/confidence.ts). */
  score: z.number().min(0).max(1),
  level: ConfidenceLevel,
  /** One line: what the score rests on. */
  basis: z.string().max(500),
});
export type Confidence = z.infer<typeof Confidence>;

export const EvidenceKind = z.enum(['alert', 'runbook', 'incident', 'ci_failure', 'commit', 'file', 'log']);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

export const Evidence = z.strictObject({
  kind: EvidenceKind,
  /** Where it came from: a runbook path, an incident id, a tool name. */
  source: z.string().max(500),
  /** Stable id of the retrieved item, when it has one (for the decision log). */
  id: z.string().max(500).optional(),
  title: z.string().max(300),
  /** A short, redacted excerpt. */
  excerpt: z.string().max(2000),
  /** Retrieval score 0..1, when retrieved. */
  score: z.number().min(0).max(1).optional(),
  /** Why it was retrieved ("alertname", "hybrid", …). */
  matchedBy: z.string().max(100).optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const SignalRef = z.strictObject({
  source: SignalSource,
  fingerprint: z.string().min(1),
  status: SignalStatus,
  alertname: z.string().optional(),
  service: z.string().optional(),
  severity: Severity,
});
export type SignalRef = z.infer<typeof SignalRef>;

export const PlannerInfo = z.strictObject({
  kind: z.enum(['deterministic', 'llm']),
  /** e.g. "openai:gpt-4o-mini". */
  model: z.string().optional(),
  promptVersion: z.string().optional(),
  /** Set when the LLM planner failed and the deterministic plan stands in: says why. */
  fallback: z.string().optional(),
});
export type PlannerInfo = z.infer<typeof PlannerInfo>;

export const Plan = z.strictObject({
  version: z.literal(PLAN_VERSION),
  id: z.string().regex(/^plan_[a-z0-9]+$/),
  createdAt: z.number().int(),
  incidentId: z.string().optional(),
  signal: SignalRef,
  summary: PlainText.min(1).max(500),
  probableCause: PlainText.max(2000),
  confidence: Confidence,
  /** The runbook the plan follows, if any. */
  runbook: z.strictObject({ path: z.string(), title: z.string(), headingPath: z.array(z.string()) }).optional(),
  evidence: z.array(Evidence).max(50),
  actions: z.array(Action).max(20),
  /** The highest risk of any action after policy; `low` for a plan of human steps only. */
  risk: Risk,
  /** How to undo the actions, in order. */
  rollback: z.array(PlainText.max(1000)).max(20),
  /** How long to wait for the signal to clear before proposing a revert. */
  verification: z.strictObject({ windowSeconds: z.number().int().min(60).max(86_400), condition: z.string().max(500) }),
  planner: PlannerInfo,
  /** Things a reviewer must know: abstention, template or policy rejections, fallbacks. */
  notes: z.array(z.string().max(1000)).max(20),
});
export type Plan = z.infer<typeof Plan>;

/** True when every action is a human step (nothing would run). */
export function isHumanOnly(plan: Pick<Plan, 'actions'>): boolean {
  return plan.actions.every((action) => action.kind === 'notify');
}

/** The risk of a list of actions before policy: the maximum of each action's own risk. */
export function actionsRisk(actions: Action[]): Risk {
  return actions.reduce<Risk>((risk, action) => maxRisk(risk, actionRisk(action)), 'low');
}

/**
 * The plan's hash: sha256 of its canonical JSON. The gate pins it, so the
 * plan that was approved is the plan that runs; any change to any field,
 * including an action's parameter, changes it.
 */
export function planHash(plan: Plan): string {
  return digestOf(Plan.parse(plan));
}
