import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import { EMPTY_TREE_SHA, ZERO_SHA } from '../git/git-repo.js';
import type { IssueRecord, RepoRecord } from '../model.js';
import { PERMISSION_RANK } from '../model.js';
import type { PullFacts, PullIssue } from '../render/pulls.js';
import { raisePullRequest } from '../webhooks/events.js';
import { mergeBlockers } from './protection.js';

/** The base branch tip a PR is compared with: live while open, frozen once merged or closed. */
export async function baseShaOf(repo: RepoRecord, issue: PullIssue): Promise<string> {
  if (issue.pull.frozenBaseSha) return issue.pull.frozenBaseSha;
  return (await repo.git.readRef(`refs/heads/${issue.pull.baseRef}`)) ?? ZERO_SHA;
}

/** Counts and merge state that GitHub computes from git. */
export async function pullFacts(core: GitHubCore, repo: RepoRecord, issue: PullIssue, options: { mergeable: boolean }): Promise<PullFacts> {
  const pull = issue.pull;
  const baseSha = await baseShaOf(repo, issue);
  const mergeBase = baseSha === ZERO_SHA ? null : await repo.git.mergeBase(baseSha, pull.headSha);
  const files = await repo.git.diff(mergeBase ?? EMPTY_TREE_SHA, pull.headSha);
  const commits = await repo.git.countCommits(baseSha === ZERO_SHA ? pull.headSha : `${baseSha}..${pull.headSha}`);
  let mergeable: boolean | null = null;
  let mergeableState: PullFacts['mergeableState'] = 'unknown';
  if (options.mergeable && issue.state === 'open') {
    const merge = await repo.git.mergeTrees(baseSha, pull.headSha);
    mergeable = 'tree' in merge;
    if (!mergeable) mergeableState = 'dirty';
    else if (pull.draft) mergeableState = 'draft';
    else if ((await mergeBlockers(core, repo, issue, null)).length > 0) mergeableState = 'blocked';
    else if (mergeBase !== baseSha) mergeableState = 'behind';
    else mergeableState = 'clean';
  }
  return {
    baseSha,
    commits,
    additions: files.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    changedFiles: files.length,
    reviewComments: 0,
    mergeable,
    mergeableState,
  };
}

export function openPulls(repo: RepoRecord): PullIssue[] {
  return [...repo.issues.values()].filter((issue): issue is PullIssue => issue.pull !== undefined && issue.state === 'open');
}

export interface NewPull {
  title: string;
  head: string;
  base: string;
  body?: string | null;
  draft?: boolean;
  maintainerCanModify?: boolean;
}

/** Under the repository lock, so two concurrent creates for one head cannot both pass the duplicate check. */
export function createPull(core: GitHubCore, repo: RepoRecord, login: string, input: NewPull): Promise<PullIssue> {
  return repo.mutex.run(() => createPullLocked(core, repo, login, input));
}

