import type { FailureCategory } from '../diagnosis/categories.js';
import type { CiFailureDocument, SimilarFailure, SimilarFailureQuery } from '../diagnosis/similar.js';
import type { CiFailureMemory } from '../pipeline/ci/ports.js';
import type { KnowledgeService } from './knowledge-service.js';
import type { MemoryCollection } from './memory/memory-collection.js';

/**
 * The CI stage's `ci_failures` memory on the knowledge module's collection.
 * Scores: the cosine similarity when the vector route found it, else 0.6 for
 * a lexical-only hit (the fused rank score is not a similarity and would be
 * filtered out by every threshold). A failure of the same signature is the
 * strongest match there is.
 */
export function ciFailureMemory(collection: MemoryCollection): CiFailureMemory {
  return {
    async search(query: SimilarFailureQuery, limit: number): Promise<SimilarFailure[]> {
      const hits = await collection.search(query.text, limit);
      return hits.map((hit) => {
        const meta = hit.metadata;
        const cosine = hit.matches.find((m) => m.route === 'vector')?.score;
        const score = meta.signature === query.signature ? 1 : Math.max(cosine ?? 0, hit.matches.some((m) => m.route === 'lexical') ? 0.6 : 0);
        const failure: SimilarFailure = { id: hit.id, repo: String(meta.repo ?? ''), title: hit.title, score };
        if (typeof meta.url === 'string') failure.url = meta.url;
        if (typeof meta.category === 'string') failure.category = meta.category as FailureCategory;
        if (typeof meta.occurredAt === 'number') failure.occurredAt = meta.occurredAt;
        if (typeof meta.resolution === 'string') failure.resolution = meta.resolution;
        return failure;
      });
    },
    async remember(document: CiFailureDocument, title: string): Promise<void> {
      if (document.text.trim() === '') return;
      const metadata = Object.fromEntries(Object.entries(document.metadata).filter(([, value]) => value !== undefined)) as Record<string, string | number>;
      await collection.write({ id: document.id.slice(0, 200), title: title.slice(0, 500), text: document.text.slice(0, 20_000), metadata });
    },
  };
}

/**
 * The memory once the knowledge module is open; undefined until then (Chroma
 * may be down: a diagnosis never waits for it, it just lists no similar failures).
 */
export function ciFailureMemoryWhenReady(knowledge: KnowledgeService): () => CiFailureMemory | undefined {
  let memory: CiFailureMemory | undefined;
  knowledge.ready().then((k) => {
    memory = ciFailureMemory(k.ciFailures);
  }, () => undefined);
  return () => memory;
}
