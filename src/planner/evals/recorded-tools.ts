import { ToolApiError, type PlannerTools } from '../tools.js';

/**
 * Tools that answer from recordings: `{name, args, output}` entries, where
 * `args` matches when every recorded key equals the call's. Used by evals
 * and by `pitcrew replay` of LLM decisions. An unrecorded call fails like an
 * API would, quoting the query.
 */
export interface RecordedToolOutput {
  name: string;
  args?: Record<string, unknown>;
  output: unknown;
}

export function recordedTools(recordings: RecordedToolOutput[]): PlannerTools {
  const answer = async (name: string, args: Record<string, unknown>): Promise<never> => {
    const hit = recordings.find((r) => r.name === name && Object.entries(r.args ?? {}).every(([k, v]) => JSON.stringify(args[k]) === JSON.stringify(v)));
    if (!hit) throw new ToolApiError(`no recorded answer for ${name} ${JSON.stringify(args)}`, `recorded calls: ${recordings.filter((r) => r.name === name).map((r) => JSON.stringify(r.args ?? {})).join(', ') || 'none'}`);
    return hit.output as never;
  };
  const has = (name: string) => recordings.some((r) => r.name === name);
  const tools: PlannerTools = {};
  if (has('search_runbooks')) tools.searchRunbooks = (query, limit) => answer('search_runbooks', { query, limit });
  if (has('search_incidents')) tools.searchIncidents = (query, limit) => answer('search_incidents', { query, limit });
  if (has('get_incident_timeline')) tools.getIncidentTimeline = (incidentId) => answer('get_incident_timeline', { incidentId });
  if (has('get_recent_commits')) tools.getRecentCommits = (repo, o) => answer('get_recent_commits', { repo, ...o });
  if (has('read_repo_file')) tools.readRepoFile = (repo, path, ref) => answer('read_repo_file', { repo, path, ref });
  if (has('get_ci_log_excerpt')) tools.getCiLogExcerpt = (repo, runId, o) => answer('get_ci_log_excerpt', { repo, runId, ...o });
  return tools;
}
