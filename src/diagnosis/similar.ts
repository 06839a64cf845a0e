import type { FailureCategory } from './categories.js';
import type { Diagnosis } from './diagnose.js';

/** A past CI failure that looks like this one. */
export interface SimilarFailure {
  id: string;
  repo: string;
  /** One line: what failed ("test (ubuntu): TypeError in app.test.ts"). */
  title: string;
  url?: string;
  category?: FailureCategory;
  occurredAt?: number;
  /** 0..1, higher is more similar. */
  score: number;
  /** How it was fixed, when known (a PR, a commit, "re-run"). */
  resolution?: string;
}

export interface SimilarFailureQuery {
  repo: string;
  signature: string;
  category: FailureCategory;
  /** Redacted evidence text to embed and search with. */
  text: string;
}

/**
 * The port for "similar past failures". The knowledge side implements it on
 * Chroma's `ci_failures` collection; the composition root wires it. The
 * engine never imports a vector store.
 */
export interface SimilarFailureSearch {
  search(query: SimilarFailureQuery, limit: number): Promise<SimilarFailure[]>;
}

/** The document a diagnosed failure is stored as, for later searches. */
export interface CiFailureDocument {
  id: string;
  text: string;
  metadata: {
    repo: string;
    signature: string;
    category: FailureCategory;
    job?: string;
    workflow?: string;
    branch?: string;
    sha?: string;
    url?: string;
    occurredAt: number;
  };
}

/** Nothing to search: the default until a knowledge store is wired. */
export const noSimilarFailures: SimilarFailureSearch = { search: async () => [] };

const MAX_QUERY_CHARS = 4_000;

/** The query for a diagnosis: its evidence lines, redacted, trimmed to what an embedding needs. */
export function similarFailureQuery(repo: string, diagnosis: Diagnosis, redact: (text: string) => string): SimilarFailureQuery {
  const lines = diagnosis.blocks.flatMap((b) => b.lines).filter((l) => l.text.trim() !== '' && l.weight >= 1).map((l) => l.text.trim());
  const text = redact(lines.join('\n')).slice(0, MAX_QUERY_CHARS);
  return { repo, signature: diagnosis.signature.id, category: diagnosis.category, text };
}

/** The document to store for a diagnosed failure (same redaction as the query). */
export function ciFailureDocument(
  repo: string,
  diagnosis: Diagnosis,
  meta: Omit<CiFailureDocument['metadata'], 'repo' | 'signature' | 'category'>,
  redact: (text: string) => string,
): CiFailureDocument {
  const query = similarFailureQuery(repo, diagnosis, redact);
  return { id: `${repo}:${diagnosis.signature.id}:${meta.occurredAt}`, text: query.text, metadata: { repo, signature: diagnosis.signature.id, category: diagnosis.category, ...meta } };
}

/**
 * Searches, dropping this very failure and weak matches; a search error
 * never breaks a diagnosis (similar failures are a bonus).
 */
export async function findSimilarFailures(search: SimilarFailureSearch, query: SimilarFailureQuery, options: { limit?: number; minScore?: number; exclude?: string[] } = {}): Promise<{ results: SimilarFailure[]; error?: string }> {
  try {
    const found = await search.search(query, (options.limit ?? 3) + (options.exclude?.length ?? 0));
    const exclude = new Set(options.exclude ?? []);
    return { results: found.filter((f) => !exclude.has(f.id) && f.score >= (options.minScore ?? 0.5)).slice(0, options.limit ?? 3) };
  } catch (error) {
    return { results: [], error: (error as Error).message };
  }
}
