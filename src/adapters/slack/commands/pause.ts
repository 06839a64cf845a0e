import { escapeMrkdwn, truncate } from '../blocks/limits.js';
import { actorFor, type SlackContext } from '../context.js';

/** `/pitcrew pause [reason]` and `/pitcrew resume`: the runtime kill switch, for SLACK_OPERATORS only. Said in the channel, so everyone sees it. */
export async function pauseCommand(ctx: SlackContext, user: { id: string; name?: string | undefined }, verb: 'pause' | 'resume', reason: string): Promise<{ visible: boolean; text: string }> {
  const decision = await ctx.authz.check(user.id, 'operate');
  if (!decision.allowed) return { visible: false, text: `🚫 You can't ${verb} pitcrew. ${decision.reason ?? ''}` };
  const by = `${actorFor(ctx, user)} (slack ${user.id})`;
  if (verb === 'pause') {
    await ctx.killSwitch.pause(by, reason ? truncate(reason, 300) : null);
    ctx.log.warn({ by }, 'execution paused from slack');
    return { visible: true, text: `⏸️ <@${user.id}> paused pitcrew: no plan will execute until someone runs \`/pitcrew resume\`.${reason ? ` Reason: ${escapeMrkdwn(truncate(reason, 300))}` : ''}` };
  }
  await ctx.killSwitch.resume(by);
  ctx.log.warn({ by }, 'execution resumed from slack');
  return { visible: true, text: `▶️ <@${user.id}> resumed pitcrew: approved and merged plans execute again (a \`paused: true\` in a repo's .github/pitcrew.yml still stops that repo).` };
}
