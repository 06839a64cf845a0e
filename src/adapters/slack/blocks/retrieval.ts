import type { MemoryHit, RetrievalResult, RunbookHit } from '../../../domain/retrieval.js';
import { score } from './format.js';
import { context, escapeMrkdwn, message, section, truncate, type SlackMessage } from './limits.js';

const MAX_RUNBOOKS = 5;
const MAX_MEMORIES = 3;

/** The "what pitcrew found" reply: matched runbooks with their scores and why, and similar past incidents. */
export function retrievalReply(retrieval: RetrievalResult): SlackMessage {
  const { decision } = retrieval;
  const headline = decision.kind === 'match'
    ? `📚 *Matched runbook* (${decision.route}): ${escapeMrkdwn(decision.reason)}`
    : `📚 *No runbook matched well enough*: ${escapeMrkdwn(decision.reason)}`;
  const blocks = [section(headline)];
  const runbooks = retrieval.runbooks.slice(0, MAX_RUNBOOKS);
  if (runbooks.length > 0) {
    const lines = runbooks.map((hit, index) => runbookLine(hit, index));
    const more = retrieval.runbooks.length - runbooks.length;
    blocks.push(section(`${decision.kind === 'abstain' ? '_Nearest candidates (not acted on):_\n' : ''}${lines.join('\n')}${more > 0 ? `\n_+${more} more_` : ''}`));
  }
  const memories = [...retrieval.incidents, ...retrieval.ciFailures].sort((a, b) => b.score - a.score).slice(0, MAX_MEMORIES);
  if (memories.length > 0) blocks.push(section(`🕘 *Similar past ${memories.every((m) => m.collection === 'incidents') ? 'incidents' : 'incidents and CI failures'}*\n${memories.map(memoryLine).join('\n')}`));
  const notes = [`coverage ${score(retrieval.evidence.score)} (threshold ${score(retrieval.evidence.threshold)})`, `${retrieval.tookMs} ms`];
  blocks.push(context(notes.join('  ·  '), ...retrieval.warnings.map((warning) => `⚠️ ${escapeMrkdwn(warning)}`)));
  const top = retrieval.runbooks[0];
  const fallback = decision.kind === 'match' && top ? `Matched runbook: ${top.title}` : 'No runbook matched well enough';
  return message(fallback, blocks);
}

function runbookLine(hit: RunbookHit, index: number): string {
  const why = hit.matches.slice(0, 3).map((match) => `${match.route}: ${escapeMrkdwn(truncate(match.reason, 120))}`).join('; ');
  return `${index + 1}. *${escapeMrkdwn(truncate(hit.title, 150))}* \`${escapeMrkdwn(truncate(hit.path, 150))}\` — score ${score(hit.score)}${why ? `\n      _${why}_` : ''}`;
}

function memoryLine(hit: MemoryHit): string {
  return `• ${escapeMrkdwn(truncate(hit.title, 150))} — score ${score(hit.score)}${hit.collection === 'ci_failures' ? ' (CI failure)' : ''}`;
}
