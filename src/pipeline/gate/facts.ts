import type { RepoConfigProblem } from '../../config/repo-config/parse.js';
import type { RepoConfig } from '../../config/repo-config/schema.js';
import type { Risk } from '../../domain/action.js';

/**
 * What the gate looks at, read from the forge in one go (the live PR, its
 * reviews and commits, the plan file at the head, the repository config and
 * CODEOWNERS from the default branch, and the members of the teams they name).
 * Vendor-free: the GitHub adapter fills it; `evaluateGate` judges it.
 */
export interface Account {
  login: string;
  type: 'User' | 'Bot' | 'Organization';
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface Review {
  id: number;
  /** null when the account was deleted. */
  user: Account | null;
  state: ReviewState;
  /** The head SHA the review was submitted on. */
  commitId: string | null;
  submittedAt: number | null;
}

export interface PrCommit {
  sha: string;
  /** GitHub accounts the commit's author and committer emails map to, when they do. */
  authorLogin: string | null;
  committerLogin: string | null;
  message: string;
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface ChangedFile {
  path: string;
  status: FileStatus;
  previousPath?: string;
}

export type RepoConfigRead =
  | { status: 'ok'; config: RepoConfig; path: string; ref: string }
  | { status: 'missing'; path: string; ref: string }
  | { status: 'invalid'; problems: RepoConfigProblem[]; path: string; ref: string };

export type TeamMembers = { members: string[] } | { error: string };

export interface GateFacts {
  repo: string;
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  headSha: string;
  headRef: string;
  baseRef: string;
  defaultBranch: string;
  /** `https://github.com/owner/name`, for links. */
  htmlUrl: string;
  author: Account;
  /** The app's own account (`<slug>[bot]`). */
  botLogin: string;
  reviews: Review[];
  commits: PrCommit[];
  files: ChangedFile[];
  /** Head content of every added or modified file under .pitcrew/plans/. */
  planFiles: Array<{ path: string; content: string }>;
  config: RepoConfigRead;
  /** CODEOWNERS from the default branch, when there is one. */
  codeowners: { path: string; text: string } | null;
  /** Members of the teams the config and CODEOWNERS name, keyed `org/slug` in lower case. */
  teams: Record<string, TeamMembers>;
}

export interface CountedApproval {
  login: string;
  reviewId: number;
  sha: string;
}

export type IgnoredReason = 'bot' | 'author' | 'proposer' | 'contributor' | 'stale' | 'not_an_approver';

export interface IgnoredApproval {
  login: string;
  reviewId: number;
  reason: IgnoredReason;
  /** The SHA it was given on (differs from the head when stale). */
  sha: string | null;
}

export interface GateResult {
  pass: boolean;
  repo: string;
  number: number;
  /** The head SHA this verdict is about. A verdict for any other SHA says nothing. */
  sha: string;
  /** The pinned plan; null when the PR carries none (or it could not be read). */
  plan: { id: string; hash: string; path: string } | null;
  risk: Risk | null;
  required: number | null;
  approvals: CountedApproval[];
  ignored: IgnoredApproval[];
  /** Changed files with code owners none of whom approved on the head. */
  uncoveredCodeowners: Array<{ path: string; owners: string[] }>;
  /** Why it fails, most important first; empty when it passes. */
  reasons: string[];
  /** One line (≤ 140 characters) for the commit status. */
  summary: string;
}
