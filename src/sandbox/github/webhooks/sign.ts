import { createHmac } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256 of the body>`, GitHub's `X-Hub-Signature-256`. */
export function signSha256(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** `sha1=<hex HMAC-SHA1>`, the legacy `X-Hub-Signature` GitHub still sends. */
export function signSha1(secret: string, body: string | Buffer): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}
