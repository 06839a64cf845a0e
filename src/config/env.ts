import { z } from 'zod/v4';

/**
 * The environment, as pitcrew reads it. Raw strings in, typed values out.
 *
 * Every variable is declared twice on purpose: once here as a schema, once in
 * `ENV_DOCS` (./env-docs.ts) for humans. The docs record is typed against this
 * schema, so a variable cannot be added without documenting it, and
 * `.env.example` is generated from the docs (`pitcrew config --example`).
 */

/** `FOO=` in a .env file means "unset", not "empty string". */
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.output<T>) =>
  z.preprocess(unsetIfEmpty, schema.default(fallback as never));

const boolean = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { error: 'expected true or false' }))
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const port = z.coerce
  .number({ error: 'is not a number' })
  .int({ error: 'is not a whole number' })
  .min(0, { error: 'must be between 0 and 65535' })
  .max(65535, { error: 'must be between 0 and 65535' });

const httpUrl = z.url({ protocol: /^https?$/, error: 'is not an http(s) URL' });

/** `postgres://…` selects Postgres; `sqlite:<path>` or `file:<path>` names an explicit SQLite file. */
const databaseUrl = z.string().refine((value) => /^(postgres(ql)?:\/\/.+|sqlite:.+|file:.+)$/.test(value), {
  error: 'is not a database URL',
});

/** `90s`, `30m`, `1h`, `1h30m`, `2d` → milliseconds. */
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const duration = z
  .string()
  .trim()
  .regex(/^(\d+(ms|s|m|h|d))+$/, { error: 'is not a duration such as 90s, 30m, 1h or 1h30m' })
  .transform((value) => [...value.matchAll(/(\d+)(ms|s|m|h|d)/g)].reduce((total, [, n, unit]) => total + Number(n) * DURATION_UNITS[unit!]!, 0))
  .refine((ms) => ms > 0, { error: 'must be longer than zero' });

/** `alertname, service` → ['alertname', 'service']. */
const labelList = z
  .string()
  .transform((value) => value.split(',').map((label) => label.trim()).filter(Boolean))
  .refine((labels) => labels.length > 0 && labels.every((label) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(label)), {
    error: 'is not a comma-separated list of label names (letters, digits, underscores)',
  });

const positiveInt = (min: number, max: number) =>
  z.coerce.number({ error: 'is not a number' }).int({ error: 'is not a whole number' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

/** `U123, S456` → Slack user ids (U…/W…) and user group ids (S…). */
const slackPrincipals = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
  .refine((items) => items.every((item) => /^[UWS][A-Z0-9]{2,}$/.test(item)), {
    error: 'is not a comma-separated list of Slack user ids (U…) and user group ids (S…)',
  });

/** `U123=octocat, U456=hubot` → { U123: 'octocat', U456: 'hubot' }. */
const slackGitHubMap = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean).map((item) => item.split('=').map((part) => part.trim())))
  .refine((pairs) => pairs.every((pair) => pair.length === 2 && /^[UW][A-Z0-9]{2,}$/.test(pair[0]!) && /^[A-Za-z0-9-]{1,39}(\[bot\])?$/.test(pair[1]!)), {
    error: 'is not a comma-separated list of SLACK_USER_ID=github-login pairs',
  })
  .transform((pairs) => Object.fromEntries(pairs.map(([slack, github]) => [slack!, github!])) as Record<string, string>);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LLM_PROVIDERS = ['none', 'openai', 'anthropic'] as const;
export const EMBEDDING_PROVIDERS = ['hashed', 'openai'] as const;

