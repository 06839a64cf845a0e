import { z } from 'zod/v4';
import { RepoPath, RepoRef } from '../../domain/action.js';
import { repoAllowed, type Policy } from '../../domain/policy.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import { ToolApiError, type PlannerTools } from '../tools.js';

/**
 * The model's tools: read-only, each with a zod-validated argument schema.
 * Results are redacted and cut to a size before the model sees them.
 * A request for any other tool is refused: write-like names get "approval
 * required" (changes go in the plan, where a human approves them).
 */
const MAX_OUTPUT = 8_000;

interface ToolSpec<A extends z.ZodType> {
  name: string;
  description: string;
  args: A;
  available(tools: PlannerTools): boolean;
  run(tools: PlannerTools, args: z.infer<A>, policy: Policy): Promise<unknown>;
}

const spec = <A extends z.ZodType>(s: ToolSpec<A>) => s as unknown as ToolSpec<z.ZodType>;

const Query = z.string().min(1).max(500);
const Limit = z.number().int().min(1).max(10).default(5);

function requireRepo(repo: string, policy: Policy): void {
  if (!repoAllowed(repo, policy)) throw new ToolApiError(`repository ${repo} is not one pitcrew may read`, `allowed repositories: ${policy.repos.join(', ') || 'none'}`);
}

export const TOOL_SPECS = [
  spec({
    name: 'search_runbooks',
    description: 'Search the runbooks (lexical + semantic). Returns passages with their path, heading path and score.',
    args: z.object({ query: Query, limit: Limit }),
    available: (t) => !!t.searchRunbooks,
    run: (t, a) => t.searchRunbooks!(a.query, a.limit),
  }),
  spec({
    name: 'search_incidents',
    description: 'Search past incidents: what happened, what fixed it.',
    args: z.object({ query: Query, limit: Limit }),
    available: (t) => !!t.searchIncidents,
    run: (t, a) => t.searchIncidents!(a.query, a.limit),
  }),
  spec({
    name: 'get_incident_timeline',
    description: 'The timeline of one past incident by id.',
    args: z.object({ incidentId: z.string().min(1).max(200) }),
    available: (t) => !!t.getIncidentTimeline,
    run: (t, a) => t.getIncidentTimeline!(a.incidentId),
  }),
  spec({
    name: 'get_recent_commits',
    description: 'Recent commits to an allowed repository, optionally only those touching a path.',
    args: z.object({ repo: RepoRef, path: RepoPath.optional(), limit: z.number().int().min(1).max(30).default(10) }),
    available: (t) => !!t.getRecentCommits,
    run: (t, a, policy) => {
      requireRepo(a.repo, policy);
      return t.getRecentCommits!(a.repo, { path: a.path, limit: a.limit });
    },
  }),
  spec({
    name: 'read_repo_file',
    description: 'Read a file from an allowed repository (default branch unless ref is given).',
    args: z.object({ repo: RepoRef, path: RepoPath, ref: z.string().max(255).optional() }),
    available: (t) => !!t.readRepoFile,
    run: (t, a, policy) => {
      requireRepo(a.repo, policy);
      return t.readRepoFile!(a.repo, a.path, a.ref);
    },
  }),
  spec({
    name: 'get_ci_log_excerpt',
    description: 'The failing part of a CI run log (normalised, redacted).',
    args: z.object({ repo: RepoRef, runId: z.number().int().positive(), jobId: z.number().int().positive().optional(), maxLines: z.number().int().min(10).max(400).default(150) }),
    available: (t) => !!t.getCiLogExcerpt,
    run: (t, a, policy) => {
      requireRepo(a.repo, policy);
      return t.getCiLogExcerpt!(a.repo, a.runId, { jobId: a.jobId, maxLines: a.maxLines });
    },
  }),
];

export const TOOL_NAMES = TOOL_SPECS.map((s) => s.name);

/** OpenAI-format tool definitions for the tools that are present. */
export function toolDefinitions(tools: PlannerTools): { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }[] {
  return TOOL_SPECS.filter((s) => s.available(tools)).map((s) => ({
    type: 'function' as const,
    function: { name: s.name, description: s.description, parameters: z.toJSONSchema(s.args, { io: 'input' }) as Record<string, unknown> },
  }));
}

const WRITE_LIKE = /(create|update|delete|remove|write|apply|patch|exec|run|restart|scale|merge|push|post|send|deploy|rollback|approve|dispatch|set|put|kill)/i;

export interface ToolResult {
  /** Redacted, size-limited text the model is shown (the caller fences it). */
  output: string;
  error: boolean;
}

function errorResult(error: string, query: unknown, answer: string): ToolResult {
  return { output: JSON.stringify({ error, query, answer }), error: true };
}

export async function runTool(name: string, rawArgs: unknown, tools: PlannerTools, policy: Policy, redactor: Redactor): Promise<ToolResult> {
  const tool = TOOL_SPECS.find((s) => s.name === name && s.available(tools));
  let result: ToolResult;
  if (!tool) {
    result = WRITE_LIKE.test(name)
      ? errorResult('approval required', { tool: name, args: rawArgs }, `${name} would change something. pitcrew's tools are read-only: put the change in the plan's actions, where a human approves it.`)
      : errorResult('unknown tool', { tool: name }, `available tools: ${TOOL_SPECS.filter((s) => s.available(tools)).map((s) => s.name).join(', ') || 'none'}`);
  } else {
    const args = tool.args.safeParse(rawArgs ?? {});
    if (!args.success) {
      result = errorResult('invalid arguments', rawArgs, args.error.issues.map((i) => `${i.path.map(String).join('.') || '(args)'}: ${i.message}`).join('; '));
    } else {
      try {
        const value = await tool.run(tools, args.data, policy);
        const text = JSON.stringify(value, null, 1);
        result = { output: text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT)}\n… (truncated; narrow the query)` : text, error: false };
      } catch (error) {
        const answer = error instanceof ToolApiError ? `${error.message}: ${error.answer}` : (error as Error).message;
        result = errorResult(`${name} failed`, args.data, answer.slice(0, 2000));
      }
    }
  }
  return { output: (await redactor.redact(result.output)).text, error: result.error };
}
