import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { RepoRecord, ReviewRecord } from '../model.js';
import type { PullIssue } from '../render/pulls.js';
import { raiseReview } from '../webhooks/events.js';

export type ReviewEvent = 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';

const STATE_FOR: Record<ReviewEvent, ReviewRecord['state']> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };

/**
 * `POST /pulls/{n}/reviews`. The review is pinned to the head SHA at the time
 * (or the `commit_id` given); without `event` it stays PENDING, like GitHub.
 */
export async function submitReview(
  core: GitHubCore,
  repo: RepoRecord,
  issue: PullIssue,
  login: string,
  input: { event?: ReviewEvent; body?: string; commitId?: string },
): Promise<ReviewRecord> {
  const user = core.user(login);
  if (issue.state === 'closed' && input.event) throw ApiError.unprocessable('Unprocessable Entity', ['Can not review a closed pull request']);
  if (input.event === 'APPROVE' && user.login.toLowerCase() === issue.user.toLowerCase()) {
    throw ApiError.unprocessable('Unprocessable Entity', ['Review Can not approve your own pull request']);
  }
  if (input.event === 'REQUEST_CHANGES' && user.login.toLowerCase() === issue.user.toLowerCase()) {
    throw ApiError.unprocessable('Unprocessable Entity', ['Review Can not request changes on your own pull request']);
  }
  if ((input.event === 'REQUEST_CHANGES' || input.event === 'COMMENT') && !input.body) {
    throw ApiError.unprocessable('Unprocessable Entity', [`Review body is required for ${input.event} events`]);
  }
  if (input.commitId && !(await repo.git.objectType(input.commitId))) {
    throw ApiError.unprocessable('Unprocessable Entity', ['Commit ID is not part of the pull request']);
  }
  const review: ReviewRecord = {
    id: core.id(),
    repo: repo.fullName,
    number: issue.number,
    user: user.login,
    body: input.body ?? '',
    state: input.event ? STATE_FOR[input.event] : 'PENDING',
    commitId: input.commitId ?? issue.pull.headSha,
    submittedAt: input.event ? core.now() : null,
  };
  core.reviews.set(review.id, review);
  if (input.event) await raiseReview(core, repo, issue, review, 'submitted', user.login);
  return review;
}

/** `PUT /pulls/{n}/reviews/{id}/dismissals`. */
export async function dismissReview(core: GitHubCore, repo: RepoRecord, issue: PullIssue, review: ReviewRecord, login: string, message: string): Promise<ReviewRecord> {
  if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED') {
    throw ApiError.unprocessable(`Can not dismiss a ${review.state.toLowerCase().replace('_', ' ')} pull request review`);
  }
  review.state = 'DISMISSED';
  review.body = review.body || message;
  await raiseReview(core, repo, issue, review, 'dismissed', login);
  return review;
}
