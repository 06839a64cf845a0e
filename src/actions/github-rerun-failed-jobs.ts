import type { Connector, ConnectorStatus } from '../pipeline/execute/ports.js';
import { describeRun, readRun, waitForRun } from './github-runs.js';
import type { GitHubConnectorDeps } from './github-workflow-dispatch.js';

/**
 * `github.rerun_failed_jobs`: re-runs the failed jobs of a run and waits for
 * the new attempt's conclusion. The attempt number before the re-run is saved
 * first, so `status` knows the re-run happened exactly when the run has a
 * later attempt.
 */
export function rerunFailedJobsConnector(deps: GitHubConnectorDeps): Connector<'github.rerun_failed_jobs'> {
  const finish = async (client: Awaited<ReturnType<GitHubConnectorDeps['client']>>, runId: number, before: number) => {
    const run = await waitForRun(client, runId, deps.wait, before);
    if (!run) return { outcome: 'unknown' as const, detail: `run ${runId} was still running after ${Math.round(deps.wait.timeoutMs / 1000)} s` };
    return { outcome: run.conclusion === 'success' ? 'succeeded' as const : 'failed' as const, detail: `${describeRun(run, 'the re-run')}: ${run.url}` };
  };
  return {
    kind: 'github.rerun_failed_jobs',
    run: async (action, context) => {
      const repo = action.repo ?? context.repo;
      if (context.dryRun) {
        deps.log.info({ key: context.key, repo, runId: action.runId }, `[dry-run] would re-run the failed jobs of run ${action.runId}`);
        return { outcome: 'dry_run', detail: `would re-run the failed jobs of run ${action.runId} in ${repo}` };
      }
      const client = await deps.client(repo);
      let current;
      try {
        current = await readRun(client, action.runId);
      } catch (error) {
        return { outcome: 'failed', detail: `cannot read run ${action.runId} in ${repo}: ${(error as Error).message}` };
      }
      if (current.status !== 'completed') return { outcome: 'failed', detail: `run ${action.runId} is still ${current.status}; failed jobs can be re-run once it completes` };
      if (current.conclusion === 'success') return { outcome: 'succeeded', detail: `run ${action.runId} already succeeded; nothing to re-run` };
      await context.checkpoint({ attemptBefore: current.attempt });
      try {
        await client.octokit.rest.actions.reRunWorkflowFailedJobs({ owner: client.owner, repo: client.name, run_id: action.runId });
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status && status < 500) return { outcome: 'failed', detail: `GitHub refused to re-run run ${action.runId}: ${status} ${(error as Error).message}` };
        return { outcome: 'unknown', detail: `re-running run ${action.runId}: ${(error as Error).message}` };
      }
      return finish(client, action.runId, current.attempt);
    },
    status: async (action, context): Promise<ConnectorStatus> => {
      const before = (context.saved as { attemptBefore?: number } | null)?.attemptBefore;
      if (before === undefined) return { state: 'not_applied', detail: 'the re-run was never requested' };
      const client = await deps.client(action.repo ?? context.repo);
      const run = await readRun(client, action.runId);
      if (run.attempt <= before) return { state: 'not_applied', detail: `run ${action.runId} is still on attempt ${run.attempt}` };
      return { state: 'applied', outcome: await finish(client, action.runId, before) };
    },
  };
}
