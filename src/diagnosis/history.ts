/**
 * Flaky and broken-trunk decisions from stored CI history. Pure functions:
 * the history comes in, a decision with its reasons comes out, so the rules
 * are easy to test and to explain in the PR comment.
 */

export interface JobOutcome {
  repo: string;
  branch: string;
  isDefaultBranch: boolean;
  sha: string;
  workflow: string;
  job: string;
  runId: string;
  runAttempt: number;
  /** GitHub's conclusion: success, failure, cancelled, timed_out, … */
  conclusion: string;
  signature?: string;
  occurredAt: number;
  prNumber?: number;
}

export interface CurrentFailure {
  repo: string;
  branch: string;
  sha: string;
  workflow: string;
  job: string;
  runId: string;
  runAttempt: number;
  signature: string;
  occurredAt: number;
}

export interface FlakyPolicy {
  /** How far back "recently" reaches. */
  windowMs: number;
  /** Default-branch failures with the same signature needed to call it flaky. */
  minDefaultBranchFailures: number;
}

export const DEFAULT_FLAKY_POLICY: FlakyPolicy = { windowMs: 14 * 24 * 3600 * 1000, minDefaultBranchFailures: 1 };

export interface FlakyDecision {
  flaky: boolean;
  /** Why, in words an on-call engineer reads in the comment. */
  reasons: string[];
  passedOnRerun: boolean;
  defaultBranchFailures: number;
}

const PASSED = new Set(['success']);
const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);

function sameJob(a: { repo: string; workflow: string; job: string }, b: { repo: string; workflow: string; job: string }): boolean {
  return a.repo === b.repo && a.workflow === b.workflow && a.job === b.job;
}

/**
 * A failure is flaky when
 * - the same job passed on the same commit (a re-run, or another run of the
 *   same sha), or
 * - the same signature failed on the default branch recently while that job
 *   also passed on the default branch since (it comes and goes, unlike a
 *   broken trunk, which stays red).
 */
export function decideFlaky(current: CurrentFailure, history: JobOutcome[], now: number, policy: FlakyPolicy = DEFAULT_FLAKY_POLICY): FlakyDecision {
  const reasons: string[] = [];
  const since = now - policy.windowMs;
  const sameJobRows = history.filter((h) => sameJob(h, current) && h.runId + ':' + h.runAttempt !== current.runId + ':' + current.runAttempt);

  const rerunPass = sameJobRows.find((h) => h.sha === current.sha && PASSED.has(h.conclusion));
  if (rerunPass) {
    reasons.push(rerunPass.runId === current.runId ? `attempt ${rerunPass.runAttempt} of this run passed on the same commit` : `run ${rerunPass.runId} passed on the same commit`);
  }
  const defaultFailures = sameJobRows.filter((r) => r.isDefaultBranch && FAILED.has(r.conclusion) && r.signature === current.signature && r.occurredAt >= since);
  const firstDefaultFailure = Math.min(...defaultFailures.map((f) => f.occurredAt));
  const defaultPassedSince = defaultFailures.length > 0 && sameJobRows.some((r) => r.isDefaultBranch && PASSED.has(r.conclusion) && r.occurredAt > firstDefaultFailure);
  const intermittentOnDefault = defaultFailures.length >= policy.minDefaultBranchFailures && defaultPassedSince;
  if (intermittentOnDefault) {
    const days = Math.max(1, Math.round(policy.windowMs / (24 * 3600 * 1000)));
    reasons.push(`the same failure hit the default branch ${defaultFailures.length} time${defaultFailures.length === 1 ? '' : 's'} in the last ${days} days, and the job passed there in between`);
  }
  return { flaky: Boolean(rerunPass) || intermittentOnDefault, reasons, passedOnRerun: Boolean(rerunPass), defaultBranchFailures: defaultFailures.length };
}

export interface BrokenTrunkDecision {
  brokenTrunk: boolean;
  /** The base branch's latest outcome of this job, when known. */
  latestBase?: JobOutcome;
  /** The base fails too, but differently. */
  baseFailsDifferently: boolean;
  reasons: string[];
}

/**
 * The trunk is broken (for this failure) when the latest finished run of the
 * same job on the base branch failed with the same signature: the PR did not
 * cause it, and fixing it belongs on the base branch.
 */
export function decideBrokenTrunk(current: CurrentFailure, baseBranch: string, history: JobOutcome[]): BrokenTrunkDecision {
  const base = history
    .filter((r) => sameJob(r, current) && r.branch === baseBranch && (PASSED.has(r.conclusion) || FAILED.has(r.conclusion)))
    .sort((a, b) => b.occurredAt - a.occurredAt || b.runAttempt - a.runAttempt);
  const latest = base[0];
  if (!latest) return { brokenTrunk: false, baseFailsDifferently: false, reasons: [] };
  if (FAILED.has(latest.conclusion) && latest.signature === current.signature) {
    return { brokenTrunk: true, latestBase: latest, baseFailsDifferently: false, reasons: [`${baseBranch} fails the same way (run ${latest.runId} on ${latest.sha.slice(0, 7)})`] };
  }
  if (FAILED.has(latest.conclusion)) {
    return { brokenTrunk: false, latestBase: latest, baseFailsDifferently: true, reasons: [`${baseBranch} is failing too, but differently (run ${latest.runId} on ${latest.sha.slice(0, 7)})`] };
  }
  return { brokenTrunk: false, latestBase: latest, baseFailsDifferently: false, reasons: [] };
}
