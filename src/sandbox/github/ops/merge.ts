import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import { git, runGit } from '../git/run-git.js';
import type { RepoRecord } from '../model.js';
import type { PullIssue } from '../render/pulls.js';
import { raisePullRequest } from '../webhooks/events.js';
import { gitIdentity } from './accounts.js';
import { mergeBlockers } from './protection.js';
import { baseShaOf } from './pulls.js';
import { refMoved } from './ref-events.js';

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeRequest {
  /** The head SHA the merger saw; the merge is refused (409) if the head moved since. */
  sha?: string;
  method?: MergeMethod;
  commitTitle?: string;
  commitMessage?: string;
}

const METHOD_NAMES: Record<MergeMethod, string> = { merge: 'Merge commits', squash: 'Squash merges', rebase: 'Rebase merges' };
const GITHUB_COMMITTER = { name: 'GitHub', email: 'noreply@github.com' };

/**
 * `PUT /pulls/{n}/merge`: merges on the server like GitHub does, under the
 * repository lock so concurrent merges and pushes serialize. Refusals carry
 * GitHub's status codes: 405 not mergeable or blocked, 409 head moved.
 */
export async function mergePull(core: GitHubCore, repo: RepoRecord, issue: PullIssue, merger: string, request: MergeRequest): Promise<{ sha: string }> {
  return repo.mutex.run(async () => {
    const pull = issue.pull;
    const method = request.method ?? 'merge';
    if (issue.state !== 'open' || pull.merged) throw new ApiError(405, 'Pull Request is not mergeable');
    if (!repo.allowedMergeMethods.has(method)) throw new ApiError(405, `${METHOD_NAMES[method]} are not allowed on this repository.`);
    if (request.sha && request.sha !== pull.headSha) throw new ApiError(409, 'Head branch was modified. Review and try the merge again.');
    if (pull.draft) throw new ApiError(405, 'Pull Request is still a draft');
    const baseRef = `refs/heads/${pull.baseRef}`;
    const baseSha = await baseShaOf(repo, issue);
    const merged = await repo.git.mergeTrees(baseSha, pull.headSha);
    if (!('tree' in merged)) throw new ApiError(405, 'Pull Request is not mergeable');
    const blockers = await mergeBlockers(core, repo, issue, merger);
    if (blockers.length > 0) throw new ApiError(405, blockers.join('\n'));

    const who = gitIdentity(core, merger);
    const now = core.now();
    let sha: string;
    if (method === 'merge') {
      sha = await repo.git.createCommit({
        tree: merged.tree,
        parents: [baseSha, pull.headSha],
        message: `${request.commitTitle ?? `Merge pull request #${issue.number} from ${repo.owner}/${pull.headRef}`}\n\n${request.commitMessage ?? issue.title}\n`,
        author: { ...who, date: now },
        committer: { ...GITHUB_COMMITTER, date: now },
      });
    } else if (method === 'squash') {
      const commits = await repo.git.commitsBetween(baseSha, pull.headSha);
      const defaultMessage = commits.map((commit) => `* ${commit.message.trim()}`).join('\n\n');
      sha = await repo.git.createCommit({
        tree: merged.tree,
        parents: [baseSha],
        message: `${request.commitTitle ?? `${issue.title} (#${issue.number})`}\n\n${request.commitMessage ?? defaultMessage}\n`,
        author: { ...gitIdentity(core, issue.user), date: now },
        committer: { ...GITHUB_COMMITTER, date: now },
      });
    } else {
      sha = await rebaseOnto(repo, baseSha, pull.headSha, now);
    }

    if (!(await repo.git.updateRef(baseRef, sha, baseSha))) throw new ApiError(409, 'Base branch was modified. Review and try the merge again.');
    pull.frozenBaseSha = baseSha;
    pull.merged = true;
    pull.mergedAt = now;
    pull.mergedBy = core.user(merger).login;
    pull.mergeCommitSha = sha;
    issue.state = 'closed';
    issue.closedAt = now;
    issue.closedBy = pull.mergedBy;
    issue.updatedAt = now;
    await refMoved(core, repo, { ref: baseRef, before: baseSha, after: sha, pusher: merger, forced: false });
    await raisePullRequest(core, repo, issue, 'closed', merger);
    return { sha };
  });
}

/** Replays head's commits on base in a temporary worktree (merge-tree in git 2.39 cannot cherry-pick). */
async function rebaseOnto(repo: RepoRecord, baseSha: string, headSha: string, now: number): Promise<string> {
  const commits = await repo.git.commitsBetween(baseSha, headSha);
  const worktree = mkdtempSync(join(tmpdir(), 'pitcrew-fake-rebase-'));
  const env = { GIT_COMMITTER_NAME: GITHUB_COMMITTER.name, GIT_COMMITTER_EMAIL: GITHUB_COMMITTER.email, GIT_COMMITTER_DATE: `@${Math.floor(now / 1000)} +0000` };
  try {
    await git(repo.git.dir, ['worktree', 'add', '--detach', '--quiet', worktree, baseSha]);
    // The worktree's own git dir holds its HEAD; the bare repo's objects are shared.
    const worktreeGitDir = join(repo.git.dir, 'worktrees', basename(worktree));
    for (const commit of commits) {
      const picked = await runGit(worktreeGitDir, [`--work-tree=${worktree}`, 'cherry-pick', '--allow-empty', '--keep-redundant-commits', commit.sha], { env });
      if (picked.code !== 0) throw new ApiError(405, 'Pull Request is not mergeable');
    }
    return (await git(worktreeGitDir, ['rev-parse', 'HEAD'])).trim();
  } finally {
    await runGit(repo.git.dir, ['worktree', 'remove', '--force', worktree]);
    rmSync(worktree, { recursive: true, force: true });
  }
}
