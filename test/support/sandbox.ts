import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { FakeGitHub, type FakeApp, type FakeGitHubOptions } from '../../src/sandbox/index.js';

/** Octokit logs every 4xx at info level; tests assert on the errors instead. */
export const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface GitHubFixture {
  fake: FakeGitHub;
  app: FakeApp;
  /** `acme/infra`, with the app installed and alice (admin), bob and carol (write) as people. */
  repo: string;
  installationId: number;
  /** Octokit authenticated as the app's installation (the way pitcrew talks to GitHub). */
  bot: Octokit;
  /** Octokit authenticated as a user, with a personal access token. */
  user(login: string): Octokit;
}

/** A running GitHub fake with one org, one repository and the app installed; stopped after the test file. */
export async function githubFixture(options: FakeGitHubOptions & { webhookUrl?: string; secret?: string; files?: Record<string, string> } = {}): Promise<GitHubFixture> {
  const fake = await FakeGitHub.start(options);
  after(() => fake.stop());
  const app = fake.createApp({ slug: 'pitcrew', ...(options.webhookUrl ? { webhook: { url: options.webhookUrl, secret: options.secret ?? 'webhook-secret' } } : {}) });
  fake.addOrg('acme', { alice: 'admin' });
  const record = await fake.createRepo({ owner: 'acme', name: 'infra', files: options.files ?? { 'README.md': '# infra\n', 'deploy/app.yaml': 'replicas: 2\nimage: web:1.0\n' }, installations: [app] });
  fake.addCollaborator('acme/infra', 'bob', 'write');
  fake.addCollaborator('acme/infra', 'carol', 'write');
  const installationId = fake.core.installationFor(app.record, record)!.id;
  return {
    fake,
    app,
    repo: 'acme/infra',
    installationId,
    bot: new Octokit({ baseUrl: fake.url, log: quietLog, authStrategy: createAppAuth, auth: { appId: app.id, privateKey: app.privateKey!, installationId } }),
    user: (login) => new Octokit({ baseUrl: fake.url, log: quietLog, auth: fake.tokenFor(login) }),
  };
}

/** Expects `promise` to reject with an Octokit RequestError of `status`; returns the error's response data. */
export async function rejectsWith(promise: Promise<unknown>, status: number): Promise<{ message: string; errors?: unknown[] }> {
  try {
    await promise;
  } catch (error) {
    const requestError = error as { status?: number; response?: { data?: unknown } };
    if (requestError.status !== status) throw new Error(`expected status ${status}, got ${requestError.status}: ${(error as Error).message}`);
    return requestError.response?.data as { message: string; errors?: unknown[] };
  }
  throw new Error(`expected a ${status} error, but the request succeeded`);
}

export interface ReceivedHook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  payload: Record<string, unknown> & { action?: string };
}

/** A plain HTTP receiver that records webhook deliveries and answers 200; closed after the test file. */
export async function webhookSink(): Promise<{ url: string; received: ReceivedHook[]; of(event: string, action?: string): ReceivedHook[] }> {
  const received: ReceivedHook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body, payload: JSON.parse(body) as ReceivedHook['payload'] });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    of: (event, action) => received.filter((hook) => hook.headers['x-github-event'] === event && (!action || hook.payload.action === action)),
  };
}
