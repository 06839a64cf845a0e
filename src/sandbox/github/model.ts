import type { KeyObject } from 'node:crypto';
import type { Mutex } from '../http/mutex.js';
import type { GitRepo } from './git/git-repo.js';

/** Records the GitHub fake keeps in memory. Git objects and refs live in real bare repositories. */

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';
export const PERMISSION_RANK: Record<Permission | 'none', number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export interface UserRecord {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  name: string | null;
  email: string | null;
  siteAdmin: boolean;
  createdAt: number;
}

export interface TeamRecord {
  id: number;
  org: string;
  slug: string;
  name: string;
  description: string | null;
  /** login → role */
  members: Map<string, 'member' | 'maintainer'>;
  /** repo full name → permission granted to the team */
  repos: Map<string, Permission>;
}

export type AppPermissionLevel = 'read' | 'write' | 'admin';

export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  owner: string;
  /** null for apps the fake plays itself (github-actions, other CI): no one can sign as them. */
  publicKey: KeyObject | null;
  /** PEM (PKCS#8) when the fake generated the key, so tests can hand it to Probot. */
  privateKeyPem: string | null;
  webhook: { url: string; secret: string } | null;
  /** Subscribed webhook events; `null` means all. */
  events: string[] | null;
  permissions: Record<string, AppPermissionLevel>;
  botLogin: string;
  createdAt: number;
}

export interface InstallationRecord {
  id: number;
  appId: number;
  account: string;
  selection: 'all' | 'selected';
  repos: Set<string>;
  permissions: Record<string, AppPermissionLevel>;
  createdAt: number;
  suspended: boolean;
}

export interface TokenRecord {
  token: string;
  kind: 'installation' | 'user';
  installationId?: number;
  login?: string;
  /** Epoch ms; undefined means it never expires (user tokens). */
  expiresAt?: number;
  /** Narrowed permissions requested when the installation token was created. */
  permissions?: Record<string, AppPermissionLevel>;
  /** Narrowed repositories requested when the installation token was created. */
  repos?: Set<string>;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface ProtectionRecord {
  /** Approving reviews (on the head SHA, from users with write access) needed to merge. */
  requiredApprovals: number;
  /** Commit status / check-run contexts that must be successful on the head SHA. */
  requiredChecks: string[];
  /** Dismiss approvals when new commits are pushed (GitHub's "dismiss stale reviews"). */
  dismissStaleReviews: boolean;
  /** When false, admins may merge without meeting the rules (GitHub's default). */
  enforceAdmins: boolean;
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  git: GitRepo;
  /** Serializes read-modify-write sequences on this repository's refs. */
  mutex: Mutex;
  collaborators: Map<string, Permission>;
  labels: Map<string, LabelRecord>;
  issues: Map<number, IssueRecord>;
  nextNumber: number;
  protections: Map<string, ProtectionRecord>;
  allowedMergeMethods: Set<'merge' | 'squash' | 'rebase'>;
  createdAt: number;
  updatedAt: number;
  pushedAt: number | null;
}

export interface IssueRecord {
  id: number;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  locked: boolean;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedBy: string | null;
  comments: number;
  pull?: PullRecord;
}

export interface PullRecord {
  id: number;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** The base branch tip when the PR was merged or closed (GitHub freezes `base.sha`). */
  frozenBaseSha: string | null;
  draft: boolean;
  merged: boolean;
  mergedAt: number | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  maintainerCanModify: boolean;
  requestedReviewers: string[];
  requestedTeams: string[];
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface ReviewRecord {
  id: number;
  repo: string;
  number: number;
  user: string;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: number | null;
}

export interface CommentRecord {
  id: number;
  repo: string;
  issueNumber: number;
  user: string;
  body: string;
  createdAt: number;
  updatedAt: number;
  /** The app that created it, when created through an installation token. */
  appId: number | null;
}

export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';
export const REACTION_CONTENTS: ReactionContent[] = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];

export interface ReactionRecord {
  id: number;
  commentId: number;
  user: string;
  content: ReactionContent;
  createdAt: number;
}

export interface StatusRecord {
  id: number;
  repo: string;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: number;
  updatedAt: number;
}

export interface AnnotationRecord {
  path: string;
  startLine: number;
  endLine: number;
  startColumn: number | null;
  endColumn: number | null;
  annotationLevel: 'notice' | 'warning' | 'failure';
  title: string | null;
  message: string;
  rawDetails: string | null;
}

export type CheckStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'stale' | 'startup_failure';

export interface CheckSuiteRecord {
  id: number;
  repo: string;
  appId: number;
  headSha: string;
  headBranch: string | null;
  createdAt: number;
}

export interface CheckRunRecord {
  id: number;
  repo: string;
  appId: number;
  checkSuiteId: number;
  headSha: string;
  name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: number;
  completedAt: number | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationRecord[];
}

export interface WorkflowRecord {
  id: number;
  repo: string;
  path: string;
  name: string;
  state: 'active' | 'disabled_manually';
  createdAt: number;
}

export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'neutral' | 'action_required';

/** What a run's jobs do. The fake plays this out instead of running anything. */
export interface JobScript {
  name: string;
  conclusion: RunConclusion;
  /** The job log: text, or a file to stream (for large logs). */
  log?: string | { path: string };
  steps?: Array<{ name: string; conclusion: RunConclusion }>;
  /** Conclusion when this job is re-run (defaults to `conclusion`): set `success` for a flaky job. */
  rerunConclusion?: RunConclusion;
  /** Log for re-runs (defaults to `log`). */
  rerunLog?: string | { path: string };
}

export interface JobRecord {
  id: number;
  repo: string;
  runId: number;
  runAttempt: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: RunConclusion | null;
  createdAt: number;
  startedAt: number;
  completedAt: number | null;
  steps: Array<{ name: string; number: number; status: 'queued' | 'in_progress' | 'completed'; conclusion: RunConclusion | null; startedAt: number; completedAt: number | null }>;
  log: string | { path: string };
  checkRunId: number;
  script: JobScript;
}

export interface WorkflowRunRecord {
  id: number;
  repo: string;
  workflowId: number;
  name: string;
  event: string;
  headBranch: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: RunConclusion | null;
  runNumber: number;
  runAttempt: number;
  actor: string;
  triggeringActor: string;
  createdAt: number;
  updatedAt: number;
  runStartedAt: number;
  checkSuiteId: number;
  displayTitle: string;
  inputs: Record<string, string> | null;
  jobs: JobRecord[];
  /** Milliseconds each attempt stays in progress before completing (0: on the next tick). */
  durationMs: number;
}

export interface DispatchRecord {
  id: number;
  repo: string;
  workflowId: number;
  workflowPath: string;
  ref: string;
  inputs: Record<string, string>;
  actor: string;
  at: number;
  runId: number;
}

/** Who is calling: resolved from the Authorization header. */
export type Actor =
  | { kind: 'app'; app: AppRecord; label: string }
  | { kind: 'installation'; app: AppRecord; installation: InstallationRecord; token: TokenRecord; login: string; label: string }
  | { kind: 'user'; login: string; label: string };
