import type { RemediationStep, Risk } from './action.js';
import type { Signal } from './signal.js';

/**
 * The Retriever port: stage 2 of the pipeline. Given a Signal, it finds the
 * runbooks, past incidents and past CI failures that match, or abstains with
 * "no matching runbook" and the scores that made it abstain.
 *
 * The planner consumes `RetrievalResult`; it never sees Chroma, minisearch or
 * markdown. Implemented by `src/knowledge/retrieval/hybrid-retriever.ts`.
 */
export interface Retriever {
  retrieve(query: RetrievalQuery): Promise<RetrievalResult>;
}

export interface RetrievalQuery {
  signal: Signal;
  /** How many runbooks to return (default 5). */
  limit?: number;
  /** Only runbooks that declare one of these services (runbooks that declare none are excluded too). */
  services?: string[];
  /** Only runbooks that carry one of these tags. */
  tags?: string[];
  /** Also search past incidents and CI failures (default true). */
  includeMemory?: boolean;
}

/**
 * How a runbook was found, strongest first:
 * - `exact`: the alert name equals a name the runbook declares (`alerts:`) or
 *   carries (file name, a heading that is an alert name);
 * - `mention`: the runbook's text names the alert, though it is not named after it;
 * - `lexical`: BM25 over heading sections (minisearch);
 * - `title`: BM25 over runbook titles and alert names;
 * - `vector`: embedding similarity in Chroma;
 * - `service`: the runbook declares the alert's service (a boost, never alone).
 */
export type RetrievalRoute = 'exact' | 'mention' | 'lexical' | 'title' | 'vector' | 'service';

export interface RouteMatch {
  route: RetrievalRoute;
  /** The route's own score: 1 for exact/mention/service, BM25 for lexical/title, cosine similarity for vector. */
  score: number;
  /** 1-based rank of this runbook in that route's list (exact/mention/service: 1). */
  rank: number;
  /** Why, for humans: `alert name "KubePodCrashLooping" = file name`, `terms: disk, full, inode`. */
  reason: string;
}

export interface RunbookHit {
  /** Stable id (hash of the runbook directory and path). */
  runbookId: string;
  /** Path relative to its runbook directory, e.g. `k8s/crash-looping-pod.md`. */
  path: string;
  /** The runbook directory it came from (absolute). */
  root: string;
  title: string;
  /** The best-matching section: its heading path and text. */
  passage: { headingPath: string[]; text: string; line: number };
  /** Alert names declared in front matter, and those derived from the file name and headings. */
  alerts: { declared: string[]; derived: string[] };
  services: string[];
  tags: string[];
  /** Remediation steps from front matter, placeholders (`{{labels.namespace}}`) not yet filled. */
  remediation: RemediationStep[];
  /** Front matter `risk` (floor for the steps), `rollback` and `verify_minutes`, when declared. */
  risk?: Risk;
  rollback?: string[];
  verifyMinutes?: number;
  /** The fused score the list is ordered by (exact and mention routes rank above any fused score). */
  score: number;
  /** Every route that found it, with its score and reason. */
  matches: RouteMatch[];
  /** The route that decided its place: exact, mention, or the best content route. */
  route: RetrievalRoute;
  /** Set when an exact match was a "moved to" stub and this is the page it points to. */
  via?: string;
}

/** Evidence the abstention rule looked at, so a human can see why. */
export interface RetrievalEvidence {
  /** Share (0–1, IDF-weighted) of the alert summary's terms found in the top runbook. */
  summaryCoverage: number;
  /** The same for the description (1 when there is none). */
  descriptionCoverage: number;
  /** max(summaryCoverage, descriptionCoverage × summary threshold / description threshold); compared with the threshold. */
  score: number;
  threshold: number;
}

export type RetrievalDecision =
  | { kind: 'match'; route: RetrievalRoute; reason: string }
  | { kind: 'abstain'; reason: string };

export interface MemoryHit {
  collection: 'incidents' | 'ci_failures';
  id: string;
  title: string;
  text: string;
  metadata: Record<string, string | number | boolean>;
  score: number;
  matches: RouteMatch[];
}

export interface RetrievalResult {
  /**
   * `match`: `runbooks[0]` is the answer. `abstain`: no runbook matches well
   * enough; `runbooks` still lists the nearest candidates with their scores,
   * for humans, but the planner must not act on them as if they matched.
   */
  decision: RetrievalDecision;
  runbooks: RunbookHit[];
  evidence: RetrievalEvidence;
  incidents: MemoryHit[];
  ciFailures: MemoryHit[];
  /** Wall time of the search, in milliseconds. */
  tookMs: number;
  /** Degradations a human should know about (e.g. the vector route failed and lexical routes answered alone). */
  warnings: string[];
}

/** The sentence shown when retrieval abstains. */
export const NO_MATCHING_RUNBOOK = 'no matching runbook';
