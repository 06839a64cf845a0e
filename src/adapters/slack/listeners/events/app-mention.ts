import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { DecisionRepo } from '../../../../store/decision-repo.js';
import { IncidentRepo, toIncident } from '../../../../store/incident-repo.js';
import { describeAction } from '../../../../domain/describe-action.js';
import { STATE_LABEL } from '../../blocks/format.js';
import { capBlocks, escapeMrkdwn, message, section, truncate } from '../../blocks/limits.js';
import { groundedAnswer } from '../../commands/answer.js';
import type { SlackContext } from '../../context.js';
import { Mention } from '../../payloads.js';

/**
 * A mention of the bot. Inside an incident thread it is answered from that
 * incident's context (state, alerts, latest plan) plus the runbooks; elsewhere
 * from the runbooks alone. The bot's own messages are ignored.
 */
export function appMentionListener(app: App, ctx: SlackContext): void {
  app.event('app_mention', async ({ event, context }) => {
    const parsed = Mention.safeParse(event);
    if (!parsed.success) return;
    const mention = parsed.data;
    if (mention.bot_id || (context.botUserId && mention.user === context.botUserId)) return;
    const question = mention.text.replace(/<@[A-Z0-9]+>/g, '').trim();
    const threadTs = mention.thread_ts ?? mention.ts;
    const incidentId = mention.thread_ts ? await ctx.chat.incidentAt(mention.channel, mention.thread_ts) : undefined;
    const blocks: KnownBlock[] = [];
    if (incidentId) blocks.push(...(await incidentContext(ctx, incidentId)));
    if (question) {
      try {
        blocks.push(...(await groundedAnswer(ctx, question)));
      } catch (error) {
        // Still answer with the incident context; say why the runbooks are missing.
        blocks.push(section(`⚠️ ${escapeMrkdwn(truncate((error as Error).message, 300))}`));
      }
    }
    else if (!incidentId) blocks.push(section('Ask me something, e.g. `@pitcrew how do I drain a node?`'));
    const reply = message(question ? `Re: ${question}` : 'Incident context', capBlocks(blocks));
    await ctx.outbound.postMessage({ channel: mention.channel, threadTs, text: reply.text, blocks: reply.blocks });
  });
}

async function incidentContext(ctx: SlackContext, incidentId: string): Promise<KnownBlock[]> {
  const incidents = new IncidentRepo(ctx.store.db);
  const row = await incidents.row(incidentId);
  if (!row) return [];
  const incident = toIncident(row);
  const [alerts, decision] = await Promise.all([incidents.alerts(incidentId), new DecisionRepo(ctx.store.db).latestForIncident(incidentId)]);
  const firing = alerts.filter((alert) => alert.status === 'firing').slice(0, 5).map((alert) => `• 🔥 ${escapeMrkdwn(truncate(alert.alertname ?? alert.summary, 100))}`);
  const lines = [`*#${incident.number} ${escapeMrkdwn(incident.title)}* — ${STATE_LABEL[incident.state]}, ${incident.severity}, ${incident.alertsFiring} of ${incident.alertsTotal} alerts firing`];
  if (firing.length > 0) lines.push(firing.join('\n'));
  if (decision) {
    lines.push(`*Latest plan*: ${escapeMrkdwn(decision.plan.summary)} (risk ${decision.plan.risk}, confidence ${decision.plan.confidence.level})`);
    if (decision.plan.probableCause) lines.push(`*Probable cause*: ${escapeMrkdwn(truncate(decision.plan.probableCause, 600))}`);
    if (decision.plan.actions.length > 0) lines.push(decision.plan.actions.map((action, i) => `${i + 1}. ${escapeMrkdwn(describeAction(action))}`).join('\n'));
  } else {
    lines.push('_No plan yet._');
  }
  return [section(lines.join('\n'))];
}
