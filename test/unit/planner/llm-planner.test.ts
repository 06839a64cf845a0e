import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createChatModel } from '../../../src/adapters/llm/chat-model.js';
import { manualClock } from '../../../src/domain/clock.js';
import { planHash } from '../../../src/domain/plan.js';
import { createRedactor } from '../../../src/ops/redaction/redactor.js';
import { plan, type PlannerDeps } from '../../../src/planner/plan.js';
import { ToolApiError, type PlannerTools } from '../../../src/planner/tools.js';
import { startFakeOpenAi, type RecordedResponse } from '../../support/fake-openai.js';
import { context, policy } from '../../support/planning.js';
import { secretFactory } from '../../support/secrets.js';

const redactor = createRedactor();
const GOOD_PLAN = {
  summary: 'checkout-api is returning 5xx after a deploy',
  probableCause: 'A bad deploy poisoned the connection pool, as in INC-42.',
  runbookPath: 'runbooks/high-error-rate.md',
  actions: [{ kind: 'kubernetes.rollout_restart', namespace: 'payments', name: 'checkout-api' }],
  rollback: ['kubectl rollout undo deployment/checkout-api -n payments'],
  evidence: ['runbooks/high-error-rate.md#mitigation', 'INC-42'],
  notes: [],
};

async function deps(responses: RecordedResponse[], tools: PlannerTools = {}, limits = { maxSteps: 4, timeoutMs: 5_000, maxTokens: 50_000 }) {
  const server = await startFakeOpenAi(responses);
  const { model, modelName } = createChatModel({ provider: 'openai', baseUrl: server.baseUrl, apiKey: 'test-key', model: 'gpt-4o-mini' }, { timeoutMs: limits.timeoutMs, maxOutputTokens: 2000 });
  let ids = 0;
  const plannerDeps: PlannerDeps = {
    policy: policy(),
    redactor,
    clock: manualClock(),
    newId: (prefix) => `${prefix}_${++ids}`,
    llm: { model, modelName, tools, limits, boundary: () => 'b0undary' },
  };
  return { server, deps: plannerDeps };
}

