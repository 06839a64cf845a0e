import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage} from '@langchain/core/messages';
import { HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { Policy } from '../../domain/policy.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import type { PlannerTools, ToolCallRecord } from '../tools.js';
import { fence } from './fence.js';
import type { InvalidOutput} from './output.js';
import { SUBMIT_PLAN_PARAMETERS, parseJsonText } from './output.js';
import { runTool, toolDefinitions } from './tool-runner.js';

/**
 * A bounded tool-calling loop over any LangChain chat model. Bounds: model
 * turns (`maxSteps`), wall time (`timeoutMs`, enforced with an AbortSignal
 * on every call) and tokens (`maxTokens`, summed from usage metadata). The
 * run ends when the model calls submit_plan (or answers with plain JSON).
 */
export interface AgentLimits {
  maxSteps: number;
  timeoutMs: number;
  maxTokens: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface AgentRun {
  /** The submitted plan, as data (not yet validated). */
  output?: unknown;
  /** The model's final raw output (tool-call arguments or text). */
  raw: string;
  usage: Usage;
  toolCalls: ToolCallRecord[];
  steps: number;
}

export type AgentFailureKind = 'timeout' | 'error' | 'invalid' | 'budget';

export class AgentFailure extends Error {
  constructor(readonly kind: AgentFailureKind, message: string, readonly run: AgentRun) {
    super(message);
  }
}

export interface AgentInput {
  model: BaseChatModel;
  system: string;
  user: string;
  tools: PlannerTools;
  policy: Policy;
  redactor: Redactor;
  limits: AgentLimits;
  boundary: string;
}

const SUBMIT = 'submit_plan';

function textOf(message: AIMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (typeof part === 'string' ? part : 'text' in part ? String(part.text) : '')).join('');
}

/** Resolves to undefined if the deadline passes first (the tool keeps running but is no longer awaited). */
function beforeDeadline<T>(promise: Promise<T>, deadline: AbortSignal): Promise<T | undefined> {
  if (deadline.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    deadline.addEventListener('abort', onAbort, { once: true });
    promise.then((value) => {
      deadline.removeEventListener('abort', onAbort);
      resolve(value);
    }, (error: unknown) => {
      deadline.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

export async function runAgent(input: AgentInput): Promise<AgentRun> {
  const { model, limits } = input;
  if (!model.bindTools) throw new AgentFailure('error', 'the chat model does not support tool calling', { raw: '', usage: { inputTokens: 0, outputTokens: 0 }, toolCalls: [], steps: 0 });
  const bound = model.bindTools([
    ...toolDefinitions(input.tools),
    { type: 'function', function: { name: SUBMIT, description: 'Submit the final plan. Call exactly once, at the end.', parameters: SUBMIT_PLAN_PARAMETERS as unknown as Record<string, unknown> } },
  ]);
  const run: AgentRun = { raw: '', usage: { inputTokens: 0, outputTokens: 0 }, toolCalls: [], steps: 0 };
  const messages: BaseMessage[] = [new SystemMessage(input.system), new HumanMessage(input.user)];
  const deadline = AbortSignal.timeout(limits.timeoutMs);

  while (run.steps < limits.maxSteps) {
    run.steps++;
    let reply: AIMessage;
    try {
      reply = (await bound.invoke(messages, { signal: deadline })) as AIMessage;
    } catch (error) {
      if (deadline.aborted) throw new AgentFailure('timeout', `no answer within ${limits.timeoutMs} ms (step ${run.steps})`, run);
      throw new AgentFailure('error', `the model call failed at step ${run.steps}: ${(error as Error).message}`, run);
    }
    run.usage.inputTokens += reply.usage_metadata?.input_tokens ?? 0;
    run.usage.outputTokens += reply.usage_metadata?.output_tokens ?? 0;
    if (run.usage.inputTokens + run.usage.outputTokens > limits.maxTokens) {
      run.raw = JSON.stringify({ content: textOf(reply), tool_calls: reply.tool_calls ?? [] });
      throw new AgentFailure('budget', `token budget exceeded: ${run.usage.inputTokens + run.usage.outputTokens} > ${limits.maxTokens} after step ${run.steps}`, run);
    }
    messages.push(reply);

    const calls = reply.tool_calls ?? [];
    const submit = calls.find((call) => call.name === SUBMIT);
    if (submit) {
      run.raw = JSON.stringify(submit.args);
      run.output = submit.args;
      return run;
    }
    const invalidSubmit = (reply.invalid_tool_calls ?? []).find((call) => call.name === SUBMIT);
    if (invalidSubmit) {
      run.raw = String(invalidSubmit.args ?? '');
      const detail = /Error: ([^\n]+)/.exec(invalidSubmit.error ?? '')?.[1] ?? 'unparsable';
      throw new AgentFailure('invalid', `submit_plan arguments are not valid JSON: ${detail}`, run);
    }
    if (calls.length === 0 && (reply.invalid_tool_calls ?? []).length === 0) {
      run.raw = textOf(reply);
      try {
        run.output = parseJsonText(run.raw);
      } catch (error) {
        throw new AgentFailure('invalid', (error as InvalidOutput).message, run);
      }
      return run;
    }
    for (const call of calls) {
      const result = await beforeDeadline(runTool(call.name, call.args, input.tools, input.policy, input.redactor), deadline);
      if (!result) throw new AgentFailure('timeout', `no answer within ${limits.timeoutMs} ms (tool ${call.name} at step ${run.steps})`, run);
      run.toolCalls.push({ name: call.name, args: call.args, output: result.output, error: result.error || undefined });
      messages.push(new ToolMessage({ tool_call_id: call.id ?? call.name, content: fence(`tool result: ${call.name}`, result.output, input.boundary) }));
    }
    for (const call of reply.invalid_tool_calls ?? []) {
      messages.push(new ToolMessage({ tool_call_id: call.id ?? 'invalid', content: JSON.stringify({ error: 'invalid tool call', query: call.args, answer: call.error ?? 'arguments are not valid JSON' }) }));
    }
  }
  throw new AgentFailure('budget', `no plan after ${limits.maxSteps} steps (the step limit)`, run);
}
