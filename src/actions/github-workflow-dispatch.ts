import type { RepoClient } from '../adapters/github/repo-client.js';
import type { Logger } from '../ops/logger.js';
import type { Connector, ConnectorOutcome, ConnectorStatus } from '../pipeline/execute/ports.js';
import { describeRun, waitForRun, type RunWaitOptions } from './github-runs.js';

/**
 * `github.workflow_dispatch`: dispatches the workflow and waits for the run's
 * conclusion. GitHub returns the run's id when asked (`return_run_details`);
 * it is saved in the journal at once. Before dispatching, the time is saved,
 * so after a crash `status` can find a run dispatched by the app since then
 * (or know that none was).
 */
export interface GitHubConnectorDeps {
  client(repo: string): Promise<RepoClient>;
  botLogin(): Promise<string>;
  log: Logger;
  wait: RunWaitOptions;
  /** How long after a dispatch its run may take to appear in the list (default 10 s). */
  appearMs?: number;
}

export function workflowDispatchConnector(deps: GitHubConnectorDeps): Connector<'github.workflow_dispatch'> {
  const finish = async (client: RepoClient, runId: number, workflow: string): Promise<ConnectorOutcome> => {
    const run = await waitForRun(client, runId, deps.wait);
    if (!run) return { outcome: 'unknown', detail: `${workflow} run ${runId} was still running after ${Math.round(deps.wait.timeoutMs / 1000)} s` };
    return { outcome: run.conclusion === 'success' ? 'succeeded' : 'failed', detail: `${describeRun(run, workflow)}: ${run.url}` };
  };
  const findRun = async (client: RepoClient, workflow: string, since: number): Promise<number | null> => {
    const actor = await deps.botLogin();
    const deadline = deps.wait.now() + (deps.appearMs ?? 10_000);
    for (;;) {
      const { data } = await client.octokit.rest.actions.listWorkflowRuns({ owner: client.owner, repo: client.name, workflow_id: workflow, event: 'workflow_dispatch', actor, created: `>=${new Date(since - 1_000).toISOString()}`, per_page: 20 });
      const runs = data.workflow_runs.filter((run) => Date.parse(run.created_at) >= since - 1_000).sort((a, b) => a.id - b.id);
      if (runs[0]) return runs[0].id;
      if (deps.wait.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, deps.wait.pollMs)));
    }
  };
  return {
    kind: 'github.workflow_dispatch',
    run: async (action, context) => {
      const repo = action.repo ?? context.repo;
      const what = `${action.workflow} on ${action.ref} in ${repo}`;
      if (context.dryRun) {
        deps.log.info({ key: context.key, repo, workflow: action.workflow, ref: action.ref }, `[dry-run] would dispatch ${what}`);
        return { outcome: 'dry_run', detail: `would dispatch ${what}` };
      }
      const client = await deps.client(repo);
      const dispatchedAfter = deps.wait.now();
      await context.checkpoint({ dispatchedAfter });
      let runId: number | null = null;
      try {
        const response = await client.octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
          owner: client.owner, repo: client.name, workflow_id: action.workflow, ref: action.ref, inputs: action.inputs, return_run_details: true,
        } as never);
        runId = (response.data as { workflow_run_id?: number } | undefined)?.workflow_run_id ?? null;
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status && status < 500) return { outcome: 'failed', detail: `GitHub refused to dispatch ${what}: ${status} ${(error as Error).message}` };
        return { outcome: 'unknown', detail: `dispatching ${what}: ${(error as Error).message}` };
      }
      runId ??= await findRun(client, action.workflow, dispatchedAfter);
      if (runId === null) return { outcome: 'unknown', detail: `dispatched ${what}, but its run did not appear` };
      await context.checkpoint({ dispatchedAfter, runId });
      return finish(client, runId, action.workflow);
    },
    status: async (action, context): Promise<ConnectorStatus> => {
      const saved = context.saved as { dispatchedAfter?: number; runId?: number } | null;
      if (!saved?.dispatchedAfter) return { state: 'not_applied', detail: 'the workflow was never dispatched' };
      const client = await deps.client(action.repo ?? context.repo);
      const runId = saved.runId ?? (await findRun(client, action.workflow, saved.dispatchedAfter));
      if (runId === null) return { state: 'not_applied', detail: `no run of ${action.workflow} was dispatched by pitcrew since ${new Date(saved.dispatchedAfter).toISOString()}` };
      return { state: 'applied', outcome: await finish(client, runId, action.workflow) };
    },
  };
}
