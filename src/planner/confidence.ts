import type { Confidence, ConfidenceLevel } from '../domain/plan.js';
import type { PlanningContext } from './context.js';

/**
 * Confidence comes from retrieval, never from a model's opinion of itself:
 *   score = top runbook score
 *         + 0.15 when the runbook was routed by exact name (alertname, file name)
 *         + 0.10 × the best similar incident's score
 *         − 0.10 when the runner-up (another runbook) is within 0.05 (ambiguous)
 * clamped to 0..1. Abstention or no runbook is 0 ("none").
 * Levels: ≥ 0.75 high, ≥ 0.5 medium, > 0 low.
 */
const EXACT_ROUTES = new Set(['alertname', 'filename']);

export function levelOf(score: number): ConfidenceLevel {
  if (score >= 0.75) return 'high';
  if (score >= 0.5) return 'medium';
  return score > 0 ? 'low' : 'none';
}

const round = (n: number) => Math.round(n * 100) / 100;

export function computeConfidence(context: PlanningContext): Confidence {
  const [top, second] = context.runbooks;
  if (context.retrieval.abstained || !top) {
    const why = context.retrieval.reason ?? (top ? 'retrieval abstained' : 'no runbook was retrieved');
    return { score: 0, level: 'none', basis: `${why}${context.retrieval.topScore !== undefined ? ` (top score ${round(context.retrieval.topScore)}${context.retrieval.threshold !== undefined ? ` below threshold ${context.retrieval.threshold}` : ''})` : ''}` };
  }
  const parts = [`top runbook score ${round(top.score)} (${top.matchedBy})`];
  let score = top.score;
  if (EXACT_ROUTES.has(top.matchedBy)) {
    score += 0.15;
    parts.push('exact route +0.15');
  }
  const bestIncident = context.similarIncidents.reduce((best, incident) => Math.max(best, incident.score), 0);
  if (bestIncident > 0) {
    score += 0.1 * bestIncident;
    parts.push(`similar incident ${round(bestIncident)} +${round(0.1 * bestIncident)}`);
  }
  if (second && second.path !== top.path && top.score - second.score < 0.05) {
    score -= 0.1;
    parts.push(`runner-up ${second.path} within 0.05 −0.1`);
  }
  score = round(Math.min(1, Math.max(0, score)));
  return { score, level: levelOf(score), basis: parts.join(', ') };
}
