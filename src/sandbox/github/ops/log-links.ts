import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { FakeResponse } from '../../http/fake-server.js';
import type { GitHubCore } from '../core.js';
import type { JobRecord } from '../model.js';

/**
 * Short-lived log download URLs, like the blob-storage links GitHub redirects
 * job-log requests to: valid for one minute, served by the fake without auth.
 */
export class LogLinks {
  private readonly links = new Map<string, { job: JobRecord; expiresAt: number }>();

  constructor(
    private readonly core: GitHubCore,
    private readonly ttlMs = 60_000,
  ) {}

  issue(origin: string, job: JobRecord): string {
    const token = randomBytes(16).toString('hex');
    this.links.set(token, { job, expiresAt: this.core.now() + this.ttlMs });
    return `${origin}/_fake/job-logs/${token}?sv=2021-08-06&se=${encodeURIComponent(new Date(this.core.now() + this.ttlMs).toISOString())}&sp=r&sig=${token.slice(0, 12)}`;
  }

  serve(token: string): FakeResponse {
    const link = this.links.get(token);
    if (!link || link.expiresAt <= this.core.now()) {
      // Azure blob storage's answer to an expired or unknown SAS URL.
      return {
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Signed expiry time has passed.</Message></Error>',
      };
    }
    const { log } = link.job;
    if (typeof log === 'string') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: log };
    if (!existsSync(log.path)) return { status: 404, headers: { 'content-type': 'text/plain' }, body: `log file ${log.path} is missing` };
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: createReadStream(log.path) };
  }
}
