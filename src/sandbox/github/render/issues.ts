import type { GitHubCore } from '../core.js';
import type { CommentRecord, IssueRecord, ReactionRecord, RepoRecord } from '../model.js';
import { iso, isoOrNull, nodeId, type Schema } from './common.js';
import { renderLabel } from './repos.js';
import { renderApp, renderLogin } from './users.js';

export type AuthorAssociation = Schema<'author-association'>;

/** How GitHub describes a user's relation to a repository next to their content. */
export function authorAssociation(core: GitHubCore, repo: RepoRecord, login: string): AuthorAssociation {
  if (login.toLowerCase() === repo.owner.toLowerCase()) return 'OWNER';
  if (core.orgMembers.get(repo.owner.toLowerCase())?.has(login.toLowerCase())) return 'MEMBER';
  if (core.permissionOf(repo, login) !== 'none') return 'COLLABORATOR';
  return 'NONE';
}

export function reactionRollup(core: GitHubCore, url: string, commentId: number | null): Schema<'reaction-rollup'> {
  const reactions = commentId === null ? [] : [...core.reactions.values()].filter((reaction) => reaction.commentId === commentId);
  const count = (content: string) => reactions.filter((reaction) => reaction.content === content).length;
  return {
    url: `${url}/reactions`,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    confused: count('confused'),
    heart: count('heart'),
    hooray: count('hooray'),
    eyes: count('eyes'),
    rocket: count('rocket'),
  };
}

export function renderIssue(core: GitHubCore, repo: RepoRecord, issue: IssueRecord): Schema<'issue'> {
  const api = `${core.apiUrl}/repos/${repo.fullName}`;
  const url = `${api}/issues/${issue.number}`;
  const html = `${core.webUrl}/${repo.fullName}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`;
  return {
    id: issue.id,
    node_id: nodeId(issue.pull ? 'PullRequest' : 'Issue', issue.id),
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: renderLogin(core, issue.user),
    labels: issue.labels.map((name) => renderLabel(core, repo, repo.labels.get(name.toLowerCase())!)),
    assignee: issue.assignees[0] ? renderLogin(core, issue.assignees[0]) : null,
    assignees: issue.assignees.map((login) => renderLogin(core, login)),
    milestone: null,
    locked: issue.locked,
    active_lock_reason: null,
    comments: issue.comments,
    ...(issue.pull
      ? {
          pull_request: {
            url: `${api}/pulls/${issue.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: isoOrNull(issue.pull.mergedAt),
          },
          draft: issue.pull.draft,
        }
      : {}),
    closed_at: isoOrNull(issue.closedAt),
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_by: issue.closedBy ? renderLogin(core, issue.closedBy) : null,
    author_association: authorAssociation(core, repo, issue.user),
    reactions: reactionRollup(core, url, null),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
  };
}

export function renderComment(core: GitHubCore, repo: RepoRecord, comment: CommentRecord): Schema<'issue-comment'> {
  const url = `${core.apiUrl}/repos/${repo.fullName}/issues/comments/${comment.id}`;
  const issue = repo.issues.get(comment.issueNumber);
  const app = comment.appId === null ? undefined : core.apps.get(comment.appId);
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url,
    html_url: `${core.webUrl}/${repo.fullName}/${issue?.pull ? 'pull' : 'issues'}/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: renderLogin(core, comment.user),
    created_at: iso(comment.createdAt),
    updated_at: iso(comment.updatedAt),
    issue_url: `${core.apiUrl}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
    author_association: authorAssociation(core, repo, comment.user),
    performed_via_github_app: app ? renderApp(core, app) : null,
    reactions: reactionRollup(core, url, comment.id),
  };
}

export function renderReaction(core: GitHubCore, reaction: ReactionRecord): Schema<'reaction'> {
  return {
    id: reaction.id,
    node_id: nodeId('Reaction', reaction.id),
    user: renderLogin(core, reaction.user),
    content: reaction.content,
    created_at: iso(reaction.createdAt),
  };
}
