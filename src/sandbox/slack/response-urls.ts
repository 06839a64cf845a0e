import { randomBytes } from 'node:crypto';
import type { FakeResponse } from '../http/fake-server.js';
import { validateBlocks } from './block-kit.js';
import type { SlackMessage, Workspace } from './workspace.js';

interface Issued {
  channel: string;
  user: string;
  /** The message a button was pressed on (interactions only). */
  messageTs: string | null;
  threadTs: string | null;
  uses: number;
  issuedAt: number;
}

/** Slack allows five responses within 30 minutes per response_url. */
const MAX_USES = 5;
const TTL_MS = 30 * 60 * 1000;

/**
 * The `response_url` of slash commands and interactions, served by the fake
 * with Slack's semantics: ephemeral by default, `in_channel` posts to the
 * channel, `replace_original` / `delete_original` act on the pressed message.
 */
export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();

  constructor(private readonly ws: Workspace) {}

  issue(origin: string, input: { channel: string; user: string; messageTs?: string | null; threadTs?: string | null }): string {
    const id = randomBytes(12).toString('hex');
    this.issued.set(id, { channel: input.channel, user: input.user, messageTs: input.messageTs ?? null, threadTs: input.threadTs ?? null, uses: 0, issuedAt: this.ws.clock.now() });
    return `${origin}/_fake/response/${id}`;
  }

  handle(id: string, raw: Buffer): FakeResponse {
    const issued = this.issued.get(id);
    const fail = (status: number, error: string): FakeResponse => ({ status, headers: { 'content-type': 'application/json' }, body: { ok: false, error } });
    if (!issued || this.ws.clock.now() - issued.issuedAt > TTL_MS) return fail(404, 'expired_url');
    if (issued.uses >= MAX_USES) return fail(404, 'used_url');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return fail(400, 'invalid_payload');
    }
    if (body.blocks !== undefined && validateBlocks(body.blocks).length > 0) return fail(400, 'invalid_blocks');
    issued.uses++;
    this.ws.responses.push({ id, body, at: this.ws.clock.now() });
    const original = issued.messageTs ? this.ws.message(issued.channel, issued.messageTs) : undefined;
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : null;
    if (body.delete_original === true && original) original.deleted = true;
    else if (body.replace_original === true && original) {
      original.text = text;
      original.blocks = blocks;
      original.revisions.push({ at: this.ws.clock.now(), text, blocks });
    } else if (body.response_type === 'in_channel') {
      const message: SlackMessage = {
        ts: this.ws.nextTs(),
        channel: issued.channel,
        user: this.ws.bot.id,
        botId: this.ws.bot.botId,
        text,
        blocks,
        attachments: null,
        metadata: null,
        threadTs: body.thread_ts === undefined ? issued.threadTs : String(body.thread_ts),
        replyBroadcast: false,
        postedAt: this.ws.clock.now(),
        revisions: [],
        reactions: new Map(),
        deleted: false,
      };
      this.ws.messages.push(message);
    } else {
      this.ws.ephemerals.push({ messageTs: this.ws.nextTs(), channel: issued.channel, user: issued.user, threadTs: issued.threadTs, text, blocks, at: this.ws.clock.now() });
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: { ok: true } };
  }
}
