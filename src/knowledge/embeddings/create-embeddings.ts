import { OpenAIEmbeddings } from '@langchain/openai';
import type { EmbeddingsConfig } from '../../config/config.js';
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
  const embeddings = new OpenAIEmbeddings({
    model: config.model,
    apiKey: config.apiKey,
    configuration: config.baseUrl ? { baseURL: config.baseUrl } : {},
    encodingFormat: 'float',
    batchSize: 128,
    maxRetries: 2,
    timeout: 60_000,
  });
  return { embeddings, modelId: `openai-compatible:${config.model}` };
}
