import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { Actor, CommentRecord, IssueRecord, LabelRecord, ReactionContent, ReactionRecord, RepoRecord } from '../model.js';
import { REACTION_CONTENTS } from '../model.js';
import { renderLabel } from '../render/repos.js';
import { raiseIssue, raiseIssueComment, raiseLabeled } from '../webhooks/events.js';

const MAX_COMMENT = 65_536;

export function createIssue(core: GitHubCore, repo: RepoRecord, login: string, input: { title: string; body?: string | null; labels?: string[] }): IssueRecord {
  const now = core.now();
  const issue: IssueRecord = {
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
  };
  for (const name of input.labels ?? []) issue.labels.push(ensureLabel(core, repo, name).name);
  repo.issues.set(issue.number, issue);
  raiseIssue(core, repo, issue, 'opened', login);
  return issue;
}

function checkBody(body: string): void {
  if (body.length > MAX_COMMENT) {
    throw ApiError.validation({ resource: 'IssueComment', field: 'body', code: 'custom', message: `body is too long (maximum is ${MAX_COMMENT} characters)` });
  }
}

export function createComment(core: GitHubCore, repo: RepoRecord, issue: IssueRecord, actor: Actor & { login: string }, body: string): CommentRecord {
  checkBody(body);
  const now = core.now();
  const comment: CommentRecord = {
    id: core.id(),
    repo: repo.fullName,
    issueNumber: issue.number,
    user: actor.login,
    body,
    createdAt: now,
    updatedAt: now,
    appId: actor.kind === 'installation' ? actor.app.id : null,
  };
  core.comments.set(comment.id, comment);
  issue.comments++;
  issue.updatedAt = now;
  raiseIssueComment(core, repo, issue, comment, 'created', actor.login);
  return comment;
}

export function findComment(core: GitHubCore, repo: RepoRecord, id: number): CommentRecord {
  const comment = core.comments.get(id);
  if (!comment || comment.repo !== repo.fullName) throw ApiError.notFound();
  return comment;
}

/** Editing someone else's comment needs write access; GitHub answers 403 without it. */
function mayEdit(core: GitHubCore, repo: RepoRecord, comment: CommentRecord, login: string): boolean {
  if (comment.user.toLowerCase() === login.toLowerCase()) return true;
  return ['admin', 'maintain', 'write'].includes(core.permissionOf(repo, login));
}

export function updateComment(core: GitHubCore, repo: RepoRecord, comment: CommentRecord, login: string, body: string): CommentRecord {
  checkBody(body);
  if (!mayEdit(core, repo, comment, login)) throw new ApiError(403, 'You must have write access to edit this comment.');
  const from = comment.body;
  comment.body = body;
  comment.updatedAt = core.now();
  raiseIssueComment(core, repo, core.issue(repo, comment.issueNumber), comment, 'edited', login, { body: { from } });
  return comment;
}

export function deleteComment(core: GitHubCore, repo: RepoRecord, comment: CommentRecord, login: string): void {
  if (!mayEdit(core, repo, comment, login)) throw new ApiError(403, 'You must have write access to delete this comment.');
  core.comments.delete(comment.id);
  for (const [id, reaction] of core.reactions) if (reaction.commentId === comment.id) core.reactions.delete(id);
  const issue = core.issue(repo, comment.issueNumber);
  issue.comments = Math.max(0, issue.comments - 1);
  raiseIssueComment(core, repo, issue, comment, 'deleted', login);
}

/** Reacting twice with the same content returns the existing reaction (200) instead of a new one (201). */
export function addReaction(core: GitHubCore, comment: CommentRecord, login: string, content: string): { reaction: ReactionRecord; created: boolean } {
  if (!REACTION_CONTENTS.includes(content as ReactionContent)) {
    throw ApiError.validation({ resource: 'Reaction', field: 'content', code: 'invalid' });
  }
  const existing = [...core.reactions.values()].find((reaction) => reaction.commentId === comment.id && reaction.user === login && reaction.content === content);
  if (existing) return { reaction: existing, created: false };
  const reaction: ReactionRecord = { id: core.id(), commentId: comment.id, user: core.user(login).login, content: content as ReactionContent, createdAt: core.now() };
  core.reactions.set(reaction.id, reaction);
  return { reaction, created: true };
}

export function ensureLabel(core: GitHubCore, repo: RepoRecord, name: string, input: { color?: string; description?: string | null } = {}): LabelRecord {
  const existing = repo.labels.get(name.toLowerCase());
  if (existing) return existing;
  const label: LabelRecord = { id: core.id(), name, color: input.color ?? 'ededed', description: input.description ?? null, default: false };
  repo.labels.set(name.toLowerCase(), label);
  return label;
}

/** Adds labels (creating unknown ones, as GitHub does) and raises `labeled` for each new one. */
export async function addLabels(core: GitHubCore, repo: RepoRecord, issue: IssueRecord, login: string, names: string[]): Promise<void> {
  for (const name of names) {
    const label = ensureLabel(core, repo, name);
    if (issue.labels.some((existing) => existing.toLowerCase() === label.name.toLowerCase())) continue;
    issue.labels.push(label.name);
    issue.updatedAt = core.now();
    await raiseLabeled(core, repo, issue, 'labeled', renderLabel(core, repo, label), login);
  }
}

export async function removeLabel(core: GitHubCore, repo: RepoRecord, issue: IssueRecord, login: string, name: string): Promise<void> {
  const index = issue.labels.findIndex((existing) => existing.toLowerCase() === name.toLowerCase());
  if (index === -1) throw new ApiError(404, 'Label does not exist');
  const label = repo.labels.get(name.toLowerCase())!;
  issue.labels.splice(index, 1);
  issue.updatedAt = core.now();
  await raiseLabeled(core, repo, issue, 'unlabeled', renderLabel(core, repo, label), login);
}

export async function setLabels(core: GitHubCore, repo: RepoRecord, issue: IssueRecord, login: string, names: string[]): Promise<void> {
  for (const existing of [...issue.labels]) {
    if (!names.some((name) => name.toLowerCase() === existing.toLowerCase())) await removeLabel(core, repo, issue, login, existing);
  }
  await addLabels(core, repo, issue, login, names);
}
