import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { httpRequestConnector, signHttpAction } from '../../../src/actions/http-request.js';
import { Policy } from '../../../src/domain/policy.js';
import { silentLogger } from '../../../src/ops/logger.js';
import type { ConnectorContext } from '../../../src/pipeline/execute/ports.js';

const SECRET = 'a-secret-of-at-least-16-chars';

async function target(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/`;
}

function setup(base: string, options: { secret?: string; timeoutMs?: number } = {}) {
  const saved: Array<Record<string, unknown>> = [];
  const connector = httpRequestConnector({ policy: Policy.parse({ http: { baseUrls: [base] } }), secret: 'secret' in options ? options.secret : SECRET, timeoutMs: options.timeoutMs ?? 2_000, log: silentLogger(), now: () => 1_700_000_000_000 });
  after(() => connector.stop());
  const context = (overrides: Partial<ConnectorContext> = {}): ConnectorContext => ({
    key: 'plan_a1:abc:2', repo: 'acme/deploy', mergeSha: 'abc', prNumber: 1, incident: null, dryRun: false,
    checkpoint: async (data) => {
      saved.push(data);
    },
    saved: null, startedAt: 0, ...overrides,
  });
  return { connector, context, saved };
}

describe('http.request connector', () => {
  it('signs the request (timestamp, method, URL, key, body) and succeeds on 2xx', async () => {
    let seen: { signature?: string; key?: string; body?: string } = {};
    const base = await target((req, res, body) => {
      seen = { signature: String(req.headers['x-pitcrew-signature']), key: String(req.headers['idempotency-key']), body };
      res.writeHead(202).end();
    });
    const { connector, context, saved } = setup(base);
    const outcome = await connector.run({ kind: 'http.request', method: 'POST', url: `${base}flush`, body: { a: 1 } }, context());
    assert.deepEqual(outcome, { outcome: 'succeeded', detail: `POST ${base}flush answered 202` });
    assert.equal(seen.signature, signHttpAction(SECRET, { timestamp: 1_700_000_000, method: 'POST', url: `${base}flush`, key: 'plan_a1:abc:2', body: '{"a":1}' }));
    assert.equal(seen.key, 'plan_a1:abc:2');
    assert.deepEqual(saved, [{ sentAt: 1_700_000_000_000 }], 'the send is checkpointed before it happens');
  });

  it('refuses targets off the allowlist and sends nothing unsigned', async () => {
    let hits = 0;
    const base = await target((_req, res) => {
      hits++;
      res.writeHead(200).end();
    });
    const { connector, context } = setup(base);
    assert.match((await connector.run({ kind: 'http.request', method: 'POST', url: base.replace('/hooks/', '/other') }, context())).detail, /not under the policy's http\.baseUrls/);
    const unsigned = setup(base, { secret: undefined });
    assert.match((await unsigned.connector.run({ kind: 'http.request', method: 'POST', url: `${base}x` }, unsigned.context())).detail, /PITCREW_HTTP_ACTION_SECRET is not set/);
    assert.equal(hits, 0);
  });

  it('does not follow redirects, and a timeout is an unknown outcome (never a failure to retry)', async () => {
    const base = await target((req, res) => {
      if (req.url?.endsWith('redirect')) res.writeHead(302, { location: 'http://example.com/' }).end();
      // else: never answers
    });
    const { connector, context } = setup(base, { timeoutMs: 200 });
    const redirect = await connector.run({ kind: 'http.request', method: 'POST', url: `${base}redirect` }, context());
    assert.deepEqual([redirect.outcome, /redirect \(302\)/.test(redirect.detail)], ['failed', true]);
    const slow = await connector.run({ kind: 'http.request', method: 'POST', url: `${base}slow` }, context());
    assert.equal(slow.outcome, 'unknown');
    assert.match(slow.detail, /no answer within 200 ms; the target may or may not have acted/);
  });

  it('status: never sent is not applied; sent is unknown', async () => {
    const { connector, context } = setup('http://127.0.0.1:1/hooks/');
    const action = { kind: 'http.request' as const, method: 'POST' as const, url: 'http://127.0.0.1:1/hooks/x' };
    assert.equal((await connector.status(action, context())).state, 'not_applied');
    assert.equal((await connector.status(action, context({ saved: { sentAt: 1 } }))).state, 'unknown');
  });
});
