import type { MemoryHit, RetrievalResult, RunbookHit } from '../domain/retrieval.js';
import type { Signal } from '../domain/signal.js';
import type { CiFailureCandidate, IncidentCandidate, MatchedBy, PlanningContextInput, RunbookCandidate } from '../planner/context.js';

/**
 * Stage 2 → 3: the retriever's result, in the planner's terms.
 *
 * The planner wants one 0..1 score per candidate that means "how sure are we
 * this is the right runbook". Retrieval ranks by fused reciprocal-rank scores,
 * which only order; the 0..1 meaning comes from how the top runbook was found:
 *  - named after the alert (exact route): 0.9;
 *  - its text names the alert (mention route): 0.7;
 *  - found by content: the abstention rule's evidence (IDF-weighted share of
 *    the alert's words it covers).
 * The others keep retrieval's order: the top's score scaled by their fused
 * score relative to the top's, and discounted when the top was found by
 * name and they were not (a name match is decisive; content near-ties are not).
 */
const MAX_RUNBOOKS = 3;
const MAX_MEMORY = 3;
const EXACT_SCORE = 0.9;
const MENTION_SCORE = 0.7;

export function toPlanningContext(signal: Signal, retrieval: RetrievalResult, incidentId?: string): PlanningContextInput {
  const abstained = retrieval.decision.kind === 'abstain';
  const top = retrieval.runbooks[0];
  return {
    signal,
    ...(incidentId ? { incidentId } : {}),
    runbooks: retrieval.runbooks.slice(0, MAX_RUNBOOKS).map((hit) => runbookCandidate(hit, signal, top, topScore(top, retrieval.evidence.score))),
    similarIncidents: retrieval.incidents.slice(0, MAX_MEMORY).map(incidentCandidate),
    ciFailures: retrieval.ciFailures.slice(0, MAX_MEMORY).map(ciFailureCandidate),
    retrieval: {
      abstained,
      threshold: clamp(retrieval.evidence.threshold),
      topScore: clamp(retrieval.evidence.score),
      ...(abstained ? { reason: retrieval.decision.reason } : {}),
    },
  };
}

function runbookCandidate(hit: RunbookHit, signal: Signal, top: RunbookHit | undefined, scoreOfTop: number): RunbookCandidate {
  return {
    id: `${hit.path}#L${hit.passage.line}`,
    path: hit.path,
    title: hit.title,
    headingPath: hit.passage.headingPath,
    text: hit.passage.text,
    alerts: [...hit.alerts.declared, ...hit.alerts.derived],
    services: hit.services,
    tags: hit.tags,
    remediation: hit.remediation,
    ...(hit.rollback ? { rollback: hit.rollback } : {}),
    ...(hit.verifyMinutes ? { verifyMinutes: hit.verifyMinutes } : {}),
    ...(hit.risk ? { risk: hit.risk } : {}),
    score: candidateScore(hit, top, scoreOfTop),
    matchedBy: matchedBy(hit, signal),
    reason: hit.matches.map((match) => `${match.route}: ${match.reason}`).join('; '),
  };
}

function topScore(top: RunbookHit | undefined, evidence: number): number {
  if (!top) return 0;
  if (top.route === 'exact') return EXACT_SCORE;
  if (top.route === 'mention') return MENTION_SCORE;
  return clamp(evidence);
}

const NAME_ROUTES = new Set(['exact', 'mention']);
/** How much a runner-up found by content counts when the top was found by name. */
const BY_NAME_DISCOUNT = 0.8;

function candidateScore(hit: RunbookHit, top: RunbookHit | undefined, scoreOfTop: number): number {
  if (!top || hit === top) return round(scoreOfTop);
  const relative = top.score > 0 ? Math.min(1, hit.score / top.score) : 0;
  const discount = NAME_ROUTES.has(top.route) && hit.route !== top.route ? BY_NAME_DISCOUNT : 1;
  return round(clamp(scoreOfTop * relative * discount));
}

function matchedBy(hit: RunbookHit, signal: Signal): MatchedBy {
  switch (hit.route) {
    case 'exact':
      return signal.alertname && hit.alerts.declared.includes(signal.alertname) ? 'alertname' : 'filename';
    case 'mention':
    case 'lexical':
    case 'title':
      return hit.matches.some((m) => m.route === 'vector') ? 'hybrid' : 'lexical';
    case 'vector':
      return hit.matches.some((m) => m.route === 'lexical' || m.route === 'title') ? 'hybrid' : 'vector';
    case 'service':
      return 'service';
  }
}

/** Memory hits carry a cosine similarity on their vector route; that is the 0..1 score. */
function memoryScore(hit: MemoryHit): number {
  const vector = hit.matches.find((match) => match.route === 'vector');
  return round(clamp(vector?.score ?? 0.2));
}

function incidentCandidate(hit: MemoryHit): IncidentCandidate {
  const resolution = hit.metadata.resolution;
  const occurredAt = hit.metadata.resolved_at ?? hit.metadata.opened_at;
  return {
    id: hit.id,
    title: hit.title,
    summary: hit.text,
    ...(typeof resolution === 'string' ? { resolution } : {}),
    ...(typeof occurredAt === 'number' ? { occurredAt } : {}),
    score: memoryScore(hit),
    matchedBy: hit.matches.some((m) => m.route === 'vector') ? 'vector' : 'lexical',
  };
}

function ciFailureCandidate(hit: MemoryHit): CiFailureCandidate {
  return {
    id: hit.id,
    repo: String(hit.metadata.repo ?? ''),
    title: hit.title,
    excerpt: hit.text.slice(0, 2_000),
    score: memoryScore(hit),
    matchedBy: hit.matches.some((m) => m.route === 'vector') ? 'vector' : 'lexical',
  };
}

const clamp = (n: number) => Math.min(1, Math.max(0, Number.isFinite(n) ? n : 0));
const round = (n: number) => Math.round(n * 1000) / 1000;
