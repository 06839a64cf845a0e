import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <token>`, compared in constant time (digests have equal length). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

export type AuthDecision = { ok: true } | { ok: false; message: string };

/**
 * With a token configured, the bearer token is required. Without one, only
 * loopback peers are accepted (the service warns about this at startup).
 */
export function authorizeAlertRequest(req: IncomingMessage, token: string | undefined): AuthDecision {
  if (token) {
    return bearerMatches(req.headers.authorization, token)
      ? { ok: true }
      : { ok: false, message: req.headers.authorization ? 'the bearer token is wrong' : 'an Authorization: Bearer <PITCREW_ALERT_TOKEN> header is required' };
  }
  return isLoopback(req.socket.remoteAddress)
    ? { ok: true }
    : { ok: false, message: 'PITCREW_ALERT_TOKEN is not set, so alerts are accepted from loopback only; set it and send it as a bearer token' };
}
