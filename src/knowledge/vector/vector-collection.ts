import { Chroma } from '@langchain/community/vectorstores/chroma';
import type { Embeddings } from '@langchain/core/embeddings';
import { ChromaNotFoundError, type ChromaClient, type Collection, type EmbeddingFunction, type Metadata } from 'chromadb';
import type { Logger } from '../../ops/logger.js';

/**
 * A Chroma collection bound to one embedding model, used through LangChain's
 * `Chroma` vector store (with our client passed as `index`, so the deprecated
 * `path` option is never used, and embeddings always passed explicitly:
 * Chroma's default embedding function would download a model).
 *
 * Each collection records the model that built it in its metadata. Opening it
 * with a different model rebuilds it:
 * - `drop`: delete and recreate it empty (runbooks: the files are re-indexed);
 * - `reembed`: copy every record into `<name>-reembed` with new vectors, then
 *   delete the old collection and rename the new one (incidents, CI failures:
 *   the text lives only here). A crash part-way leaves the old collection or
 *   a complete copy, never neither; the next open finishes the job.
 */
export interface EmbeddingModel {
  embeddings: Embeddings;
  /** Recorded on the collection, e.g. `pitcrew-hashed-ngrams-v1/512` or `openai:text-embedding-3-small`. */
  modelId: string;
}

export interface VectorCollection {
  name: string;
  store: Chroma;
  collection: Collection;
  /** What opening did: reused as is, created new, or rebuilt because the model changed. */
  opened: 'reused' | 'created' | 'rebuilt';
  previousModel?: string;
}

export const MODEL_KEY = 'pitcrew_embedding_model';
const STATE_KEY = 'pitcrew_state';
const REEMBED_SUFFIX = '-reembed';
const PAGE = 1_000;

export async function openVectorCollection(
  client: ChromaClient,
  name: string,
  model: EmbeddingModel,
  onModelChange: 'drop' | 'reembed',
  log: Logger,
): Promise<VectorCollection> {
  const embeddingFunction = toEmbeddingFunction(model.embeddings);
  const scratchName = `${name}${REEMBED_SUFFIX}`;
  let existing = await find(client, name, embeddingFunction);

  const scratchLeft = await find(client, scratchName, embeddingFunction);
  if (scratchLeft) {
    if (!existing && scratchLeft.metadata?.[STATE_KEY] === 'ready') {
      log.warn({ collection: name }, 'finishing an interrupted re-embedding');
      await scratchLeft.modify({ name });
      existing = await find(client, name, embeddingFunction);
    } else {
      await client.deleteCollection({ name: scratchName });
    }
  }

  if (!existing) {
    const collection = await create(client, name, model, embeddingFunction, 'ready');
    return { name, store: bind(model, name, collection), collection, opened: 'created' };
  }

  const previousModel = String(existing.metadata?.[MODEL_KEY] ?? 'unknown');
  if (previousModel === model.modelId) return { name, store: bind(model, name, existing), collection: existing, opened: 'reused' };

  log.warn({ collection: name, from: previousModel, to: model.modelId }, 'embedding model changed; rebuilding the collection');
  if (onModelChange === 'drop') {
    await client.deleteCollection({ name });
    const collection = await create(client, name, model, embeddingFunction, 'ready');
    return { name, store: bind(model, name, collection), collection, opened: 'rebuilt', previousModel };
  }

  const scratch = await create(client, scratchName, model, embeddingFunction, 'building');
  for (let offset = 0; ; offset += PAGE) {
    const page = await existing.get({ limit: PAGE, offset, include: ['documents', 'metadatas'] as never });
    if (page.ids.length === 0) break;
    const documents = page.documents.map((document) => document ?? '');
    await scratch.upsert({
      ids: page.ids,
      documents,
      metadatas: page.metadatas.map((metadata) => (metadata ?? {}) as Metadata),
      embeddings: await model.embeddings.embedDocuments(documents),
    });
  }
  await scratch.modify({ metadata: { ...scratch.metadata, [STATE_KEY]: 'ready' } });
  await client.deleteCollection({ name });
  await scratch.modify({ name });
  const collection = await client.getCollection({ name, embeddingFunction });
  return { name, store: bind(model, name, collection), collection, opened: 'rebuilt', previousModel };
}

/** Cosine space: both embedding kinds are unit-normalized, so 1 − distance is the cosine similarity. */
async function create(client: ChromaClient, name: string, model: EmbeddingModel, embeddingFunction: EmbeddingFunction, state: string): Promise<Collection> {
  return client.createCollection({
    name,
    embeddingFunction,
    configuration: { hnsw: { space: 'cosine' } },
    metadata: { [MODEL_KEY]: model.modelId, [STATE_KEY]: state, pitcrew_created_at: new Date().toISOString() },
  });
}

function bind(model: EmbeddingModel, name: string, collection: Collection): Chroma {
  const store = new Chroma(model.embeddings, { collectionName: name, index: collection as never });
  // Hand LangChain the opened collection: its own getOrCreateCollection would pass no embedding function.
  store.collection = collection as never;
  return store;
}

/** The collection, or undefined when there is none (with our embedding function, so chromadb does not warn about a missing one). */
async function find(client: ChromaClient, name: string, embeddingFunction: EmbeddingFunction): Promise<Collection | undefined> {
  try {
    return await client.getCollection({ name, embeddingFunction });
  } catch (error) {
    if (error instanceof ChromaNotFoundError || /does not exist|not found/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

/** Our LangChain embeddings as a Chroma embedding function, so Chroma never reaches for its default (which downloads a model). */
function toEmbeddingFunction(embeddings: Embeddings): EmbeddingFunction {
  return { generate: (texts: string[]) => embeddings.embedDocuments(texts) } as EmbeddingFunction;
}
