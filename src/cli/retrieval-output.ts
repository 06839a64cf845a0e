import type { RetrievalResult } from '../domain/retrieval.js';
import type { Signal } from '../domain/signal.js';
import { color } from './output.js';

/** A retrieval result for humans in a terminal: the decision, its evidence, and every route's reason. */
export function renderRetrieval(signal: Signal, result: RetrievalResult): string {
  const lines: string[] = [];
  lines.push(color.bold(`${signal.alertname ?? signal.summary}`));
  const { decision, evidence } = result;
  lines.push(decision.kind === 'match' ? `${color.green('match')} (${decision.route}): ${decision.reason}` : `${color.yellow('abstain')}: ${decision.reason}`);
  for (const warning of result.warnings) lines.push(color.yellow(`warning: ${warning}`));
  lines.push(color.dim(`evidence: summary coverage ${evidence.summaryCoverage}, description coverage ${evidence.descriptionCoverage} → ${evidence.score} (threshold ${evidence.threshold}); ${result.tookMs} ms`));
  if (result.runbooks.length > 0) lines.push(decision.kind === 'abstain' ? 'nearest runbooks (not a match):' : 'runbooks:');
  result.runbooks.forEach((hit, index) => {
    lines.push(`${String(index + 1).padStart(2)}. ${color.bold(hit.title)}  ${hit.path}  score ${hit.score.toFixed(4)}  route ${hit.route}${hit.via ? ` (via ${hit.via})` : ''}`);
    lines.push(`    § ${hit.passage.headingPath.join(' > ')} (line ${hit.passage.line})`);
    for (const match of hit.matches) lines.push(color.dim(`    ${match.route} #${match.rank} ${match.score}: ${match.reason}`));
    if (hit.remediation.length > 0) lines.push(color.dim(`    remediation: ${hit.remediation.map((step) => step.kind).join(', ')}`));
  });
  for (const hit of [...result.incidents, ...result.ciFailures]) {
    lines.push(`  ${hit.collection === 'incidents' ? 'incident' : 'ci failure'} ${hit.id}: ${hit.title}  score ${hit.score.toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}
