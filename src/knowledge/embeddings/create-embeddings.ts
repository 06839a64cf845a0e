import { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { EmbeddingsConfig } from '../../config/config.js';
import { PitcrewError } from '../../domain/errors.js';
import type { EmbeddingModel } from '../vector/vector-collection.js';
import { HashedNgramEmbeddings } from './hashed-ngram-embeddings.js';

/**
 * The configured embedding model, behind LangChain's `Embeddings` interface.
 * - `hashed` (default): offline, deterministic, downloads nothing.
 * - `openai`: any OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama,
 *   vLLM, llama.cpp), chosen by base URL. Floats are requested explicitly:
 *   not every compatible server implements the SDK's default base64 format.
 */
export function createEmbeddingModel(config: EmbeddingsConfig): EmbeddingModel {
  if (config.provider === 'hashed') {
    const embeddings = new HashedNgramEmbeddings({ dimensions: config.dimensions });
    return { embeddings, modelId: embeddings.modelId };
  }
  const client = new OpenAIEmbeddings({
    model: config.model,
    apiKey: config.apiKey,
    configuration: config.baseUrl ? { baseURL: config.baseUrl } : {},
    encodingFormat: 'float',
    batchSize: 128,
    maxRetries: 2,
    timeout: 60_000,
  });
  return { embeddings: new ExplainedEmbeddings(client, config.model, config.baseUrl ?? 'https://api.openai.com/v1'), modelId: `openai-compatible:${config.model}` };
}

/** Delegates to a remote model and turns its failures into one clear error naming the server and model. */
class ExplainedEmbeddings extends Embeddings {
  constructor(
    private readonly inner: Embeddings,
    private readonly model: string,
    private readonly baseUrl: string,
  ) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return this.explain(() => this.inner.embedDocuments(texts));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.explain(() => this.inner.embedQuery(text));
  }

  private async explain<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new PitcrewError('embeddings_unavailable', `The embeddings server at ${this.baseUrl} failed for model "${this.model}": ${(error as Error).message}`,
        'Check PITCREW_EMBEDDINGS_BASE_URL, PITCREW_EMBEDDINGS_MODEL and the API key, or set PITCREW_EMBEDDINGS=hashed to use the offline embedding.', { cause: error });
    }
  }
}
