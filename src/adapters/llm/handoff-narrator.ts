import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LlmConfig } from '../../config/config.js';
import type { HandoffNarrator } from '../../pipeline/handoff/narrative.js';
import { createChatModel } from './chat-model.js';

/** The handoff narrator on the configured LangChain chat model (PITCREW_LLM). One call, no tools. */
export function createHandoffNarrator(config: LlmConfig, timeoutMs: number): HandoffNarrator {
  const { model, modelName } = createChatModel(config, { timeoutMs, maxOutputTokens: 400 });
  return {
    model: modelName,
    async complete(system, user) {
      const reply = await model.invoke([new SystemMessage(system), new HumanMessage(user)], { signal: AbortSignal.timeout(timeoutMs) });
      return typeof reply.content === 'string'
        ? reply.content
        : reply.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
    },
  };
}
