import type { GitHubCore } from '../core.js';
import { ZERO_SHA } from '../git/git-repo.js';
import type { RepoRecord } from '../model.js';
import { raisePullRequest, raisePush, raiseReview } from '../webhooks/events.js';
import { openPulls } from './pulls.js';

export interface RefMove {
  ref: string;
  before: string;
  after: string;
  pusher: string;
  forced: boolean;
}

/**
 * Everything GitHub does after a ref moves, whichever API moved it: a `push`
 * event, then for each open PR whose head is that branch the new head SHA,
 * stale approvals dismissed when branch protection asks for it, and a
 * `synchronize` event (or `closed`, when the head branch was deleted).
 */
export async function refMoved(core: GitHubCore, repo: RepoRecord, move: RefMove): Promise<void> {
  const now = core.now();
  repo.pushedAt = now;
  repo.updatedAt = now;
  await raisePush(core, repo, move);
  if (!move.ref.startsWith('refs/heads/')) return;
  const branch = move.ref.slice('refs/heads/'.length);
  for (const issue of openPulls(repo)) {
    if (issue.pull.headRef !== branch) continue;
    if (move.after === ZERO_SHA) {
      issue.pull.frozenBaseSha = (await repo.git.readRef(`refs/heads/${issue.pull.baseRef}`)) ?? ZERO_SHA;
      issue.state = 'closed';
      issue.closedAt = now;
      issue.closedBy = move.pusher;
      issue.updatedAt = now;
      await raisePullRequest(core, repo, issue, 'closed', move.pusher);
      continue;
    }
    issue.pull.headSha = move.after;
    issue.updatedAt = now;
    if (repo.protections.get(issue.pull.baseRef)?.dismissStaleReviews) {
      for (const review of core.reviewsOf(repo, issue.number)) {
        if (review.state !== 'APPROVED') continue;
        review.state = 'DISMISSED';
        await raiseReview(core, repo, issue, review, 'dismissed', move.pusher);
      }
    }
    await raisePullRequest(core, repo, issue, 'synchronize', move.pusher, { before: move.before, after: move.after });
  }
}
