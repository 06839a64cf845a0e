import type { RetrievalEvidence } from '../../domain/retrieval.js';
import { tokenize } from '../text/tokenize.js';

/**
 * The abstention rule's evidence: how much of what the alert says the best
 * runbook actually talks about.
 *
 * Coverage is the IDF-weighted share of the distinct terms of a text that
 * the runbook contains. A term no runbook contains has the highest weight:
 * an alert about "OCL image builds" when no runbook mentions OCL is exactly
 * the case to abstain on, however well the rest ("pool", "failed") matches.
 *
 * The summary is the alert's headline and is weighed fully; the description
 * is longer and noisier (values, advice), so it must cover 1.5× as much to
 * count the same: score = max(summary, description / 1.5).
 */
export interface TermStatistics {
  idf(term: string): number;
  contains(runbookId: string, term: string): boolean;
}

export const DESCRIPTION_DISCOUNT = 1.5;

export function coverage(text: string, runbookId: string, stats: TermStatistics): number | undefined {
  const terms = new Set(tokenize(text));
  if (terms.size === 0) return undefined;
  let total = 0;
  let covered = 0;
  for (const term of terms) {
    const weight = stats.idf(term);
    total += weight;
    if (stats.contains(runbookId, term)) covered += weight;
  }
  return total > 0 ? covered / total : undefined;
}

export function contentEvidence(summary: string, description: string, runbookId: string | undefined, stats: TermStatistics, threshold: number): RetrievalEvidence {
  if (!runbookId) return { summaryCoverage: 0, descriptionCoverage: 0, score: 0, threshold };
  const summaryCoverage = coverage(summary, runbookId, stats);
  const descriptionCoverage = coverage(description, runbookId, stats);
  const parts = [summaryCoverage, descriptionCoverage === undefined ? undefined : descriptionCoverage / DESCRIPTION_DISCOUNT].filter((value): value is number => value !== undefined);
  const score = parts.length > 0 ? Math.max(...parts) : 0;
  return { summaryCoverage: round(summaryCoverage ?? 0), descriptionCoverage: round(descriptionCoverage ?? 1), score: round(score), threshold };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
