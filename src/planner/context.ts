import { z } from 'zod/v4';
import { RemediationStep } from '../domain/action.js';
import { Signal } from '../domain/signal.js';

/**
 * The planner's input port. Retrieval (intake + knowledge) fills it; the
 * planner reads nothing else. Scores are normalised to 0..1 by the retriever
 * (1 = certain match); `matchedBy` says which route found the item.
 *
 * Every text field here is untrusted: it came from an alert, a runbook
 * someone wrote, or a past incident. The planner redacts it before it goes
 * anywhere and fences it before it reaches a model.
 */
export const MatchedBy = z.enum(['alertname', 'service', 'filename', 'tag', 'lexical', 'vector', 'hybrid', 'manual']);
export type MatchedBy = z.infer<typeof MatchedBy>;

export const RunbookCandidate = z.object({
  /** Stable id of the chunk or runbook (e.g. "runbooks/disk-full.md#mitigation"). */
  id: z.string().min(1),
  /** Repository-relative path of the runbook file. */
  path: z.string().min(1),
  title: z.string(),
  /** Headings from the document root to the passage. */
  headingPath: z.array(z.string()).default([]),
  /** The retrieved passage (markdown). */
  text: z.string(),
  /** Front matter: alerts, services and tags the runbook declares. */
  alerts: z.array(z.string()).default([]),
  services: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  /** Front matter `remediation`: action templates with {{placeholders}}. */
  remediation: z.array(RemediationStep).default([]),
  /** Front matter `rollback`: human-readable steps, in order. Derived from the actions when absent. */
  rollback: z.array(z.string()).optional(),
  /** Front matter `verify_minutes`: how long the signal has to clear. */
  verifyMinutes: z.number().int().min(1).max(1440).optional(),
  /** Front matter `risk`: raises every action's risk to at least this. */
  risk: z.enum(['low', 'medium', 'high']).optional(),
  score: z.number().min(0).max(1),
  matchedBy: MatchedBy,
  /** Human-readable reason ("alertname HighErrorRate is declared in front matter"). */
  reason: z.string().default(''),
});
export type RunbookCandidate = z.infer<typeof RunbookCandidate>;

export const IncidentCandidate = z.object({
  id: z.string().min(1),
  title: z.string(),
  /** What happened and what fixed it. */
  summary: z.string(),
  resolution: z.string().optional(),
  occurredAt: z.number().optional(),
  score: z.number().min(0).max(1),
  matchedBy: MatchedBy,
});
export type IncidentCandidate = z.infer<typeof IncidentCandidate>;

export const CiFailureCandidate = z.object({
  id: z.string().min(1),
  repo: z.string(),
  title: z.string(),
  excerpt: z.string(),
  score: z.number().min(0).max(1),
  matchedBy: MatchedBy,
});
export type CiFailureCandidate = z.infer<typeof CiFailureCandidate>;

export const RetrievalSummary = z.object({
  /** True when nothing scored above the retriever's threshold. */
  abstained: z.boolean(),
  threshold: z.number().min(0).max(1).optional(),
  topScore: z.number().min(0).max(1).optional(),
  /** Why it abstained, in words. */
  reason: z.string().optional(),
});
export type RetrievalSummary = z.infer<typeof RetrievalSummary>;

export const PlanningContext = z.object({
  signal: Signal,
  incidentId: z.string().optional(),
  /** Best first. */
  runbooks: z.array(RunbookCandidate).default([]),
  similarIncidents: z.array(IncidentCandidate).default([]),
  ciFailures: z.array(CiFailureCandidate).default([]),
  retrieval: RetrievalSummary.default({ abstained: false }),
});
export type PlanningContext = z.infer<typeof PlanningContext>;
export type PlanningContextInput = z.input<typeof PlanningContext>;
