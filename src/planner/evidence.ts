import type { Evidence } from '../domain/plan.js';
import type { PlanningContext } from './context.js';
import { oneLine, sanitizeProse } from './prose.js';

/**
 * The evidence a plan cites: the alert's own fields, the retrieved runbook
 * passages, similar incidents and CI failures, each with its score. Text is
 * already redacted (the planner redacts the context first); here it is
 * sanitised for display and cut to an excerpt.
 */
const EXCERPT = 400;

export function trustedUrls(context: PlanningContext, extra: string[] = []): string[] {
  return [...context.signal.links.map((link) => link.url), ...extra];
}

export function collectEvidence(context: PlanningContext, trusted: string[]): Evidence[] {
  const { signal } = context;
  const labels = Object.entries(signal.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const evidence: Evidence[] = [{
    kind: 'alert',
    source: `${signal.source}:${signal.fingerprint}`,
    id: signal.fingerprint,
    title: oneLine(`${signal.alertname ?? 'alert'} (${signal.severity}, ${signal.status})`, trusted),
    excerpt: sanitizeProse([signal.summary, signal.description, labels && `labels: ${labels}`].filter(Boolean).join('\n'), trusted, EXCERPT),
  }];
  for (const runbook of context.runbooks.slice(0, 3)) {
    evidence.push({
      kind: 'runbook',
      source: runbook.path,
      id: runbook.id,
      title: oneLine([runbook.title, ...runbook.headingPath].filter(Boolean).join(' › '), trusted),
      excerpt: sanitizeProse(runbook.text, trusted, EXCERPT),
      score: runbook.score,
      matchedBy: runbook.matchedBy,
    });
  }
  for (const incident of context.similarIncidents.slice(0, 3)) {
    evidence.push({
      kind: 'incident',
      source: `incident:${incident.id}`,
      id: incident.id,
      title: oneLine(incident.title, trusted),
      excerpt: sanitizeProse([incident.summary, incident.resolution && `Resolution: ${incident.resolution}`].filter(Boolean).join('\n'), trusted, EXCERPT),
      score: incident.score,
      matchedBy: incident.matchedBy,
    });
  }
  for (const failure of context.ciFailures.slice(0, 3)) {
    evidence.push({
      kind: 'ci_failure',
      source: `${failure.repo}:${failure.id}`,
      id: failure.id,
      title: oneLine(failure.title, trusted),
      excerpt: sanitizeProse(failure.excerpt, trusted, EXCERPT),
      score: failure.score,
      matchedBy: failure.matchedBy,
    });
  }
  return evidence;
}
