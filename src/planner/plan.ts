import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { digestOf } from '../domain/canonical-json.js';
import { PitcrewError } from '../domain/errors.js';
import { planHash, type Plan } from '../domain/plan.js';
import type { Policy } from '../domain/policy.js';
import type { Logger } from '../ops/logger.js';
import type { Redactor } from '../ops/redaction/redactor.js';
import type { PlanFrame } from './assemble.js';
import { PlanningContext, type PlanningContextInput } from './context.js';
import { sanitizeProse } from './prose.js';
import { Decision, retrievedRefs } from './decision.js';
import { planDeterministically, type DeterministicResult } from './deterministic-planner.js';
import { describeFailures, planWithLlm, type LlmPlannerDeps } from './llm/llm-planner.js';
import { estimateCostUsd } from './llm/pricing.js';

/**
 * The planner port: `plan(context, deps) → { plan, decision }`.
 *
 *  1. validate the context (zod) and redact every string in it;
 *  2. plan with the LLM agent when one is configured, else deterministically;
 *  3. if the LLM fails twice (error, timeout, invalid or rejected output),
 *     fall back to the deterministic planner and say so in the plan;
 *  4. return the plan (always schema-valid and allowed by policy) and its
 *     decision record (store it with DecisionRepo).
 */
export interface PlannerDeps {
  policy: Policy;
  redactor: Redactor;
  clock: Clock;
  llm?: LlmPlannerDeps | null;
  newId?: (prefix: 'plan' | 'dec') => string;
  logger?: Logger;
}

export interface PlanOutcome {
  plan: Plan;
  decision: Decision;
}

export const randomId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

function parseContext(input: PlanningContextInput): PlanningContext {
  const parsed = PlanningContext.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  throw new PitcrewError('input_invalid', `The planning context is invalid: ${issues.join('; ')}`, 'Check the signal and retrieval fields named above.');
}

export async function plan(input: PlanningContextInput, deps: PlannerDeps): Promise<PlanOutcome> {
  const context = await deps.redactor.redactDeep(parseContext(input));
  const newId = deps.newId ?? randomId;
  const now = deps.clock.now();
  const frame: PlanFrame = { planId: newId('plan'), now, context, policy: deps.policy };
  const base = {
    id: newId('dec'),
    createdAt: now,
    signalFingerprint: context.signal.fingerprint,
    incidentId: context.incidentId,
    inputDigest: digestOf({ context, policy: deps.policy }),
    inputs: { context, policy: deps.policy },
    retrieved: retrievedRefs(context),
  };

  if (deps.llm) {
    const result = await planWithLlm(frame, deps.llm, deps.redactor);
    const tokens = result.attempts.reduce((t, a) => ({ input: t.input + a.usage.inputTokens, output: t.output + a.usage.outputTokens }), { input: 0, output: 0 });
    const llmFields = {
      model: deps.llm.modelName,
      promptVersion: result.promptVersion,
      attempts: result.attempts,
      tokens,
      estimatedCostUsd: estimateCostUsd(deps.llm.modelName, tokens.input, tokens.output),
      rawOutput: result.attempts.at(-1)?.raw ?? null,
    };
    if (result.plan && result.verdict) {
      return { plan: result.plan, decision: Decision.parse({ ...base, ...llmFields, planId: result.plan.id, planHash: planHash(result.plan), planner: 'llm', verdict: result.verdict, plan: result.plan }) };
    }
    const fallback = `LLM planner (${deps.llm.modelName}) failed twice; this is the deterministic plan. ${describeFailures(result.attempts)}`;
    deps.logger?.warn({ fingerprint: context.signal.fingerprint, attempts: result.attempts.map((a) => a.outcome) }, 'llm planner failed; using the deterministic plan');
    const fallbackResult = planDeterministically(frame);
    const planned: DeterministicResult = {
      ...fallbackResult,
      plan: {
        ...fallbackResult.plan,
        // The plan is shown to humans: its fallback note loses links; the decision log keeps every detail.
        planner: { kind: 'deterministic', fallback: sanitizeProse(fallback, [], 1000) },
        notes: [`The LLM planner failed (${result.attempts.map((a) => a.outcome).join(', ')}); this plan comes from the deterministic runbook planner.`, ...fallbackResult.plan.notes].slice(0, 20),
      },
    };
    return { plan: planned.plan, decision: Decision.parse({ ...base, ...llmFields, planId: planned.plan.id, planHash: planHash(planned.plan), planner: 'deterministic', verdict: planned.verdict, rejected: planned.rejected, fallback, plan: planned.plan }) };
  }

  const planned = planDeterministically(frame);
  return {
    plan: planned.plan,
    decision: Decision.parse({ ...base, planId: planned.plan.id, planHash: planHash(planned.plan), planner: 'deterministic', attempts: [], tokens: { input: 0, output: 0 }, estimatedCostUsd: null, rawOutput: null, verdict: planned.verdict, rejected: planned.rejected, plan: planned.plan }),
  };
}
