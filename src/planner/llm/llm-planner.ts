import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Action, Risk } from '../../domain/action.js';
import type { Evidence, Plan } from '../../domain/plan.js';
import type { PolicyVerdict } from '../../domain/policy.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import { assemblePlan, type PlanFrame } from '../assemble.js';
import type { PlanningContext } from '../context.js';
import type { PlannerTools, ToolCallRecord } from '../tools.js';
import { AgentFailure, runAgent, type AgentFailureKind, type AgentLimits, type Usage } from './agent.js';
import { fence, newBoundary } from './fence.js';
import { ACTION_KIND_DOCS, InvalidOutput, parseLlmOutput } from './output.js';
import { loadPlannerPrompts } from './prompts.js';

/**
 * The LLM planner: a bounded agent with read-only tools. Its output is data
 * that must pass the schema, the evidence check and the policy; anything
 * else (an error, a timeout, malformed output, a rejected plan) fails the
 * attempt. It tries twice, then gives up; the caller falls back to the
 * deterministic planner and says so in the plan.
 */
export interface LlmPlannerDeps {
  model: BaseChatModel;
  /** "provider:model", for the plan and the decision log. */
  modelName: string;
  tools: PlannerTools;
  limits: AgentLimits;
  /** Prompt directory override (tests, evals). */
  promptsDir?: string;
  /** Boundary source override (tests); random per attempt otherwise. */
  boundary?: () => string;
}

export interface AttemptRecord {
  attempt: number;
  outcome: 'ok' | AgentFailureKind | 'rejected';
  error?: string;
  raw: string;
  usage: Usage;
  toolCalls: ToolCallRecord[];
  steps: number;
  durationMs: number;
}

export interface LlmPlanResult {
  plan?: Plan;
  verdict?: PolicyVerdict;
  attempts: AttemptRecord[];
  promptVersion: string;
}

export const MAX_ATTEMPTS = 2;

const json = (value: unknown) => JSON.stringify(value, null, 1);

function renderRunbook(runbook: PlanningContext['runbooks'][number], boundary: string): string {
  return fence(`runbook ${runbook.path}`, json({ id: runbook.id, path: runbook.path, title: runbook.title, headingPath: runbook.headingPath, score: runbook.score, matchedBy: runbook.matchedBy, remediation: runbook.remediation, text: runbook.text }), boundary);
}

export function renderUserVariables(context: PlanningContext, boundary: string, retryNote: string): Record<string, string> {
  const { signal } = context;
  const alert = { alertname: signal.alertname, severity: signal.severity, status: signal.status, service: signal.service, summary: signal.summary, description: signal.description, labels: signal.labels, annotations: signal.annotations, links: signal.links, fingerprint: signal.fingerprint, source: signal.source };
  return {
    alert: fence('alert', json(alert), boundary),
    runbooks: context.runbooks.length ? context.runbooks.slice(0, 5).map((r) => renderRunbook(r, boundary)).join('\n') : '(none)',
    incidents: context.similarIncidents.length ? context.similarIncidents.slice(0, 5).map((i) => fence(`incident ${i.id}`, json(i), boundary)).join('\n') : '(none)',
    ciFailures: context.ciFailures.length ? context.ciFailures.slice(0, 5).map((c) => fence(`ci failure ${c.id}`, json(c), boundary)).join('\n') : '(none)',
    retrieval: fence('retrieval', json(context.retrieval), boundary),
    retryNote,
  };
}

function systemVariables(frame: PlanFrame, boundary: string, limits: AgentLimits): Record<string, string> {
  const { policy } = frame;
  const namespaces = policy.kubernetes.targets.map((t) => `${t.cluster ? `${t.cluster}/` : ''}{${t.namespaces.join(', ')}}`);
  return {
    boundary,
    maxSteps: String(limits.maxSteps),
    actionKinds: ACTION_KIND_DOCS,
    repos: policy.repos.join(', ') || 'none',
    baseUrls: policy.http.baseUrls.join(', ') || 'none',
    namespaces: namespaces.join('; ') || 'none',
  };
}

const TOOL_EVIDENCE: Record<string, Evidence['kind']> = {
  get_recent_commits: 'commit',
  read_repo_file: 'file',
  get_ci_log_excerpt: 'log',
  get_incident_timeline: 'incident',
  search_incidents: 'incident',
  search_runbooks: 'runbook',
};

