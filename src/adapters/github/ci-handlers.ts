import type { Probot } from 'probot';
import { handleCiCommand, parseCiCommand, type CiCommandDeps } from '../../pipeline/ci/ci-commands.js';
import { handleCiRun } from '../../pipeline/ci/ci-stage.js';
import type { CiJob, CiRunEvent } from '../../pipeline/ci/ports.js';
import { CI_DIAGNOSIS_CHECK, GitHubCiHost } from './ci-host.js';
import type { Octokit } from './octokit.js';

/**
 * CI-failure diagnosis on GitHub:
 *  - workflow_run.completed: a failed run is diagnosed and commented on its
 *    PRs; a green one resolves the comment;
 *  - check_run.completed from CI systems other than Actions (whose jobs are
 *    check runs too, but arrive whole through workflow_run): the same, with
 *    the check's output as the log;
 *  - issue_comment.created on a PR: `/pitcrew confirm` and `/pitcrew fix`.
 */
export interface CiHandlerDeps extends CiCommandDeps {
  botLogin: () => Promise<string>;
}

const HANDLED = new Set(['success', 'failure', 'timed_out', 'startup_failure']);
const ACTIONS_APP = 'github-actions';
const MAX_JOB_PAGES = 5;

type Pull = { number: number; head: { sha: string }; base: { ref: string } };

export function registerCiDiagnosis(app: Probot, deps: CiHandlerDeps): void {
  app.on('workflow_run.completed', async (context) => {
    const { workflow_run: run, repository } = context.payload;
    if (!run.conclusion || !HANDLED.has(run.conclusion)) return;
    const octokit = context.octokit as Octokit;
    const [owner, repo] = repository.full_name.split('/') as [string, string];
    const jobs: CiJob[] = [];
    for (let page = 1; page <= MAX_JOB_PAGES; page++) {
      const { data } = await octokit.rest.actions.listJobsForWorkflowRunAttempt({ owner, repo, run_id: run.id, attempt_number: run.run_attempt ?? 1, per_page: 100, page });
      jobs.push(...data.jobs.map((job) => ({ id: String(job.id), name: job.name, conclusion: job.conclusion ?? 'unknown', ...(job.html_url ? { url: job.html_url } : {}) })));
      if (data.jobs.length < 100) break;
    }
    const event: CiRunEvent = {
      repo: repository.full_name,
      workflow: (run.path ?? run.name ?? 'workflow').split('/').pop()!,
      runId: String(run.id),
      runAttempt: run.run_attempt ?? 1,
      sha: run.head_sha,
      branch: run.head_branch ?? '',
      defaultBranch: repository.default_branch,
      conclusion: run.conclusion,
      url: run.html_url,
      occurredAt: Date.parse(run.updated_at) || deps.clock.now(),
      pulls: await pullsOf(octokit, owner, repo, run.pull_requests as Pull[], run.head_branch, run.head_sha, repository.default_branch),
      jobs,
    };
    await handleCiRun(new GitHubCiHost(octokit, repository.full_name, deps.botLogin), event, deps);
  });

  app.on('check_run.completed', async (context) => {
    const { check_run: check, repository } = context.payload;
    const slug = check.app?.slug ?? 'ci';
    // Actions jobs arrive whole through workflow_run; pitcrew's own checks are not CI.
    if (slug === ACTIONS_APP || check.name === CI_DIAGNOSIS_CHECK || check.name.startsWith('pitcrew/')) return;
    if (check.app && `${check.app.slug}[bot]` === (await deps.botLogin())) return;
    if (!check.conclusion || !HANDLED.has(check.conclusion)) return;
    const octokit = context.octokit as Octokit;
    const [owner, repo] = repository.full_name.split('/') as [string, string];
    const event: CiRunEvent = {
      repo: repository.full_name,
      workflow: `${slug}/${check.name}`,
      runId: `check:${check.id}`,
      runAttempt: 1,
      sha: check.head_sha,
      branch: check.check_suite?.head_branch ?? '',
      defaultBranch: repository.default_branch,
      conclusion: check.conclusion,
      ...(check.details_url || check.html_url ? { url: (check.html_url ?? check.details_url)! } : {}),
      occurredAt: Date.parse(check.completed_at ?? '') || deps.clock.now(),
      pulls: await pullsOf(octokit, owner, repo, check.pull_requests as Pull[], check.check_suite?.head_branch ?? null, check.head_sha, repository.default_branch),
      jobs: [{ id: `check:${check.id}`, name: check.name, conclusion: check.conclusion, ...(check.html_url ? { url: check.html_url } : {}) }],
    };
    await handleCiRun(new GitHubCiHost(octokit, repository.full_name, deps.botLogin), event, deps);
  });

  app.on('issue_comment.created', async (context) => {
    const { issue, comment, repository, sender } = context.payload;
    if (!issue.pull_request || sender.type === 'Bot') return;
    const command = parseCiCommand(comment.body ?? '');
    if (!command) return;
    const host = new GitHubCiHost(context.octokit as Octokit, repository.full_name, deps.botLogin);
    const outcome = await handleCiCommand(host, { pull: issue.number, login: sender.login, command }, deps);
    deps.log.info({ repo: repository.full_name, pull: issue.number, by: sender.login, status: outcome.status, detail: outcome.detail }, 'ci command handled');
  });
}

/**
 * The open PRs a run belongs to: the payload lists them for branches of this
 * repository (not for forks), so an empty list is checked against the open
 * PRs whose head branch is the run's branch.
 */
async function pullsOf(octokit: Octokit, owner: string, repo: string, listed: Pull[] | undefined, branch: string | null, sha: string, defaultBranch: string): Promise<CiRunEvent['pulls']> {
  const own = (listed ?? []).filter((pull) => pull.base && pull.head);
  if (own.length > 0) return own.map((pull) => ({ number: pull.number, base: pull.base.ref, headSha: pull.head.sha }));
  if (!branch || branch === defaultBranch) return [];
  const { data } = await octokit.rest.pulls.list({ owner, repo, state: 'open', head: `${owner}:${branch}`, per_page: 20 });
  return data.filter((pull) => pull.head.sha === sha).map((pull) => ({ number: pull.number, base: pull.base.ref, headSha: pull.head.sha }));
}
