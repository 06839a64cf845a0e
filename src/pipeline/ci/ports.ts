import type { CheckAnnotation } from '../../diagnosis/annotations.js';
import type { LogSource } from '../../diagnosis/log-source.js';
import type { JobOutcome } from '../../diagnosis/history.js';
import type { CiFailureDocument, SimilarFailureSearch } from '../../diagnosis/similar.js';

/**
 * The ports the CI-failure stage works through. Vendor-free: the GitHub
 * adapter (`src/adapters/github/ci-*.ts`) implements `CiHost` on the
 * webhook's installation client; the store and the knowledge module
 * implement the rest.
 */

/** One job of a CI run, as the forge reports it. */
export interface CiJob {
  /** The forge's id: an Actions job id, or `check:<id>` for a check run of another CI system. */
  id: string;
  name: string;
  /** success, failure, cancelled, timed_out, skipped, neutral, … */
  conclusion: string;
  url?: string;
}

/** A finished CI run (a workflow run, or a check run of another CI system). */
export interface CiRunEvent {
  repo: string;
  /** The workflow file (`ci.yml`), or the CI app's slug for check runs of other systems. */
  workflow: string;
  runId: string;
  runAttempt: number;
  sha: string;
  branch: string;
  defaultBranch: string;
  /** The run's conclusion: success, failure, … */
  conclusion: string;
  url?: string;
  occurredAt: number;
  /** Open PRs whose head is this run's commit. */
  pulls: Array<{ number: number; base: string; headSha: string }>;
  jobs: CiJob[];
}

/** pitcrew's own comment on a PR (found by author and hidden marker). */
export interface OwnComment {
  id: number;
  body: string;
}

/** The forge, as the CI stage needs it, for one repository. */
export interface CiHost {
  readonly repo: string;
  /** The job's log as a stream (the adapter follows redirects; the stage caps it). */
  openLog(job: CiJob): Promise<LogSource>;
  /** pitcrew's diagnosis comment on the PR, if it posted one. */
  findComment(pull: number): Promise<OwnComment | null>;
  createComment(pull: number, body: string): Promise<number>;
  updateComment(id: number, body: string): Promise<void>;
  /** Logins that reacted 👍 to a comment. */
  thumbsUp(commentId: number): Promise<string[]>;
  /** Whether a person may teach pitcrew or ask for fixes (write access or more). */
  canWrite(login: string): Promise<boolean>;
  /** Annotations at file:line on the commit (a neutral `pitcrew/ci-diagnosis` check run). */
  annotate(sha: string, summary: string, annotations: CheckAnnotation[]): Promise<void>;
}

/** Where job outcomes are kept for flaky and broken-trunk decisions. */
export interface CiHistory {
  record(outcome: JobOutcome): Promise<void>;
  forJob(repo: string, workflow: string, job: string, since: number, limit?: number): Promise<JobOutcome[]>;
}

/** The `ci_failures` memory: search for similar failures, and remember this one. */
export interface CiFailureMemory extends SimilarFailureSearch {
  remember(document: CiFailureDocument, title: string): Promise<void>;
}
