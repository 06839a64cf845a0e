import Bottleneck from 'bottleneck';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import type { Logger } from '../../ops/logger.js';
import type { RedisDatastore } from '../../ops/rate-limit/redis.js';

/** Slack's published per-method tiers, in calls per minute per workspace. */
const TIER_PER_MINUTE = { 2: 20, 3: 50, 4: 100 } as const;
const METHOD_TIER: Record<string, keyof typeof TIER_PER_MINUTE> = {
  'chat.update': 3,
  'chat.postEphemeral': 4,
  'chat.getPermalink': 4,
  'conversations.list': 2,
  'conversations.info': 3,
  'usergroups.users.list': 2,
  'users.info': 4,
};

export interface OutboundOptions {
  /** The least time between two messages posted to one channel (Slack: about 1 a second). */
  channelGapMs?: number;
  /**
   * Shares the per-channel pacing with every replica through Redis (REDIS_URL,
   * ADR 0015): one message a second per channel for the whole fleet, not per
   * process. Fails closed: posts wait while Redis is unreachable.
   */
  shared?: Pick<RedisDatastore, 'bottleneck' | 'available' | 'close'>;
}

/**
 * Every outbound Slack call goes through here, paced so Slack never has to
 * refuse it (ADR 0011):
 * - `chat.postMessage`: one at a time per channel, the next one starting at
 *   least `channelGapMs` after the previous one was answered, so Slack sees at
 *   most one message a second in a channel whatever the network does;
 * - other methods: spaced to their tier's calls per minute;
 * - a 429 holds the call (and its channel's queue) for Retry-After, then
 *   retries, for as long as it takes: messages wait, they are never dropped.
 */
export class SlackOutbound {
  private readonly channels: Bottleneck.Group;
  private readonly tiers = new Map<string, Bottleneck>();
  private readonly gapMs: number;
  private stopped = false;
  rateLimitedWaits = 0;

  private readonly shared: OutboundOptions['shared'];

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    options: OutboundOptions = {},
  ) {
    this.gapMs = options.channelGapMs ?? 1000;
    this.shared = options.shared;
    // Shared: Redis holds each channel's slot (maxConcurrent) and its start spacing (minTime) for every replica.
    this.channels = new Bottleneck.Group({
      maxConcurrent: 1,
      ...(this.shared ? { ...this.shared.bottleneck, id: 'pitcrew-slack-channel', minTime: this.gapMs } : {}),
    });
  }

  async postMessage(args: { channel: string; text: string; blocks?: KnownBlock[]; threadTs?: string }): Promise<{ channel: string; ts: string }> {
    await this.shared?.available();
    let answer!: { channel: string; ts: string };
    // The job keeps the channel's slot for gapMs after Slack answered, so the next message in this channel starts no sooner.
    await this.channels.key(args.channel).schedule(async () => {
      const result = await this.withRetryAfter('chat.postMessage', () =>
        this.client.chat.postMessage({ channel: args.channel, text: args.text, ...(args.blocks ? { blocks: args.blocks } : {}), ...(args.threadTs ? { thread_ts: args.threadTs } : {}), unfurl_links: false, unfurl_media: false }));
      answer = { channel: result.channel ?? args.channel, ts: result.ts! };
      await sleep(this.gapMs);
    });
    return answer;
  }

  async update(args: { channel: string; ts: string; text: string; blocks?: KnownBlock[] }): Promise<void> {
    await this.tiered('chat.update', () => this.client.chat.update({ channel: args.channel, ts: args.ts, text: args.text, ...(args.blocks ? { blocks: args.blocks } : {}) }));
  }

  async permalink(channel: string, ts: string): Promise<string | null> {
    try {
      const result = await this.tiered('chat.getPermalink', () => this.client.chat.getPermalink({ channel, message_ts: ts }));
      return result.permalink ?? null;
    } catch (error) {
      this.log.warn({ channel, ts, err: (error as Error).message }, 'slack permalink unavailable');
      return null;
    }
  }

  async postEphemeral(args: { channel: string; user: string; text: string; threadTs?: string }): Promise<void> {
    await this.tiered('chat.postEphemeral', () => this.client.chat.postEphemeral({ channel: args.channel, user: args.user, text: args.text, ...(args.threadTs ? { thread_ts: args.threadTs } : {}) }));
  }

  /** Any other Web API method, paced by its tier. */
  call<T>(method: string, fn: (client: WebClient) => Promise<T>): Promise<T> {
    return this.tiered(method, () => fn(this.client));
  }

  /** Calls waiting or running. */
  pending(): number {
    let count = 0;
    for (const limiter of [...this.channels.limiters().map((entry) => entry.limiter), ...this.tiers.values()]) {
      const counts = limiter.counts();
      count += (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0) + (counts.RUNNING ?? 0) + (counts.EXECUTING ?? 0);
    }
    return count;
  }

  /** Waits for queued calls to finish (messages are not dropped), then stops retrying. */
  async stop(): Promise<void> {
    for (let i = 0; i < 600 && this.pending() > 0; i++) await sleep(100);
    this.stopped = true;
    await Promise.all([...this.channels.limiters().map((entry) => entry.limiter.stop()), ...[...this.tiers.values()].map((limiter) => limiter.stop())]);
    if (this.shared) {
      // The group's Redis connection (and the subscriber Bottleneck duplicated from it) must close, or the process cannot exit.
      await this.channels.disconnect(true);
      this.shared.close();
    }
  }

  private tiered<T>(method: string, fn: () => Promise<T>): Promise<T> {
    const tier = METHOD_TIER[method] ?? 3;
    let limiter = this.tiers.get(method);
    if (!limiter) {
      limiter = new Bottleneck({ maxConcurrent: 1, minTime: Math.ceil(60_000 / TIER_PER_MINUTE[tier]) });
      this.tiers.set(method, limiter);
    }
    return limiter.schedule(() => this.withRetryAfter(method, fn));
  }

  private async withRetryAfter<T>(method: string, fn: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        const limited = error as { code?: string; retryAfter?: number };
        if (limited.code !== ErrorCode.RateLimitedError || this.stopped) throw error;
        const waitMs = Math.max(1, limited.retryAfter ?? 1) * 1000;
        this.rateLimitedWaits++;
        this.log.warn({ method, retryAfterMs: waitMs }, 'slack rate limited; waiting for Retry-After');
        await sleep(waitMs);
      }
    }
  }
}
