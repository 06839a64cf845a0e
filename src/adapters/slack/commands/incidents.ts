import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../../domain/incident.js';
import { IncidentRepo } from '../../../store/incident-repo.js';
import { SEVERITY_ICON, STATE_LABEL, link, slackTime } from '../blocks/format.js';
import { context, escapeMrkdwn, fields, header, section, truncate } from '../blocks/limits.js';
import type { SlackContext } from '../context.js';

const LIST_LIMIT = 20;

async function threadLink(ctx: SlackContext, incident: Incident, label: string): Promise<string> {
  const thread = await ctx.chat.threadOf(incident.id);
  return thread?.permalink ? link(thread.permalink, label) : label;
}

/** `/pitcrew incidents`: the unresolved incidents, newest first, each linking its thread. */
export async function incidentsCommand(ctx: SlackContext): Promise<KnownBlock[]> {
  const active = await new IncidentRepo(ctx.store.db).list({ state: 'active', limit: LIST_LIMIT + 1 });
  if (active.length === 0) return [section('✅ No open incidents.')];
  const lines = await Promise.all(active.slice(0, LIST_LIMIT).map(async (incident) =>
    `${SEVERITY_ICON[incident.severity]} ${await threadLink(ctx, incident, `#${incident.number}`)} ${escapeMrkdwn(truncate(incident.title, 120))} — ${STATE_LABEL[incident.state]}, opened ${slackTime(incident.openedAt, '{ago}')}`));
  return [section(`*Open incidents*\n${lines.join('\n')}`), ...(active.length > LIST_LIMIT ? [context(`Only the newest ${LIST_LIMIT} are shown; \`pitcrew incidents\` lists all.`)] : [])];
}

/** `/pitcrew incident <id>`: one incident, its alerts and its recent timeline. */
export async function incidentCommand(ctx: SlackContext, ref: string): Promise<KnownBlock[]> {
  const repo = new IncidentRepo(ctx.store.db);
  const incident = await repo.find(ref);
  if (!incident) return [section(`No incident "${escapeMrkdwn(truncate(ref, 50))}". Try \`/pitcrew incidents\`.`)];
  const [alerts, timeline] = await Promise.all([repo.alerts(incident.id), repo.timeline(incident.id)]);
  const recent = timeline.slice(-10).map((event) => `${slackTime(event.at, '{time}')} ${event.kind.replace(/_/g, ' ')}${event.actor !== 'pitcrew' ? ` by ${escapeMrkdwn(event.actor)}` : ''}`);
  return [
    header(`${SEVERITY_ICON[incident.severity]} #${incident.number} ${incident.title}`),
    fields([
      ['State', STATE_LABEL[incident.state]],
      ['Service', escapeMrkdwn(incident.service ?? '—')],
      ['Opened', slackTime(incident.openedAt)],
      ['Alerts', `${incident.alertsFiring} firing of ${incident.alertsTotal}`],
      ['Thread', await threadLink(ctx, incident, 'open thread')],
    ]),
    section(`*Alerts*\n${alerts.slice(0, 10).map((alert) => `• ${alert.status === 'firing' ? '🔥' : '✅'} ${escapeMrkdwn(truncate(alert.alertname ?? alert.summary, 100))}`).join('\n') || '—'}`),
    section(`*Timeline* (latest ${recent.length})\n${recent.join('\n')}`),
  ];
}
