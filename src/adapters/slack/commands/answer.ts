import type { KnownBlock } from '@slack/types';
import { signalFromText } from '../../../domain/signal.js';
import type { RetrievalResult } from '../../../domain/retrieval.js';
import { score } from '../blocks/format.js';
import { context, escapeMrkdwn, section, truncate } from '../blocks/limits.js';
import type { SlackContext } from '../context.js';

const EXCERPT_CHARS = 900;

/**
 * A retrieval-grounded answer, without a model: the best-matching runbook
 * section quoted, with numbered sources (runbook path, heading, score).
 * When retrieval abstains, it says so and lists the nearest candidates
 * instead of guessing.
 */
export async function groundedAnswer(ctx: SlackContext, question: string): Promise<KnownBlock[]> {
  const retriever = await ctx.retriever();
  const result = await retriever.retrieve({ signal: signalFromText(question), limit: 3 });
  return answerBlocks(question, result);
}

export function answerBlocks(question: string, result: RetrievalResult): KnownBlock[] {
  const sources = result.runbooks.slice(0, 3).map((hit, i) => `[${i + 1}] \`${escapeMrkdwn(hit.path)}\` § ${escapeMrkdwn(hit.passage.headingPath.join(' › ') || hit.title)} (line ${hit.passage.line}, score ${score(hit.score)})`);
  const past = result.incidents.slice(0, 2).map((hit) => `• past incident: ${escapeMrkdwn(truncate(hit.title, 120))} (score ${score(hit.score)})`);
  const top = result.runbooks[0];
  const blocks: KnownBlock[] = [section(`❓ *${escapeMrkdwn(truncate(question, 300))}*`)];
  if (result.decision.kind === 'abstain' || !top) {
    blocks.push(section(`I found no runbook that answers this well enough (${escapeMrkdwn(result.decision.reason)}), so I won't guess.${sources.length > 0 ? `\n_Nearest candidates:_\n${sources.join('\n')}` : ''}`));
  } else {
    const excerpt = truncate(top.passage.text.trim(), EXCERPT_CHARS);
    blocks.push(section(`From *${escapeMrkdwn(top.title)}* [1]:\n${excerpt.split('\n').map((line) => `> ${escapeMrkdwn(line)}`).join('\n')}`));
    blocks.push(section(`*Sources*\n${sources.join('\n')}`));
  }
  if (past.length > 0) blocks.push(section(past.join('\n')));
  blocks.push(context('Answered from the runbooks and incident memory only (no model); check the cited sections before acting.'));
  return blocks;
}
