import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 that replays
 * recorded responses in order, so the real LangChain client (ChatOpenAI) is
 * exercised end to end without the network: by the tests, and by
 * `pitcrew eval planner` in recorded mode. Each request is kept (what the
 * model was shown).
 */
export interface RecordedToolCall {
  name: string;
  /** Arguments as the model sent them: an object (serialised) or a raw string (possibly malformed). */
  arguments: Record<string, unknown> | string;
}

export type RecordedResponse =
  | { content?: string | null; toolCalls?: RecordedToolCall[]; usage?: { prompt: number; completion: number }; delayMs?: number }
  | { status: number; error: string; delayMs?: number };

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
}

export interface FakeOpenAi {
  baseUrl: string;
  requests: ChatRequest[];
  /** Responses still queued. */
  remaining(): number;
  enqueue(...responses: RecordedResponse[]): void;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOpenAi(responses: RecordedResponse[] = []): Promise<FakeOpenAi> {
  const queue = [...responses];
  const requests: ChatRequest[] = [];
  let callId = 0;
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const parsed = JSON.parse(text) as ChatRequest;
    requests.push(parsed);
    const next = queue.shift();
    if (!next) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'fake server: no recorded response left', type: 'server_error' } }));
      return;
    }
    if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    if (res.destroyed) return;
    if ('status' in next) {
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: next.error, type: 'server_error' } }));
      return;
    }
    const toolCalls = next.toolCalls?.map((call) => ({
      id: `call_${++callId}`,
      type: 'function',
      function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
    }));
    const usage = next.usage ?? { prompt: 1000, completion: 100 };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: 1_767_225_600,
      model: parsed.model,
      choices: [{ index: 0, message: { role: 'assistant', content: next.content ?? null, ...(toolCalls?.length ? { tool_calls: toolCalls } : {}) }, finish_reason: toolCalls?.length ? 'tool_calls' : 'stop', logprobs: null }],
      usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    remaining: () => queue.length,
    enqueue: (...more) => queue.push(...more),
    close,
  };
}
