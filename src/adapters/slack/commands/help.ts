/** `/pitcrew help`. */
export function helpText(handoff: boolean): string {
  return [
    '*pitcrew* — incidents, runbooks and fix PRs from Slack',
    '`/pitcrew ask <question>` — an answer from the runbooks, with sources',
    '`/pitcrew runbook <query>` — the runbooks that match, with scores and why',
    '`/pitcrew incidents` — open incidents',
    '`/pitcrew incident <number>` — one incident, its alerts and timeline',
    '`/pitcrew propose <number>` — open (or update) the fix PR for its latest plan',
    `\`/pitcrew handoff [window]\` — an on-call handoff summary${handoff ? '' : ' (not available yet)'}`,
    '`/pitcrew status` — queue depth, circuit breaker, paused or not',
    '`/pitcrew pause [reason]` / `/pitcrew resume` — the kill switch (SLACK_OPERATORS only)',
    'In an incident thread, mention me with a question. Fixes are approved on GitHub, never from Slack.',
  ].join('\n');
}
