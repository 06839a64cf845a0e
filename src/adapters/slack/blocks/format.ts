import type { Severity } from '../../../domain/signal.js';
import type { IncidentState } from '../../../domain/incident.js';
import { escapeMrkdwn, truncate } from './limits.js';

export const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  warning: '🟡',
  info: '🔵',
  unknown: '⚪',
};

export const STATE_LABEL: Record<IncidentState, string> = {
  open: '🚨 Open',
  acknowledged: '👀 Acknowledged',
  mitigating: '🛠️ Mitigating',
  resolved: '✅ Resolved',
};

/** A time Slack renders in the reader's own time zone, with "x minutes ago"; the fallback is UTC. */
export function slackTime(ms: number, format = '{date_short_pretty} {time} ({ago})'): string {
  return `<!date^${Math.floor(ms / 1000)}^${format}|${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC>`;
}

/** `<url|title>` with the title escaped; plain escaped text when the URL is not http(s). */
export function link(url: string, title: string): string {
  const safeTitle = escapeMrkdwn(truncate(title, 80)).replace(/\|/g, '¦');
  return /^https?:\/\/[^\s<>|]+$/.test(url) && url.length <= 1000 ? `<${url}|${safeTitle}>` : safeTitle;
}

/** `<@U123>` for a Slack user id, else the name as written. */
export function mention(actor: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(actor) ? `<@${actor}>` : escapeMrkdwn(actor);
}

export function score(value: number): string {
  return value.toFixed(2);
}
