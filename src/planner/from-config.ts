import { createChatModel } from '../adapters/llm/chat-model.js';
import type { Config } from '../config/config.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { Policy } from '../domain/policy.js';
import { createRedactor, type Redactor } from '../ops/redaction/redactor.js';
import type { PlannerDeps } from './plan.js';
import { loadPolicy } from './policy-file.js';
import type { PlannerTools } from './tools.js';

/** The redactor the whole service shares: secretlint + pitcrew rules + PITCREW_REDACT_PATTERNS. */
export function redactorFromConfig(config: Config): Redactor {
  return createRedactor({ extraPatterns: config.planning.redactPatterns });
}

/** Planner dependencies from configuration: policy file, redactor, and the LLM when PITCREW_LLM is set. */
export function plannerDepsFromConfig(config: Config, options: { tools?: PlannerTools; clock?: Clock; policy?: Policy; useLlm?: boolean } = {}): PlannerDeps {
  const limits = config.planning.llmLimits;
  const useLlm = (options.useLlm ?? true) && config.llm !== null;
  const llm = useLlm && config.llm
    ? { ...createChatModel(config.llm, { timeoutMs: limits.timeoutMs, maxOutputTokens: 4000 }), tools: options.tools ?? {}, limits }
    : null;
  return {
    policy: options.policy ?? loadPolicy(config.planning.policyFile),
    redactor: redactorFromConfig(config),
    clock: options.clock ?? systemClock,
    llm,
  };
}
