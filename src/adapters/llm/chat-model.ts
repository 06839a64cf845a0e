import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { LlmConfig } from '../../config/config.js';

/**
 * The one place that knows LangChain's provider packages. PITCREW_LLM picks:
 *  - openai: ChatOpenAI against OPENAI_BASE_URL (OpenAI, Ollama, vLLM,
 *    llama.cpp and any other OpenAI-compatible chat-completions server);
 *  - anthropic: ChatAnthropic.
 * SDK retries are off (the planner retries once itself, then falls back) and
 * each request is cut off at the planner's time budget.
 */
export interface ChatModelOptions {
  timeoutMs: number;
  /** Cap on one reply's tokens. */
  maxOutputTokens: number;
}

export function createChatModel(config: LlmConfig, options: ChatModelOptions): { model: BaseChatModel; modelName: string } {
  if (config.provider === 'openai') {
    const model = new ChatOpenAI({
      model: config.model,
      apiKey: config.apiKey,
      temperature: 0,
      maxTokens: options.maxOutputTokens,
      maxRetries: 0,
      timeout: options.timeoutMs,
      configuration: config.baseUrl ? { baseURL: config.baseUrl } : undefined,
    });
    return { model, modelName: `openai:${config.model}` };
  }
  const model = new ChatAnthropic({
    model: config.model,
    apiKey: config.apiKey,
    temperature: 0,
    maxTokens: options.maxOutputTokens,
    maxRetries: 0,
    ...(config.baseUrl ? { anthropicApiUrl: config.baseUrl } : {}),
    clientOptions: { timeout: options.timeoutMs },
  });
  return { model, modelName: `anthropic:${config.model}` };
}
