import { join } from 'node:path';
import { Mutex } from '../../http/mutex.js';
import type { GitHubCore } from '../core.js';
import { GitRepo, ZERO_SHA, type TreeEdit } from '../git/git-repo.js';
import type { LabelRecord, ProtectionRecord, RepoRecord } from '../model.js';
import { gitIdentity } from './accounts.js';
import { refMoved } from './ref-events.js';

const DEFAULT_LABELS: Array<[string, string, string]> = [
  ['bug', 'd73a4a', "Something isn't working"],
  ['documentation', '0075ca', 'Improvements or additions to documentation'],
  ['enhancement', 'a2eeef', 'New feature or request'],
];

export async function createRepo(
  core: GitHubCore,
  root: string,
  input: { owner: string; name: string; private?: boolean; defaultBranch?: string; description?: string },
): Promise<RepoRecord> {
  const owner = core.user(input.owner);
  const fullName = `${owner.login}/${input.name}`;
  if (core.repos.has(fullName.toLowerCase())) throw new Error(`repository ${fullName} already exists`);
  const defaultBranch = input.defaultBranch ?? 'main';
  const git = await GitRepo.init(join(root, owner.login, `${input.name}.git`), defaultBranch);
  const labels = new Map<string, LabelRecord>();
  for (const [name, color, description] of DEFAULT_LABELS) labels.set(name, { id: core.id(), name, color, description, default: true });
  const repo: RepoRecord = {
    id: core.id(),
    owner: owner.login,
    name: input.name,
    fullName,
    private: input.private ?? true,
    description: input.description ?? null,
    defaultBranch,
    git,
    mutex: new Mutex(),
    collaborators: new Map(),
    labels,
    issues: new Map(),
    nextNumber: 1,
    protections: new Map(),
    allowedMergeMethods: new Set(['merge', 'squash', 'rebase']),
    createdAt: core.now(),
    updatedAt: core.now(),
    pushedAt: null,
  };
  core.repos.set(fullName.toLowerCase(), repo);
  return repo;
}

export function protectBranch(repo: RepoRecord, branch: string, rules: Partial<ProtectionRecord>): ProtectionRecord {
  const protection: ProtectionRecord = {
    requiredApprovals: rules.requiredApprovals ?? 0,
    requiredChecks: rules.requiredChecks ?? [],
    dismissStaleReviews: rules.dismissStaleReviews ?? false,
    enforceAdmins: rules.enforceAdmins ?? false,
  };
  repo.protections.set(branch, protection);
  return protection;
}

/** Files to write (text or bytes) or delete (`null`) in one commit. */
export type FileChanges = Record<string, string | Buffer | null>;

/**
 * Commits `files` on top of `branch` as `login` and moves the branch, raising
 * the same events a `git push` would (push, and synchronize on open PRs).
 * Creates the branch from `from` (default: the default branch) when it does not exist.
 */
export async function commitFiles(
  core: GitHubCore,
  repo: RepoRecord,
  input: { branch: string; files: FileChanges; message: string; login: string; from?: string },
): Promise<string> {
  return repo.mutex.run(async () => {
    const ref = `refs/heads/${input.branch}`;
    const existing = await repo.git.readRef(ref);
    let parent = existing;
    if (!parent && input.from !== undefined) parent = await repo.git.resolveCommit(input.from);
    if (!parent && input.from === undefined && input.branch !== repo.defaultBranch) parent = await repo.git.readRef(`refs/heads/${repo.defaultBranch}`);
    const edits: TreeEdit[] = [];
    for (const [path, content] of Object.entries(input.files)) {
      if (content === null) {
        edits.push({ path, mode: '100644', type: 'blob', sha: null });
        continue;
      }
      const sha = await repo.git.writeBlob(Buffer.isBuffer(content) ? content : Buffer.from(content));
      edits.push({ path, mode: '100644', type: 'blob', sha });
    }
    const base = parent ? (await repo.git.readCommit(parent))!.tree : null;
    const tree = await repo.git.writeTree(base, edits);
    const who = { ...gitIdentity(core, input.login), date: core.now() };
    const sha = await repo.git.createCommit({ tree, parents: parent ? [parent] : [], message: input.message, author: who, committer: who });
    if (!(await repo.git.updateRef(ref, sha, existing ?? ZERO_SHA))) throw new Error(`${input.branch} moved while committing; try again`);
    await refMoved(core, repo, { ref, before: existing ?? ZERO_SHA, after: sha, pusher: input.login, forced: false });
    return sha;
  });
}
