import { createHmac, randomBytes } from 'node:crypto';
import { renderMessage } from './methods/method.js';
import type { ResponseUrls } from './response-urls.js';
import type { SlackMessage, SlackUser, Workspace } from './workspace.js';

export interface SigningOptions {
  /** `valid` (default), `forged` (wrong secret), or `none` (no signature headers). */
  signature?: 'valid' | 'forged' | 'none';
  /** Seconds to shift the request timestamp by; -600 makes a stale (replayed) request. */
  timestampOffsetSeconds?: number;
  /** Extra headers (e.g. `x-slack-retry-num`). */
  headers?: Record<string, string>;
}

export interface SentRequest {
  status: number;
  body: string;
  /** The signed body as sent. */
  sent: string;
  responseUrl?: string;
  triggerId?: string;
  /** The user message the event is about (events that carry one). */
  ts?: string;
}

/** `v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">`, Slack's request signature. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Sends requests into a Slack app (Bolt's HTTP receiver) the way Slack does:
 * signed with `X-Slack-Signature` v0 and `X-Slack-Request-Timestamp`, as slash
 * commands, block_actions button presses and Events API callbacks. User
 * messages that events describe are also added to the fake workspace, so the
 * app can reply in their thread.
 */
export class SlackRequestSender {
  constructor(
    private readonly ws: Workspace,
    private readonly responses: ResponseUrls,
    private readonly fakeOrigin: string,
    private readonly target: string,
    private readonly signingSecret: string,
  ) {}

  async send(body: string, contentType: string, options: SigningOptions = {}): Promise<{ status: number; body: string }> {
    const timestamp = Math.floor(this.ws.clock.now() / 1000) + (options.timestampOffsetSeconds ?? 0);
    const headers: Record<string, string> = { 'content-type': contentType, 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)', ...options.headers };
    const signature = options.signature ?? 'valid';
    if (signature !== 'none') {
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = slackSignature(signature === 'forged' ? `forged-${this.signingSecret}` : this.signingSecret, timestamp, body);
    }
    const response = await fetch(this.target, { method: 'POST', headers, body });
    return { status: response.status, body: await response.text() };
  }

  private user(idOrName: string): SlackUser {
    const user = this.ws.userByName(idOrName);
    if (!user) throw new Error(`no Slack user "${idOrName}"; add it with addUser() first`);
    return user;
  }

  private channel(idOrName: string) {
    const channel = this.ws.channel(idOrName);
    if (!channel) throw new Error(`no Slack channel "${idOrName}"; add it with addChannel() first`);
    return channel;
  }

