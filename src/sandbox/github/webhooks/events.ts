import type { GitHubCore } from '../core.js';
import { EMPTY_TREE_SHA, ZERO_SHA } from '../git/git-repo.js';
import type { CheckRunRecord, CommentRecord, IssueRecord, JobRecord, RepoRecord, ReviewRecord, StatusRecord, WorkflowRunRecord } from '../model.js';
import { baseShaOf, pullFacts } from '../ops/pulls.js';
import { renderJob, renderRun, renderWorkflow } from '../render/actions.js';
import { renderCheckRun, renderCheckSuiteForWebhook } from '../render/checks.js';
import { iso, nodeId } from '../render/common.js';
import { renderCommit } from '../render/git-data.js';
import { renderComment, renderIssue } from '../render/issues.js';
import { renderPull, renderPullSimple, renderReview, type PullIssue } from '../render/pulls.js';
import { renderRepo } from '../render/repos.js';
import { renderLogin } from '../render/users.js';

/**
 * Builders for webhook payloads, one per event, following GitHub's documented
 * schemas (and the recorded examples in @octokit/webhooks-examples). Each
 * snapshots state at the moment of the event and hands it to the sender.
 */

function organization(core: GitHubCore, repo: RepoRecord): Record<string, unknown> {
  const owner = core.user(repo.owner);
  if (owner.type !== 'Organization') return {};
  const api = `${core.apiUrl}/orgs/${owner.login}`;
  return {
    organization: {
      login: owner.login,
      id: owner.id,
      node_id: nodeId('Organization', owner.id),
      url: api,
      repos_url: `${api}/repos`,
      events_url: `${api}/events`,
      hooks_url: `${api}/hooks`,
      issues_url: `${api}/issues`,
      members_url: `${api}/members{/member}`,
      public_members_url: `${api}/public_members{/member}`,
      avatar_url: `${core.webUrl}/avatars/u/${owner.id}?v=4`,
      description: null,
    },
  };
}

function raise(core: GitHubCore, repo: RepoRecord, event: string, sender: string, body: Record<string, unknown>, onlyAppId?: number): void {
  const payload = JSON.parse(
    JSON.stringify({ ...body, repository: body.repository ?? renderRepo(core, repo), ...organization(core, repo), sender: renderLogin(core, sender) }),
  ) as Record<string, unknown>;
  core.raise({ event, ...(typeof body.action === 'string' ? { action: body.action } : {}), repo, sender, payload, ...(onlyAppId ? { onlyAppId } : {}) });
}

export async function raisePullRequest(core: GitHubCore, repo: RepoRecord, issue: PullIssue, action: string, sender: string, extra: Record<string, unknown> = {}): Promise<void> {
  // GitHub sends `mergeable: null` ("still computing") in opened/synchronize payloads.
  const facts = await pullFacts(core, repo, issue, { mergeable: false });
  raise(core, repo, 'pull_request', sender, { action, number: issue.number, ...extra, pull_request: renderPull(core, repo, issue, facts) });
}

export async function raiseReview(core: GitHubCore, repo: RepoRecord, issue: PullIssue, review: ReviewRecord, action: 'submitted' | 'dismissed' | 'edited', sender: string): Promise<void> {
  const rendered = renderReview(core, repo, review);
  raise(core, repo, 'pull_request_review', sender, {
    action,
    // Webhooks spell review states in lower case ("approved"); the REST API in upper case.
    review: { ...rendered, body: review.body === '' ? null : review.body, state: review.state.toLowerCase() },
    pull_request: renderPullSimple(core, repo, issue, await baseShaOf(repo, issue)),
  });
}

export function raiseIssueComment(core: GitHubCore, repo: RepoRecord, issue: IssueRecord, comment: CommentRecord, action: 'created' | 'edited' | 'deleted', sender: string, changes?: Record<string, unknown>): void {
  raise(core, repo, 'issue_comment', sender, { action, ...(changes ? { changes } : {}), issue: renderIssue(core, repo, issue), comment: renderComment(core, repo, comment) });
}

export function raiseIssue(core: GitHubCore, repo: RepoRecord, issue: IssueRecord, action: string, sender: string, extra: Record<string, unknown> = {}): void {
  raise(core, repo, 'issues', sender, { action, ...extra, issue: renderIssue(core, repo, issue) });
}

export function raiseLabeled(core: GitHubCore, repo: RepoRecord, issue: IssueRecord, action: 'labeled' | 'unlabeled', label: Record<string, unknown>, sender: string): Promise<void> | void {
  if (issue.pull) return raisePullRequest(core, repo, issue as PullIssue, action, sender, { label });
  raiseIssue(core, repo, issue, action, sender, { label });
}

