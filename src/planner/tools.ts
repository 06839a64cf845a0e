/**
 * Read-only tool ports for the LLM planner. Retrieval, the forge and CI
 * adapters implement them; the planner offers the model only the tools that
 * are present. Nothing here writes: the model's only way to change anything
 * is to put an action in its plan, which policy and a human then judge.
 *
 * Every result is untrusted text: the planner redacts it and fences it as
 * data before the model sees it. A tool that fails throws; the planner turns
 * the error into an answer that quotes the query and the API's reply, so the
 * model can correct itself.
 */
export interface RunbookHit {
  id: string;
  path: string;
  title: string;
  headingPath: string[];
  text: string;
  score: number;
}

export interface IncidentHit {
  id: string;
  title: string;
  summary: string;
  resolution?: string;
  score: number;
}

export interface TimelineEntry {
  at: number;
  who?: string;
  text: string;
}

export interface CommitInfo {
  sha: string;
  author: string;
  at: number;
  message: string;
  files?: string[];
}

export interface PlannerTools {
  searchRunbooks?(query: string, limit: number): Promise<RunbookHit[]>;
  searchIncidents?(query: string, limit: number): Promise<IncidentHit[]>;
  getIncidentTimeline?(incidentId: string): Promise<TimelineEntry[]>;
  getRecentCommits?(repo: string, options: { path?: string; limit: number }): Promise<CommitInfo[]>;
  readRepoFile?(repo: string, path: string, ref?: string): Promise<{ content: string }>;
  getCiLogExcerpt?(repo: string, runId: number, options: { jobId?: number; maxLines: number }): Promise<{ excerpt: string }>;
}

/** A tool call as the decision log records it (and as recorded tools replay it). */
export interface ToolCallRecord {
  name: string;
  args: Record<string, unknown>;
  /** What the model was shown (already redacted, before fencing). */
  output: string;
  error?: boolean;
}

/** The error a tool throws when the API answered with an error: the planner quotes `answer` back to the model. */
export class ToolApiError extends Error {
  constructor(message: string, readonly answer: string) {
    super(message);
  }
}
