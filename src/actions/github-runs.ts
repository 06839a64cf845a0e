import type { RepoClient } from '../adapters/github/repo-client.js';

/**
 * Waiting for a GitHub Actions run to finish: polls the run (reads are not
 * rate-limited like writes) until it completes or the wait runs out.
 */
export interface RunWaitOptions {
  pollMs: number;
  timeoutMs: number;
  now: () => number;
}

export interface RunState {
  id: number;
  attempt: number;
  status: string;
  conclusion: string | null;
  url: string;
  number: number;
}

export async function readRun(client: RepoClient, runId: number): Promise<RunState> {
  const { data } = await client.octokit.rest.actions.getWorkflowRun({ owner: client.owner, repo: client.name, run_id: runId });
  return { id: data.id, attempt: data.run_attempt ?? 1, status: data.status ?? 'unknown', conclusion: data.conclusion ?? null, url: data.html_url, number: data.run_number };
}

/** The run once it completed (with attempt > `afterAttempt` when given), or null when the wait ran out. */
export async function waitForRun(client: RepoClient, runId: number, options: RunWaitOptions, afterAttempt = 0): Promise<RunState | null> {
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    const run = await readRun(client, runId);
    if (run.status === 'completed' && run.attempt > afterAttempt) return run;
    if (options.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

export function describeRun(run: RunState, workflow: string): string {
  return `${workflow} run #${run.number}${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''} concluded ${run.conclusion ?? 'without a conclusion'}`;
}