export function raiseCheckRun(core: GitHubCore, repo: RepoRecord, run: CheckRunRecord, action: 'created' | 'completed' | 'rerequested', sender: string): void {
  raise(core, repo, 'check_run', sender, { action, check_run: { ...renderCheckRun(core, repo, run), check_suite: renderCheckSuiteForWebhook(core, repo, run) } }, action === 'rerequested' ? run.appId : undefined);
}

export async function raiseStatus(core: GitHubCore, repo: RepoRecord, status: StatusRecord, sender: string): Promise<void> {
  const commit = await repo.git.readCommit(status.sha);
  const branches = (await repo.git.listRefs('refs/heads/')).filter((ref) => ref.sha === status.sha);
  raise(core, repo, 'status', sender, {
    id: status.id,
    sha: status.sha,
    name: repo.fullName,
    target_url: status.targetUrl,
    context: status.context,
    description: status.description,
    state: status.state,
    commit: commit ? renderCommit(core, repo, commit) : null,
    branches: branches.map((ref) => ({ name: ref.ref.slice('refs/heads/'.length), commit: { sha: ref.sha, url: `${core.apiUrl}/repos/${repo.fullName}/commits/${ref.sha}` }, protected: repo.protections.has(ref.ref.slice(11)) })),
    created_at: iso(status.createdAt),
    updated_at: iso(status.updatedAt),
  });
}

export async function raiseWorkflowRun(core: GitHubCore, repo: RepoRecord, run: WorkflowRunRecord, action: 'requested' | 'in_progress' | 'completed'): Promise<void> {
  const head = await repo.git.readCommit(run.headSha);
  raise(core, repo, 'workflow_run', run.triggeringActor, {
    action,
    workflow: renderWorkflow(core, repo, core.workflows.get(run.workflowId)!),
    workflow_run: renderRun(core, repo, run, head),
  });
}

export function raiseWorkflowJob(core: GitHubCore, repo: RepoRecord, job: JobRecord, action: 'queued' | 'in_progress' | 'completed'): void {
  const run = core.runs.get(job.runId)!;
  raise(core, repo, 'workflow_job', run.triggeringActor, { action, workflow_job: renderJob(core, repo, job) });
}

export async function raisePush(core: GitHubCore, repo: RepoRecord, move: { ref: string; before: string; after: string; pusher: string; forced: boolean }): Promise<void> {
  const created = move.before === ZERO_SHA;
  const deleted = move.after === ZERO_SHA;
  const commits = deleted ? [] : (await repo.git.commitsBetween(created ? null : move.before, move.after, 20));
  const rendered = [];
  for (const commit of commits) {
    const files = await repo.git.diff(commit.parents[0] ?? EMPTY_TREE_SHA, commit.sha);
    const person = (who: { name: string; email: string }) => {
      const user = [...core.users.values()].find((candidate) => who.email === `${candidate.id}+${candidate.login}@users.noreply.github.com` || candidate.email === who.email);
      return { name: who.name, email: who.email, ...(user ? { username: user.login } : {}) };
    };
    rendered.push({
      id: commit.sha,
      tree_id: commit.tree,
      distinct: true,
      message: commit.message.replace(/\n$/, ''),
      timestamp: iso(commit.committer.date),
      url: `${core.webUrl}/${repo.fullName}/commit/${commit.sha}`,
      author: person(commit.author),
      committer: person(commit.committer),
      added: files.filter((file) => file.status === 'added').map((file) => file.filename),
      removed: files.filter((file) => file.status === 'removed').map((file) => file.filename),
      modified: files.filter((file) => file.status !== 'added' && file.status !== 'removed').map((file) => file.filename),
    });
  }
  const pusher = core.user(move.pusher);
  const owner = core.user(repo.owner);
  // Push payloads carry the legacy repository form: epoch-second times, owner name/email, master_branch.
  const rest = renderRepo(core, repo);
  const repository = {
    ...rest,
    owner: { ...rest.owner, name: owner.login, email: owner.email },
    created_at: Math.floor(repo.createdAt / 1000),
    pushed_at: Math.floor((repo.pushedAt ?? repo.createdAt) / 1000),
    stargazers: 0,
    master_branch: repo.defaultBranch,
    ...(owner.type === 'Organization' ? { organization: owner.login } : {}),
  };
  raise(core, repo, 'push', move.pusher, {
    repository,
    ref: move.ref,
    before: move.before,
    after: move.after,
    created,
    deleted,
    forced: move.forced,
    base_ref: null,
    compare: `${core.webUrl}/${repo.fullName}/compare/${created ? move.after.slice(0, 12) : `${move.before.slice(0, 12)}...${move.after.slice(0, 12)}`}`,
    commits: rendered,
    head_commit: rendered.at(-1) ?? null,
    pusher: { name: pusher.login, email: pusher.email ?? `${pusher.id}+${pusher.login}@users.noreply.github.com` },
  });
}
