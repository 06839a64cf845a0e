import type { GitHubCore } from '../core.js';
import type { GitCommit } from '../git/git-repo.js';
import type { JobRecord, RepoRecord, WorkflowRecord, WorkflowRunRecord } from '../model.js';
import { pullsForSha } from './checks.js';
import { iso, isoOrNull, nodeId, type Schema } from './common.js';
import { renderRepo } from './repos.js';
import { renderLogin } from './users.js';

export function renderWorkflow(core: GitHubCore, repo: RepoRecord, workflow: WorkflowRecord): Schema<'workflow'> {
  return {
    id: workflow.id,
    node_id: nodeId('Workflow', workflow.id),
    name: workflow.name,
    path: workflow.path,
    state: workflow.state,
    created_at: iso(workflow.createdAt),
    updated_at: iso(workflow.createdAt),
    url: `${core.apiUrl}/repos/${repo.fullName}/actions/workflows/${workflow.id}`,
    html_url: `${core.webUrl}/${repo.fullName}/blob/${repo.defaultBranch}/${workflow.path}`,
    badge_url: `${core.webUrl}/${repo.fullName}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
  };
}

function minimalRepo(core: GitHubCore, repo: RepoRecord): Schema<'minimal-repository'> {
  // The minimal form is the full one without the fields that differ in type (the license is null here anyway).
  const { license: _license, ...rest } = renderRepo(core, repo);
  return { ...rest, license: null };
}

export function renderSimpleCommit(commit: GitCommit): Schema<'simple-commit'> {
  return {
    id: commit.sha,
    tree_id: commit.tree,
    message: commit.message.replace(/\n$/, ''),
    timestamp: iso(commit.committer.date),
    author: { name: commit.author.name, email: commit.author.email },
    committer: { name: commit.committer.name, email: commit.committer.email },
  };
}

export function renderRun(core: GitHubCore, repo: RepoRecord, run: WorkflowRunRecord, headCommit: GitCommit | null): Schema<'workflow-run'> {
  const api = `${core.apiUrl}/repos/${repo.fullName}/actions/runs/${run.id}`;
  const workflow = core.workflows.get(run.workflowId)!;
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WorkflowRun', run.id),
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: nodeId('CheckSuite', run.checkSuiteId),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: workflow.path,
    run_number: run.runNumber,
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url: api,
    html_url: `${core.webUrl}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: run.event === 'pull_request' || run.event === 'push' ? pullsForSha(core, repo, run.headSha, run.headBranch) : [],
    created_at: iso(run.createdAt),
    updated_at: iso(run.updatedAt),
    actor: renderLogin(core, run.actor),
    triggering_actor: renderLogin(core, run.triggeringActor),
    run_started_at: iso(run.runStartedAt),
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${core.apiUrl}/repos/${repo.fullName}/check-suites/${run.checkSuiteId}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${api}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${core.apiUrl}/repos/${repo.fullName}/actions/workflows/${run.workflowId}`,
    head_commit: headCommit ? renderSimpleCommit(headCommit) : null,
    repository: minimalRepo(core, repo),
    head_repository: minimalRepo(core, repo),
    display_title: run.displayTitle,
  };
}

export function renderJob(core: GitHubCore, repo: RepoRecord, job: JobRecord): Schema<'job'> {
  const run = core.runs.get(job.runId)!;
  return {
    id: job.id,
    run_id: job.runId,
    run_url: `${core.apiUrl}/repos/${repo.fullName}/actions/runs/${job.runId}`,
    run_attempt: job.runAttempt,
    node_id: nodeId('CheckRun', job.id),
    head_sha: run.headSha,
    url: `${core.apiUrl}/repos/${repo.fullName}/actions/jobs/${job.id}`,
    html_url: `${core.webUrl}/${repo.fullName}/actions/runs/${job.runId}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    completed_at: isoOrNull(job.completedAt),
    name: job.name,
    steps: job.steps.map((step) => ({
      name: step.name,
      number: step.number,
      status: step.status,
      conclusion: step.conclusion,
      started_at: iso(step.startedAt),
      completed_at: isoOrNull(step.completedAt),
    })),
    check_run_url: `${core.apiUrl}/repos/${repo.fullName}/check-runs/${job.checkRunId}`,
    labels: ['ubuntu-latest'],
    runner_id: job.status === 'queued' ? null : 1,
    runner_name: job.status === 'queued' ? null : 'GitHub Actions 1',
    runner_group_id: job.status === 'queued' ? null : 1,
    runner_group_name: job.status === 'queued' ? null : 'GitHub Actions',
    workflow_name: run.name,
    head_branch: run.headBranch,
  };
}
