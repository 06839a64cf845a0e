import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { HttpServer } from '../../../src/http/server.js';
import { silentLogger } from '../../../src/ops/logger.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { FakeGitHub, signSha256 } from '../../../src/sandbox/index.js';
import { webhookSink } from '../../support/sandbox.js';

interface Seen {
  event: string;
  action?: string;
  delivery: string;
  payload: Record<string, unknown>;
}

/** A real Probot app on the shared HttpServer, receiving the fake's signed webhooks. */
async function probotOnFake(options: { secondaryLimits?: { rejectConcurrent?: boolean } } = {}) {
  const http = new HttpServer(silentLogger(), createMetrics({ defaultMetrics: false }));
  const port = await http.listen(0, '127.0.0.1');
  after(() => http.close());
  const fake = await FakeGitHub.start(options.secondaryLimits ? { secondaryLimits: options.secondaryLimits } : {});
  after(() => fake.stop());
  const secret = 'probot-webhook-secret';
  const app = fake.createApp({ slug: 'pitcrew', webhook: { url: `http://127.0.0.1:${port}/api/github/webhooks`, secret } });
  fake.addOrg('acme', { alice: 'admin' });
  await fake.createRepo({ owner: 'acme', name: 'infra', files: { 'README.md': '# infra\n', '.github/pitcrew.yml': 'paused: false\napprovers:\n  low: [carol]\n' }, installations: [app] });
  fake.addCollaborator('acme/infra', 'bob', 'write');
  fake.addCollaborator('acme/infra', 'carol', 'write');

  const seen: Seen[] = [];
  const configs: unknown[] = [];
  const probot = new Probot({
    appId: app.id,
    privateKey: app.privateKey!,
    secret,
    baseUrl: fake.url,
    log: pino({ level: 'silent' }),
    Octokit: ProbotOctokit.defaults((defaults: Record<string, unknown>) => ({
      ...defaults,
      retry: { enabled: false },
      throttle: { ...(defaults?.throttle as object), enabled: false },
    })),
  });
  const middleware = await createNodeMiddleware(
    (bot) => {
      bot.onAny(async (context) => {
        const payload = context.payload as Record<string, unknown>;
        seen.push({ event: context.name, ...(typeof payload.action === 'string' ? { action: payload.action } : {}), delivery: context.id, payload });
      });
      bot.on('pull_request.opened', async (context) => {
        configs.push(await context.config('pitcrew.yml'));
        await context.octokit.rest.issues.createComment(context.issue({ body: 'pitcrew is looking at this PR' }));
      });
    },
    { probot, webhooksPath: '/api/github/webhooks' },
  );
  http.route('POST', '/api/github/webhooks', (req, res) => {
    void middleware(req, res);
  });
  return { fake, seen, configs, port };
}

/** Paths present in the documented example but missing from ours (objects recursively, arrays by first item). */
function missingKeys(example: unknown, ours: unknown, path = ''): string[] {
  if (!example || typeof example !== 'object' || !ours || typeof ours !== 'object') return [];
  if (Array.isArray(example)) return Array.isArray(ours) && example.length > 0 && ours.length > 0 ? missingKeys(example[0], ours[0], `${path}[0]`) : [];
  const missing: string[] = [];
  for (const [key, value] of Object.entries(example)) {
    if (!(key in (ours as Record<string, unknown>))) missing.push(`${path}.${key}`);
    else missing.push(...missingKeys(value, (ours as Record<string, unknown>)[key], `${path}.${key}`));
  }
  return missing;
}

function example(event: string, action?: string): Record<string, unknown> {
  const group = (examples as Array<{ name: string; examples: Array<Record<string, unknown>> }>).find((candidate) => candidate.name === event)!;
  return group.examples.find((candidate) => !action || candidate.action === action)!;
}

