import { Probot, createNodeMiddleware } from 'probot';
import type { GitHubConfig } from '../../config/config.js';
import type { Policy } from '../../domain/policy.js';
import type { HttpServer } from '../../http/server.js';
import { KeyedMutex, type KeyedLock } from '../../ops/keyed-mutex.js';
import type { Logger } from '../../ops/logger.js';
import { createRateLimiter, type RateLimiter } from '../../ops/rate-limit/limiter.js';
import type { Redactor } from '../../ops/redaction/redactor.js';
import { pitcrewApp } from './app.js';
import type { FixPullRecorder } from './fix-pull-tracker.js';
import { dedupeDeliveries, type DeliveryClaimPort, type WebhookReceiver } from './dedupe-deliveries.js';
import { ciHandlerDeps, type CiWiring } from './ci-wiring.js';
import { GitHubForge } from './forge.js';
import { createOctokitClass } from './octokit.js';
import { WEBHOOK_PATH } from './setup.js';
import type { MergedHandler } from './on-merged.js';

/**
 * The GitHub App on the shared HTTP server: Probot's webhook middleware at
 * /api/github/webhooks (a bad or missing signature gets 400 and nothing
 * else happens), and the Forge the pipeline proposes through.
 */
export interface GitHubDeps {
  log: Logger;
  policy: Policy;
  redactor: Redactor;
  dryRun: boolean;
  /** The shared content-creation limiter; one is made when absent. */
  limiter?: RateLimiter;
  /** Serializes gate evaluations and proposals per PR / incident; across replicas on Postgres (default: this process only). */
  mutex?: KeyedLock;
  /** Delivery claims shared by the replicas: each delivery is handled once (default: no dedupe). */
  deliveries?: DeliveryClaimPort;
  /** Octokit retry and throttling (tests turn them off). */
  retries?: boolean;
  throttle?: boolean;
  /** Fix-PR lifecycle recorder (the store's), for the handoff. */
  fixPulls?: FixPullRecorder;
  /** CI-failure diagnosis; the app ignores CI events without it. */
  ci?: CiWiring;
}

export interface GitHubService {
  forge: GitHubForge;
  probot: Probot;
  limiter: RateLimiter;
  /** Wires the executor: merged PRs are handed to `handler` from now on. */
  onMerged(handler: MergedHandler): void;
  stop(): Promise<void>;
}

export async function mountGitHub(http: HttpServer, config: GitHubConfig, deps: GitHubDeps): Promise<GitHubService> {
  const log = deps.log.child({ component: 'github' });
  const ownsLimiter = !deps.limiter;
  const limiter = deps.limiter ?? createRateLimiter({ name: 'github-writes' });
  const Octokit = createOctokitClass({ limiter, log, retries: deps.retries ?? true, throttle: deps.throttle ?? true });
  const probot = new Probot({ appId: config.appId, privateKey: config.privateKey, secret: config.webhookSecret, baseUrl: config.apiUrl, Octokit, log });
  const mutex = deps.mutex ?? new KeyedMutex();
  const forge = new GitHubForge({ probot, policy: deps.policy, redactor: deps.redactor, log, dryRun: deps.dryRun, mutex });
  const ci = deps.ci ? ciHandlerDeps(deps.ci, { forge, policy: deps.policy, redactor: deps.redactor, log, dryRun: deps.dryRun, mutex }) : undefined;
  let merged: MergedHandler | null = null;
  const app = pitcrewApp({
    forge,
    log,
    dryRun: deps.dryRun,
    gate: { options: { policy: deps.policy }, mutex, log },
    ...(deps.fixPulls ? { fixPulls: deps.fixPulls } : {}),
    ...(ci ? { ci } : {}),
    onMerged: () => merged,
  });
  const middleware = await createNodeMiddleware(app, { probot, webhooksPath: WEBHOOK_PATH });
  if (deps.deliveries) dedupeDeliveries(probot.webhooks as unknown as WebhookReceiver, deps.deliveries, log);
  http.route('POST', WEBHOOK_PATH, async (req, res) => {
    await middleware(req, res, () => res.writeHead(404).end());
  });
  return {
    forge,
    probot,
    limiter,
    onMerged: (handler) => {
      merged = handler;
    },
    stop: async () => {
      if (ownsLimiter) await limiter.stop();
    },
  };
}
