import { z } from 'zod/v4';
import { Action } from '../domain/action.js';
import { Plan } from '../domain/plan.js';
import { Policy, PolicyVerdict } from '../domain/policy.js';
import { PlanningContext } from './context.js';

/**
 * The decision log: why each plan is what it is. It stores the (redacted)
 * inputs, so `pitcrew replay` can plan again and show what changed, plus
 * everything a reviewer or an eval needs: retrieved ids and scores, the
 * prompt version, the model, tokens and cost, raw model output per attempt,
 * and the policy verdict.
 */
export const AttemptRecord = z.object({
  attempt: z.number().int(),
  outcome: z.enum(['ok', 'timeout', 'error', 'invalid', 'budget', 'rejected']),
  error: z.string().optional(),
  raw: z.string(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  toolCalls: z.array(z.object({ name: z.string(), args: z.record(z.string(), z.unknown()), output: z.string(), error: z.boolean().optional() })),
  steps: z.number().int(),
  durationMs: z.number(),
});

export const RetrievedRef = z.object({
  kind: z.enum(['runbook', 'incident', 'ci_failure']),
  id: z.string(),
  score: z.number(),
  matchedBy: z.string(),
});
export type RetrievedRef = z.infer<typeof RetrievedRef>;

export const Decision = z.object({
  id: z.string().regex(/^dec_[a-z0-9]+$/),
  createdAt: z.number().int(),
  planId: z.string(),
  planHash: z.string(),
  signalFingerprint: z.string(),
  incidentId: z.string().optional(),
  /** sha256 of the canonical JSON of the redacted inputs (context + policy). */
  inputDigest: z.string(),
  inputs: z.object({ context: PlanningContext, policy: Policy }),
  retrieved: z.array(RetrievedRef),
  planner: z.enum(['deterministic', 'llm']),
  model: z.string().optional(),
  promptVersion: z.string().optional(),
  attempts: z.array(AttemptRecord),
  tokens: z.object({ input: z.number(), output: z.number() }),
  /** null when the model's price is unknown (local servers). */
  estimatedCostUsd: z.number().nullable(),
  /** The last attempt's raw output (all attempts are in `attempts`). */
  rawOutput: z.string().nullable(),
  verdict: PolicyVerdict,
  /** Actions a runbook template proposed that were rejected, and why. */
  rejected: z.object({ actions: z.array(Action), reasons: z.array(z.string()) }).optional(),
  fallback: z.string().optional(),
  plan: Plan,
});
export type Decision = z.infer<typeof Decision>;

export function retrievedRefs(context: PlanningContext): RetrievedRef[] {
  return [
    ...context.runbooks.map((r) => ({ kind: 'runbook' as const, id: r.id, score: r.score, matchedBy: r.matchedBy })),
    ...context.similarIncidents.map((i) => ({ kind: 'incident' as const, id: i.id, score: i.score, matchedBy: i.matchedBy })),
    ...context.ciFailures.map((c) => ({ kind: 'ci_failure' as const, id: c.id, score: c.score, matchedBy: c.matchedBy })),
  ];
}