describe('GitHub fake with a real Probot app', () => {
  it('delivers signed pull_request webhooks that Probot verifies, and the app acts through its installation', async () => {
    const { fake, seen, configs } = await probotOnFake();
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await fake.as('bob').openPullRequest('acme/infra', { title: 'fix', head: 'fix' })).number;
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '2\n' });
    await fake.as('carol').approve('acme/infra', pr);
    await fake.as('carol').merge('acme/infra', pr);
    await fake.as('bob').push('acme/infra', 'other', { 'b.txt': '1\n' });
    const other = (await fake.as('bob').openPullRequest('acme/infra', { title: 'other', head: 'other' })).number;
    await fake.as('bob').close('acme/infra', other);
    await fake.settled();

    const prEvents = seen.filter((event) => event.event === 'pull_request').map((event) => [event.action, (event.payload.pull_request as { number: number; merged: boolean }).number, (event.payload.pull_request as { merged: boolean }).merged]);
    assert.deepEqual(prEvents, [
      ['opened', pr, false],
      ['synchronize', pr, false],
      ['closed', pr, true],
      ['opened', other, false],
      ['closed', other, false],
    ]);
    assert.deepEqual(configs[0], { paused: false, approvers: { low: ['carol'] } }, 'context.config() read .github/pitcrew.yml');
    assert.deepEqual(fake.comments('acme/infra', pr).map((comment) => [comment.user, comment.body]), [['pitcrew[bot]', 'pitcrew is looking at this PR']]);
    assert.ok(fake.webhooks.deliveries.every((delivery) => delivery.attempts.every((attempt) => attempt.status === 200)), 'every delivery was accepted');
    const review = seen.find((event) => event.event === 'pull_request_review')!;
    assert.equal((review.payload.review as { state: string }).state, 'approved');
    assert.equal((review.payload.installation as { id: number }).id, fake.core.installationFor(fake.core.apps.values().next().value!, fake.repo('acme/infra'))!.id);
  });

  it('sends forged and unsigned deliveries that Probot rejects with 400 without running the app', async () => {
    const { fake, seen, port } = await probotOnFake();
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await fake.as('bob').openPullRequest('acme/infra', { title: 'fix', head: 'fix' })).number;
    await fake.as('carol').merge('acme/infra', pr);
    await fake.settled();
    const merged = fake.webhooks.list('pull_request', 'closed')[0]!;
    const before = seen.length;
    const forged = await fake.webhooks.forge(merged.id);
    assert.equal(forged.status, 400);
    assert.match(forged.responseBody, /signature does not match/);
    const unsigned = await fake.webhooks.redeliver(merged.id, { signature: 'none' });
    assert.equal(unsigned[0]!.status, 400);
    const tampered = JSON.parse(merged.body) as { pull_request: { merged_by: { login: string } } };
    tampered.pull_request.merged_by.login = 'mallory';
    const custom = await fake.webhooks.sendCustom(fake.core.apps.get(merged.appId)!, 'pull_request', tampered as unknown as Record<string, unknown>, { signatureHeader: merged.attempts[0] ? `sha256=${'0'.repeat(64)}` : '' });
    assert.equal(custom.attempt.status, 400);
    assert.equal(seen.length, before, 'the app saw none of them');
    assert.ok(port > 0);
  });

  it('redelivers the same delivery several times at once with the same GUID', async () => {
    const { fake, seen } = await probotOnFake();
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await fake.as('bob').openPullRequest('acme/infra', { title: 'fix', head: 'fix' })).number;
    await fake.as('carol').merge('acme/infra', pr);
    await fake.settled();
    const merged = fake.webhooks.list('pull_request', 'closed')[0]!;
    const attempts = await fake.webhooks.redeliver(merged.id, { times: 3, concurrent: true });
    assert.deepEqual(attempts.map((attempt) => attempt.status), [200, 200, 200]);
    const copies = seen.filter((event) => event.delivery === merged.id);
    assert.equal(copies.length, 4, 'the original and three redeliveries');
    assert.ok(copies.every((copy) => JSON.stringify(copy.payload) === JSON.stringify(copies[0]!.payload)), 'byte-identical payloads');
    const starts = attempts.map((attempt) => attempt.at);
    assert.ok(Math.max(...starts) - Math.min(...starts) < 1000, 'sent together');
  });

  it('shapes payloads like the documented examples', async () => {
    const { fake, seen } = await probotOnFake();
    fake.addOrg('acme');
    await fake.createRepo({ owner: 'acme', name: 'ci', files: { '.github/workflows/ci.yml': 'name: CI\non: pull_request\njobs:\n  test: {}\n' }, installations: [fake.core.apps.values().next().value!] });
    fake.addCollaborator('acme/ci', 'bob', 'write');
    const head = await fake.as('bob').push('acme/ci', 'fix', { 'a.txt': '1\n' });
    const pr = (await fake.as('bob').openPullRequest('acme/ci', { title: 'fix', head: 'fix' })).number;
    await fake.as('bob').push('acme/ci', 'fix', { 'a.txt': '2\n' });
    await fake.as('alice').approve('acme/ci', pr);
    await fake.as('alice').comment('acme/ci', pr, 'looks fine');
    await fake.as('alice').request('POST', `/repos/acme/ci/statuses/${head}`, { state: 'success', context: 'ci/legacy' });
    await fake.simulateRun('acme/ci', { workflow: 'ci.yml', branch: 'fix', script: { jobs: [{ name: 'test', conclusion: 'failure' }] } });
    await fake.settled();
    await fake.as('alice').merge('acme/ci', pr);
    await fake.settled();

    const cases: Array<[string, string | undefined]> = [
      ['pull_request', 'opened'],
      ['pull_request', 'synchronize'],
      ['pull_request', 'closed'],
      ['pull_request_review', 'submitted'],
      ['issue_comment', 'created'],
      ['check_run', 'completed'],
      ['workflow_run', 'completed'],
      ['workflow_job', 'completed'],
      ['push', undefined],
      ['status', undefined],
    ];
    // Each app's permissions differ from the example app's; everything else must be there.
    const tolerated = /\.app\.permissions\./;
    for (const [event, action] of cases) {
      const ours = seen.find((candidate) => candidate.event === event && (!action || candidate.action === action));
      assert.ok(ours, `received ${event}${action ? `.${action}` : ''}`);
      const missing = missingKeys(example(event, action), ours.payload).filter((path) => !tolerated.test(path));
      assert.deepEqual(missing, [], `${event}${action ? `.${action}` : ''} has every documented field`);
    }
    const delivery = fake.webhooks.list('pull_request', 'opened')[0]!;
    assert.match(delivery.id, /^[0-9a-f-]{36}$/);
    assert.equal(seen.find((candidate) => candidate.event === 'pull_request')!.delivery, delivery.id);
  });

  it('sends the headers GitHub sends, signing the exact body bytes', async () => {
    const { fake } = await probotOnFake();
    const sink = await webhookSink();
    const observer = fake.createApp({ slug: 'observer', webhook: { url: sink.url, secret: 'observer-secret' }, events: ['pull_request'] });
    const installation = fake.installApp(observer, 'acme');
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    await fake.as('bob').openPullRequest('acme/infra', { title: 'fix', head: 'fix' });
    await fake.settled();
    assert.deepEqual(sink.received.map((hook) => hook.headers['x-github-event']), ['pull_request'], 'only the subscribed event');
    const [hook] = sink.received;
    const headers = hook!.headers;
    assert.equal(headers['content-type'], 'application/json');
    assert.match(String(headers['user-agent']), /^GitHub-Hookshot\//);
    assert.match(String(headers['x-github-delivery']), /^[0-9a-f-]{36}$/);
    assert.equal(headers['x-github-hook-installation-target-type'], 'integration');
    assert.equal(headers['x-github-hook-installation-target-id'], String(observer.id));
    assert.equal(headers['x-hub-signature-256'], signSha256('observer-secret', hook!.body));
    assert.equal(headers['x-hub-signature'], `sha1=${createHmac('sha1', 'observer-secret').update(hook!.body).digest('hex')}`);
    assert.equal((hook!.payload.installation as { id: number }).id, installation.id);
  });
});