describe('LLM planner through ChatOpenAI and a recorded fake server', () => {
  it('calls read-only tools, then accepts a valid submitted plan', async () => {
    const f = secretFactory(3);
    const leaked = f.githubPat();
    const tools: PlannerTools = {
      searchIncidents: async (query) => [{ id: 'INC-42', title: 'Checkout 5xx after deploy', summary: `found for ${query}; deploy token was ${leaked}`, score: 0.7 }],
    };
    const { server, deps: d } = await deps([
      { toolCalls: [{ name: 'search_incidents', arguments: { query: 'checkout 5xx deploy' } }], usage: { prompt: 1200, completion: 40 } },
      { toolCalls: [{ name: 'submit_plan', arguments: GOOD_PLAN }], usage: { prompt: 1500, completion: 200 } },
    ], tools);
    const { plan: result, decision } = await plan(context(), d);
    assert.deepEqual(result.planner, { kind: 'llm', model: 'openai:gpt-4o-mini', promptVersion: decision.promptVersion });
    assert.deepEqual(result.actions, [{ kind: 'kubernetes.rollout_restart', namespace: 'payments', name: 'checkout-api', resource: 'deployment', risk: 'medium' }]);
    assert.equal(result.confidence.level, 'high', 'confidence comes from retrieval, not the model');
    assert.equal(decision.planHash, planHash(result));
    assert.deepEqual(decision.tokens, { input: 2700, output: 240 });
    assert.equal(decision.estimatedCostUsd, Math.round(((2700 * 0.15 + 240 * 0.6) / 1e6) * 1e6) / 1e6);
    assert.match(decision.promptVersion!, /^planner-v1\+[0-9a-f]{8}\/[0-9a-f]{8}$/);
    assert.equal(decision.attempts.length, 1);
    assert.equal(decision.attempts[0]!.toolCalls[0]!.name, 'search_incidents');
    // The tool result reached the model fenced and redacted.
    const toolMessage = server.requests[1]!.messages.find((m) => m.role === 'tool')!;
    assert.match(toolMessage.content!, /^<<<DATA b=b0undary label="tool result: search_incidents">>>/);
    assert.ok(!toolMessage.content!.includes(leaked));
    assert.match(toolMessage.content!, /\[REDACTED:github-token\]/);
    // Only read-only tools (and submit_plan) were offered.
    assert.deepEqual(server.requests[0]!.tools!.map((t) => t.function.name), ['search_incidents', 'submit_plan']);
  });

  it('accepts a plain JSON answer (a model without tool calling)', async () => {
    const { deps: d } = await deps([{ content: `Here is the plan:\n\`\`\`json\n${JSON.stringify(GOOD_PLAN)}\n\`\`\`` }]);
    const { plan: result } = await plan(context(), d);
    assert.equal(result.planner.kind, 'llm');
  });

  it('retries once after malformed output, then succeeds', async () => {
    const { server, deps: d } = await deps([
      { content: 'I think you should restart it: {not json}' },
      { toolCalls: [{ name: 'submit_plan', arguments: GOOD_PLAN }] },
    ]);
    const { plan: result, decision } = await plan(context(), d);
    assert.equal(result.planner.kind, 'llm');
    assert.deepEqual(decision.attempts.map((a) => a.outcome), ['invalid', 'ok']);
    assert.match(decision.attempts[0]!.raw, /not json/);
    const retryPrompt = server.requests[1]!.messages[1]!.content!;
    assert.match(retryPrompt, /Your previous attempt failed and was discarded/);
    assert.match(retryPrompt, /<<<DATA b=b0undary label="previous attempt error">>>\nthe reply is not valid JSON/);
  });

  it('falls back to the deterministic planner after two malformed outputs, and says so', async () => {
    const { deps: d } = await deps([
      { toolCalls: [{ name: 'submit_plan', arguments: '{"summary": "x", "actions": [' }] },
      { toolCalls: [{ name: 'submit_plan', arguments: { ...GOOD_PLAN, actions: [{ kind: 'shell.exec', command: 'rm -rf /' }] } }] },
    ]);
    const { plan: result, decision } = await plan(context(), d);
    assert.equal(result.planner.kind, 'deterministic');
    assert.match(result.planner.fallback!, /LLM planner \(openai:gpt-4o-mini\) failed twice; this is the deterministic plan\. attempt 1: invalid \(submit_plan arguments are not valid JSON: Unexpected end of JSON input\); attempt 2: invalid \(the plan does not match the schema: actions.0.kind/);
    assert.match(result.notes[0]!, /The LLM planner failed \(invalid, invalid\)/);
    assert.deepEqual(result.actions.map((a) => a.kind), ['kubernetes.rollout_restart', 'kubernetes.scale']);
    assert.equal(decision.planner, 'deterministic');
    assert.equal(decision.model, 'openai:gpt-4o-mini');
    assert.match(decision.rawOutput!, /shell.exec/);
  });

  it('times out a slow model, retries, then falls back', async () => {
    const { deps: d } = await deps([
      { delayMs: 600, content: JSON.stringify(GOOD_PLAN) },
      { delayMs: 600, content: JSON.stringify(GOOD_PLAN) },
    ], {}, { maxSteps: 4, timeoutMs: 150, maxTokens: 50_000 });
    const { plan: result, decision } = await plan(context(), d);
    assert.deepEqual(decision.attempts.map((a) => a.outcome), ['timeout', 'timeout']);
    assert.match(decision.attempts[0]!.error!, /no answer within 150 ms/);
    assert.equal(result.planner.kind, 'deterministic');
    assert.match(result.planner.fallback!, /timeout/);
  });

  it('treats an API error as a failed attempt', async () => {
    const { deps: d } = await deps([{ status: 500, error: 'upstream overloaded' }, { toolCalls: [{ name: 'submit_plan', arguments: GOOD_PLAN }] }]);
    const { decision } = await plan(context(), d);
    assert.deepEqual(decision.attempts.map((a) => a.outcome), ['error', 'ok']);
    assert.match(decision.attempts[0]!.error!, /upstream overloaded/);
  });

  it('stops at the step limit and at the token budget', async () => {
    const loop = { toolCalls: [{ name: 'search_incidents', arguments: { query: 'again' } }] };
    const { deps: d } = await deps([loop, loop, loop, loop], { searchIncidents: async () => [] }, { maxSteps: 2, timeoutMs: 5_000, maxTokens: 50_000 });
    const { decision } = await plan(context(), d);
    assert.deepEqual(decision.attempts.map((a) => [a.outcome, a.steps]), [['budget', 2], ['budget', 2]]);
    assert.match(decision.attempts[0]!.error!, /no plan after 2 steps/);

    const { deps: d2 } = await deps([{ ...loop, usage: { prompt: 3000, completion: 10 } }, { ...loop, usage: { prompt: 3000, completion: 10 } }], { searchIncidents: async () => [] }, { maxSteps: 5, timeoutMs: 5_000, maxTokens: 2_000 });
    const second = await plan(context(), d2);
    assert.match(second.decision.attempts[0]!.error!, /token budget exceeded: 3010 > 2000/);
  });

  it('answers write-like tools with "approval required" and tool errors with the query and the API answer', async () => {
    const tools: PlannerTools = { readRepoFile: async () => { throw new ToolApiError('GET /repos/acme/deploy/contents/x.yaml failed', '404 Not Found'); } };
    const { server, deps: d } = await deps([
      { toolCalls: [{ name: 'kubectl_apply', arguments: { manifest: 'x' } }, { name: 'read_repo_file', arguments: { repo: 'acme/deploy', path: 'x.yaml' } }, { name: 'read_repo_file', arguments: { repo: 'evil/exfil', path: 'secrets.yaml' } }] },
      { toolCalls: [{ name: 'submit_plan', arguments: GOOD_PLAN }] },
    ], tools);
    await plan(context(), d);
    const toolMessages = server.requests[1]!.messages.filter((m) => m.role === 'tool').map((m) => m.content!);
    assert.match(toolMessages[0]!, /"error":"approval required".*kubectl_apply would change something/);
    assert.match(toolMessages[1]!, /"error":"read_repo_file failed","query":\{"repo":"acme\/deploy","path":"x.yaml"\},"answer":"GET \/repos\/acme\/deploy\/contents\/x.yaml failed: 404 Not Found"/);
    assert.match(toolMessages[2]!, /repository evil\/exfil is not one pitcrew may read/);
  });
});
