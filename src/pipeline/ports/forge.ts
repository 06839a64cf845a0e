import type { Risk } from '../../domain/action.js';
import type { Plan } from '../../domain/plan.js';
import type { GateFacts, GateResult, RepoConfigRead } from '../gate/facts.js';

/**
 * The Forge port: where fixes are proposed as pull requests and approvals are
 * read. Vendor-free; `src/adapters/github/` implements it with Probot/Octokit.
 * Every write goes through the content-creation limiter and honours dry run.
 */
export interface PullRef {
  /** `owner/name` */
  repo: string;
  number: number;
}

export interface ProposalLinks {
  /** Permalink of the incident's Slack thread. */
  slackThread?: string;
  /** Runbooks the plan follows, with links readers can open. */
  runbooks?: Array<{ title: string; url: string }>;
  /** The alert's own page (Alertmanager, Grafana, PagerDuty). */
  alert?: string;
}

export interface ProposeRequest {
  /** `owner/name`: the repository the PR is opened in. Every gitops.patch must target it. */
  repo: string;
  plan: Plan;
  /**
   * What makes proposing idempotent: one open PR per key. Defaults to the
   * plan's incident id (a revert proposal for the same incident passes its own key).
   */
  key?: string;
  links?: ProposalLinks;
  /** GitHub login of the person who asked for the fix; recorded in the commit, never counts as an approver. */
  proposedBy?: string;
}

export type ProposeOutcome =
  | { status: 'opened' | 'updated' | 'unchanged'; number: number; url: string; branch: string; headSha: string; planHash: string; risk: Risk }
  | { status: 'dry_run'; branch: string; planHash: string; risk: Risk; files: string[]; existing: number | null }
  /** The branch holds commits pitcrew did not write: a human took it over, so it is left alone. */
  | { status: 'blocked'; number: number | null; branch: string; reason: string };

/** The `pitcrew/gate` status pitcrew itself set on a SHA, parsed back. */
export interface PinnedGate {
  sha: string;
  state: 'success' | 'failure' | 'pending' | 'error';
  description: string;
  planId: string | null;
  planHash: string | null;
  createdAt: number;
}

export interface Forge {
  /** Opens the fix PR for a plan, or updates the one already open for its key. */
  propose(request: ProposeRequest): Promise<ProposeOutcome>;
  /** Reads everything the gate judges from the live PR (after merge too). */
  readGateFacts(ref: PullRef): Promise<GateFacts>;
  /** Sets the `pitcrew/gate` commit status on the verdict's SHA. */
  publishGate(result: GateResult): Promise<void>;
  /** The latest `pitcrew/gate` status pitcrew set on `sha` (statuses by anyone else are ignored). */
  readPinnedGate(repo: string, sha: string): Promise<PinnedGate | null>;
  /** `.github/pitcrew.yml` at `ref` (default: the default branch's head). */
  readRepoConfig(repo: string, ref?: string): Promise<RepoConfigRead>;
}