describe('GitHub fake: write bookkeeping for secondary rate limits', () => {
  it('logs every content-creating request with its interval, so concurrency and per-minute rates are measurable', async () => {
    const { fake } = await probotOnFake();
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await fake.as('bob').openPullRequest('acme/infra', { title: 'fix', head: 'fix' })).number;
    await fake.settled();
    assert.equal(fake.writes.maxConcurrent('pitcrew[bot]'), 1, 'the app wrote one comment at a time');
    const bob = fake.as('bob');
    await Promise.all([1, 2, 3, 4].map((n) => bob.comment('acme/infra', pr, `comment ${n}`)));
    assert.ok(fake.writes.maxConcurrent('bob') >= 2, 'concurrent writes are detected');
    assert.equal(fake.writes.maxInWindow('bob', 60_000), 5, 'the PR and four comments within a minute');
    assert.ok(fake.writes.of('pitcrew[bot]').every((write) => write.finishedAt >= write.startedAt));
    assert.ok(!fake.writes.of('pitcrew[bot]').some((write) => write.path.includes('access_tokens')), 'token requests are not content-creating');
  });

  it('can enforce "no concurrent writes" with a 403 and Retry-After, like GitHub', async () => {
    const { fake } = await probotOnFake({ secondaryLimits: { rejectConcurrent: true } });
    await fake.as('bob').push('acme/infra', 'fix', { 'a.txt': '1\n' });
    const pr = (await fake.as('bob').openPullRequest('acme/infra', { title: 'fix', head: 'fix' })).number;
    const bob = fake.as('bob');
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => bob.comment('acme/infra', pr, `comment ${n}`)));
    const rejected = results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason));
    assert.ok(rejected.length > 0, 'some concurrent writes were refused');
    assert.ok(rejected.every((reason) => /403: You have exceeded a secondary rate limit/.test(reason)));
  });
});
