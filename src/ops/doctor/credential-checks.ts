import { createAppAuth } from '@octokit/auth-app';
import type { Config } from '../../config/config.js';
import { fetchJson, type DoctorCheck } from './check.js';

/** Checks credentials that are set, against the service they belong to. Unset ones report "off". */
export function credentialChecks(config: Config): DoctorCheck[] {
  return [githubCheck(config), slackCheck(config), llmCheck(config)];
}

function githubCheck({ github }: Config): DoctorCheck {
  return {
    name: 'github',
    async run() {
      if (!github) return { status: 'off', detail: 'set APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET to turn it on' };
      const { token } = await createAppAuth({ appId: github.appId, privateKey: github.privateKey })({ type: 'app' });
      const { status, body } = await fetchJson(`${github.apiUrl}/app`, { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' } });
      if (status !== 200) return { status: 'fail', detail: `GET ${github.apiUrl}/app answered ${status}`, hint: 'Check APP_ID and the private key belong to the same GitHub App.' };
      const app = body as { slug?: string; name?: string; permissions?: Record<string, string>; events?: string[]; installations_count?: number };
      const name = app.slug ?? app.name ?? String(github.appId);
      const { manifestGaps } = await import('../../adapters/github/manifest-gaps.js');
      const gaps = manifestGaps(app);
      if (gaps.permissions.length > 0 || gaps.events.length > 0) {
        const missing = [...gaps.permissions.map((p) => `permission ${p}`), ...gaps.events.map((e) => `event ${e}`)];
        return { status: 'warn', detail: `GitHub App ${name} lacks what app.yml asks for: ${missing.join(', ')}`, hint: 'Grant them in the app\'s settings (Permissions & events), then accept the new permissions on each installation.' };
      }
      return { status: 'ok', detail: `authenticated as GitHub App ${name}${app.installations_count !== undefined ? ` (${app.installations_count} installation${app.installations_count === 1 ? '' : 's'})` : ''}; permissions and events match app.yml` };
    },
  };
}

function slackCheck({ slack }: Config): DoctorCheck {
  return {
    name: 'slack',
    async run() {
      if (!slack) return { status: 'off', detail: 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on' };
      const base = (slack.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/');
      const { body } = await fetchJson(`${base}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${slack.botToken}` } });
      const result = body as { ok?: boolean; error?: string; team?: string; user?: string };
      if (!result.ok) return { status: 'fail', detail: `auth.test failed: ${result.error ?? 'no answer'}`, hint: 'Check SLACK_BOT_TOKEN (Bot User OAuth Token, xoxb-…).' };
      return { status: 'ok', detail: `authenticated as ${result.user ?? 'bot'} in ${result.team ?? 'workspace'}` };
    },
  };
}

function llmCheck({ llm }: Config): DoctorCheck {
  return {
    name: 'llm',
    async run() {
      if (!llm) return { status: 'off', detail: 'deterministic runbook planner in use; set PITCREW_LLM to add the LLM planner' };
      if (llm.provider === 'openai') {
        const base = (llm.baseUrl ?? 'https://api.openai.com/v1').replace(/\/$/, '');
        const { status } = await fetchJson(`${base}/models`, { headers: { authorization: `Bearer ${llm.apiKey}` } });
        return status === 200
          ? { status: 'ok', detail: `${base} answers; model ${llm.model}` }
          : { status: 'fail', detail: `GET ${base}/models answered ${status}`, hint: 'Check OPENAI_BASE_URL and OPENAI_API_KEY.' };
      }
      const { status } = await fetchJson('https://api.anthropic.com/v1/models', { headers: { 'x-api-key': llm.apiKey, 'anthropic-version': '2023-06-01' } });
      return status === 200
        ? { status: 'ok', detail: `Anthropic answers; model ${llm.model}` }
        : { status: 'fail', detail: `GET https://api.anthropic.com/v1/models answered ${status}`, hint: 'Check ANTHROPIC_API_KEY.' };
    },
  };
}
