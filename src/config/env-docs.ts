import type { EnvName } from './env.js';

export type EnvGroup = 'core' | 'store' | 'chroma' | 'knowledge' | 'slack' | 'github' | 'llm' | 'planning' | 'alerts' | 'execution' | 'handoff';

export interface EnvDoc {
  group: EnvGroup;
  /** One line: what the variable does. */
  help: string;
  /** What to do when the value is invalid. Shown after the problem. */
  fix: string;
  example: string;
  /** Shown as the default in docs; absent means "unset". */
  default?: string;
  secret?: boolean;
}

/**
 * Human documentation for every environment variable. Typed against the schema
 * so nothing is left undocumented; `.env.example` and the README table are
 * generated from this record.
 */
export const ENV_DOCS: Record<EnvName, EnvDoc> = {
  PORT: {
    group: 'core',
    help: 'Port of the one HTTP server (health, metrics, Slack, GitHub and alert webhooks).',
    fix: 'Set PORT to a whole number between 1 and 65535, for example PORT=3000.',
    example: '3000',
    default: '3000',
  },
  HOST: {
    group: 'core',
    help: 'Interface the HTTP server binds. Use 0.0.0.0 in containers.',
    fix: 'Set HOST to an interface address such as 127.0.0.1 or 0.0.0.0.',
    example: '127.0.0.1',
    default: '127.0.0.1',
  },
  PITCREW_DATA_DIR: {
    group: 'core',
    help: 'Directory for the embedded SQLite file, the embedded Chroma data and pid files.',
    fix: 'Set PITCREW_DATA_DIR to a writable directory.',
    example: './.pitcrew',
    default: './.pitcrew',
  },
  LOG_LEVEL: {
    group: 'core',
    help: 'Service log level (JSON logs via pino).',
    fix: 'Set LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent.',
    example: 'info',
    default: 'info',
  },
  PITCREW_DRY_RUN: {
    group: 'core',
    help: 'When true, every side effect logs "[dry-run] would …" instead of acting.',
    fix: 'Set PITCREW_DRY_RUN to true or false.',
    example: 'false',
    default: 'false',
  },
  DATABASE_URL: {
    group: 'store',
    help: 'Unset: embedded SQLite file in the data dir. postgres://… selects Postgres; sqlite:<path> names a SQLite file.',
    fix: 'Unset DATABASE_URL to use the embedded SQLite file, or set it to postgres://user:password@host:5432/dbname.',
    example: 'postgres://postgres@127.0.0.1:5432/pitcrew',
  },
  REDIS_URL: {
    group: 'store',
    help: 'Unset: rate limits (GitHub writes) are kept per process. Set: they are kept in this Redis and hold across every replica together; required when running more than one replica.',
    fix: 'Unset REDIS_URL for a single replica, or set it to redis://[user:password@]host:6379[/db] (rediss:// for TLS).',
    example: 'redis://127.0.0.1:6379',
    secret: true,
  },
  CHROMA_URL: {
    group: 'chroma',
    help: 'Unset: pitcrew starts the Chroma server bundled with the chromadb package. Set: use that server.',
    fix: 'Unset CHROMA_URL to use the embedded Chroma, or set it to the server URL, for example http://chroma:8000.',
    example: 'http://127.0.0.1:8000',
  },
  PITCREW_CHROMA_PORT: {
    group: 'chroma',
    help: 'Port for the embedded Chroma server; 0 picks a free port.',
    fix: 'Set PITCREW_CHROMA_PORT to 0 (any free port) or a whole number between 1 and 65535.',
    example: '0',
    default: '0',
  },
  PITCREW_RUNBOOK_DIRS: {
    group: 'knowledge',
    help: 'Comma-separated directories of markdown runbooks, indexed at startup and by `pitcrew index`.',
    fix: 'Set PITCREW_RUNBOOK_DIRS to one or more directories separated by commas, for example runbooks,/srv/ops/runbooks.',
    example: 'runbooks,/srv/ops/runbooks',
    default: 'runbooks',
  },
  PITCREW_EMBEDDINGS: {
    group: 'knowledge',
    help: 'Embedding provider for Chroma: hashed (offline word and character n-grams, downloads nothing) or openai (any OpenAI-compatible server).',
    fix: 'Set PITCREW_EMBEDDINGS to hashed or openai.',
    example: 'hashed',
    default: 'hashed',
  },
  PITCREW_EMBEDDINGS_MODEL: {
    group: 'knowledge',
    help: 'Embedding model when PITCREW_EMBEDDINGS=openai. Changing it re-embeds every collection.',
    fix: 'Set PITCREW_EMBEDDINGS_MODEL to a model the server serves, for example text-embedding-3-small or nomic-embed-text.',
    example: 'text-embedding-3-small',
    default: 'text-embedding-3-small',
  },
  PITCREW_EMBEDDINGS_BASE_URL: {
    group: 'knowledge',
    help: 'Base URL of the OpenAI-compatible embeddings server (OpenAI, Ollama, vLLM, llama.cpp). Unset: OPENAI_BASE_URL, then OpenAI.',
    fix: 'Set PITCREW_EMBEDDINGS_BASE_URL to an http(s) URL such as http://127.0.0.1:11434/v1.',
    example: 'http://127.0.0.1:11434/v1',
  },
  PITCREW_EMBEDDINGS_API_KEY: {
    group: 'knowledge',
    help: 'API key for the embeddings server. Unset: OPENAI_API_KEY.',
    fix: 'Set PITCREW_EMBEDDINGS_API_KEY to your provider key (any non-empty value for local servers).',
    example: 'sk-…',
    secret: true,
  },
  PITCREW_RETRIEVAL_MIN_EVIDENCE: {
    group: 'knowledge',
    help: 'Retrieval abstains ("no matching runbook") when no runbook is named after the alert and the best one covers less than this share of the alert text (ADR 0005).',
    fix: 'Set PITCREW_RETRIEVAL_MIN_EVIDENCE to a number between 0 (never abstain) and 1.',
    example: '0.3',
    default: '0.3',
  },
  SLACK_BOT_TOKEN: {
    group: 'slack',
    help: 'Bot token (xoxb-…) of the Slack app. With SLACK_SIGNING_SECRET, turns Slack on.',
    fix: 'Copy the Bot User OAuth Token (xoxb-…) from your Slack app’s OAuth & Permissions page.',
    example: 'xoxb-000000000000-000000000000-xxxxxxxxxxxxxxxxxxxxxxxx',
    secret: true,
  },
  SLACK_SIGNING_SECRET: {
    group: 'slack',
    help: 'Signing secret used to verify requests from Slack.',
    fix: 'Copy the Signing Secret from your Slack app’s Basic Information page.',
    example: 'changeme',
    secret: true,
  },
  SLACK_APP_TOKEN: {
    group: 'slack',
    help: 'App-level token (xapp-…). When set, pitcrew uses Socket Mode and needs no public URL.',
    fix: 'Create an app-level token with connections:write (Basic Information → App-Level Tokens).',
    example: 'xapp-1-A000-000-xxxx',
    secret: true,
  },
  SLACK_API_URL: {
    group: 'slack',
    help: 'Base URL of the Slack Web API, for proxies and tests.',
    fix: 'Set SLACK_API_URL to an http(s) URL ending in /api/, or unset it to use Slack.',
    example: 'https://slack.com/api/',
    default: 'https://slack.com/api/',
  },
  SLACK_CHANNEL: {
    group: 'slack',
    help: 'Channel (name or id) where each incident gets its thread. Invite the bot to it.',
    fix: 'Set SLACK_CHANNEL to a channel name such as incidents (no spaces, lower case) or a channel id (C…).',
    example: 'incidents',
    default: 'incidents',
  },
  SLACK_RESPONDERS: {
    group: 'slack',
    help: 'Who may press the incident buttons (Propose fix PR, Acknowledge, Resolve, Snooze) and run /pitcrew propose: Slack user ids and user group ids. Unset: anyone in the workspace. Approving a fix is never possible from Slack.',
    fix: 'Set SLACK_RESPONDERS to a comma-separated list of Slack user ids (U…) and user group ids (S…), e.g. U012AB3CD,S0614TZR7.',
    example: 'S0614TZR7,U012AB3CD',
  },
  SLACK_OPERATORS: {
    group: 'slack',
    help: 'Who may pause and resume execution with /pitcrew pause and /pitcrew resume: Slack user ids and user group ids. Unset: nobody from Slack (the CLI and paused: true in .github/pitcrew.yml still work).',
    fix: 'Set SLACK_OPERATORS to a comma-separated list of Slack user ids (U…) and user group ids (S…).',
    example: 'S0614TZR7',
  },
  SLACK_GITHUB_USERS: {
    group: 'slack',
    help: 'Slack-to-GitHub identity map: actions taken in Slack are attributed to these GitHub logins (timeline, fix PR proposer).',
    fix: 'Set SLACK_GITHUB_USERS to comma-separated SLACK_USER_ID=github-login pairs, e.g. U012AB3CD=octocat.',
    example: 'U012AB3CD=octocat,U045EF6GH=hubot',
  },
  APP_ID: {
    group: 'github',
    help: 'GitHub App id. With PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET, turns GitHub on.',
    fix: 'Copy the App ID (a number) from the GitHub App’s settings page.',
    example: '123456',
  },
  PRIVATE_KEY: {
    group: 'github',
    help: 'GitHub App private key (PEM). Use PRIVATE_KEY_PATH to point at a file instead.',
    fix: 'Paste the PEM key (newlines may be written as \\n), or set PRIVATE_KEY_PATH instead.',
    example: '-----BEGIN RSA PRIVATE KEY-----\\n…',
    secret: true,
  },
  PRIVATE_KEY_PATH: {
    group: 'github',
    help: 'Path to the GitHub App private key file (.pem).',
    fix: 'Set PRIVATE_KEY_PATH to the path of the .pem file downloaded from the GitHub App settings.',
    example: './pitcrew.private-key.pem',
  },
  WEBHOOK_SECRET: {
    group: 'github',
    help: 'Secret GitHub signs webhooks with.',
    fix: 'Set WEBHOOK_SECRET to the webhook secret configured on the GitHub App.',
    example: 'changeme',
    secret: true,
  },
  GITHUB_API_URL: {
    group: 'github',
    help: 'GitHub API base URL, for GitHub Enterprise Server or tests.',
    fix: 'Set GITHUB_API_URL to an http(s) URL such as https://ghe.example.com/api/v3.',
    example: 'https://api.github.com',
    default: 'https://api.github.com',
  },
  PITCREW_GITHUB_SETUP: {
    group: 'github',
    help: 'While the GitHub App is not configured, serve Probot\'s setup page at /probot: it registers the app from app.yml and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env.',
    fix: 'Set PITCREW_GITHUB_SETUP to true or false. Turn it off on servers reachable by others before the app is configured.',
    example: 'true',
    default: 'true',
  },
  PITCREW_LLM: {
    group: 'llm',
    help: 'Which model provider the planner uses: none (deterministic runbook planner), openai or anthropic.',
    fix: 'Set PITCREW_LLM to none, openai or anthropic.',
    example: 'none',
    default: 'none',
  },
  OPENAI_BASE_URL: {
    group: 'llm',
    help: 'Base URL of an OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp).',
    fix: 'Set OPENAI_BASE_URL to an http(s) URL such as http://127.0.0.1:11434/v1.',
    example: 'https://api.openai.com/v1',
  },
  OPENAI_API_KEY: {
    group: 'llm',
    help: 'API key for the OpenAI-compatible server.',
    fix: 'Set OPENAI_API_KEY to your provider key (any non-empty value for local servers).',
    example: 'sk-…',
    secret: true,
  },
  OPENAI_MODEL: {
    group: 'llm',
    help: 'Model name for the OpenAI-compatible server.',
    fix: 'Set OPENAI_MODEL to a model the server serves, for example gpt-4o-mini or llama3.1.',
    example: 'gpt-4o-mini',
  },
  ANTHROPIC_API_KEY: {
    group: 'llm',
    help: 'API key for Anthropic.',
    fix: 'Set ANTHROPIC_API_KEY to a key from console.anthropic.com.',
    example: 'sk-ant-…',
    secret: true,
  },
  ANTHROPIC_MODEL: {
    group: 'llm',
    help: 'Anthropic model name.',
    fix: 'Set ANTHROPIC_MODEL to a model id such as claude-sonnet-4-5.',
    example: 'claude-sonnet-4-5',
  },
  ANTHROPIC_BASE_URL: {
    group: 'llm',
    help: 'Anthropic API base URL, for a proxy or gateway. Unset: Anthropic\'s public API.',
    fix: 'Set ANTHROPIC_BASE_URL to an http(s) URL such as https://llm-gateway.internal/anthropic, or unset it.',
    example: 'https://llm-gateway.internal/anthropic',
  },
  PITCREW_LLM_MAX_STEPS: {
    group: 'llm',
    help: 'Most model turns (tool calls included) one planning attempt may take.',
    fix: 'Set PITCREW_LLM_MAX_STEPS to a whole number between 1 and 20.',
    example: '6',
    default: '6',
  },
  PITCREW_LLM_TIMEOUT_MS: {
    group: 'llm',
    help: 'Wall-time budget of one planning attempt, in ms. The planner tries twice, then falls back to the runbook planner.',
    fix: 'Set PITCREW_LLM_TIMEOUT_MS to a whole number of milliseconds, at least 1000.',
    example: '60000',
    default: '60000',
  },
  PITCREW_LLM_MAX_TOKENS: {
    group: 'llm',
    help: 'Token budget (input + output, all turns) of one planning attempt.',
    fix: 'Set PITCREW_LLM_MAX_TOKENS to a whole number, at least 1000.',
    example: '40000',
    default: '40000',
  },
  PITCREW_POLICY_FILE: {
    group: 'planning',
    help: 'YAML policy: allowed action kinds, repos, http base URLs, Kubernetes clusters/namespaces, risk rules. Unset: nothing but human steps is allowed.',
    fix: 'Set PITCREW_POLICY_FILE to a readable YAML file (see docs/policy.example.yml).',
    example: './pitcrew.policy.yml',
  },
  PITCREW_AUTO_PROPOSE: {
    group: 'planning',
    help: 'Open the fix PR as soon as a plan has actions (GitHub on). When false, a person asks for it (Slack button or /pitcrew propose). Nothing runs before approval and merge either way.',
    fix: 'Set PITCREW_AUTO_PROPOSE to true or false.',
    example: 'true',
    default: 'true',
  },
  PITCREW_REDACT_PATTERNS: {
    group: 'planning',
    help: 'Extra redaction patterns, as a JSON array of regular expressions (with a capture group, only group 1 is redacted).',
    fix: 'Set PITCREW_REDACT_PATTERNS to a JSON array of valid regular expressions, e.g. ["acme-[0-9]{6}"].',
    example: '["acme-internal-[0-9]{6}"]',
  },
  PITCREW_ALERT_TOKEN: {
    group: 'alerts',
    help: 'Bearer token required on /alerts/*. Unset: alert endpoints accept loopback requests only.',
    fix: 'Set PITCREW_ALERT_TOKEN to a random string of at least 16 characters (openssl rand -hex 24).',
    example: 'a-long-random-string',
    secret: true,
  },
  PAGERDUTY_WEBHOOK_SECRET: {
    group: 'alerts',
    help: 'Secret used to verify X-PagerDuty-Signature on /alerts/pagerduty. When set, a valid signature authenticates PagerDuty requests (no bearer token needed); unset, /alerts/pagerduty uses the same rule as the other alert endpoints.',
    fix: 'Copy the signing secret shown when the PagerDuty v3 webhook subscription was created.',
    example: 'changeme',
    secret: true,
  },
  PITCREW_INCIDENT_GROUP_BY: {
    group: 'alerts',
    help: 'Labels whose values group alerts into one incident (alertname and service fall back to the alert\'s own fields), across senders. Unset: the sender\'s group (Alertmanager/Grafana groupKey, one PagerDuty incident, the generic "group" field).',
    fix: 'Set PITCREW_INCIDENT_GROUP_BY to label names separated by commas, for example PITCREW_INCIDENT_GROUP_BY=alertname,service.',
    example: 'alertname,service',
  },
  PITCREW_INCIDENT_WINDOW: {
    group: 'alerts',
    help: 'A firing alert joins an incident of its group resolved (or, with PITCREW_INCIDENT_GROUP_BY, active) within this window, instead of opening a new one.',
    fix: 'Set PITCREW_INCIDENT_WINDOW to a duration such as 30m, 1h or 1h30m.',
    example: '30m',
    default: '30m',
  },
  PITCREW_FLAP_THRESHOLD: {
    group: 'alerts',
    help: 'Alert state changes (resolve, re-fire) within PITCREW_FLAP_WINDOW that flag an incident as flapping; a flapping incident is not notified again until it calms down.',
    fix: 'Set PITCREW_FLAP_THRESHOLD to a whole number of at least 2, for example 4.',
    example: '4',
    default: '4',
  },
  PITCREW_FLAP_WINDOW: {
    group: 'alerts',
    help: 'The window PITCREW_FLAP_THRESHOLD counts in; a change after a whole quiet window clears the flag.',
    fix: 'Set PITCREW_FLAP_WINDOW to a duration such as 30m or 1h.',
    example: '30m',
    default: '30m',
  },
  PITCREW_QUEUE_MAX_ATTEMPTS: {
    group: 'alerts',
    help: 'Attempts (with exponential backoff from 1 s, at most 10 min apart) before an inbox event or incident notification is dead-lettered; see `pitcrew dead-letters`.',
    fix: 'Set PITCREW_QUEUE_MAX_ATTEMPTS to a whole number between 1 and 100.',
    example: '10',
    default: '10',
  },
  PITCREW_HANDOFF_CRON: {
    group: 'handoff',
    help: 'Cron schedule (5 or 6 fields, in PITCREW_HANDOFF_TZ) at which `pitcrew serve` posts the on-call handoff, e.g. at each shift change. Unset: no scheduled handoff.',
    fix: 'Set PITCREW_HANDOFF_CRON to a cron expression such as "0 9,21 * * *" (09:00 and 21:00), or unset it.',
    example: '0 9,21 * * *',
  },
  PITCREW_HANDOFF_TZ: {
    group: 'handoff',
    help: 'IANA time zone of the handoff schedule and of the times shown in handoffs (daylight saving is followed).',
    fix: 'Set PITCREW_HANDOFF_TZ to an IANA time zone name such as Europe/Berlin or America/New_York.',
    example: 'Europe/Berlin',
    default: 'UTC',
  },
  PITCREW_HANDOFF_CHANNEL: {
    group: 'handoff',
    help: 'Chat channel the scheduled handoff is posted to (the on-call channel). Unset: the handoff is only logged (and filed as an issue when PITCREW_HANDOFF_ISSUE_REPO is set).',
    fix: 'Set PITCREW_HANDOFF_CHANNEL to a channel name or id such as #oncall or C0123456789.',
    example: '#oncall',
  },
  PITCREW_HANDOFF_ISSUE_REPO: {
    group: 'handoff',
    help: 'owner/name of a repository where each scheduled handoff is also filed as a GitHub issue (durable record). Needs the GitHub App installed there with issues: write.',
    fix: 'Set PITCREW_HANDOFF_ISSUE_REPO to owner/name, for example acme/oncall, or unset it.',
    example: 'acme/oncall',
  },
  PITCREW_HANDOFF_NARRATIVE: {
    group: 'handoff',
    help: 'When a model is configured (PITCREW_LLM), add a 2–3 sentence generated narrative after the structured summary, labelled as generated.',
    fix: 'Set PITCREW_HANDOFF_NARRATIVE to true or false.',
    example: 'true',
    default: 'true',
  },
  PITCREW_KUBECONFIG: {
    group: 'execution',
    help: 'kubeconfig for kubernetes.rollout_restart and kubernetes.scale actions (an action\'s `cluster` names a context). Unset: KUBECONFIG, ~/.kube/config or the in-cluster service account.',
    fix: 'Set PITCREW_KUBECONFIG to a readable kubeconfig file.',
    example: './kubeconfig',
  },
  PITCREW_HTTP_ACTION_SECRET: {
    group: 'execution',
    help: 'HMAC-SHA256 key that signs every http.request action (X-Pitcrew-Signature). Unset: http.request actions fail without sending anything.',
    fix: 'Set PITCREW_HTTP_ACTION_SECRET to a random string of at least 16 characters shared with the targets.',
    example: 'change-me-to-a-long-random-string',
    secret: true,
  },
  PITCREW_HTTP_ACTION_TIMEOUT: {
    group: 'execution',
    help: 'How long an http.request action waits for an answer. A request that times out has an unknown outcome and stops the plan.',
    fix: 'Set PITCREW_HTTP_ACTION_TIMEOUT to a duration such as 10s or 1m.',
    example: '10s',
    default: '10s',
  },
};
