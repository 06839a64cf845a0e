import type { App, RespondArguments } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { IncidentRepo } from '../../../../store/incident-repo.js';
import { capBlocks, escapeMrkdwn, section, truncate } from '../../blocks/limits.js';
import { groundedAnswer } from '../../commands/answer.js';
import { helpText } from '../../commands/help.js';
import { incidentCommand, incidentsCommand } from '../../commands/incidents.js';
import { pauseCommand } from '../../commands/pause.js';
import { proposeFor } from '../../commands/propose.js';
import { runbookCommand } from '../../commands/runbook.js';
import { statusCommand } from '../../commands/status.js';
import { actorFor, type SlackContext } from '../../context.js';
import { SlashCommand } from '../../payloads.js';

type Answer = { blocks: KnownBlock[]; text: string; visible?: boolean };
const say = (text: string, visible = false): Answer => ({ text, blocks: [section(text)], visible });

/** `/pitcrew <subcommand>`: acks at once, then answers through the response URL (ephemeral unless everyone should see it). */
export function pitcrewCommandListener(app: App, ctx: SlackContext): void {
  app.command('/pitcrew', async ({ ack, command, respond }) => {
    await ack();
    const parsed = SlashCommand.safeParse(command);
    if (!parsed.success) {
      await respond({ response_type: 'ephemeral', text: 'That command could not be read.' });
      return;
    }
    let answer: Answer;
    try {
      answer = await run(ctx, parsed.data);
    } catch (error) {
      ctx.log.error({ err: (error as Error).message, text: parsed.data.text.slice(0, 80) }, 'slack command failed');
      answer = say(`⚠️ That failed: ${escapeMrkdwn(truncate((error as Error).message, 300))}`);
    }
    const reply: RespondArguments = { response_type: answer.visible ? 'in_channel' : 'ephemeral', text: truncate(answer.text, 3000), blocks: capBlocks(answer.blocks) };
    await respond(reply);
  });
}

async function run(ctx: SlackContext, command: SlashCommand): Promise<Answer> {
  const [verb = 'help', ...rest] = command.text.trim().split(/\s+/);
  const arg = rest.join(' ').trim();
  const user = { id: command.user_id, name: command.user_name };
  switch (verb.toLowerCase()) {
    case 'help':
    case '':
      return say(helpText(Boolean(ctx.handoff)));
    case 'ask':
      if (!arg) return say('Usage: `/pitcrew ask <question>`');
      return { text: `Answer: ${arg}`, blocks: await groundedAnswer(ctx, arg) };
    case 'runbook':
    case 'runbooks':
      if (!arg) return say('Usage: `/pitcrew runbook <query>`');
      return { text: `Runbooks for ${arg}`, blocks: await runbookCommand(ctx, arg) };
    case 'incidents':
      return { text: 'Open incidents', blocks: await incidentsCommand(ctx) };
    case 'incident':
      if (!arg) return say('Usage: `/pitcrew incident <number>`');
      return { text: `Incident ${arg}`, blocks: await incidentCommand(ctx, arg) };
    case 'propose': {
      if (!arg) return say('Usage: `/pitcrew propose <number>`');
      const decision = await ctx.authz.check(user.id, 'respond');
      if (!decision.allowed) return say(`🚫 You can't propose a fix from Slack. ${decision.reason ?? ''}`);
      const incident = await new IncidentRepo(ctx.store.db).find(arg);
      if (!incident) return say(`No incident "${escapeMrkdwn(truncate(arg, 50))}". Try \`/pitcrew incidents\`.`);
      return say((await proposeFor(ctx, incident, { userId: user.id, actor: actorFor(ctx, user) })) ?? 'Done.');
    }
    case 'handoff':
      if (!ctx.handoff) return say('The on-call handoff is not available yet in this pitcrew.');
      return say((await ctx.handoff({ ...(arg ? { window: arg } : {}), requestedBy: actorFor(ctx, user) })).text);
    case 'status':
      return { text: 'pitcrew status', blocks: await statusCommand(ctx) };
    case 'pause':
    case 'resume': {
      const result = await pauseCommand(ctx, user, verb.toLowerCase() as 'pause' | 'resume', arg);
      return say(result.text, result.visible);
    }
    default:
      return say(`Unknown command \`${escapeMrkdwn(truncate(verb, 40))}\`.\n${helpText(Boolean(ctx.handoff))}`);
  }
}
