import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../domain/clock.js';
import { FakeHttpServer, type RequestRecord } from '../http/fake-server.js';
import { createSlackDispatcher } from './dispatch.js';
import { renderMessage } from './methods/method.js';
import { SlackRateLimiter, type SlackRateLimits } from './rate-limits.js';
import { ResponseUrls } from './response-urls.js';
import { SlackRequestSender } from './signed-requests.js';
import { Workspace, type SlackChannel, type SlackMessage, type SlackUser, type SlackUsergroup } from './workspace.js';

export interface FakeSlackOptions {
  clock?: Clock;
  port?: number;
  /** Rate limits to enforce (messages are always logged per channel). */
  rateLimits?: SlackRateLimits;
  /** The app's signing secret (generated when omitted). */
  signingSecret?: string;
}

/**
 * A stateful fake of the Slack Web API on 127.0.0.1 for @slack/web-api and
 * Bolt (`clientOptions: { slackApiUrl: fake.apiUrl }`), plus a sender of
 * signed requests into the app. See src/sandbox/README.md.
 */
export class FakeSlack {
  readonly workspace: Workspace;
  readonly limiter: SlackRateLimiter;
  readonly signingSecret: string;
  private readonly responses: ResponseUrls;
  private readonly server: FakeHttpServer;

  private constructor(options: FakeSlackOptions) {
    const clock = options.clock ?? systemClock;
    this.workspace = new Workspace(clock);
    this.limiter = new SlackRateLimiter(clock, options.rateLimits ?? {});
    this.responses = new ResponseUrls(this.workspace);
    this.signingSecret = options.signingSecret ?? randomBytes(16).toString('hex');
    this.server = new FakeHttpServer(createSlackDispatcher(this.workspace, this.limiter, this.responses), clock);
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    await fake.server.listen(options.port ?? 0);
    return fake;
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  get url(): string {
    return this.server.url;
  }

  /** What `slackApiUrl` / `SLACK_API_URL` must be (with the trailing slash the client expects). */
  get apiUrl(): string {
    return `${this.server.url}/api/`;
  }

  get botToken(): string {
    return this.workspace.botToken;
  }

  /** The environment that points pitcrew's Slack adapter at this fake (and its channel, when given). */
  pitcrewEnv(channel?: string): Record<string, string> {
    return { SLACK_BOT_TOKEN: this.botToken, SLACK_SIGNING_SECRET: this.signingSecret, SLACK_API_URL: this.apiUrl, ...(channel ? { SLACK_CHANNEL: channel } : {}) };
  }

  get botUserId(): string {
    return this.workspace.bot.id;
  }

  get requests(): RequestRecord[] {
    return this.server.requests;
  }

  // ── setup ────────────────────────────────────────────────────────────────

  addUser(name: string, profile: { realName?: string; email?: string; isAdmin?: boolean } = {}): SlackUser {
    return this.workspace.addUser({ name, ...profile });
  }

  /** A channel the bot is in (unless `botIsMember: false`); `members` are user ids. */
  addChannel(name: string, options: { isPrivate?: boolean; members?: string[]; botIsMember?: boolean } = {}): SlackChannel {
    return this.workspace.addChannel({ name, ...options });
  }

  addUsergroup(handle: string, users: string[]): SlackUsergroup {
    return this.workspace.addUsergroup({ handle, users });
  }

  /** A user token (xoxp-) acting as `userId`, for clients that act as a person. */
  userToken(userId: string): string {
    const token = `xoxp-${this.workspace.teamId}-${randomBytes(10).toString('hex')}`;
    this.workspace.tokens.set(token, { userId, teamId: this.workspace.teamId, kind: 'user' });
    return token;
  }

  /** Makes the next `times` calls of `method` fail with a 429 (and Retry-After) or a Slack error code. */
  failNext(method: string, failure: { status: 429; retryAfter: number } | { error: string }, times = 1): void {
    this.limiter.failNext(method, failure, times);
  }

  /** A sender of signed requests to the app's endpoint (e.g. `http://127.0.0.1:3000/slack/events`). */
  sender(target: string, signingSecret = this.signingSecret): SlackRequestSender {
    return new SlackRequestSender(this.workspace, this.responses, this.url, target, signingSecret);
  }

  // ── inspection ───────────────────────────────────────────────────────────

  private channelId(channel: string): string {
    return this.workspace.channel(channel)?.id ?? channel;
  }

  /** Every live message in `channel` (threads included), oldest first. */
  messages(channel?: string): SlackMessage[] {
    const id = channel ? this.channelId(channel) : undefined;
    return this.workspace.messages.filter((message) => !message.deleted && (!id || message.channel === id));
  }

  /** Top-level messages (thread roots and plain messages) in `channel`, oldest first. */
  roots(channel: string): SlackMessage[] {
    return this.messages(channel).filter((message) => message.threadTs === null);
  }

  /** Replies under the thread rooted at `ts`, oldest first. */
  replies(channel: string, ts: string): SlackMessage[] {
    return this.messages(channel).filter((message) => message.threadTs === ts);
  }

  /** A message as conversations.history would show it. */
  rendered(message: SlackMessage): Record<string, unknown> {
    return renderMessage(this.workspace, message);
  }

  get ephemerals() {
    return this.workspace.ephemerals;
  }

  get views() {
    return this.workspace.views;
  }

  /** Bodies posted to response_urls. */
  get responseBodies() {
    return this.workspace.responses;
  }

  /** A readable dump of `channel`: each root with its edits count and indented replies (for the demo and test failures). */
  transcript(channel: string): string {
    const name = (userId: string) => this.workspace.users.get(userId)?.name ?? userId;
    const lines: string[] = [];
    for (const root of this.roots(channel)) {
      const edits = root.revisions.length > 0 ? ` (edited ${root.revisions.length}×)` : '';
      lines.push(`${name(root.user)}: ${root.text}${edits}`);
      for (const reply of this.replies(channel, root.ts)) lines.push(`  ↳ ${name(reply.user)}: ${reply.text.split('\n').join('\n    ')}`);
    }
    return lines.join('\n');
  }

  /** Most messages the fake accepted in `channel` within any window (1 s by default). */
  maxMessagesPerWindow(channel: string, windowMs = 1000): number {
    return this.limiter.maxInWindow(this.channelId(channel), windowMs);
  }

  /** Smallest gap between two accepted messages in `channel`. */
  minGapMs(channel: string): number {
    return this.limiter.minGapMs(this.channelId(channel));
  }
}
