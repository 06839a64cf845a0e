import type { GitHubCore } from '../core.js';
import type { IssueRecord, PullRecord, RepoRecord, ReviewRecord } from '../model.js';
import { iso, isoOrNull, nodeId, type Schema } from './common.js';
import { authorAssociation } from './issues.js';
import { renderLabel, renderRepo } from './repos.js';
import { renderLogin } from './users.js';

export type PullIssue = IssueRecord & { pull: PullRecord };

/** Facts about a PR that need git: filled in by ops/pulls `pullFacts`. */
export interface PullFacts {
  baseSha: string;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  reviewComments: number;
  /** null while "GitHub is computing" (the value sent in opened/synchronize webhooks). */
  mergeable: boolean | null;
  mergeableState: 'clean' | 'dirty' | 'blocked' | 'behind' | 'unstable' | 'unknown' | 'draft';
}

function branchSide(core: GitHubCore, repo: RepoRecord, ref: string, sha: string) {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: renderLogin(core, repo.owner),
    repo: renderRepo(core, repo),
  };
}

function pullBase(core: GitHubCore, repo: RepoRecord, issue: PullIssue, baseSha: string) {
  const api = `${core.apiUrl}/repos/${repo.fullName}`;
  const html = `${core.webUrl}/${repo.fullName}/pull/${issue.number}`;
  const pull = issue.pull;
  return {
    url: `${api}/pulls/${issue.number}`,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${issue.number}`,
    commits_url: `${api}/pulls/${issue.number}/commits`,
    review_comments_url: `${api}/pulls/${issue.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    statuses_url: `${api}/statuses/${pull.headSha}`,
    number: issue.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: renderLogin(core, issue.user),
    body: issue.body,
    labels: issue.labels.map((name) => renderLabel(core, repo, repo.labels.get(name.toLowerCase())!)),
    milestone: null,
    active_lock_reason: null,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: isoOrNull(issue.closedAt),
    merged_at: isoOrNull(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    assignee: issue.assignees[0] ? renderLogin(core, issue.assignees[0]) : null,
    assignees: issue.assignees.map((login) => renderLogin(core, login)),
    requested_reviewers: pull.requestedReviewers.map((login) => renderLogin(core, login)),
    requested_teams: [],
    head: branchSide(core, repo, pull.headRef, pull.headSha),
    base: branchSide(core, repo, pull.baseRef, baseSha),
    _links: {
      self: { href: `${api}/pulls/${issue.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${issue.number}` },
      comments: { href: `${api}/issues/${issue.number}/comments` },
      review_comments: { href: `${api}/pulls/${issue.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${issue.number}/commits` },
      statuses: { href: `${api}/statuses/${pull.headSha}` },
    },
    author_association: authorAssociation(core, repo, issue.user),
    auto_merge: null,
    draft: pull.draft,
  };
}

export function renderPull(core: GitHubCore, repo: RepoRecord, issue: PullIssue, facts: PullFacts): Schema<'pull-request'> {
  const pull = issue.pull;
  return {
    ...pullBase(core, repo, issue, facts.baseSha),
    merged: pull.merged,
    mergeable: facts.mergeable,
    rebaseable: facts.mergeable,
    mergeable_state: facts.mergeableState,
    merged_by: pull.mergedBy ? renderLogin(core, pull.mergedBy) : null,
    comments: issue.comments,
    review_comments: facts.reviewComments,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}

/** The list form (`GET /pulls`): no merge facts or counts. */
export function renderPullSimple(core: GitHubCore, repo: RepoRecord, issue: PullIssue, baseSha: string): Schema<'pull-request-simple'> {
  const base = pullBase(core, repo, issue, baseSha);
  return { ...base, labels: base.labels.map((label) => ({ ...label, description: label.description ?? '' })), requested_teams: [] };
}

export function renderReview(core: GitHubCore, repo: RepoRecord, review: ReviewRecord): Schema<'pull-request-review'> {
  const html = `${core.webUrl}/${repo.fullName}/pull/${review.number}#pullrequestreview-${review.id}`;
  const pullUrl = `${core.apiUrl}/repos/${repo.fullName}/pulls/${review.number}`;
  return {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: renderLogin(core, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: authorAssociation(core, repo, review.user),
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(review.submittedAt !== null ? { submitted_at: iso(review.submittedAt) } : {}),
    commit_id: review.commitId,
  };
}
