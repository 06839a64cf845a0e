import type { GitHubCore } from './core.js';
import { ApiError } from './errors.js';
import { PERMISSION_RANK } from './model.js';
import { commitFiles, type FileChanges } from './ops/repos.js';

/** A REST call made by a session that GitHub refused. */
export class GitHubSessionError extends Error {
  constructor(
    readonly status: number,
    readonly data: unknown,
    method: string,
    path: string,
  ) {
    super(`${method} ${path} → ${status}: ${typeof data === 'object' && data && 'message' in data ? String((data as { message: unknown }).message) : JSON.stringify(data)}`);
  }
}

/**
 * Acts as one user against the fake, the way that person would: reviews,
 * merges, comments and PRs go through the REST API with the user's token (so
 * permissions, branch protection, webhooks and the request log all apply);
 * `push` stands in for `git push`, which is not a REST call.
 */
export class UserSession {
  constructor(
    private readonly core: GitHubCore,
    readonly login: string,
    private readonly token: string,
    private readonly baseUrl: () => string,
  ) {}

  /** Any REST call as this user; resolves with the parsed body, throws GitHubSessionError on 4xx/5xx. */
  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl()}${path}`, {
      method,
      headers: { authorization: `token ${this.token}`, accept: 'application/vnd.github+json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const data: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) throw new GitHubSessionError(response.status, data, method, path);
    return data as T;
  }

  /**
   * Commits `files` (text, bytes, or null to delete) to `branch` as this user,
   * like a `git push`: needs write access, respects branch protection, and
   * raises push and synchronize events (which is what makes earlier approvals stale).
   */
  async push(repo: string, branch: string, files: FileChanges, message = `Update ${Object.keys(files).join(', ')}`, options: { from?: string } = {}): Promise<string> {
    const [owner, name] = split(repo);
    const record = this.core.repo(owner, name);
    const permission = this.core.permissionOf(record, this.login);
    if (PERMISSION_RANK[permission] < PERMISSION_RANK.write) throw new GitHubSessionError(403, { message: `Permission to ${record.fullName}.git denied to ${this.login}.` }, 'PUSH', branch);
    const rules = record.protections.get(branch);
    if (rules && (rules.enforceAdmins || permission !== 'admin')) {
      throw new GitHubSessionError(403, { message: `Protected branch update failed for refs/heads/${branch}.` }, 'PUSH', branch);
    }
    try {
      return await commitFiles(this.core, record, { branch, files, message, login: this.login, ...(options.from !== undefined ? { from: options.from } : {}) });
    } catch (error) {
      if (error instanceof ApiError) throw new GitHubSessionError(error.status, error.body(), 'PUSH', branch);
      throw error;
    }
  }

  openPullRequest(repo: string, input: { title: string; head: string; base?: string; body?: string; draft?: boolean }) {
    const base = input.base ?? this.core.repo(...split(repo)).defaultBranch;
    return this.request<{ number: number; head: { sha: string } }>('POST', `/repos/${repo}/pulls`, { ...input, base });
  }

  /** Submits a review pinned to the PR's current head (or `commitId`). */
  review(repo: string, number: number, event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT', options: { body?: string; commitId?: string } = {}) {
    return this.request<{ id: number; state: string; commit_id: string }>('POST', `/repos/${repo}/pulls/${number}/reviews`, {
      event,
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.commitId ? { commit_id: options.commitId } : {}),
    });
  }

  approve(repo: string, number: number, options: { body?: string; commitId?: string } = {}) {
    return this.review(repo, number, 'APPROVE', options);
  }

  requestChanges(repo: string, number: number, body = 'Please change this.') {
    return this.review(repo, number, 'REQUEST_CHANGES', { body });
  }

  dismissReview(repo: string, number: number, reviewId: number, message = 'Dismissed') {
    return this.request('PUT', `/repos/${repo}/pulls/${number}/reviews/${reviewId}/dismissals`, { message, event: 'DISMISS' });
  }

  /** `PUT /pulls/{n}/merge`. An admin merges past branch protection, as on GitHub. */
  merge(repo: string, number: number, options: { method?: 'merge' | 'squash' | 'rebase'; sha?: string; commitTitle?: string; commitMessage?: string } = {}) {
    return this.request<{ sha: string; merged: boolean; message: string }>('PUT', `/repos/${repo}/pulls/${number}/merge`, {
      merge_method: options.method ?? 'merge',
      ...(options.sha ? { sha: options.sha } : {}),
      ...(options.commitTitle !== undefined ? { commit_title: options.commitTitle } : {}),
      ...(options.commitMessage !== undefined ? { commit_message: options.commitMessage } : {}),
    });
  }

  close(repo: string, number: number) {
    return this.request('PATCH', `/repos/${repo}/pulls/${number}`, { state: 'closed' });
  }

  comment(repo: string, number: number, body: string) {
    return this.request<{ id: number }>('POST', `/repos/${repo}/issues/${number}/comments`, { body });
  }

  react(repo: string, commentId: number, content: '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes') {
    return this.request<{ id: number }>('POST', `/repos/${repo}/issues/comments/${commentId}/reactions`, { content });
  }
}

export function split(repo: string): [string, string] {
  const [owner, name] = repo.split('/');
  if (!owner || !name) throw new Error(`"${repo}" is not an owner/name repository name`);
  return [owner, name];
}
