import type { KnownBlock } from '@slack/types';
import { signalFromText } from '../../../domain/signal.js';
import { retrievalReply } from '../blocks/retrieval.js';
import { escapeMrkdwn, section, truncate } from '../blocks/limits.js';
import type { SlackContext } from '../context.js';

/** `/pitcrew runbook <query>`: the runbooks that match, with scores and why, and the best passage. */
export async function runbookCommand(ctx: SlackContext, query: string): Promise<KnownBlock[]> {
  const retriever = await ctx.retriever();
  const result = await retriever.retrieve({ signal: signalFromText(query), limit: 5, includeMemory: false });
  const blocks = [section(`🔎 Runbooks for *${escapeMrkdwn(truncate(query, 200))}*`), ...retrievalReply(result).blocks];
  const top = result.runbooks[0];
  if (top) blocks.push(section(`*Best passage* — \`${escapeMrkdwn(top.path)}\` § ${escapeMrkdwn(top.passage.headingPath.join(' › '))}\n${truncate(top.passage.text.trim(), 1200).split('\n').map((line) => `> ${escapeMrkdwn(line)}`).join('\n')}`));
  return blocks;
}
