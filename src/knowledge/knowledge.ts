import type { Clock } from '../domain/clock.js';
import type { Retriever } from '../domain/retrieval.js';
import type { Logger } from '../ops/logger.js';
import { createChromaClient } from './chroma/client.js';
import { MemoryCollection } from './memory/memory-collection.js';
import { HybridRetriever } from './retrieval/hybrid-retriever.js';
import { RunbookIndex, type IndexProgress, type IndexSummary } from './runbooks/runbook-index.js';
import { openVectorCollection, type EmbeddingModel } from './vector/vector-collection.js';

/**
 * The knowledge module, assembled: the three Chroma collections, the runbook
 * index and the Retriever over all of them. Built by the composition root
 * (`src/main.ts`) and by the CLI; nothing here reads config or env.
 */
export const COLLECTIONS = { runbooks: 'runbooks', incidents: 'incidents', ciFailures: 'ci_failures' } as const;

export interface KnowledgeOptions {
  chromaUrl: string;
  embedding: EmbeddingModel;
  runbookDirs: string[];
  minEvidence: number;
  log: Logger;
  clock: Clock;
  /** Applied to incident and CI-failure text before it reaches Chroma (invariant I3). */
  redact?: (text: string) => string;
}

export interface Knowledge {
  retriever: Retriever;
  runbooks: RunbookIndex;
  /** Resolved incident summaries: write after an incident closes, searched on every retrieval. */
  incidents: MemoryCollection;
  /** Diagnosed CI failures: write after a diagnosis, searched on every retrieval. */
  ciFailures: MemoryCollection;
  embeddingModel: string;
  /** Indexes the configured directories (or the ones given) incrementally. */
  indexRunbooks(dirs?: string[], onProgress?: (progress: IndexProgress) => void): Promise<IndexSummary>;
}

export async function openKnowledge(options: KnowledgeOptions): Promise<Knowledge> {
  const client = createChromaClient(options.chromaUrl);
  const { embedding, log } = options;
  const [runbookVectors, incidentVectors, ciVectors] = await Promise.all([
    openVectorCollection(client, COLLECTIONS.runbooks, embedding, 'drop', log),
    openVectorCollection(client, COLLECTIONS.incidents, embedding, 'reembed', log),
    openVectorCollection(client, COLLECTIONS.ciFailures, embedding, 'reembed', log),
  ]);
  const now = () => options.clock.now();
  const [incidents, ciFailures] = await Promise.all([
    MemoryCollection.open('incidents', incidentVectors, { redact: options.redact, now }),
    MemoryCollection.open('ci_failures', ciVectors, { redact: options.redact, now }),
  ]);
  const runbooks = new RunbookIndex(runbookVectors, log);
  const retriever = new HybridRetriever({ runbooks, memory: { incidents, ciFailures }, minEvidence: options.minEvidence });
  return {
    retriever,
    runbooks,
    incidents,
    ciFailures,
    embeddingModel: embedding.modelId,
    indexRunbooks: (dirs = options.runbookDirs, onProgress) => runbooks.index(dirs, onProgress),
  };
}
