import type { Config } from './config.js';

export interface Feature {
  name: string;
  on: boolean;
  /** What it runs on when on; how to turn it on when off. */
  detail: string;
}

/** What is on and what is off, for the startup log and `pitcrew doctor`. */
export function describeFeatures(config: Config): Feature[] {
  const { env } = config;
  return [
    {
      name: 'store',
      on: true,
      detail: config.store.kind === 'sqlite' ? `SQLite file ${config.store.file}` : `Postgres ${redactUrl(config.store.url)}`,
    },
    {
      name: 'chroma',
      on: true,
      detail: config.chroma.kind === 'embedded' ? `embedded server, data in ${config.chroma.dataDir}` : `remote server ${config.chroma.url}`,
    },
    {
      name: 'embeddings',
      on: true,
      detail: config.knowledge.embeddings.provider === 'hashed'
        ? 'offline hashed word and character n-grams (no model download)'
        : `OpenAI-compatible model ${config.knowledge.embeddings.model} at ${config.knowledge.embeddings.baseUrl ?? 'https://api.openai.com/v1'}`,
    },
    config.slack
      ? { name: 'slack', on: true, detail: `${config.slack.appToken ? 'Socket Mode' : 'HTTP events at /slack/events'}, incident threads in #${config.slack.channel}` }
      : { name: 'slack', on: false, detail: 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on' },
    config.github
      ? { name: 'github', on: true, detail: `App ${config.github.appId} at ${config.github.apiUrl}, webhooks at /api/github/webhooks` }
      : { name: 'github', on: false, detail: 'set APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET to turn it on' },
    config.llm
      ? { name: 'llm', on: true, detail: `${config.llm.provider} model ${config.llm.model}` }
      : { name: 'llm', on: false, detail: llmHint(env) },
    config.alerts.token
      ? { name: 'alert auth', on: true, detail: 'bearer token required on /alerts/*' }
      : { name: 'alert auth', on: false, detail: 'no PITCREW_ALERT_TOKEN: /alerts/* accept loopback requests only' },
    env.PITCREW_HANDOFF_CRON
      ? { name: 'handoff schedule', on: true, detail: `"${env.PITCREW_HANDOFF_CRON}" in ${env.PITCREW_HANDOFF_TZ} to ${env.PITCREW_HANDOFF_CHANNEL ?? 'the log (no PITCREW_HANDOFF_CHANNEL)'}${env.PITCREW_HANDOFF_ISSUE_REPO ? `, filed in ${env.PITCREW_HANDOFF_ISSUE_REPO}` : ''}` }
      : { name: 'handoff schedule', on: false, detail: 'set PITCREW_HANDOFF_CRON (and PITCREW_HANDOFF_TZ, PITCREW_HANDOFF_CHANNEL) to post the on-call handoff at each shift change' },
    { name: 'dry run', on: config.dryRun, detail: config.dryRun ? 'side effects are logged, not performed' : 'side effects are performed after approval and merge' },
  ];
}

function llmHint(env: Config['env']): string {
  const present = env.ANTHROPIC_API_KEY ? 'anthropic' : env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? 'openai' : undefined;
  if (present) return `a ${present} key is set but PITCREW_LLM=none; set PITCREW_LLM=${present} to use it (deterministic runbook planner in use)`;
  return 'deterministic runbook planner in use; set PITCREW_LLM to openai or anthropic to add the LLM planner';
}

/** postgres://user:secret@host/db → postgres://user:***@host/db */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
