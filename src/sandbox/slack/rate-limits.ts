import type { Clock } from '../../domain/clock.js';

/** Slack's published per-method tiers (calls per minute per workspace). */
export const METHOD_TIERS: Record<string, 1 | 2 | 3 | 4> = {
  'auth.test': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'chat.getPermalink': 4,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.info': 3,
  'conversations.open': 3,
  'conversations.list': 2,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'usergroups.users.list': 2,
  'reactions.add': 3,
  'views.open': 4,
  'views.update': 4,
};
const PER_MINUTE: Record<1 | 2 | 3 | 4, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

export interface SlackRateLimits {
  /**
   * chat.postMessage per channel: a token bucket refilling `perSecond` with
   * room for `burst` (Slack: about 1 a second, with short bursts). Off when unset.
   */
  perChannel?: { perSecond: number; burst: number };
  /** Enforce Slack's method tiers (per minute) for the other methods. */
  tiers?: boolean;
  /** Seconds sent in Retry-After when limiting (default 1). */
  retryAfterSeconds?: number;
}

/** One chat.postMessage / chat.update / chat.postEphemeral attempt, accepted or not. */
export interface PostRecord {
  method: string;
  channel: string;
  at: number;
  outcome: 'ok' | 'rate_limited' | string;
  threadTs?: string;
  ts?: string;
}

type Scripted = { status: 429; retryAfter: number } | { error: string };

/**
 * Rate limiting the way Slack answers it (HTTP 429, `Retry-After`,
 * `{ok:false,error:"ratelimited"}`), scripted failures for tests, and a log of
 * every message write per channel so tests can check the app's pacing.
 */
export class SlackRateLimiter {
  readonly posts: PostRecord[] = [];
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly calls = new Map<string, number[]>();
  private readonly scripted = new Map<string, Scripted[]>();

  constructor(
    private readonly clock: Clock,
    public limits: SlackRateLimits = {},
  ) {}

  /** Makes the next `times` calls of `method` fail: with a 429 (and Retry-After) or a Slack error code. */
  failNext(method: string, failure: Scripted, times = 1): void {
    const queue = this.scripted.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.scripted.set(method, queue);
  }

  /** null to proceed; otherwise the answer to give instead. */
  check(method: string, channel: string | undefined): { status: 429; retryAfter: number } | { error: string } | null {
    const scripted = this.scripted.get(method)?.shift();
    if (scripted) return scripted;
    const retryAfter = this.limits.retryAfterSeconds ?? 1;
    const now = this.clock.now();
    if (method === 'chat.postMessage' && channel && this.limits.perChannel) {
      const { perSecond, burst } = this.limits.perChannel;
      const bucket = this.buckets.get(channel) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      this.buckets.set(channel, bucket);
      if (bucket.tokens < 1) return { status: 429, retryAfter };
      bucket.tokens -= 1;
    }
    const tier = METHOD_TIERS[method];
    if (this.limits.tiers && tier) {
      const recent = (this.calls.get(method) ?? []).filter((at) => at > now - 60_000);
      if (recent.length >= PER_MINUTE[tier]) return { status: 429, retryAfter };
      recent.push(now);
      this.calls.set(method, recent);
    }
    return null;
  }

  record(post: PostRecord): void {
    this.posts.push(post);
  }

  /** Accepted chat.postMessage calls to `channel`, oldest first. */
  postsTo(channel: string): PostRecord[] {
    return this.posts.filter((post) => post.channel === channel && post.method === 'chat.postMessage' && post.outcome === 'ok');
  }

  /** Most messages accepted in `channel` within any `windowMs` (1 s by default). */
  maxInWindow(channel: string, windowMs = 1000): number {
    const times = this.postsTo(channel).map((post) => post.at);
    let max = 0;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while (times[hi]! - times[lo]! >= windowMs) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }

  /** Smallest gap between two accepted messages in `channel` (Infinity with fewer than two). */
  minGapMs(channel: string): number {
    const times = this.postsTo(channel).map((post) => post.at);
    let min = Infinity;
    for (let i = 1; i < times.length; i++) min = Math.min(min, times[i]! - times[i - 1]!);
    return min;
  }
}