/** Validates the model's output as a plan, or throws InvalidOutput saying why. */
export function judgeOutput(output: unknown, frame: PlanFrame, modelName: string, promptVersion: string, toolCalls: ToolCallRecord[]): { plan: Plan; verdict: PolicyVerdict } {
  const draft = parseLlmOutput(output);
  const { context } = frame;
  const runbook = draft.runbookPath === undefined ? undefined : context.runbooks.find((r) => r.path === draft.runbookPath);
  if (draft.runbookPath !== undefined && !runbook) throw new InvalidOutput(`runbookPath ${JSON.stringify(draft.runbookPath.slice(0, 200))} is not one of the retrieved runbooks (${context.runbooks.map((r) => r.path).join(', ') || 'none'})`);
  const notes = [...draft.notes];
  const known = new Set([context.signal.fingerprint, ...context.runbooks.map((r) => r.id), ...context.runbooks.map((r) => r.path), ...context.similarIncidents.map((i) => i.id), ...context.ciFailures.map((c) => c.id)]);
  const unknown = draft.evidence.filter((id) => !known.has(id));
  if (unknown.length > 0) notes.push(`The model cited evidence that was not retrieved; ignored: ${unknown.slice(0, 5).join(', ')}.`);

  // Defence in depth: an automated action of a kind no retrieved runbook's remediation uses is not grounded; it needs the most scrutiny.
  const grounded = new Set(context.runbooks.flatMap((r) => r.remediation.map((step) => step.kind)));
  const actions: Action[] = draft.actions.map((action) => {
    if (action.kind === 'notify' || grounded.has(action.kind)) return action;
    notes.push(`${action.kind} is not used by any retrieved runbook's remediation: its risk is raised to high.`);
    return { ...action, risk: 'high' as Risk };
  });

  const extraEvidence: Evidence[] = toolCalls.filter((call) => !call.error).slice(0, 10).map((call) => ({
    kind: TOOL_EVIDENCE[call.name] ?? 'log',
    source: `tool:${call.name}`,
    title: `${call.name} ${JSON.stringify(call.args)}`.slice(0, 300),
    excerpt: call.output.slice(0, 400),
  }));
  const result = assemblePlan(frame, {
    summary: draft.summary,
    probableCause: draft.probableCause,
    runbook,
    actions,
    rollback: draft.rollback,
    notes,
    planner: { kind: 'llm', model: modelName, promptVersion },
    extraEvidence,
    riskFloor: runbook?.risk,
  });
  if (!result.plan) throw new InvalidOutput(`the policy rejected the plan: ${result.verdict.reasons.join('; ')}`);
  return { plan: result.plan, verdict: result.verdict };
}

export async function planWithLlm(frame: PlanFrame, deps: LlmPlannerDeps, redactor: Redactor): Promise<LlmPlanResult> {
  const prompts = loadPlannerPrompts(deps.promptsDir);
  const attempts: AttemptRecord[] = [];
  let lastError: string | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const boundary = (deps.boundary ?? newBoundary)();
    const retryNote = lastError === undefined ? '' : `\nYour previous attempt failed and was discarded. The reason, as data:\n${fence('previous attempt error', lastError, boundary)}\nSubmit a corrected plan.`;
    const started = performance.now();
    const system = prompts.system.render(systemVariables(frame, boundary, deps.limits));
    const user = prompts.user.render(renderUserVariables(frame.context, boundary, retryNote));
    const record: AttemptRecord = { attempt, outcome: 'ok', raw: '', usage: { inputTokens: 0, outputTokens: 0 }, toolCalls: [], steps: 0, durationMs: 0 };
    attempts.push(record);
    try {
      const run = await runAgent({ model: deps.model, system, user, tools: deps.tools, policy: frame.policy, redactor, limits: deps.limits, boundary });
      Object.assign(record, { raw: run.raw, usage: run.usage, toolCalls: run.toolCalls, steps: run.steps });
      const judged = judgeOutput(run.output, frame, deps.modelName, prompts.version, run.toolCalls);
      record.durationMs = Math.round(performance.now() - started);
      return { ...judged, attempts, promptVersion: prompts.version };
    } catch (error) {
      record.durationMs = Math.round(performance.now() - started);
      if (error instanceof AgentFailure) {
        Object.assign(record, { outcome: error.kind, error: error.message, raw: error.run.raw, usage: error.run.usage, toolCalls: error.run.toolCalls, steps: error.run.steps });
      } else if (error instanceof InvalidOutput) {
        Object.assign(record, { outcome: /policy rejected/.test(error.message) ? 'rejected' : 'invalid', error: error.message });
      } else {
        Object.assign(record, { outcome: 'error', error: (error as Error).message });
      }
      lastError = record.error ?? 'unknown';
    }
  }
  return { attempts, promptVersion: prompts.version };
}

export function describeFailures(attempts: AttemptRecord[]): string {
  return attempts.map((a) => `attempt ${a.attempt}: ${a.outcome}${a.error ? ` (${a.error.slice(0, 300)})` : ''}`).join('; ');
}
