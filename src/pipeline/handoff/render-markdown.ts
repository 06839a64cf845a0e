import { clip, plural, shortDuration, shortTime } from './format.js';
import type { ExecutionSummary, Handoff, OverrideItem } from './model.js';

/**
 * The handoff as markdown that reads as plain text in a terminal and renders
 * on GitHub. Untrusted text (titles, alert names, details) goes through
 * `text`, which by default only folds and clips it; the GitHub issue passes
 * an escaper so nothing in it becomes a mention or a link.
 */
export interface MarkdownOptions {
  /** IANA time zone for the times shown (default UTC). */
  timeZone?: string;
  /** Items shown per list before "…and N more" (default 10). */
  maxItems?: number;
  text?: (value: string, max: number) => string;
  link?: (title: string, url: string) => string;
}

export function renderHandoffMarkdown(handoff: Handoff, options: MarkdownOptions = {}): string {
  const tz = options.timeZone ?? 'UTC';
  const max = options.maxItems ?? 10;
  const text = options.text ?? ((value: string, n: number) => clip(value, n));
  // In a terminal a URL goes on its own line (terminals make it clickable); on GitHub it is a link.
  const ref = (title: string, url: string): { head: string; tail: string[] } =>
    options.link ? { head: options.link(title, url), tail: [] } : { head: title, tail: [`  ${url}`] };
  const day = (ms: number) => shortTime(ms, tz).slice(0, 10);
  const endDay = day(handoff.window.to);
  // Times on the window's last day show as 14:05; others as 03-07 22:10. The zone is in the title.
  const time = (ms: number) => (day(ms) === endDay ? shortTime(ms, tz).slice(11, 16) : shortTime(ms, tz).slice(5, 16));
  const lines: string[] = [];
  const list = <T>(items: T[], line: (item: T) => string[]) => {
    for (const item of items.slice(0, max)) lines.push(...line(item));
    if (items.length > max) lines.push(`- …and ${items.length - max} more`);
  };

  const { from, to } = handoff.window;
  lines.push(`# On-call handoff: ${shortTime(from, tz)} → ${shortTime(to, tz)} (${shortDuration(to - from)})`, '');
  for (const line of handoff.headline) lines.push(`- ${line}`);
  lines.push('');
  if (handoff.narrative) {
    lines.push(`> **Generated summary** (${text(handoff.narrative.model, 80)}, written from the data below; check it against the data):`);
    for (const line of handoff.narrative.text.split('\n')) lines.push(`> ${text(line, 1_000)}`);
    lines.push('');
  }

  if (!handoff.quiet) {
    lines.push(`## Open incidents (${handoff.openIncidents.length})`, '');
    if (handoff.openIncidents.length === 0) lines.push('None.');
    list(handoff.openIncidents, (incident) => {
      const pr = incident.fixPull ? ref(`PR #${incident.fixPull.number}`, incident.fixPull.url) : null;
      return [
        `- **#${incident.number} ${incident.severity}** ${text(incident.title, 120)}${incident.service ? ` (${text(incident.service, 60)})` : ''}`,
        `  ${incident.state} · age ${shortDuration(incident.ageMs)} · owner ${incident.owner ? text(incident.owner, 60) : 'none'}${incident.flapping ? ' · flapping' : ''}`,
        `  Next: ${incident.nextStep}${pr && options.link ? ` (${pr.head})` : ''}`,
        ...(pr?.tail ?? []),
      ];
    });
    lines.push('');

    const { items, meanMttrMs, medianMttrMs } = handoff.resolved;
    lines.push(`## Resolved this shift (${items.length})${meanMttrMs !== null && medianMttrMs !== null ? `: MTTR mean ${shortDuration(meanMttrMs)}, median ${shortDuration(medianMttrMs)}` : ''}`, '');
    if (items.length === 0) lines.push('None.');
    list(items, (incident) => [`- #${incident.number} ${text(incident.title, 120)}: ${shortDuration(incident.mttrMs)} (${time(incident.openedAt)} → ${time(incident.resolvedAt)})${incident.reopenedCount > 0 ? `, reopened ${incident.reopenedCount}×` : ''}`]);
    lines.push('');

    lines.push(`## Remediations executed (${handoff.remediations.items.length})`, '');
    if (!handoff.remediations.connected) lines.push('Not tracked: the execution journal is not connected to this process.');
    else if (handoff.remediations.items.length === 0) lines.push('None.');
    list(handoff.remediations.items, (execution) => {
      const pr = ref(`${execution.repo}#${execution.prNumber}`, execution.prUrl);
      return [
        `- ${pr.head} at ${time(execution.executedAt)}: ${describeOutcome(execution)}, ${describeVerification(execution)}`,
        `  ${execution.actions.map((action) => `${action.type} ${action.outcome}`).join(', ') || 'no actions'}${execution.reason ? `; ${text(execution.reason, 200)}` : ''}`,
        ...pr.tail,
      ];
    });
    lines.push('');

    lines.push(`## Fix PRs waiting on a human (${handoff.waitingPulls.length})`, '');
    if (handoff.waitingPulls.length === 0) lines.push('None.');
    list(handoff.waitingPulls, (pull) => {
      const pr = ref(`${pull.repo}#${pull.number}`, pull.url);
      return [`- ${pr.head} ${text(pull.title, 100)}: waiting ${shortDuration(pull.ageMs)}, ${REVIEW[pull.review]}${pull.incidentNumber !== null ? `, incident #${pull.incidentNumber}` : ''}`, ...pr.tail];
    });
    lines.push('');

    lines.push('## Noisiest alerts', '');
    if (handoff.noisyAlerts.length === 0) lines.push('None.');
    list(handoff.noisyAlerts, (alert) => [`- ${text(alert.alert, 100)}${alert.service ? ` (${text(alert.service, 60)})` : ''}: fired ${alert.firings}×, ${plural(alert.stateChanges, 'state change')}${alert.flapping ? ', FLAPPING' : ''}; incident${alert.incidents.length === 1 ? '' : 's'} ${alert.incidents.map((n) => `#${n}`).join(', ')}`]);
    lines.push('');

    lines.push(`## CI failure hotspots (${plural(handoff.ci.failures, 'failure')} in ${plural(handoff.ci.runs, 'job run')})`, '');
    if (handoff.ci.failures === 0) lines.push('None.');
    list(handoff.ci.categories, (category) => [`- ${category.category}: ${plural(category.failures, 'failure')} in ${plural(category.jobs, 'job')}`]);
    if (handoff.ci.flaky.length > 0) {
      lines.push('', 'Flaky (failed and passed on the same commit):');
      list(handoff.ci.flaky, (job) => [`- ${text(`${job.repo} ${job.workflow} / ${job.job}`, 160)}: ${plural(job.flakyCommits, 'commit')}, ${plural(job.failures, 'failure')}`]);
    }
    lines.push('');

    lines.push(`## Human overrides (${handoff.overrides.length})`, '');
    if (handoff.overrides.length === 0) lines.push('None.');
    list(handoff.overrides, (override) => {
      const pr = ref(`${override.repo}#${override.number}`, override.url);
      return [`- ${pr.head} ${OVERRIDE[override.kind]}${override.by ? ` by ${text(override.by, 60)}` : ''} at ${time(override.at)}: ${text(override.title, 100)}`, ...pr.tail];
    });
    lines.push('');
  }

  lines.push('## Controls', '');
  const { pause, breaker } = handoff.controls;
  lines.push(pause.paused
    ? `- Execution: **PAUSED**${pause.by ? ` by ${text(pause.by, 60)}` : ''}${pause.at !== null ? ` at ${time(pause.at)}` : ''}${pause.reason ? `: ${text(pause.reason, 200)}` : ''}`
    : '- Execution: running (not paused)');
  lines.push(`- Circuit breaker: ${BREAKER[breaker.state]}${breaker.since !== null ? ` since ${time(breaker.since)}` : ''}${breaker.reason ? `: ${text(breaker.reason, 200)}` : ''}`);
  lines.push('', `_Generated by pitcrew at ${shortTime(handoff.generatedAt, tz)}._`);
  return `${lines.join('\n')}\n`;
}

export const REVIEW: Record<Handoff['waitingPulls'][number]['review'], string> = {
  none: 'no review yet',
  approved: 'approved, not merged',
  changes_requested: 'changes requested',
};

export const OVERRIDE: Record<OverrideItem['kind'], string> = {
  closed_unmerged: 'closed without merging',
  changes_requested: 'changes requested',
};

export const BREAKER: Record<Handoff['controls']['breaker']['state'], string> = {
  closed: 'closed (execution allowed)',
  open: '**OPEN** (execution halted)',
  half_open: 'half-open (trying one execution)',
  unknown: 'not connected to this process',
};

export function describeOutcome(execution: ExecutionSummary): string {
  return { succeeded: 'succeeded', failed: 'FAILED', refused: 'refused', dry_run: 'dry run' }[execution.outcome];
}

export function describeVerification(execution: ExecutionSummary): string {
  const detail = execution.verification.detail ? ` (${clip(execution.verification.detail, 120)})` : '';
  return {
    verified: `verified${detail}`,
    not_cleared: `NOT verified: the signal did not clear${detail}`,
    pending: 'verification pending',
    skipped: 'not verified (skipped)',
    unknown: 'verification unknown',
  }[execution.verification.status];
}
