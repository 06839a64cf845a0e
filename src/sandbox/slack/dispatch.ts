import type { FakeRequest, FakeResponse, RequestRecord } from '../http/fake-server.js';
import { chatMethods } from './methods/chat.js';
import { conversationMethods } from './methods/conversations.js';
import { SlackError, type Method } from './methods/method.js';
import { peopleMethods } from './methods/people.js';
import { reactionAndViewMethods } from './methods/reactions-views.js';
import type { SlackRateLimiter } from './rate-limits.js';
import type { ResponseUrls } from './response-urls.js';
import type { Workspace } from './workspace.js';

export const METHODS: Record<string, Method> = { ...peopleMethods, ...chatMethods, ...conversationMethods, ...reactionAndViewMethods };

const MESSAGE_WRITES = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);
const SCOPES = 'chat:write,chat:write.public,commands,app_mentions:read,channels:history,groups:history,im:history,im:write,users:read,users:read.email,usergroups:read,reactions:write';

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': SCOPES, ...headers }, body };
}

/** Arguments from the query string and a form or JSON body, the ways Slack's clients send them. */
function parseArgs(req: FakeRequest): Record<string, unknown> {
  const args: Record<string, unknown> = Object.fromEntries(req.query);
  if (req.body.length === 0) return args;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const parsed: unknown = JSON.parse(req.body.toString('utf8'));
    if (parsed && typeof parsed === 'object') Object.assign(args, parsed);
    return args;
  }
  for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) args[key] = value;
  return args;
}

/**
 * Serves `POST /api/<method>` like slack.com: HTTP 200 with `ok`, auth from
 * the Bearer header (or a `token` argument), 429 + Retry-After when limited,
 * and a record of every message write per channel.
 */
export function createSlackDispatcher(ws: Workspace, limiter: SlackRateLimiter, responses: ResponseUrls) {
  return async (req: FakeRequest, record: Partial<RequestRecord>): Promise<FakeResponse> => {
    const responseUrl = /^\/_fake\/response\/([\w-]+)$/.exec(req.path);
    if (responseUrl && req.method === 'POST') return responses.handle(responseUrl[1]!, req.body);
    const match = /^\/api\/([\w.]+)$/.exec(req.path);
    if (!match) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
    const method = match[1]!;
    let args: Record<string, unknown>;
    try {
      args = parseArgs(req);
    } catch {
      return json(200, { ok: false, error: 'invalid_json' });
    }
    record.body = { ...args, token: args.token ? '[redacted]' : undefined };
    const handler = METHODS[method];
    if (!handler) return json(200, { ok: false, error: 'unknown_method' });
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!auth) return json(200, { ok: false, error: 'not_authed' });
    const grant = ws.tokens.get(auth);
    if (!grant) return json(200, { ok: false, error: 'invalid_auth' });
    record.actor = grant.userId;
    const channelArg = typeof args.channel === 'string' ? args.channel : undefined;
    const channel = channelArg ? (ws.channel(channelArg)?.id ?? channelArg) : '';
    const limited = limiter.check(method, channel);
    if (limited) {
      if (MESSAGE_WRITES.has(method)) limiter.record({ method, channel, at: ws.clock.now(), outcome: 'status' in limited ? 'rate_limited' : limited.error });
      if ('status' in limited) return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limited.retryAfter) });
      return json(200, { ok: false, error: limited.error });
    }
    try {
      const result = await handler({ ws, args, grant, limiter, origin: req.origin });
      if (MESSAGE_WRITES.has(method)) {
        const ts = typeof result.ts === 'string' ? result.ts : typeof result.message_ts === 'string' ? result.message_ts : undefined;
        limiter.record({ method, channel, at: ws.clock.now(), outcome: 'ok', ...(ts ? { ts } : {}), ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}) });
      }
      return json(200, { ok: true, ...result });
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      if (MESSAGE_WRITES.has(method)) limiter.record({ method, channel, at: ws.clock.now(), outcome: error.error });
      return json(200, { ok: false, error: error.error, ...error.extra });
    }
  };
}