export const Env = z.object({
  // core
  PORT: withDefault(port, 3000),
  HOST: withDefault(z.string(), '127.0.0.1'),
  PITCREW_DATA_DIR: withDefault(z.string(), './.pitcrew'),
  LOG_LEVEL: withDefault(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
  PITCREW_DRY_RUN: withDefault(boolean, false),
  // store
  DATABASE_URL: optional(databaseUrl),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'is not a redis:// or rediss:// URL' })),
  // chroma
  CHROMA_URL: optional(httpUrl),
  PITCREW_CHROMA_PORT: withDefault(port, 0),
  // knowledge
  PITCREW_RUNBOOK_DIRS: withDefault(z.string(), 'runbooks'),
  PITCREW_EMBEDDINGS: withDefault(z.enum(EMBEDDING_PROVIDERS, { error: `must be one of ${EMBEDDING_PROVIDERS.join(', ')}` }), 'hashed'),
  PITCREW_EMBEDDINGS_MODEL: optional(z.string()),
  PITCREW_EMBEDDINGS_BASE_URL: optional(httpUrl),
  PITCREW_EMBEDDINGS_API_KEY: optional(z.string()),
  PITCREW_RETRIEVAL_MIN_EVIDENCE: withDefault(
    z.coerce.number({ error: 'is not a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }),
    0.3,
  ),
  // slack
  SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', { error: 'must start with xoxb-' })),
  SLACK_SIGNING_SECRET: optional(z.string()),
  SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', { error: 'must start with xapp-' })),
  SLACK_API_URL: optional(httpUrl),
  SLACK_CHANNEL: withDefault(z.string().trim().regex(/^#?[a-z0-9][a-z0-9._-]{0,79}$|^[CG][A-Z0-9]{2,}$/, { error: 'is not a channel name (incidents) or id (C…)' }), 'incidents'),
  SLACK_RESPONDERS: optional(slackPrincipals),
  SLACK_OPERATORS: optional(slackPrincipals),
  SLACK_GITHUB_USERS: optional(slackGitHubMap),
  // github
  APP_ID: optional(z.coerce.number({ error: 'is not a number' }).int({ error: 'is not a whole number' }).positive()),
  PRIVATE_KEY: optional(z.string()),
  PRIVATE_KEY_PATH: optional(z.string()),
  WEBHOOK_SECRET: optional(z.string()),
  GITHUB_API_URL: optional(httpUrl),
  PITCREW_GITHUB_SETUP: withDefault(boolean, true),
  // llm
  PITCREW_LLM: withDefault(z.enum(LLM_PROVIDERS, { error: `must be one of ${LLM_PROVIDERS.join(', ')}` }), 'none'),
  OPENAI_BASE_URL: optional(httpUrl),
  OPENAI_API_KEY: optional(z.string()),
  OPENAI_MODEL: optional(z.string()),
  ANTHROPIC_API_KEY: optional(z.string()),
  ANTHROPIC_MODEL: optional(z.string()),
  ANTHROPIC_BASE_URL: optional(httpUrl),
  PITCREW_LLM_MAX_STEPS: withDefault(z.coerce.number({ error: 'is not a number' }).int({ error: 'is not a whole number' }).min(1, { error: 'must be between 1 and 20' }).max(20, { error: 'must be between 1 and 20' }), 6),
  PITCREW_LLM_TIMEOUT_MS: withDefault(z.coerce.number({ error: 'is not a number' }).int({ error: 'is not a whole number' }).min(1000, { error: 'must be at least 1000' }), 60_000),
  PITCREW_LLM_MAX_TOKENS: withDefault(z.coerce.number({ error: 'is not a number' }).int({ error: 'is not a whole number' }).min(1000, { error: 'must be at least 1000' }), 40_000),
  // planning
  PITCREW_POLICY_FILE: optional(z.string()),
  PITCREW_AUTO_PROPOSE: withDefault(boolean, true),
  PITCREW_REDACT_PATTERNS: optional(z.string()),
  // alerts
  PITCREW_ALERT_TOKEN: optional(z.string().min(16, { error: 'must be at least 16 characters' })),
  PAGERDUTY_WEBHOOK_SECRET: optional(z.string()),
  // incidents and the intake queue
  PITCREW_INCIDENT_GROUP_BY: optional(labelList),
  PITCREW_INCIDENT_WINDOW: withDefault(duration, 30 * 60_000),
  PITCREW_FLAP_THRESHOLD: withDefault(positiveInt(2, 1_000), 4),
  PITCREW_FLAP_WINDOW: withDefault(duration, 30 * 60_000),
  PITCREW_QUEUE_MAX_ATTEMPTS: withDefault(positiveInt(1, 100), 10),
  // on-call handoff (checked further, with croner and Intl, in src/adapters/schedule/handoff-config.ts)
  PITCREW_HANDOFF_CRON: optional(z.string().trim()),
  PITCREW_HANDOFF_TZ: withDefault(z.string().trim(), 'UTC'),
  PITCREW_HANDOFF_CHANNEL: optional(z.string().trim()),
  PITCREW_HANDOFF_ISSUE_REPO: optional(z.string().trim().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'is not owner/name' })),
  PITCREW_HANDOFF_NARRATIVE: withDefault(boolean, true),
  // execution
  PITCREW_KUBECONFIG: optional(z.string()),
  PITCREW_HTTP_ACTION_SECRET: optional(z.string().min(16, { error: 'must be at least 16 characters' })),
  PITCREW_HTTP_ACTION_TIMEOUT: withDefault(duration, 10_000),
});
export type Env = z.output<typeof Env>;
export type EnvName = keyof z.input<typeof Env>;
