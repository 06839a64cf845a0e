import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { Config } from '../../config/config.js';
import { PitcrewError } from '../../domain/errors.js';
import type { Clock } from '../../domain/clock.js';
import type { KillSwitch } from '../../domain/execution.js';
import type { Retriever } from '../../domain/retrieval.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../ops/logger.js';
import type { JobQueue } from '../../store/queue/job-queue.js';
import type { Store } from '../../store/store.js';
import type { KnownBlock } from '@slack/types';
import type { HandoffPublisher } from '../../pipeline/handoff/publisher.js';
import { startSlackApp, type SlackApp } from './app.js';
import { slackHandoffPublisher } from './handoff-reply.js';
import { slackAuthorizer } from './authorize.js';
import { channelResolver } from './channel.js';
import type { HandoffPort, SlackContext, SlackResponder, ServiceStatus } from './context.js';
import { SlackOutbound } from './outbound.js';
import { SlackChat } from './slack-chat.js';

const RECONCILE_MS = 30_000;
/** How long a command or mention waits for knowledge to open (Chroma down) before saying so. */
const KNOWLEDGE_WAIT_MS = 15_000;

async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PitcrewError('chroma_unavailable', `The runbooks are not searchable yet (knowledge did not open within ${ms / 1000} s).`, 'Check Chroma with `pitcrew doctor`, then ask again.')), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SlackWiring {
  store: Store;
  http: HttpServer;
  clock: Clock;
  log: Logger;
  /** GitHub is on, so plans get a "Propose fix PR" button. */
  canPropose: boolean;
  /** Least time between two messages in one channel (default 1 s). */
  channelGapMs?: number;
}

/** What the listeners need that only exists once the responder and intake are up. */
export interface SlackListenerDeps {
  responder: SlackResponder;
  retriever: () => Promise<Retriever>;
  jobs: JobQueue;
  killSwitch: KillSwitch;
  /** The circuit breaker's state, from the executor (null: not wired). */
  breaker?: () => Promise<string | null>;
  /** `/pitcrew handoff`, when the handoff module is present. */
  handoff?: HandoffPort;
}

export interface SlackService {
  chat: SlackChat;
  outbound: SlackOutbound;
  /** Mounts /slack/events (or connects Socket Mode) with every listener. */
  listen(deps: SlackListenerDeps): Promise<SlackApp>;
  stop(): Promise<void>;
}

/**
 * Slack from configuration, in two steps because of the order things start
 * in: the Chat (for the responder) first, the listeners (which call the
 * responder, the queue and the kill switch) once those exist.
 */
export async function createSlackFromConfig(config: Config, wiring: SlackWiring): Promise<SlackService | null> {
  const slack = config.slack;
  if (!slack) return null;
  const log = wiring.log.child({ component: 'slack' });
  const client = new WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    // 429s are waited out by SlackOutbound (for as long as needed); the client retries only network failures.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 3, factor: 2, minTimeout: 200 },
  });
  // With REDIS_URL the per-channel pace holds for all replicas together (ioredis loads only then).
  const redisUrl = config.env.REDIS_URL;
  const shared = redisUrl
    ? (await import('../../ops/rate-limit/redis.js')).redisDatastore(redisUrl, (error) => log.warn({ err: error.message }, 'slack pacing datastore error; posts wait until Redis is back'))
    : undefined;
  const outbound = new SlackOutbound(client, log, { ...(wiring.channelGapMs !== undefined ? { channelGapMs: wiring.channelGapMs } : {}), ...(shared ? { shared } : {}) });
  const { createRedactor } = await import('../../ops/redaction/redactor.js');
  const chat = new SlackChat({
    outbound,
    db: wiring.store.db,
    channel: channelResolver(outbound, slack.channel),
    clock: wiring.clock,
    log,
    redactor: createRedactor({ extraPatterns: config.planning.redactPatterns }),
    canPropose: wiring.canPropose,
    replicaId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  });
  const authz = slackAuthorizer(slack, { outbound, clock: wiring.clock, log });
  let app: SlackApp | undefined;
  // Roots whose incident moved on without them (a crash between change and update, a failed update) catch up here.
  const reconciler = setInterval(() => {
    chat.reconcile().catch((error: Error) => log.warn({ err: error.message }, 'slack root reconcile failed'));
  }, RECONCILE_MS);
  reconciler.unref();

  // Say at startup whether the token works; Slack being down must not stop the service (alerts are still acked).
  client.auth.test().then(
    (who) => log.info({ team: who.team, bot: who.user }, 'slack connected'),
    (error: Error) => log.error({ err: error.message }, 'slack auth.test failed: check SLACK_BOT_TOKEN (and SLACK_API_URL)'),
  );

  return {
    chat,
    outbound,
    async listen(deps) {
      const status = async (): Promise<ServiceStatus> => {
        const [counts, paused, breaker] = await Promise.all([deps.jobs.counts({ open: true }), deps.killSwitch.state(), deps.breaker ? deps.breaker() : Promise.resolve(null)]);
        const queueDepth = counts.filter((c) => c.state === 'pending' || c.state === 'active').reduce((sum, c) => sum + c.count, 0);
        return { queueDepth, breaker, paused };
      };
      const ctx: SlackContext = {
        chat,
        outbound,
        authz,
        store: wiring.store,
        jobs: deps.jobs,
        clock: wiring.clock,
        log,
        responder: deps.responder,
        retriever: () => within(deps.retriever(), KNOWLEDGE_WAIT_MS),
        killSwitch: deps.killSwitch,
        status,
        ...(deps.handoff ? { handoff: deps.handoff } : {}),
      };
      app = await startSlackApp(slack, wiring.http, ctx, log);
      return app;
    },
    async stop() {
      clearInterval(reconciler);
      await app?.stop();
      await chat.flush();
      await outbound.stop();
    },
  };
}

/** Scheduled handoffs posted to the on-call channel through the rate-limited outbound queue. */
export function slackServiceHandoffPublisher(slack: Pick<SlackService, 'outbound'>, timeZone: string): HandoffPublisher {
  return slackHandoffPublisher({
    chat: { postMessage: (args) => slack.outbound.postMessage({ channel: args.channel, text: args.text, blocks: args.blocks as unknown as KnownBlock[] }) },
  }, timeZone);
}
