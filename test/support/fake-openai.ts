import { after } from 'node:test';
import { startFakeOpenAi as start, type RecordedResponse } from '../../src/planner/evals/recorded-openai-server.js';

export type { RecordedResponse } from '../../src/planner/evals/recorded-openai-server.js';

/** The recorded chat-completions server, closed when the test file ends. */
export async function startFakeOpenAi(responses: RecordedResponse[] = []) {
  const server = await start(responses);
  after(() => server.close());
  return server;
}
