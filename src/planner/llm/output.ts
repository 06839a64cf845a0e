import { z } from 'zod/v4';
import { Action, ACTION_KINDS } from '../../domain/action.js';

/**
 * What the model must return (through the submit_plan tool, or as a bare
 * JSON object). It is data: parsed with zod, every action validated against
 * the Action allowlist (strict objects: an unknown field rejects it), then
 * judged by policy like any other plan.
 */
export const LlmPlanOutput = z.object({
  summary: z.string().min(1).max(500),
  probableCause: z.string().min(1).max(2000),
  runbookPath: z.string().max(500).optional(),
  actions: z.array(Action).max(10),
  rollback: z.array(z.string().max(1000)).max(20).default([]),
  evidence: z.array(z.string().max(500)).max(20).default([]),
  notes: z.array(z.string().max(1000)).max(10).default([]),
});
export type LlmPlanOutput = z.infer<typeof LlmPlanOutput>;

/** JSON Schema for the submit_plan tool. Loose on purpose (zod is the judge); it guides the model. */
export const SUBMIT_PLAN_PARAMETERS = {
  type: 'object',
  properties: {
    summary: { type: 'string' },
    probableCause: { type: 'string' },
    runbookPath: { type: 'string' },
    actions: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', enum: [...ACTION_KINDS] } }, required: ['kind'] } },
    rollback: { type: 'array', items: { type: 'string' } },
    evidence: { type: 'array', items: { type: 'string' } },
    notes: { type: 'array', items: { type: 'string' } },
  },
  required: ['summary', 'probableCause', 'actions'],
} as const;

/** One line per action kind, for the prompt. */
export const ACTION_KIND_DOCS = [
  '  - `notify` {message, title?}: a human step; it changes nothing.',
  '  - `kubernetes.rollout_restart` {namespace, name, resource?: deployment|statefulset|daemonset, cluster?}',
  '  - `kubernetes.scale` {namespace, name, replicas, resource?: deployment|statefulset, cluster?}',
  '  - `gitops.patch` {repo?, path, set: [{path, value, document?}]} or {repo?, path, diff}: a file change in a fix PR.',
  '  - `github.workflow_dispatch` {repo?, workflow, ref?, inputs?}',
  '  - `github.rerun_failed_jobs` {repo?, runId}',
  '  - `http.request` {method?, url, body?}: only to allowed base URLs.',
  '  Every action may also carry `title` and `risk` (low|medium|high; it can only raise the default).',
].join('\n');

export class InvalidOutput extends Error {}

/** The model's final text → a JSON value. Accepts a bare object or one in a ```json fence. */
export function parseJsonText(text: string): unknown {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text);
  const candidate = (fenced ? fenced[1]! : text).trim();
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end <= start) throw new InvalidOutput('the reply holds no JSON object');
  try {
    return JSON.parse(candidate.slice(start, end + 1));
  } catch (error) {
    throw new InvalidOutput(`the reply is not valid JSON: ${(error as Error).message}`);
  }
}

export function parseLlmOutput(value: unknown): LlmPlanOutput {
  const parsed = LlmPlanOutput.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 8).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  throw new InvalidOutput(`the plan does not match the schema: ${issues.join('; ')}`);
}
