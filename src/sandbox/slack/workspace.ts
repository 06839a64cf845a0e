import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';

/** Records the Slack fake keeps: one workspace, its people, channels and every message. */

export interface SlackUser {
  id: string;
  name: string;
  realName: string;
  email: string | null;
  isBot: boolean;
  botId: string | null;
  isAdmin: boolean;
  deleted: boolean;
  tz: string;
}

export interface SlackUsergroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface SlackChannel {
  id: string;
  name: string;
  isIm: boolean;
  isPrivate: boolean;
  members: Set<string>;
  created: number;
  archived: boolean;
  topic: string;
  /** For DMs, the other user. */
  user?: string;
}

export interface MessageRevision {
  at: number;
  text: string;
  blocks: unknown[] | null;
}

export interface SlackMessage {
  ts: string;
  channel: string;
  user: string;
  botId: string | null;
  text: string;
  blocks: unknown[] | null;
  attachments: unknown[] | null;
  metadata: unknown;
  /** The parent's ts for thread replies. */
  threadTs: string | null;
  replyBroadcast: boolean;
  /** Clock time the fake accepted it (epoch ms). */
  postedAt: number;
  /** Every chat.update, in order (the message holds the latest text and blocks). */
  revisions: MessageRevision[];
  reactions: Map<string, string[]>;
  deleted: boolean;
}

export interface EphemeralMessage {
  messageTs: string;
  channel: string;
  user: string;
  threadTs: string | null;
  text: string;
  blocks: unknown[] | null;
  at: number;
}

export interface OpenedView {
  id: string;
  triggerId: string;
  user: string | null;
  view: Record<string, unknown>;
  at: number;
}

export interface TokenGrant {
  userId: string;
  teamId: string;
  kind: 'bot' | 'user';
}

/** A posted response to a slash command or interaction `response_url`. */
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * One Slack workspace: ids and timestamps look like Slack's (`C…`, `U…`,
 * `1712345678.000100`), and every message keeps its thread and update history.
 */
export class Workspace {
  readonly teamId = 'T0PITCREW';
  readonly teamName = 'pitcrew-sandbox';
  readonly domain = 'pitcrew-sandbox';
  readonly users = new Map<string, SlackUser>();
  readonly usergroups = new Map<string, SlackUsergroup>();
  readonly channels = new Map<string, SlackChannel>();
  readonly messages: SlackMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views: OpenedView[] = [];
  readonly tokens = new Map<string, TokenGrant>();
  readonly responses: ResponseUrlPost[] = [];
  /** trigger_id → when it was issued; Slack accepts a trigger for 3 seconds. */
  readonly triggers = new Map<string, number>();
  readonly bot: SlackUser;
  readonly botToken: string;
  private lastTs = 0;
  private counter = 0;

  constructor(readonly clock: Clock) {
    this.bot = this.addUser({ name: 'pitcrew', realName: 'pitcrew', isBot: true });
    this.botToken = `xoxb-${this.teamId}-${randomBytes(12).toString('hex')}`;
    this.tokens.set(this.botToken, { userId: this.bot.id, teamId: this.teamId, kind: 'bot' });
  }

  id(prefix: string): string {
    this.counter++;
    return `${prefix}0${this.counter.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /** A message timestamp: seconds.micros from the clock, strictly increasing across the workspace. */
  nextTs(): string {
    const micros = Math.max(this.clock.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  addUser(input: { name: string; realName?: string; email?: string; isBot?: boolean; isAdmin?: boolean; id?: string; tz?: string }): SlackUser {
    const user: SlackUser = {
      id: input.id ?? this.id('U'),
      name: input.name,
      realName: input.realName ?? input.name,
      email: input.email ?? (input.isBot ? null : `${input.name}@example.com`),
      isBot: input.isBot ?? false,
      botId: input.isBot ? this.id('B') : null,
      isAdmin: input.isAdmin ?? false,
      deleted: false,
      tz: input.tz ?? 'Etc/UTC',
    };
    this.users.set(user.id, user);
    return user;
  }

  userByName(name: string): SlackUser | undefined {
    return [...this.users.values()].find((user) => user.name === name || user.id === name);
  }

  addChannel(input: { name: string; isPrivate?: boolean; members?: string[]; botIsMember?: boolean; id?: string }): SlackChannel {
    const channel: SlackChannel = {
      id: input.id ?? this.id(input.isPrivate ? 'G' : 'C'),
      name: input.name.replace(/^#/, ''),
      isIm: false,
      isPrivate: input.isPrivate ?? false,
      members: new Set(input.members ?? []),
      created: Math.floor(this.clock.now() / 1000),
      archived: false,
      topic: '',
    };
    if (input.botIsMember ?? true) channel.members.add(this.bot.id);
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** A channel by id or `#name`/`name`, as Slack accepts either. */
  channel(idOrName: string): SlackChannel | undefined {
    return this.channels.get(idOrName) ?? [...this.channels.values()].find((channel) => channel.name === idOrName.replace(/^#/, ''));
  }

  dm(userId: string): SlackChannel {
    const existing = [...this.channels.values()].find((channel) => channel.isIm && channel.user === userId);
    if (existing) return existing;
    const channel: SlackChannel = { id: this.id('D'), name: userId, isIm: true, isPrivate: true, members: new Set([userId, this.bot.id]), created: Math.floor(this.clock.now() / 1000), archived: false, topic: '', user: userId };
    this.channels.set(channel.id, channel);
    return channel;
  }

  addUsergroup(input: { handle: string; name?: string; users: string[]; id?: string }): SlackUsergroup {
    const group: SlackUsergroup = { id: input.id ?? this.id('S'), handle: input.handle, name: input.name ?? input.handle, users: [...input.users] };
    this.usergroups.set(group.id, group);
    return group;
  }

  message(channel: string, ts: string): SlackMessage | undefined {
    return this.messages.find((message) => message.channel === channel && message.ts === ts && !message.deleted);
  }

  /** A ts-formatted time (for `edited.ts`), not unique. */
  tsAt(ms: number): string {
    return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
  }

  /** Issues a trigger_id, as Slack does in slash commands and interactions. */
  trigger(): string {
    const id = `${Math.floor(this.clock.now() / 1000)}.${randomBytes(6).readUIntBE(0, 6)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, this.clock.now());
    return id;
  }
}
