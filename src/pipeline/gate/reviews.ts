import type { ApproverSet } from '../../config/repo-config/schema.js';
import type { CountedApproval, GateFacts, IgnoredApproval, Review, TeamMembers } from './facts.js';

/**
 * Who has approved what. Per reviewer, only the latest review that sets a
 * state counts (APPROVED, CHANGES_REQUESTED or DISMISSED; comments do not
 * change it), as on GitHub. An approval counts only when it was given on the
 * current head SHA, by an allowed approver who is not a bot, the PR's author,
 * the proposer, or the author of a commit on the PR.
 */
const lower = (login: string) => login.toLowerCase();

export function latestStates(reviews: Review[]): Map<string, Review> {
  const ordered = [...reviews].sort((a, b) => (a.submittedAt ?? 0) - (b.submittedAt ?? 0) || a.id - b.id);
  const latest = new Map<string, Review>();
  for (const review of ordered) {
    if (!review.user) continue;
    if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED' && review.state !== 'DISMISSED') continue;
    latest.set(lower(review.user.login), review);
  }
  return latest;
}

/** `Pitcrew-Proposed-By: <login>` trailers of the PR's commits. */
export function proposersOf(facts: Pick<GateFacts, 'commits'>): Set<string> {
  const proposers = new Set<string>();
  for (const commit of facts.commits) {
    for (const match of commit.message.matchAll(/^Pitcrew-Proposed-By:\s*@?([A-Za-z0-9-]+(?:\[bot\])?)\s*$/gim)) proposers.add(lower(match[1]!));
  }
  return proposers;
}

/** Authors and committers of the PR's commits, except GitHub's own web-flow committer. */
export function contributorsOf(facts: Pick<GateFacts, 'commits'>): Set<string> {
  const people = new Set<string>();
  for (const commit of facts.commits) {
    for (const login of [commit.authorLogin, commit.committerLogin]) if (login && lower(login) !== 'web-flow') people.add(lower(login));
  }
  return people;
}

export function isBot(login: string, type: string | undefined, botLogin: string): boolean {
  return type === 'Bot' || lower(login) === lower(botLogin) || /\[bot\]$/i.test(login);
}

export function memberOf(login: string, set: ApproverSet, teams: Record<string, TeamMembers>): boolean {
  if (set.users.has(lower(login))) return true;
  for (const team of set.teams) {
    const entry = teams[team];
    if (entry && 'members' in entry && entry.members.some((member) => lower(member) === lower(login))) return true;
  }
  return false;
}

export interface Tally {
  /** Approvals on the head by anyone who is not excluded (CODEOWNERS draws on these). */
  eligible: CountedApproval[];
  /** Eligible approvals from allowed approvers for the risk. */
  counted: CountedApproval[];
  ignored: IgnoredApproval[];
  /** Reviewers whose latest review requests changes. */
  changesRequested: string[];
}

export function tallyReviews(facts: GateFacts, approvers: ApproverSet): Tally {
  const proposers = proposersOf(facts);
  const contributors = contributorsOf(facts);
  const tally: Tally = { eligible: [], counted: [], ignored: [], changesRequested: [] };
  for (const review of latestStates(facts.reviews).values()) {
    const login = review.user!.login;
    if (review.state === 'CHANGES_REQUESTED') {
      if (!isBot(login, review.user!.type, facts.botLogin)) tally.changesRequested.push(login);
      continue;
    }
    if (review.state !== 'APPROVED') continue;
    const ignore = (reason: IgnoredApproval['reason']) => tally.ignored.push({ login, reviewId: review.id, reason, sha: review.commitId });
    if (isBot(login, review.user!.type, facts.botLogin)) ignore('bot');
    else if (lower(login) === lower(facts.author.login)) ignore('author');
    else if (proposers.has(lower(login))) ignore('proposer');
    else if (contributors.has(lower(login))) ignore('contributor');
    else if (review.commitId !== facts.headSha) ignore('stale');
    else {
      const approval = { login, reviewId: review.id, sha: facts.headSha };
      tally.eligible.push(approval);
      if (memberOf(login, approvers, facts.teams)) tally.counted.push(approval);
      else ignore('not_an_approver');
    }
  }
  return tally;
}
