import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod/v4';
import { createChatModel } from '../../adapters/llm/chat-model.js';
import type { LlmConfig, LlmLimits } from '../../config/config.js';
import { manualClock } from '../../domain/clock.js';
import { PitcrewError } from '../../domain/errors.js';
import { Policy } from '../../domain/policy.js';
import type { Plan } from '../../domain/plan.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import { PlanningContext } from '../context.js';
import { plan } from '../plan.js';
import { startFakeOpenAi, type RecordedResponse } from './recorded-openai-server.js';
import { recordedTools, type RecordedToolOutput } from './recorded-tools.js';

/**
 * LLM evals. Each folder under test/evals/ holds:
 *   context.json    the PlanningContext (signal + retrieval)
 *   policy.json     the policy (optional; a default one otherwise)
 *   tools.json      recorded tool outputs
 *   responses.json  recorded model responses (used unless --live)
 *   rubric.json     what a good plan looks like
 * Recorded mode replays the responses through ChatOpenAI and a loopback
 * server; live mode asks the configured model.
 */
const Partial = z.record(z.string(), z.unknown());
export const Rubric = z.object({
  description: z.string(),
  planner: z.enum(['llm', 'deterministic']).optional(),
  fallback: z.boolean().optional(),
  mustInclude: z.array(Partial).default([]),
  mustNotInclude: z.array(Partial).default([]),
  onlyKinds: z.array(z.string()).optional(),
  maxRisk: z.enum(['low', 'medium', 'high']).optional(),
  summaryMatches: z.string().optional(),
});
export type Rubric = z.infer<typeof Rubric>;

export interface EvalCheck {
  name: string;
  pass: boolean;
  detail?: string;
}

export interface EvalResult {
  name: string;
  description: string;
  pass: boolean;
  checks: EvalCheck[];
  planner: string;
  tokens: { input: number; output: number };
  durationMs: number;
  error?: string;
}

const RISK = { low: 0, medium: 1, high: 2 } as const;
const matches = (action: object, partial: Record<string, unknown>) => Object.entries(partial).every(([k, v]) => JSON.stringify((action as Record<string, unknown>)[k]) === JSON.stringify(v));

export function scorePlan(result: Plan, rubric: Rubric): EvalCheck[] {
  const checks: EvalCheck[] = [];
  if (rubric.planner) checks.push({ name: `planner is ${rubric.planner}`, pass: result.planner.kind === rubric.planner, detail: result.planner.kind });
  if (rubric.fallback !== undefined) checks.push({ name: rubric.fallback ? 'fell back' : 'did not fall back', pass: Boolean(result.planner.fallback) === rubric.fallback, detail: result.planner.fallback });
  for (const partial of rubric.mustInclude) checks.push({ name: `includes ${JSON.stringify(partial)}`, pass: result.actions.some((a) => matches(a, partial)) });
  for (const partial of rubric.mustNotInclude) checks.push({ name: `excludes ${JSON.stringify(partial)}`, pass: !result.actions.some((a) => matches(a, partial)) });
  if (rubric.onlyKinds) checks.push({ name: `only ${rubric.onlyKinds.join(', ')}`, pass: result.actions.every((a) => rubric.onlyKinds!.includes(a.kind)), detail: result.actions.map((a) => a.kind).join(', ') });
  if (rubric.maxRisk) checks.push({ name: `risk at most ${rubric.maxRisk}`, pass: RISK[result.risk] <= RISK[rubric.maxRisk], detail: result.risk });
  if (rubric.summaryMatches) checks.push({ name: `summary matches /${rubric.summaryMatches}/`, pass: new RegExp(rubric.summaryMatches, 'i').test(result.summary), detail: result.summary });
  return checks;
}

function readJson<T>(file: string, fallback?: T): T {
  if (!existsSync(file)) {
    if (fallback !== undefined) return fallback;
    throw new PitcrewError('not_found', `Eval file ${file} is missing`, 'Each eval folder needs context.json, tools.json, responses.json and rubric.json.');
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export interface EvalOptions {
  dir: string;
  redactor: Redactor;
  /** Live mode: the configured model; recorded mode otherwise. */
  live?: LlmConfig;
  limits: LlmLimits;
  only?: string;
}

export async function runEvals(options: EvalOptions): Promise<EvalResult[]> {
  if (!existsSync(options.dir)) throw new PitcrewError('not_found', `Eval directory ${options.dir} does not exist`, 'Run from the pitcrew checkout or pass --dir.');
  const names = readdirSync(options.dir, { withFileTypes: true }).filter((e) => e.isDirectory() && (!options.only || e.name === options.only)).map((e) => e.name).sort();
  const results: EvalResult[] = [];
  for (const name of names) results.push(await runOne(join(options.dir, name), name, options));
  return results;
}

async function runOne(folder: string, name: string, options: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const rubric = Rubric.parse(readJson(join(folder, 'rubric.json')));
  const context = PlanningContext.parse(readJson(join(folder, 'context.json')));
  const policy = Policy.parse(readJson(join(folder, 'policy.json'), {}));
  const tools = recordedTools(readJson<RecordedToolOutput[]>(join(folder, 'tools.json'), []));
  const server = options.live ? undefined : await startFakeOpenAi(readJson<RecordedResponse[]>(join(folder, 'responses.json')));
  try {
    const llmConfig: LlmConfig = options.live ?? { provider: 'openai', baseUrl: server!.baseUrl, apiKey: 'recorded', model: 'recorded' };
    const { model, modelName } = createChatModel(llmConfig, { timeoutMs: options.limits.timeoutMs, maxOutputTokens: 4000 });
    const { plan: result, decision } = await plan(context, { policy, redactor: options.redactor, clock: manualClock(), llm: { model, modelName, tools, limits: options.limits } });
    const checks = scorePlan(result, rubric);
    return { name, description: rubric.description, pass: checks.every((c) => c.pass), checks, planner: result.planner.kind, tokens: decision.tokens, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { name, description: rubric.description, pass: false, checks: [], planner: 'none', tokens: { input: 0, output: 0 }, durationMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    await server?.close();
  }
}
