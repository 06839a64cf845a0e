import type { KnownBlock } from '@slack/types';
import { mention, slackTime } from '../blocks/format.js';
import { fields, section } from '../blocks/limits.js';
import type { SlackContext } from '../context.js';

/** `/pitcrew status`: queue depth, breaker, paused or not. */
export async function statusCommand(ctx: SlackContext): Promise<KnownBlock[]> {
  const status = await ctx.status();
  const paused = status.paused.paused
    ? `⏸️ *paused*${status.paused.by ? ` by ${mention(status.paused.by)}` : ''}${status.paused.at ? ` ${slackTime(status.paused.at, '{ago}')}` : ''}${status.paused.reason ? `: ${status.paused.reason}` : ''}`
    : '▶️ running';
  return [
    section('*pitcrew status*'),
    fields([
      ['Execution', paused],
      ['Queue depth', String(status.queueDepth)],
      ['Circuit breaker', status.breaker ?? 'not reported (no executor wired)'],
      ['Slack outbound queue', String(ctx.outbound.pending())],
    ]),
  ];
}
