import type { GateFacts, GateResult, IgnoredReason } from './facts.js';

/**
 * The one line a commit status carries (GitHub keeps 140 characters): the
 * verdict and exactly why, most important reason first. The full reasons go
 * to the log and to whoever called the gate.
 */
export const STATUS_LIMIT = 140;

const SHORT: Record<IgnoredReason, string> = {
  bot: 'bot',
  author: 'author',
  proposer: 'proposer',
  contributor: 'committer',
  stale: 'stale',
  not_an_approver: 'not an approver',
};

export function clip(text: string, limit = STATUS_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** "1/2 approvals (high risk) on 1a2b3c4; not counted: bob stale, carol not an approver". */
export function shortfallLine(result: GateResult): string {
  const ignored = result.ignored.map((i) => `${i.login} ${SHORT[i.reason]}`);
  return `${result.approvals.length}/${result.required} approvals (${result.risk} risk) on ${result.sha.slice(0, 7)}${ignored.length > 0 ? `; not counted: ${ignored.join(', ')}` : ''}`;
}

export function summarize(result: GateResult, _facts: GateFacts, shortfallIndex = -1): string {
  if (result.pass && !result.plan) return 'No pitcrew plan in this PR: nothing runs on merge';
  if (result.pass) {
    const who = result.approvals.map((a) => a.login).join(', ');
    return clip(`Approved ${result.approvals.length}/${result.required} (${result.risk} risk) on ${result.sha.slice(0, 7)} by ${who}; plan ${result.plan!.hash.slice(7, 19)}`);
  }
  const first = shortfallIndex === 0 ? shortfallLine(result) : (result.reasons[0] ?? 'failed');
  const more = result.reasons.length - 1;
  const suffix = more > 0 ? ` (+${more} more)` : '';
  return clip(`${capitalize(first)}`, STATUS_LIMIT - suffix.length) + suffix;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