  /** A slash command, e.g. `/pitcrew status`. */
  async slashCommand(input: { user: string; channel: string; text: string; command?: string } & SigningOptions): Promise<SentRequest> {
    const user = this.user(input.user);
    const channel = this.channel(input.channel);
    const responseUrl = this.responses.issue(this.fakeOrigin, { channel: channel.id, user: user.id });
    const triggerId = this.ws.trigger();
    const body = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: this.ws.teamId,
      team_domain: this.ws.domain,
      channel_id: channel.id,
      channel_name: channel.isIm ? 'directmessage' : channel.name,
      user_id: user.id,
      user_name: user.name,
      command: input.command ?? '/pitcrew',
      text: input.text,
      api_app_id: 'A0PITCREW',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    }).toString();
    const result = await this.send(body, 'application/x-www-form-urlencoded', input);
    return { ...result, sent: body, responseUrl, triggerId };
  }

  /**
   * A button press on a message the app posted. The button's block_id, text and
   * value are read from the message when it has one with `actionId`.
   */
  async blockAction(input: { user: string; channel: string; messageTs: string; actionId: string; value?: string; blockId?: string } & SigningOptions): Promise<SentRequest> {
    const user = this.user(input.user);
    const channel = this.channel(input.channel);
    const message = this.ws.message(channel.id, input.messageTs);
    if (!message) throw new Error(`no message ${input.messageTs} in ${channel.name}`);
    const found = findButton(message, input.actionId);
    const responseUrl = this.responses.issue(this.fakeOrigin, { channel: channel.id, user: user.id, messageTs: message.ts, threadTs: message.threadTs });
    const triggerId = this.ws.trigger();
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: this.ws.teamId },
      api_app_id: 'A0PITCREW',
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: message.ts, channel_id: channel.id, is_ephemeral: false, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) },
      trigger_id: triggerId,
      team: { id: this.ws.teamId, domain: this.ws.domain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel.id, name: channel.name },
      message: renderMessage(this.ws, message),
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          action_id: input.actionId,
          block_id: input.blockId ?? found?.blockId ?? 'block',
          text: found?.text ?? { type: 'plain_text', text: input.actionId, emoji: true },
          ...(input.value ?? found?.value ? { value: input.value ?? found?.value } : {}),
          type: 'button',
          action_ts: `${(this.ws.clock.now() / 1000).toFixed(6)}`,
        },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const result = await this.send(body, 'application/x-www-form-urlencoded', input);
    return { ...result, sent: body, responseUrl, triggerId };
  }

  /** A user mentions the app in a channel (or thread): the message is added, then `app_mention` is sent. */
  appMention(input: { user: string; channel: string; text: string; threadTs?: string } & SigningOptions): Promise<SentRequest> {
    return this.userMessageEvent('app_mention', input);
  }

  /** A user posts a message: it is added to the channel, then a `message` event is sent. */
  message(input: { user: string; channel: string; text: string; threadTs?: string } & SigningOptions): Promise<SentRequest> {
    return this.userMessageEvent('message', input);
  }

  /** Any Events API callback with a hand-built `event`. */
  async event(event: Record<string, unknown>, options: SigningOptions = {}): Promise<SentRequest> {
    const envelope = {
      token: 'deprecated-verification-token',
      team_id: this.ws.teamId,
      api_app_id: 'A0PITCREW',
      event,
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(this.ws.clock.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.ws.teamId, user_id: this.ws.bot.id, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(8).toString('hex')}`,
    };
    const body = JSON.stringify(envelope);
    return { ...(await this.send(body, 'application/json', options)), sent: body };
  }

  /** Slack's URL verification handshake. */
  async urlVerification(challenge = randomBytes(8).toString('hex'), options: SigningOptions = {}): Promise<SentRequest> {
    const body = JSON.stringify({ token: 'deprecated-verification-token', challenge, type: 'url_verification' });
    return { ...(await this.send(body, 'application/json', options)), sent: body };
  }

  private async userMessageEvent(type: 'app_mention' | 'message', input: { user: string; channel: string; text: string; threadTs?: string } & SigningOptions): Promise<SentRequest> {
    const user = this.user(input.user);
    const channel = this.channel(input.channel);
    const threadTs = input.threadTs ? (this.ws.message(channel.id, input.threadTs)?.threadTs ?? input.threadTs) : null;
    const message: SlackMessage = {
      ts: this.ws.nextTs(),
      channel: channel.id,
      user: user.id,
      botId: null,
      text: input.text,
      blocks: null,
      attachments: null,
      metadata: null,
      threadTs,
      replyBroadcast: false,
      postedAt: this.ws.clock.now(),
      revisions: [],
      reactions: new Map(),
      deleted: false,
    };
    this.ws.messages.push(message);
    const event = {
      type,
      client_msg_id: randomBytes(16).toString('hex'),
      user: user.id,
      text: input.text,
      ts: message.ts,
      team: this.ws.teamId,
      channel: channel.id,
      event_ts: message.ts,
      ...(type === 'message' ? { channel_type: channel.isIm ? 'im' : channel.isPrivate ? 'group' : 'channel' } : {}),
      ...(threadTs ? { thread_ts: threadTs, parent_user_id: this.ws.message(channel.id, threadTs)?.user } : {}),
    };
    return { ...(await this.event(event, input)), ts: message.ts };
  }
}

function findButton(message: SlackMessage, actionId: string): { blockId: string; text: unknown; value?: string } | undefined {
  for (const block of message.blocks ?? []) {
    const record = block as { block_id?: string; elements?: unknown[]; accessory?: unknown };
    for (const element of [...(record.elements ?? []), record.accessory]) {
      const button = element as { action_id?: string; text?: unknown; value?: string } | undefined;
      if (button?.action_id === actionId) return { blockId: record.block_id ?? '', text: button.text, ...(button.value !== undefined ? { value: button.value } : {}) };
    }
  }
  return undefined;
}
