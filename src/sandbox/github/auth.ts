import { verify } from 'node:crypto';
import type { GitHubCore } from './core.js';
import { ApiError } from './errors.js';
import type { Actor, AppRecord } from './model.js';

function decodePart(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Verifies a GitHub App JWT the way GitHub does: RS256, signed by the key
 * registered for the app named in `iss` (app id or client id), `iat` not in the
 * future (60 s of skew allowed), `exp` in the future and at most 10 minutes after `iat`.
 */
export function verifyAppJwt(core: GitHubCore, jwt: string): AppRecord {
  const parts = jwt.split('.');
  const header = parts.length === 3 ? decodePart(parts[0]!) : null;
  const claims = parts.length === 3 ? decodePart(parts[1]!) : null;
  if (!header || !claims) throw new ApiError(401, 'A JSON web token could not be decoded');
  if (header.alg !== 'RS256') throw new ApiError(401, "'alg' must be RS256");
  const issuer = String(claims.iss ?? '');
  const app = [...core.apps.values()].find((candidate) => String(candidate.id) === issuer || candidate.clientId === issuer);
  if (!app) throw new ApiError(401, `'Issuer' claim ('iss') must be an Integer or the client ID of a GitHub App`);
  if (!app.publicKey) throw new ApiError(401, 'A JSON web token could not be decoded');
  const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), app.publicKey, Buffer.from(parts[2]!, 'base64url'));
  if (!signed) throw new ApiError(401, 'A JSON web token could not be decoded');
  const now = Math.floor(core.authClock.now() / 1000);
  const iat = Number(claims.iat);
  const exp = Number(claims.exp);
  if (!Number.isFinite(iat) || iat > now + 60) throw new ApiError(401, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.");
  if (!Number.isFinite(exp) || exp <= now) throw new ApiError(401, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.");
  if (exp - iat > 600) throw new ApiError(401, "'Expiration time' claim ('exp') is too far in the future.");
  return app;
}

/** Resolves the Authorization header to an actor; null for anonymous requests. */
export function authenticate(core: GitHubCore, header: string | undefined): Actor | null {
  if (!header) return null;
  const match = /^(bearer|token)\s+(\S+)$/i.exec(header.trim());
  if (!match) throw ApiError.badCredentials();
  const credential = match[2]!;
  if (credential.split('.').length === 3 && credential.startsWith('ey')) {
    const app = verifyAppJwt(core, credential);
    return { kind: 'app', app, label: `app:${app.slug}` };
  }
  const token = core.tokens.get(credential);
  if (!token || (token.expiresAt !== undefined && token.expiresAt <= core.authClock.now())) throw ApiError.badCredentials();
  if (token.kind === 'user') return { kind: 'user', login: token.login!, label: token.login! };
  const installation = core.installations.get(token.installationId!);
  if (!installation || installation.suspended) throw ApiError.badCredentials();
  const app = core.apps.get(installation.appId)!;
  return { kind: 'installation', app, installation, token, login: app.botLogin, label: app.botLogin };
}

/** The login an actor acts as (the `[bot]` user for installations). */
export function actorLogin(actor: Actor): string {
  if (actor.kind === 'app') throw ApiError.notAccessibleByIntegration();
  return actor.login;
}
