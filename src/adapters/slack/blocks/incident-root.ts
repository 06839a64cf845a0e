import type { Incident } from '../../../domain/incident.js';
import type { SignalLink } from '../../../domain/signal.js';
import { SEVERITY_ICON, STATE_LABEL, link, mention, slackTime } from './format.js';
import { context, escapeMrkdwn, fields, header, message, type SlackMessage } from './limits.js';

/** What the root message shows beyond the incident row itself, read from its timeline and thread. */
export interface RootExtras {
  /** Alert links (dashboards, runbooks, generator URLs), already redacted. */
  links: SignalLink[];
  /** Who moved it to its current state (a Slack user id or a name), when a human did. */
  stateBy?: string;
  snoozed?: { until: number; by: string };
  /** The fix PR, once proposed. */
  pullRequest?: { url: string; number: number | null };
}

const MAX_LINKS = 5;

/**
 * The incident's thread root: what an on-call engineer needs in five seconds
 * (how bad, what, where, which state, since when, where to look). It is
 * updated in place on every change; a resolved incident says so here instead
 * of in a new reply.
 */
export function incidentRoot(incident: Incident, extras: RootExtras): SlackMessage {
  const resolved = incident.state === 'resolved';
  const icon = resolved ? '✅' : SEVERITY_ICON[incident.severity];
  const headline = `${icon} ${resolved ? 'Resolved · ' : ''}#${incident.number} ${incident.title}`;
  const state = `${STATE_LABEL[incident.state]}${extras.stateBy ? ` by ${mention(extras.stateBy)}` : ''}`;
  const pairs: Array<[string, string]> = [
    ['Severity', incident.severity],
    ['State', state],
    ['Service', escapeMrkdwn(incident.service ?? '—')],
    ['Opened', slackTime(incident.openedAt)],
    ['Alerts', `${incident.alertsFiring} firing of ${incident.alertsTotal}`],
  ];
  if (resolved && incident.resolvedAt !== null) pairs.push(['Resolved', slackTime(incident.resolvedAt, '{date_short_pretty} {time}')]);
  if (incident.reopenedCount > 0) pairs.push(['Reopened', `${incident.reopenedCount}×`]);

  const links = extras.links.slice(0, MAX_LINKS).map((l) => link(l.url, l.title));
  if (extras.links.length > MAX_LINKS) links.push(`+${extras.links.length - MAX_LINKS} more`);
  if (extras.pullRequest) links.unshift(link(extras.pullRequest.url, extras.pullRequest.number ? `Fix PR #${extras.pullRequest.number}` : 'Fix PR'));

  const notes: string[] = [];
  if (incident.flapping && incident.flappingSince !== null) notes.push(`⚠️ Flapping since ${slackTime(incident.flappingSince, '{time}')}: alert changes are recorded, not announced`);
  if (extras.snoozed && !resolved) notes.push(`💤 Snoozed until ${slackTime(extras.snoozed.until, '{time}')} by ${mention(extras.snoozed.by)}`);

  const blocks = [header(headline), fields(pairs)];
  if (links.length > 0) blocks.push(context(links.join('  ·  ')));
  if (notes.length > 0) blocks.push(context(...notes));
  blocks.push(context(`pitcrew incident \`${incident.id}\``));
  const fallback = `${resolved ? 'Resolved: ' : ''}#${incident.number} ${incident.title} (${incident.severity}, ${incident.state})`;
  return message(fallback, blocks);
}
