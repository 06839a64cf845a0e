import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { PitcrewError } from '../domain/errors.js';
import type { IncidentPolicy } from '../domain/incident.js';
import { Env, type EnvName } from './env.js';
import { ENV_DOCS } from './env-docs.js';

/**
 * Raw environment → valid Config, once, at startup. Everything downstream
 * takes a `Config` (or a slice of it) and never reads process.env itself.
 */
export type StoreConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
export type ChromaConfig = { kind: 'embedded'; dataDir: string; port: number } | { kind: 'remote'; url: string };

export type EmbeddingsConfig =
  | { provider: 'hashed'; dimensions: number }
  | { provider: 'openai'; model: string; baseUrl?: string; apiKey: string };

export interface KnowledgeConfig {
  /** Absolute runbook directories, in the order given. */
  runbookDirs: string[];
  embeddings: EmbeddingsConfig;
  /** Abstention threshold on content evidence (0–1). */
  minEvidence: number;
}

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  apiUrl?: string;
  /** Channel name or id for incident threads. */
  channel: string;
  /** Who may press incident buttons; null means anyone. */
  responders: string[] | null;
  /** Who may pause/resume; empty means nobody from Slack. */
  operators: string[];
  /** Slack user id → GitHub login. */
  githubUsers: Record<string, string>;
}

export interface GitHubConfig {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  apiUrl: string;
}

export type LlmConfig =
  | { provider: 'openai'; baseUrl?: string; apiKey: string; model: string }
  | { provider: 'anthropic'; apiKey: string; model: string; baseUrl?: string };

/** Bounds of one LLM planning attempt. */
export interface LlmLimits {
  maxSteps: number;
  timeoutMs: number;
  maxTokens: number;
}

export interface PlanningConfig {
  /** Policy YAML path; null means the deny-by-default policy. */
  policyFile: string | null;
  redactPatterns: string[];
  llmLimits: LlmLimits;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  dryRun: boolean;
  store: StoreConfig;
  chroma: ChromaConfig;
  knowledge: KnowledgeConfig;
  slack: SlackConfig | null;
  github: GitHubConfig | null;
  llm: LlmConfig | null;
  planning: PlanningConfig;
  alerts: { token?: string; pagerDutySecret?: string };
  /** How alerts are grouped into incidents and when they flap. */
  incidents: IncidentPolicy;
  /** The durable intake queue. */
  queue: { maxAttempts: number };
  /** The validated environment, for components that own variables of their own. */
  env: Env;
}

export interface ConfigProblem {
  variable: EnvName | string;
  message: string;
}

export class ConfigError extends PitcrewError {
  constructor(readonly problems: ConfigProblem[]) {
    const noun = problems.length === 1 ? 'problem' : 'problems';
    const lines = problems.map((p) => `  ✗ ${p.variable}: ${p.message}`);
    super('config_invalid', [`Invalid configuration (${problems.length} ${noun}):`, ...lines].join('\n'),
      'Fix the variables above in your environment or .env file. `pitcrew config --example` prints every variable with an example.');
  }
}

type RawEnv = Record<string, string | undefined>;