async function createPullLocked(core: GitHubCore, repo: RepoRecord, login: string, input: NewPull): Promise<PullIssue> {
  const [headOwner, headRef] = input.head.includes(':') ? input.head.split(/:(.*)/s) : [repo.owner, input.head];
  if (headOwner!.toLowerCase() !== repo.owner.toLowerCase()) {
    // The fake has no forks: a head in another account is as unknown as a missing branch.
    throw ApiError.validation({ resource: 'PullRequest', field: 'head', code: 'invalid' });
  }
  const headSha = await repo.git.readRef(`refs/heads/${headRef}`);
  if (!headSha) throw ApiError.validation({ resource: 'PullRequest', field: 'head', code: 'invalid' });
  const baseSha = await repo.git.readRef(`refs/heads/${input.base}`);
  if (!baseSha) throw ApiError.validation({ resource: 'PullRequest', field: 'base', code: 'invalid' });
  const duplicate = openPulls(repo).find((issue) => issue.pull.headRef === headRef && issue.pull.baseRef === input.base);
  if (duplicate) {
    throw ApiError.validation({ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${headRef}.` });
  }
  if ((await repo.git.countCommits(`${baseSha}..${headSha}`)) === 0) {
    throw ApiError.validation({ resource: 'PullRequest', code: 'custom', message: `No commits between ${input.base} and ${headRef}` });
  }
  const now = core.now();
  const issue: PullIssue = {
    id: core.id(),
    repo: repo.fullName,
    number: repo.nextNumber++,
    title: input.title,
    body: input.body ?? null,
    user: core.user(login).login,
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: [],
    locked: false,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    comments: 0,
    pull: {
      id: core.id(),
      headRef: headRef!,
      headSha,
      baseRef: input.base,
      frozenBaseSha: null,
      draft: input.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      maintainerCanModify: input.maintainerCanModify ?? true,
      requestedReviewers: [],
      requestedTeams: [],
    },
  };
  repo.issues.set(issue.number, issue);
  await raisePullRequest(core, repo, issue, 'opened', login);
  return issue;
}

export interface PullUpdate {
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  base?: string;
  maintainerCanModify?: boolean;
}

export async function updatePull(core: GitHubCore, repo: RepoRecord, issue: PullIssue, login: string, update: PullUpdate): Promise<void> {
  const changes: Record<string, { from: string | null }> = {};
  if (update.title !== undefined && update.title !== issue.title) {
    changes.title = { from: issue.title };
    issue.title = update.title;
  }
  if (update.body !== undefined && update.body !== issue.body) {
    changes.body = { from: issue.body };
    issue.body = update.body;
  }
  if (update.base !== undefined && update.base !== issue.pull.baseRef) {
    if (!(await repo.git.readRef(`refs/heads/${update.base}`))) throw ApiError.validation({ resource: 'PullRequest', field: 'base', code: 'invalid' });
    if (issue.state === 'closed') throw ApiError.validation({ resource: 'PullRequest', field: 'base', code: 'invalid', message: 'Cannot change the base branch of a closed pull request.' });
    changes.base = { from: issue.pull.baseRef };
    issue.pull.baseRef = update.base;
  }
  if (update.maintainerCanModify !== undefined) issue.pull.maintainerCanModify = update.maintainerCanModify;
  if (Object.keys(changes).length > 0) {
    issue.updatedAt = core.now();
    await raisePullRequest(core, repo, issue, 'edited', login, { changes: renderChanges(changes) });
  }
  if (update.state === 'closed' && issue.state === 'open') await closePull(core, repo, issue, login);
  if (update.state === 'open' && issue.state === 'closed') await reopenPull(core, repo, issue, login);
}

function renderChanges(changes: Record<string, { from: string | null }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) out[key] = key === 'base' ? { ref: { from: value.from }, sha: { from: '' } } : value;
  return out;
}

export async function closePull(core: GitHubCore, repo: RepoRecord, issue: PullIssue, login: string): Promise<void> {
  issue.pull.frozenBaseSha = await baseShaOf(repo, issue);
  const now = core.now();
  issue.state = 'closed';
  issue.closedAt = now;
  issue.closedBy = login;
  issue.updatedAt = now;
  await raisePullRequest(core, repo, issue, 'closed', login);
}

async function reopenPull(core: GitHubCore, repo: RepoRecord, issue: PullIssue, login: string): Promise<void> {
  if (issue.pull.merged) throw ApiError.unprocessable('Validation Failed', [{ resource: 'PullRequest', code: 'custom', field: 'state', message: 'state cannot be changed. The pull request has been merged.' }]);
  const headSha = await repo.git.readRef(`refs/heads/${issue.pull.headRef}`);
  if (!headSha) throw ApiError.validation({ resource: 'PullRequest', code: 'custom', field: 'state', message: 'state cannot be changed. The head branch was deleted.' });
  issue.pull.headSha = headSha;
  issue.pull.frozenBaseSha = null;
  issue.state = 'open';
  issue.stateReason = 'reopened';
  issue.closedAt = null;
  issue.closedBy = null;
  issue.updatedAt = core.now();
  await raisePullRequest(core, repo, issue, 'reopened', login);
}

export function asPull(issue: IssueRecord): PullIssue | undefined {
  return issue.pull ? (issue as PullIssue) : undefined;
}

/** Whether `login` may merge in `repo` (write access, or an installation with contents: write). */
export function canPush(core: GitHubCore, repo: RepoRecord, login: string): boolean {
  return PERMISSION_RANK[core.permissionOf(repo, login)] >= PERMISSION_RANK.write;
}
