import type { Config } from '../../config/config.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../ops/logger.js';
import type { CiWiring } from './ci-wiring.js';
import type { GitHubDeps, GitHubService } from './mount.js';

/**
 * GitHub from configuration: the app and its Forge when APP_ID, the key and
 * WEBHOOK_SECRET are set; otherwise, unless PITCREW_GITHUB_SETUP=false, the
 * setup page that registers the app. Returns null when GitHub is off.
 */
export async function startGitHubFromConfig(
  config: Config,
  http: HttpServer,
  log: Logger,
  port: number,
  shared: Pick<GitHubDeps, 'limiter' | 'mutex' | 'deliveries' | 'fixPulls'> & { ci?: Omit<CiWiring, 'redactSync'> } = {},
): Promise<GitHubService | null> {
  if (config.github) {
    // Loaded on demand: Probot, Octokit and secretlint cost startup time a service without GitHub should not pay.
    const { mountGitHub } = await import('./mount.js');
    const [{ loadPolicy }, { createRedactor, createSyncRedact }] = await Promise.all([import('../../planner/policy-file.js'), import('../../ops/redaction/redactor.js')]);
    const service = await mountGitHub(http, config.github, {
      log,
      policy: loadPolicy(config.planning.policyFile),
      redactor: createRedactor({ extraPatterns: config.planning.redactPatterns }),
      dryRun: config.dryRun,
      ...withoutCi(shared),
      ...(shared.ci ? { ci: { ...shared.ci, redactSync: createSyncRedact({ extraPatterns: config.planning.redactPatterns }) } } : {}),
    });
    log.info({ appId: config.github.appId, apiUrl: config.github.apiUrl, webhooks: '/api/github/webhooks' }, 'github app mounted');
    return service;
  }
  if (!config.env.PITCREW_GITHUB_SETUP) return null;
  const { mountGitHubSetup } = await import('./setup.js');
  mountGitHubSetup(http, { host: config.host, port, log, ...(config.env.GITHUB_API_URL ? { apiUrl: config.env.GITHUB_API_URL } : {}) });
  log.info({ url: `http://${config.host}:${port}/probot` }, 'GitHub App not configured: open /probot to register it (writes .env), then restart');
  return null;
}

function withoutCi<T extends { ci?: unknown }>(shared: T): Omit<T, 'ci'> {
  const { ci: _ci, ...rest } = shared;
  return rest;
}
