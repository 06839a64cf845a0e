import type { GitHubCore } from '../core.js';
import { PERMISSION_RANK, type RepoRecord } from '../model.js';
import type { PullIssue } from '../render/pulls.js';

/**
 * Why branch protection on the PR's base forbids merging it now, in GitHub's
 * words. Empty when it may merge. `merger` who is an admin bypasses the rules
 * unless `enforceAdmins` is set, as with classic branch protection.
 */
export async function mergeBlockers(core: GitHubCore, repo: RepoRecord, issue: PullIssue, merger: string | null): Promise<string[]> {
  const rules = repo.protections.get(issue.pull.baseRef);
  if (!rules) return [];
  if (merger && !rules.enforceAdmins && core.permissionOf(repo, merger) === 'admin') return [];
  const blockers: string[] = [];
  if (rules.requiredApprovals > 0) {
    const approvals = latestReviewStates(core, repo, issue).filter(
      ([login, state]) => state === 'APPROVED' && PERMISSION_RANK[core.permissionOf(repo, login)] >= PERMISSION_RANK.write,
    ).length;
    if (approvals < rules.requiredApprovals) {
      const n = rules.requiredApprovals;
      blockers.push(`At least ${n} approving review${n === 1 ? ' is' : 's are'} required by reviewers with write access.`);
    }
  }
  for (const context of rules.requiredChecks) {
    const state = checkState(core, repo, issue.pull.headSha, context);
    if (state === 'missing' || state === 'pending') blockers.push(`Required status check "${context}" is expected.`);
    else if (state === 'failing') blockers.push(`Required status check "${context}" is failing.`);
  }
  return blockers;
}

/** Each reviewer's latest APPROVED / CHANGES_REQUESTED / DISMISSED review (comments do not change state). */
export function latestReviewStates(core: GitHubCore, repo: RepoRecord, issue: PullIssue): Array<[string, string]> {
  const latest = new Map<string, string>();
  for (const review of core.reviewsOf(repo, issue.number)) {
    if (review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    latest.set(review.user.toLowerCase(), review.state);
  }
  return [...latest];
}

function checkState(core: GitHubCore, repo: RepoRecord, sha: string, context: string): 'ok' | 'pending' | 'failing' | 'missing' {
  const status = core.statuses.filter((record) => record.repo === repo.fullName && record.sha === sha && record.context === context).at(-1);
  const run = [...core.checkRuns.values()].filter((record) => record.repo === repo.fullName && record.headSha === sha && record.name === context).at(-1);
  if (status) return status.state === 'success' ? 'ok' : status.state === 'pending' ? 'pending' : 'failing';
  if (run) {
    if (run.status !== 'completed') return 'pending';
    return ['success', 'neutral', 'skipped'].includes(run.conclusion ?? '') ? 'ok' : 'failing';
  }
  return 'missing';
}