/** Parses the environment. Throws ConfigError listing every problem at once. */
export function loadConfig(raw: RawEnv, cwd = process.cwd()): Config {
  const parsed = Env.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue.path[0], issue.message, raw)));
  }
  const env = parsed.data;
  const problems: ConfigProblem[] = [];
  const dataDir = resolve(cwd, env.PITCREW_DATA_DIR);

  const config: Config = {
    port: env.PORT,
    host: env.HOST,
    dataDir,
    logLevel: env.LOG_LEVEL,
    dryRun: env.PITCREW_DRY_RUN,
    store: storeConfig(env, dataDir, cwd),
    chroma: env.CHROMA_URL
      ? { kind: 'remote', url: env.CHROMA_URL }
      : { kind: 'embedded', dataDir: join(dataDir, 'chroma'), port: env.PITCREW_CHROMA_PORT },
    knowledge: knowledgeConfig(env, problems, cwd),
    slack: slackConfig(env, problems),
    github: githubConfig(env, problems, cwd),
    llm: llmConfig(env, problems),
    planning: planningConfig(env, problems, cwd),
    alerts: { token: env.PITCREW_ALERT_TOKEN, pagerDutySecret: env.PAGERDUTY_WEBHOOK_SECRET },
    incidents: {
      groupBy: env.PITCREW_INCIDENT_GROUP_BY ?? null,
      windowMs: env.PITCREW_INCIDENT_WINDOW,
      flapThreshold: env.PITCREW_FLAP_THRESHOLD,
      flapWindowMs: env.PITCREW_FLAP_WINDOW,
    },
    queue: { maxAttempts: env.PITCREW_QUEUE_MAX_ATTEMPTS },
    env,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function describeIssue(key: PropertyKey | undefined, message: string, raw: RawEnv): ConfigProblem {
  const variable = String(key ?? 'environment');
  const doc = ENV_DOCS[variable as EnvName];
  const value = raw[variable];
  const shown = value === undefined || doc?.secret ? '' : ` (got "${truncate(value)}")`;
  return { variable, message: `${message}${shown}. ${doc?.fix ?? ''}`.trim() };
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}

function storeConfig(env: Env, dataDir: string, cwd: string): StoreConfig {
  const url = env.DATABASE_URL;
  if (!url) return { kind: 'sqlite', file: join(dataDir, 'pitcrew.db') };
  if (url.startsWith('postgres')) return { kind: 'postgres', url };
  const path = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return { kind: 'sqlite', file: isAbsolute(path) ? path : resolve(cwd, path) };
}

function knowledgeConfig(env: Env, problems: ConfigProblem[], cwd: string): KnowledgeConfig {
  const runbookDirs = env.PITCREW_RUNBOOK_DIRS.split(',').map((dir) => dir.trim()).filter((dir) => dir !== '').map((dir) => resolve(cwd, dir));
  let embeddings: EmbeddingsConfig = { provider: 'hashed', dimensions: 512 };
  if (env.PITCREW_EMBEDDINGS === 'openai') {
    const baseUrl = env.PITCREW_EMBEDDINGS_BASE_URL ?? env.OPENAI_BASE_URL;
    const apiKey = env.PITCREW_EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY;
    // Local OpenAI-compatible servers (Ollama, llama.cpp) accept any key.
    if (!apiKey && !baseUrl) {
      problems.push({ variable: 'PITCREW_EMBEDDINGS_API_KEY', message: `is required when PITCREW_EMBEDDINGS=openai (or OPENAI_API_KEY). ${ENV_DOCS.PITCREW_EMBEDDINGS_API_KEY.fix} For a local server, set PITCREW_EMBEDDINGS_BASE_URL instead.` });
    }
    embeddings = { provider: 'openai', model: env.PITCREW_EMBEDDINGS_MODEL ?? 'text-embedding-3-small', baseUrl, apiKey: apiKey ?? 'not-needed' };
  }
  return { runbookDirs, embeddings, minEvidence: env.PITCREW_RETRIEVAL_MIN_EVIDENCE };
}

function requireTogether(env: Env, names: EnvName[], problems: ConfigProblem[], feature: string): boolean {
  const present = names.filter((name) => env[name] !== undefined);
  if (present.length === 0) return false;
  for (const name of names) {
    if (env[name] !== undefined) continue;
    problems.push({
      variable: name,
      message: `is required because ${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} set (${feature}). ${ENV_DOCS[name].fix} Or unset ${present.join(' and ')} to turn ${feature} off.`,
    });
  }
  return present.length === names.length;
}

function slackConfig(env: Env, problems: ConfigProblem[]): SlackConfig | null {
  if (!requireTogether(env, ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'], problems, 'Slack')) return null;
  return {
    botToken: env.SLACK_BOT_TOKEN!,
    signingSecret: env.SLACK_SIGNING_SECRET!,
    appToken: env.SLACK_APP_TOKEN,
    apiUrl: env.SLACK_API_URL,
    channel: env.SLACK_CHANNEL.replace(/^#/, ''),
    responders: env.SLACK_RESPONDERS ?? null,
    operators: env.SLACK_OPERATORS ?? [],
    githubUsers: env.SLACK_GITHUB_USERS ?? {},
  };
}

function githubConfig(env: Env, problems: ConfigProblem[], cwd: string): GitHubConfig | null {
  const keyVariable: EnvName = env.PRIVATE_KEY_PATH !== undefined && env.PRIVATE_KEY === undefined ? 'PRIVATE_KEY_PATH' : 'PRIVATE_KEY';
  if (!requireTogether(env, ['APP_ID', keyVariable, 'WEBHOOK_SECRET'], problems, 'the GitHub App')) return null;
  const privateKey = readPrivateKey(env, cwd, problems);
  if (privateKey === null) return null;
  return {
    appId: env.APP_ID!,
    privateKey,
    webhookSecret: env.WEBHOOK_SECRET!,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
  };
}

function readPrivateKey(env: Env, cwd: string, problems: ConfigProblem[]): string | null {
  let pem = env.PRIVATE_KEY?.replace(/\\n/g, '\n');
  let variable: EnvName = 'PRIVATE_KEY';
  if (pem === undefined && env.PRIVATE_KEY_PATH !== undefined) {
    variable = 'PRIVATE_KEY_PATH';
    const path = resolve(cwd, env.PRIVATE_KEY_PATH);
    try {
      pem = readFileSync(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
      problems.push({ variable, message: `the file ${path} ${reason}. ${ENV_DOCS.PRIVATE_KEY_PATH.fix}` });
      return null;
    }
  }
  if (!pem || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    problems.push({ variable, message: `is not a PEM private key (no "-----BEGIN … PRIVATE KEY-----" line). ${ENV_DOCS[variable].fix}` });
    return null;
  }
  return pem;
}

function llmConfig(env: Env, problems: ConfigProblem[]): LlmConfig | null {
  switch (env.PITCREW_LLM) {
    case 'none':
      return null;
    case 'openai': {
      // Local OpenAI-compatible servers (Ollama, llama.cpp) accept any key.
      if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
        problems.push({ variable: 'OPENAI_API_KEY', message: `is required when PITCREW_LLM=openai. ${ENV_DOCS.OPENAI_API_KEY.fix} For a local server, set OPENAI_BASE_URL instead.` });
        return null;
      }
      return { provider: 'openai', baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY ?? 'not-needed', model: env.OPENAI_MODEL ?? 'gpt-4o-mini' };
    }
    case 'anthropic': {
      if (!env.ANTHROPIC_API_KEY) {
        problems.push({ variable: 'ANTHROPIC_API_KEY', message: `is required when PITCREW_LLM=anthropic. ${ENV_DOCS.ANTHROPIC_API_KEY.fix}` });
        return null;
      }
      return { provider: 'anthropic', apiKey: env.ANTHROPIC_API_KEY, model: env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-5', baseUrl: env.ANTHROPIC_BASE_URL };
    }
  }
}

function planningConfig(env: Env, problems: ConfigProblem[], cwd: string): PlanningConfig {
  let redactPatterns: string[] = [];
  if (env.PITCREW_REDACT_PATTERNS !== undefined) {
    try {
      const parsed: unknown = JSON.parse(env.PITCREW_REDACT_PATTERNS);
      if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error('not an array of strings');
      parsed.forEach((source: string, index) => {
        try {
          new RegExp(source, 'g');
        } catch (error) {
          throw new Error(`pattern ${index + 1} (${JSON.stringify(source)}) is not a valid regular expression: ${(error as Error).message}`);
        }
      });
      redactPatterns = parsed;
    } catch (error) {
      problems.push({ variable: 'PITCREW_REDACT_PATTERNS', message: `${(error as Error).message}. ${ENV_DOCS.PITCREW_REDACT_PATTERNS.fix}` });
    }
  }
  return {
    policyFile: env.PITCREW_POLICY_FILE ? resolve(cwd, env.PITCREW_POLICY_FILE) : null,
    redactPatterns,
    llmLimits: { maxSteps: env.PITCREW_LLM_MAX_STEPS, timeoutMs: env.PITCREW_LLM_TIMEOUT_MS, maxTokens: env.PITCREW_LLM_MAX_TOKENS },
  };
}
