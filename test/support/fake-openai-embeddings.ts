import { createServer, type IncomingMessage, type Server } from 'node:http';
import { HashedNgramEmbeddings } from '../../src/knowledge/embeddings/hashed-ngram-embeddings.js';

/**
 * A small OpenAI-compatible embeddings server on 127.0.0.1 (POST /v1/embeddings),
 * like Ollama, vLLM or llama.cpp expose. Vectors come from a 64-dimension hashed
 * model so retrieval still behaves; every request is recorded.
 */
export interface FakeEmbeddingsServer {
  baseUrl: string;
  requests: Array<{ authorization?: string; model: string; input: string[]; encodingFormat?: string }>;
  /** Answer the next requests with this HTTP status instead. */
  failWith?: number;
  close(): Promise<void>;
}

export async function startFakeEmbeddings(): Promise<FakeEmbeddingsServer> {
  const model = new HashedNgramEmbeddings({ dimensions: 64 });
  const fake: FakeEmbeddingsServer = { baseUrl: '', requests: [], close: async () => {} };
  const server: Server = createServer(async (request, response) => {
    const body = JSON.parse(await readBody(request)) as { model: string; input: string | string[]; encoding_format?: string };
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
      response.writeHead(404).end();
      return;
    }
    const input = Array.isArray(body.input) ? body.input : [body.input];
    fake.requests.push({ authorization: request.headers.authorization, model: body.model, input, encodingFormat: body.encoding_format });
    if (fake.failWith) {
      response.writeHead(fake.failWith, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }));
      return;
    }
    const data = input.map((text, index) => ({ object: 'embedding', index, embedding: model.embed(text) }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  fake.baseUrl = `http://127.0.0.1:${port}/v1`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
