import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../domain/clock.js';
import { BodyTooLargeError, readBody } from '../../http/read-body.js';
import { sendJson } from '../../http/respond.js';
import type { HttpServer } from '../../http/server.js';
import type { IntakeMetrics } from '../../ops/intake-metrics.js';
import type { Logger } from '../../ops/logger.js';
import type { InboxEvent } from '../../pipeline/intake.js';
import { authorizeAlertRequest } from './auth.js';
import { parseJsonBody } from './json-body.js';
import { verifyPagerDutySignature } from './pagerduty.js';
import { ALERT_SOURCE_NAMES, ALERT_SOURCES, type AlertSourceName } from './sources.js';

/** 1 MB: far above any real alert payload, small enough that a flood of them cannot exhaust memory. */
export const ALERT_BODY_LIMIT_BYTES = 1_000_000;

/** Persists an accepted event and resolves with its inbox id once it is committed. */
export type InboxAppend = (event: InboxEvent) => Promise<string>;

export interface AlertRoutesDeps {
  /** Undefined until the store is ready: requests then get 503 and the sender retries. */
  inbox: () => InboxAppend | undefined;
  token?: string;
  pagerDutySecret?: string;
  metrics: IntakeMetrics;
  log: Logger;
  clock: Clock;
  limitBytes?: number;
}

/**
 * POST /alerts/{alertmanager,grafana,pagerduty,generic}. In order:
 *  1. authenticate (bearer token, or loopback when no token is set; PagerDuty
 *     requests with a configured secret are authenticated by their signature);
 *  2. read at most 1 MB (413 beyond);
 *  3. parse JSON and validate the sender's schema (400 naming the first bad path);
 *  4. commit the raw body to the inbox, and only then answer 202.
 * A rejected request stores nothing.
 */
export function mountAlertRoutes(http: HttpServer, deps: AlertRoutesDeps): void {
  for (const name of ALERT_SOURCE_NAMES) http.route('POST', `/alerts/${name}`, (req, res) => handle(name, req, res, deps));
}

async function handle(name: AlertSourceName, req: IncomingMessage, res: ServerResponse, deps: AlertRoutesDeps): Promise<void> {
  const { metrics } = deps;
  const signed = name === 'pagerduty' && deps.pagerDutySecret !== undefined;
  if (!signed) {
    const auth = authorizeAlertRequest(req, deps.token);
    if (!auth.ok) return reject(res, deps, name, 401, 'unauthorized', auth.message);
  }

  let raw: Buffer;
  try {
    raw = await readBody(req, deps.limitBytes ?? ALERT_BODY_LIMIT_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      res.setHeader('connection', 'close');
      return reject(res, deps, name, 413, 'too_large', `the body is larger than ${error.limitBytes} bytes`);
    }
    // The client went away mid-body: nothing to answer, nothing stored.
    return void res.destroy();
  }

  if (signed && !verifyPagerDutySignature(raw, req.headers['x-pagerduty-signature'], deps.pagerDutySecret!)) {
    return reject(res, deps, name, 401, 'unauthorized', 'X-PagerDuty-Signature does not match PAGERDUTY_WEBHOOK_SECRET');
  }

  const text = raw.toString('utf8');
  const json = parseJsonBody(text);
  if (!json.ok) return reject(res, deps, name, 400, 'invalid_json', json.message, json.path);
  const validation = ALERT_SOURCES[name].validate(json.value);
  if (!validation.ok) return reject(res, deps, name, 400, 'invalid_body', validation.message, validation.path);
  if ('ignored' in validation) {
    metrics.received(name, 'ignored');
    return sendJson(res, 200, { status: 'ignored', reason: validation.ignored });
  }

  const append = deps.inbox();
  if (!append) {
    res.setHeader('retry-after', '5');
    return reject(res, deps, name, 503, 'unavailable', 'pitcrew is starting; retry shortly');
  }
  let id: string;
  try {
    id = await append({ source: name, body: text, receivedAt: deps.clock.now() });
  } catch (error) {
    deps.log.error({ source: name, err: (error as Error).message }, 'cannot persist alert; answering 503 so the sender retries');
    res.setHeader('retry-after', '5');
    return reject(res, deps, name, 503, 'unavailable', 'the alert could not be stored; retry later');
  }
  metrics.received(name, 'accepted', validation.alerts);
  sendJson(res, 202, { status: 'accepted', id, alerts: validation.alerts });
}

type RejectCode = 'unauthorized' | 'too_large' | 'invalid_json' | 'invalid_body' | 'unavailable';

function reject(res: ServerResponse, deps: AlertRoutesDeps, source: string, status: number, error: RejectCode, message: string, path?: string): void {
  deps.metrics.received(source, error);
  if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="pitcrew"');
  sendJson(res, status, path === undefined ? { error, message } : { error, message, path });
}
